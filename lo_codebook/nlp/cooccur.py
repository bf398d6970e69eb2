"""Two words of one definition item in one sentence: "taken van vertrokken collega's erbij".

A description's list items are often small scenes ("'s avonds en in het weekend werken",
"covering for colleagues who left") whose words, one by one, are too common to prove anything
("avond", "werken", "collega", "cover"), and whose exact word order respondents never repeat
("ik werk structureel 's avonds door", "I'm covering two jobs since my colleague left").
Two content words of the same item, in one sentence and close together, in any order, are
much more specific than either alone; so each such pair is weak evidence for the item's code:

* only pairs whose words are content words (not stop words, not the definition's own
  vocabulary such as *respondent*, *noemt*) and one of which is not common in the language
  (wordfreq Zipf below `_ZIPF_PAIR`: "vertrokken", "weekend", not "werk" and "zijn");
* only pairs that no other code's definition holds (a pair two codes share tells them
  neither apart);
* found on lemmas or lower-case forms, at most `MAX_DISTANCE` words apart in one sentence;
* the match is the rarer word's token, so a pair never covers (and so never swallows)
  another code's match between its two words; negation and the other context rules apply
  to it as to any description term.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable, Sequence
from itertools import combinations

import numpy as np

from .engine_types import CodeId, TokenBatch
from .frequency import zipf
from .language_data import GENERIC_WORDS
from .terms import _Keywords

#: Words between the two words of a pair, at most.
MAX_DISTANCE = 8
#: A stretch with more content words than this is running prose, not a scene.
_MAX_CONTENT = 6
#: At least one word of a pair must be rarer than this in the language.
_ZIPF_PAIR = 5.0


def item_pairs(
    lang: str,
    items: Iterable[tuple[CodeId, str, Sequence[str], Sequence[str]]],
    stop: set[str] | frozenset[str],
) -> dict[tuple[str, str], tuple[CodeId, str, str]]:
    """(lemma, lemma) -> (code, item, the rarer lemma) for the pairs of content words that
    one code's definition items hold and no other code's do. `items`: (code, item text,
    words, lemmas), as the engine reads definitions."""
    generic = GENERIC_WORDS.get(lang, frozenset())
    found: dict[tuple[str, str], dict[CodeId, str]] = defaultdict(dict)
    rarity: dict[str, float] = {}
    for code_id, term, words, lemmas in items:
        content: dict[str, float] = {}
        for w, m in zip(words, lemmas, strict=True):
            low = w.lower()
            if len(w) < 3 or not w.isalpha() or {low, m} & (stop | generic):
                continue
            content[m] = max(zipf(m, lang), zipf(low, lang))
        if len(content) > _MAX_CONTENT:
            continue
        rarity.update(content)
        for a, b in combinations(sorted(content), 2):
            if min(content[a], content[b]) < _ZIPF_PAIR:
                found[(a, b)].setdefault(code_id, term)
    return {
        pair: (code_id, term, min(pair, key=lambda m: (rarity[m], m)))
        for pair, codes in found.items()
        if len(codes) == 1
        for code_id, term in codes.items()
    }


class PairMatcher:
    """Finds the pairs of `item_pairs` in a batch of tokens (see the module docstring)."""

    def __init__(
        self, kw: _Keywords, pairs: dict[tuple[str, str], tuple[CodeId, str, str]], score: float
    ):
        strings = kw.nlp.vocab.strings
        # the rarer word's hash -> [(the other word's hash, rule id)]: a pair is looked for
        # from its rarer word, where its match is
        self._partners: dict[int, list[tuple[int, int]]] = defaultdict(list)
        every: set[int] = set()
        for (a, b), (code_id, term, rare) in sorted(pairs.items()):
            rid = kw.rule(code_id, "description", score, f"{term}|{a} + {b}", term)
            other = b if rare == a else a
            self._partners[strings.add(rare)].append((strings.add(other), rid))
            every.update((strings[rare], strings[other]))
        self._words = np.array(sorted(every), dtype="uint64")
        self._tv: object | None = None
        self._positions: list[int] = []

    def __bool__(self) -> bool:
        return bool(self._partners)

    def find(self, tv: TokenBatch, base: int, n: int) -> list[tuple[int, int, int]]:
        """(rule id, start, end) of the pairs found in doc tokens base..base+n of `tv`
        (positions relative to `base`): the rarer word's token."""
        if not self._partners:
            return []
        if tv is not self._tv:  # once per batch: where a pair word may be
            self._tv = tv
            hit = np.isin(tv.lemmas, self._words) | np.isin(tv.lowers, self._words)
            self._positions = np.flatnonzero(hit).tolist()
        k = bisect_left(self._positions, base)
        here: list[int] = []
        while k < len(self._positions) and self._positions[k] < base + n:
            here.append(self._positions[k])
            k += 1
        if len(here) < 2:
            return []
        words = {g: {int(tv.lemmas[g]), int(tv.lowers[g])} for g in here}
        out: list[tuple[int, int, int]] = []
        for g in here:
            first, after = tv.sentence(g)
            for h in words[g]:
                for other, rid in self._partners.get(h, ()):
                    if any(
                        other in words[o]
                        for o in here
                        if o != g and first <= o < after and abs(o - g) <= MAX_DISTANCE + 1
                    ):
                        out.append((rid, g - base, g - base + 1))
        return list(dict.fromkeys(out))
