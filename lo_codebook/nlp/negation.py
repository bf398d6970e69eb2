"""Denial cues with words in between: "Agressie komt bij ons gelukkig bijna niet voor".

The cue phrases in `language_data._NEGATION_CUES` ("komt niet voor", "gaat prima", "is
fine") are matched as written by the phrase matcher. Respondents put words inside them
("gaat het bij ons prima", "is for us fine"), so a cue is also found with up to `MAX_GAP`
tokens between its words, within one sentence, provided the words in between hold no
negator or contrast word: "gaat niet goed" and "is prima, maar" are not denials.

A cue written with a plain negator ("geen issue", "not a problem") is also found with a
negating quantifier in its place ("nauwelijks een issue", "never been a problem"): the
variants are derived, not listed, and the gaps take the article or auxiliary in between.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Sequence

import numpy as np

#: Tokens allowed between two words of a cue.
MAX_GAP = 4

NEGATORS = {
    "nl": frozenset({"niet", "geen", "nooit", "nauwelijks", "niks", "niets", "allerminst"}),
    "en": frozenset({"not", "no", "never", "n't", "hardly", "nothing"}),
}


def with_quantifier_variants(
    cues: Iterable[str], plain: Iterable[str], quantifiers: Iterable[str]
) -> list[str]:
    """The cues plus, for each cue holding a plain negator word ("geen probleem"), that cue
    with each negating quantifier in its place ("nauwelijks probleem", found with gaps in
    "nauwelijks een probleem"); kept in order and without repeats."""
    plain_words = frozenset(plain)
    out = list(dict.fromkeys(cues))
    for cue in list(out):
        words = cue.split()
        for i, word in enumerate(words):
            if word in plain_words:
                for q in quantifiers:
                    out.append(" ".join([*words[:i], q, *words[i + 1 :]]))
    return list(dict.fromkeys(out))


class GappedCues:
    """Cue phrases as lemma-hash tuples, found with gaps in a token array."""

    def __init__(self, cues: Iterable[Sequence[int]], blockers: Iterable[int]) -> None:
        self.cues = [tuple(c) for c in cues if len(c) > 1]
        self.blockers = frozenset(blockers)
        self._firsts = np.array(sorted({c[0] for c in self.cues}), dtype="uint64")
        self._by_first: dict[int, list[tuple[int, ...]]] = {}
        for cue in self.cues:
            self._by_first.setdefault(cue[0], []).append(cue)

    def starts(self, lemmas: np.ndarray) -> list[int]:
        """Positions in a batch's lemma array where some cue could start (one pass per batch)."""
        if not self.cues or not len(lemmas):
            return []
        return np.flatnonzero(np.isin(lemmas, self._firsts)).tolist()

    def find(
        self, lemmas: np.ndarray, lowers: np.ndarray, start: int, end: int, starts: list[int]
    ) -> list[tuple[int, int]]:
        """Spans [s, e) (relative to `start`) of cues found with gaps in tokens start..end of
        one sentence (`lemmas`, `lowers`: the batch's arrays; `starts`: from `starts()`). A
        blocker that is itself a word of the cue ("komt niet voor") does not block it."""
        k = bisect_left(starts, start)
        if end - start < 2 or k >= len(starts) or starts[k] >= end:
            return []
        window = lemmas[start:end]
        found: list[tuple[int, int]] = []
        firsts = []
        while k < len(starts) and starts[k] < end:
            firsts.append(starts[k] - start)
            k += 1
        for i in firsts:
            for cue in self._by_first.get(int(window[i]), ()):
                at = i
                ok = True
                own = set(cue)
                for word in cue[1:]:
                    nxt = -1
                    for j in range(at + 1, min(len(window), at + 2 + MAX_GAP)):
                        if int(window[j]) == word:
                            nxt = j
                            break
                        gap = (int(window[j]), int(lowers[start + j]))
                        if any(h in self.blockers and h not in own for h in gap):
                            break
                    if nxt < 0:
                        ok = False
                        break
                    at = nxt
                if ok:
                    found.append((i, at + 1))
        return found
