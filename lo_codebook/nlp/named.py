"""A word of a code's name standing alone as what a sentence is about: "Tijd.", "Time, mainly."

Open survey answers are often a word or two ("Tijd.", "Tijd, tijd, tijd", "Time is the
problem"). A short word of a code name "Tijd en werkdruk" or "Workload and time" is too
common to be a keyword anywhere (*op tijd*, *part-time*, *at the same time*), but a sentence
whose only content words are such name words names the theme. So a name word is evidence for
its code when its sentence holds nothing else but stop words, a few framing words
(*probleem*, *mainly*, *lack*) and other codes' name words, and at most `MAX_NAMED` of them.
A word of plenty, or a negated problem word, says there is no problem ("We hebben veel tijd",
"Er is geen gebrek aan tijd"); a negated name word or plenty is the lack the theme is about
("Don't have time", "die [tijd] is er niet", "Not enough time").
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable

import numpy as np

from .engine_types import CodeSpec, TokenBatch
from .language_data import NAMED_FRAMING_WORDS, NAMED_PLENTY_WORDS, NAMED_PROBLEM_WORDS
from .negation import NEGATORS
from .terms import _Keywords

#: At most this many content words in the sentence, all of them name words.
MAX_NAMED = 3
_CONJUNCTIONS = {
    "nl": re.compile(r"\s*(?:,|&|/|\ben\b|\bof\b)\s*", re.IGNORECASE),
    "en": re.compile(r"\s*(?:,|&|/|\band\b|\bor\b)\s*", re.IGNORECASE),
}


def name_words(codes: Iterable[CodeSpec], lang: str, stop: set[str]) -> dict[str, str]:
    """Lower-cased one-word conjuncts of code names -> the code, for words in one code's
    name only ("tijd" of "Tijd en werkdruk"; not "need" of "Complexity of need")."""
    conjunctions = _CONJUNCTIONS.get(lang, _CONJUNCTIONS["en"])
    found: dict[str, set[str]] = defaultdict(set)
    for code in codes:
        for part in conjunctions.split(code.name):
            word = part.strip().lower()
            if len(word) >= 3 and word.isalpha() and word not in stop:
                found[word].add(code.id)
    return {word: next(iter(ids)) for word, ids in found.items() if len(ids) == 1}


class NamedMatcher:
    """Finds name words standing alone in their sentence (see the module docstring)."""

    def __init__(self, kw: _Keywords, codes: Iterable[CodeSpec], score: float) -> None:
        strings = kw.nlp.vocab.strings
        self._rules: dict[int, int] = {}
        for word, code_id in sorted(name_words(codes, kw.lang, kw.stop).items()):
            rid = kw.rule(code_id, "keyword", score, f"{word}|named alone", word)
            lemma = kw._tokens(word)[1]
            for form in {word, *lemma}:
                self._rules.setdefault(strings.add(form), rid)
        framing = NAMED_FRAMING_WORDS.get(kw.lang, frozenset())
        self._filler = {strings.add(w) for w in kw.stop | framing}
        self._plenty = {strings.add(w) for w in NAMED_PLENTY_WORDS.get(kw.lang, ())}
        self._negators = {strings.add(w) for w in NEGATORS.get(kw.lang, ())}
        self._problem = {strings.add(w) for w in NAMED_PROBLEM_WORDS.get(kw.lang, ())}
        self._words = np.array(sorted(self._rules), dtype="uint64")
        self._strings = strings
        self._wordlike: dict[int, bool] = {}
        self._tv: object | None = None
        self._positions: list[int] = []

    def __bool__(self) -> bool:
        return bool(self._rules)

    def find(self, tv: TokenBatch, base: int, n: int) -> list[tuple[int, int, int]]:
        """(rule id, start, end) of name words alone in their sentence, in doc tokens
        base..base+n of `tv` (positions relative to `base`)."""
        if not self._rules:
            return []
        if tv is not self._tv:  # once per batch: where a name word stands
            self._tv = tv
            hit = np.isin(tv.lowers, self._words) | np.isin(tv.lemmas, self._words)
            self._positions = np.flatnonzero(hit).tolist()
        out: list[tuple[int, int, int]] = []
        done: set[int] = set()
        positions = self._positions
        for k in range(bisect_left(positions, base), bisect_left(positions, base + n)):
            first, after = tv.sentence(positions[k])
            if first in done:
                continue
            done.add(first)
            named = self._alone(tv, first, after)
            out.extend((rid, h - base, h - base + 1) for h, rid in named)
        return out

    def _alone(self, tv: TokenBatch, first: int, after: int) -> list[tuple[int, int]]:
        """The name words of sentence first..after when it holds nothing else of content."""
        named: list[tuple[int, int]] = []
        lowers = tv.lowers[first:after].tolist()
        lemmas = tv.lemmas[first:after].tolist()
        said = set(lowers) | set(lemmas)
        if said & self._negators:
            if said & self._problem:  # "geen gebrek aan tijd"; but "not enough time" is a lack
                return []
        elif set(lowers) & self._plenty:  # "we hebben veel tijd" (as written: "more" is
            return []  # a lemma of "much", "meer" of "veel")
        for i, (low, lemma) in enumerate(zip(lowers, lemmas, strict=True)):
            rid = self._rules.get(low, self._rules.get(lemma))
            if rid is not None:
                named.append((first + i, rid))
                if len(named) > MAX_NAMED:
                    return []
            elif low in self._filler or lemma in self._filler or not self._is_word(low):
                continue
            else:
                return []
        return named

    def _is_word(self, h: int) -> bool:
        known = self._wordlike.get(h)
        if known is None:
            known = self._wordlike[h] = any(ch.isalpha() for ch in self._strings[h])
        return known
