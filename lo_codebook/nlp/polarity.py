"""Praise is not a problem: a theme named in a clause that only says things are fine.

Codebooks code problems and wishes, and many say so ("Niet coderen: tevredenheid over de
leidinggevende", "een neutrale of positieve vermelding zonder knelpunt", "Do not code:
satisfied statements"). A keyword in "IBT prima, trainers zijn top" or "My manager is
supportive" names the theme but raises no issue with it; a coder leaves it uncoded.

The rule, per candidate match. Its clause is its sentence cut at contrast words ("maar",
"but") and at `,` `;` `:`. The match loses weight when

* the clause holds a positive evaluation outside the match itself (`_PRAISE_WORDS`:
  "prima", "top", "handig", "great", "supportive", ...),
* and no problem word (`_PROBLEM_WORDS`: "geen", "weinig", "lastig", "not", "too",
  "difficult", ...; so "niet goed" is no praise),
* and the sentence holds no wish (`_WISH_WORDS`: "graag", "zou", "meer", "would", "need",
  ...: "werkt goed, meer daarvan" asks for more),
* and no contrast or concession follows the match in its sentence (`_CONCESSION_WORDS`:
  "Mijn leidinggevende is goed, maar geeft geen tijd", "mooi aanbod, alleen ..." and
  "prima zolang ..." are about it).

A word of sufficiency in the clause (`_SUFFICIENCY_WORDS`: "budget genoeg", "training
krijgen we voldoende", "plenty of courses") denies a lack of the theme under the same
conditions, and weighs as a denial whatever the description says: no codebook codes "there
is enough of it" as a problem with it.

How much weight praise loses depends on what the code's description says about praise
(`praise_stance`): as much as a denied theme ("is geen issue") when it excludes positive,
neutral or satisfied mentions; nothing when it says nothing (`_F_PRAISED`: some codes do code
praise, "Zingeving en voldoening", and on the bench a milder factor lost as many right
suggestions as wrong ones) or when it codes good and bad alike.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Hashable, Iterable, Sequence
from typing import Literal, Protocol

from .definitions import split_parts
from .engine_types import TokenBatch
from .language_data import (
    _CONCESSION_WORDS,
    _EXCLUDES_PRAISE,
    _INCLUDES_PRAISE,
    _PRAISE_WORDS,
    _PROBLEM_WORDS,
    _SUFFICIENCY_WORDS,
    _WISH_WORDS,
)

#: Punctuation that ends a clause within a sentence.
CLAUSE_MARKS = (",", ";", ":")

Stance = Literal["excluded", "included", "silent"]


class _Candidate(Protocol):
    code_id: Hashable
    start: int
    end: int
    score: float


def _any_of(pieces: dict[str, tuple[str, ...]]) -> re.Pattern[str]:
    words = [p for lang_pieces in pieces.values() for p in lang_pieces]
    return re.compile(r"(?<![\w])(?:" + "|".join(words) + r")(?![\w])", re.IGNORECASE)


_EXCLUDES_PRAISE_RE = _any_of(_EXCLUDES_PRAISE)
_INCLUDES_PRAISE_RE = _any_of(_INCLUDES_PRAISE)


def praise_stance(description: str | None, lang: str) -> Stance:
    """What a code's description says about positive mentions: "excluded" ("Niet coderen:
    uitspraken dat de werkdruk meevalt", "Do not code: statements that IT is fine"),
    "included" ("how their manager supports or blocks them, good or bad") or "silent".
    Descriptions are read in both languages: codebooks mix them."""
    include, exclude, _refs = split_parts(description or "", lang)
    if _INCLUDES_PRAISE_RE.search(include):
        return "included"
    if _EXCLUDES_PRAISE_RE.search(exclude):
        return "excluded"
    return "silent"


class PraiseReader:
    """Finds matches in clauses that praise and ask for nothing, and lowers their score.

    Words are compared as lower-case hashes (`intern`: the pipeline's string store); problem
    and wish words also as lemmas. The tokenizer keeps a full stop on a word it takes for an
    abbreviation ("top." in "trainers zijn top. Wat ik mis ..."), so such a token (`text_of`
    ends in ".") also ends the sentence here, and the words are listed with a stop too."""

    def __init__(
        self,
        lang: str,
        intern: Callable[[str], int],
        text_of: Callable[[int], str],
        contrast: Iterable[str],
        factors: dict[Hashable, float],
        sufficed: float = 1.0,
    ) -> None:
        def hashes(words: Iterable[str]) -> frozenset[int]:
            return frozenset(intern(f) for w in words for f in (w, w + "."))

        self.praise = hashes(_PRAISE_WORDS.get(lang, ()))
        self.sufficient = hashes(_SUFFICIENCY_WORDS.get(lang, ()))
        self.problem = hashes(_PROBLEM_WORDS.get(lang, ()))
        self.wish = hashes(_WISH_WORDS.get(lang, ()))
        contrast = frozenset(intern(w) for w in contrast)
        self.concession = contrast | hashes(_CONCESSION_WORDS.get(lang, ()))
        self.breaks = contrast | {intern(w) for w in CLAUSE_MARKS}
        self.factors = factors
        self.sufficed = sufficed
        self.active = bool(self.praise) and (
            sufficed < 1.0 or any(f < 1.0 for f in factors.values())
        )
        self._text_of = text_of
        self._stops: dict[int, bool] = {}

    def weigh(self, cands: Sequence[_Candidate], tv: TokenBatch, base: int) -> None:
        """Lower the score of every candidate (token positions relative to `base` in `tv`)
        that stands in a praising clause without a problem, a wish or a concession."""
        clauses: dict[int, list[tuple[int, int]]] = {}
        cuts: dict[int, list[int]] = {}
        for c in cands:
            factor = self.factors.get(c.code_id, 1.0)
            if factor >= 1.0 and self.sufficed >= 1.0:
                continue
            g, ge = base + c.start, base + c.end
            first, after = self._sentence(tv, g, cuts)
            if first not in clauses:
                clauses[first] = self._clauses(tv, first, after)
            for a, b in clauses[first]:
                if a <= g and ge <= b:
                    words = self._evaluation(tv, a, b, g, ge)
                    if (
                        words
                        and not self._holds(tv, first, after, self.wish)
                        and not self._holds(tv, ge, after, self.concession)
                    ):
                        c.score *= min(factor, self.sufficed) if words & self.sufficient else factor
                    break

    def _sentence(self, tv: TokenBatch, g: int, cuts: dict[int, list[int]]) -> tuple[int, int]:
        """The sentence around token g, also cut after a token with a full stop glued on.

        `cuts` keeps, per sentence start, where such tokens stand (one scan per sentence)."""
        first, after = tv.sentence(g)
        stops = cuts.get(first)
        if stops is None:
            stops = cuts[first] = [
                i
                for i, h in enumerate(tv.lowers[first:after].tolist(), start=first)
                if self._stop(h)
            ]
        before = bisect_left(stops, g)  # stops[before - 1] is the last one before g
        if before:
            first = stops[before - 1] + 1
        if before < len(stops) and stops[before] < after - 1:
            return first, stops[before] + 1
        return first, after

    def _stop(self, h: int) -> bool:
        known = self._stops.get(h)
        if known is None:
            text = self._text_of(h)
            known = self._stops[h] = len(text) > 1 and text[-1] in ".!?"
        return known

    def _clauses(self, tv: TokenBatch, first: int, after: int) -> list[tuple[int, int]]:
        """Global token ranges of the sentence first..after, cut at contrast words and at
        clause punctuation (the cutting token belongs to neither side)."""
        out: list[tuple[int, int]] = []
        start = first
        for i, h in enumerate(tv.lowers[first:after].tolist(), start=first):
            if h in self.breaks:
                if i > start:
                    out.append((start, i))
                start = i + 1
        if after > start:
            out.append((start, after))
        return out

    def _evaluation(self, tv: TokenBatch, a: int, b: int, ms: int, me: int) -> set[int]:
        """The praise or sufficiency words of clause a..b outside the match ms..me; none
        when the clause holds a problem word."""
        if self._holds(tv, a, b, self.problem):
            return set()
        return {
            h
            for g, h in enumerate(tv.lowers[a:b].tolist(), start=a)
            if not ms <= g < me and (h in self.praise or h in self.sufficient)
        }

    @staticmethod
    def _holds(tv: TokenBatch, a: int, b: int, words: frozenset[int]) -> bool:
        """Whether tokens a..b hold one of `words` (as written or as lemma)."""
        return any(h in words for h in tv.lowers[a:b].tolist()) or any(
            h in words for h in tv.lemmas[a:b].tolist()
        )
