"""Resolution: what the candidate matches of a document come to, once read in their context.

Matching (`match`) finds every term of every code in a batch of docs. Here each document's
candidates are weighed against each other and against their sentence:

* the longest match wins across codes (*duurzame inzetbaarheid* is not *duurzaamheid*), and a
  word that is itself a keyword of one code is not a compound of another;
* a match in a `van`-complement of another code's match is lowered (*digitalisering van de
  dienstverlening*);
* a match in the scope of a denial cue (*is geen issue meer*, *goed geregeld*) is lowered,
  up to a contrast word (*maar*); an evaluation without a negator (*is prima*, *is fine*)
  followed by a concession (*maar moeten korter*) denies nothing;
* praise and sufficiency (`polarity`) lower a match where the clause raises no problem;
* different terms of one code in one answer add up (`combine_evidence`), and weak evidence
  beside another code's sure match is read as that code's context (`Resolver.explain_away`).

`BatchTokens` is what all of this reads of a batch: token attributes as arrays, positions
looked up only where something matched.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from spacy.attrs import IDX, LEMMA, LENGTH, LOWER, SENT_START
from spacy.tokens import Doc

from .definitions import defers_to_topics
from .engine_types import DEFAULT_ACCEPT_SCORE, CodeId, CodeSpec, Method
from .language_data import (
    _CONCESSION_WORDS,
    _CONTRAST,
    _DETERMINERS,
    _NEGATING_QUANTIFIERS,
    _OF,
)
from .negation import NEGATORS
from .polarity import PraiseReader, praise_stance
from .scores import (
    _COMBINED_MAX,
    _F_COMPLEMENT,
    _F_DEFERRED,
    _F_EXPLAINED,
    _F_NEGATED,
    _F_PRAISED,
    _F_SECONDARY,
    _STANDALONE,
)

__all__ = ["BatchTokens", "Candidate", "Resolver", "combine_evidence", "secondary_codes"]

Placed = tuple["Candidate", int, int, tuple[int, int]]


@dataclass
class Candidate:
    """A match of one code's term in a unit doc, as the resolution weighs it."""

    code_id: CodeId
    start: int  # token indices in the unit doc
    end: int
    score: float
    method: Method
    pattern: str
    base: str
    learned: bool
    part: bool = False


_VIEW_ATTRS = [LOWER, LEMMA, IDX, LENGTH, SENT_START]


class BatchTokens:
    """What matching reads of a batch of docs (token i of doc d is at `offsets[d] + i`): one
    `to_array` per doc instead of a Python `Token` per look-up; positions are read only
    where something matched."""

    __slots__ = (
        "_array",
        "_clause_starts",
        "cue_starts",
        "lemmas",
        "lowers",
        "offsets",
        "sent_starts",
    )

    def __init__(self, docs: Sequence[Doc]) -> None:
        self.offsets: list[int] = np.cumsum([0] + [len(d) for d in docs]).tolist()
        arrays = [d.to_array(_VIEW_ATTRS) for d in docs if len(d)]
        big = np.concatenate(arrays) if arrays else np.zeros((0, len(_VIEW_ATTRS)), dtype="uint64")
        self._array = big
        self.lowers: np.ndarray = np.ascontiguousarray(big[:, 0])
        self.lemmas: np.ndarray = np.ascontiguousarray(big[:, 1])
        self.cue_starts: list[int] | None = None  # where denial cues may start (on first use)
        starts = big[:, 4] == 1
        firsts = [o for o in self.offsets[:-1] if o < len(starts)]
        starts[firsts] = True  # a sentence never runs into the next document
        self.sent_starts: list[int] = np.flatnonzero(starts).tolist()
        self._clause_starts: list[int] | None = None  # on first use

    def clause_start(self, g: int, contrast: np.ndarray) -> int:
        """First token of the clause that holds token g: its sentence, cut after a contrast
        word (*maar*, *but*). Computed for the whole batch on first use."""
        if self._clause_starts is None:
            cut = np.zeros(len(self.lowers), dtype=bool)
            cut[self.sent_starts] = True
            after = np.flatnonzero(np.isin(self.lowers, contrast)) + 1
            cut[after[after < len(cut)]] = True
            self._clause_starts = np.flatnonzero(cut).tolist()
        starts = self._clause_starts
        return starts[bisect_right(starts, g) - 1]

    def lower(self, g: int) -> int:
        return int(self._array[g, 0])

    def lemma(self, g: int) -> int:
        return int(self._array[g, 1])

    def start_char(self, g: int) -> int:
        """Start offset of token g (global index) in its document's text."""
        return int(self._array[g, 2])

    def end_char(self, g: int) -> int:
        """End offset of token g (global index) in its document's text."""
        row = self._array[g]
        return int(row[2] + row[3])

    def sentence(self, g: int) -> tuple[int, int]:
        """Global token range [start, end) of the sentence that holds token g."""
        starts = self.sent_starts
        k = bisect_right(starts, g) - 1
        end = starts[k + 1] if k + 1 < len(starts) else len(self.lowers)
        return starts[k], end


class Resolver:
    """The context rules of one engine build: the word hashes they compare with (the
    pipeline's string store) and, per code, what its description says about praise and
    whether it is a frame code (`defers_to_topics`)."""

    def __init__(
        self,
        lang: str,
        intern: Callable[[str], int],
        text_of: Callable[[int], str],
        codes: Iterable[CodeSpec],
    ) -> None:
        codes = list(codes)
        contrast = _CONTRAST.get(lang, set())
        self.det_hashes = {intern(w) for w in _DETERMINERS.get(lang, ())}
        self.contrast_hashes = {intern(w) for w in contrast}
        self.contrast_array = np.array(sorted(self.contrast_hashes), dtype="uint64")
        of = _OF.get(lang)
        self.of_hash = intern(of) if of else None
        # a cue without a negator only evaluates ("is prima", "is fine"); a concession after
        # it ("..., maar moeten korter") raises the theme after all
        self.negator_hashes = {intern(w) for w in NEGATORS.get(lang, frozenset())} | {
            intern(w) for w in _NEGATING_QUANTIFIERS.get(lang, ())
        }
        self.concession_hashes = self.contrast_hashes | {
            intern(w) for w in _CONCESSION_WORDS.get(lang, ())
        }
        praised = {"excluded": _F_NEGATED, "silent": _F_PRAISED, "included": 1.0}
        self.praise = PraiseReader(
            lang,
            intern,
            text_of,
            contrast,
            {c.id: praised[praise_stance(c.description, lang)] for c in codes},
            sufficed=_F_NEGATED,
        )
        self.frames = frozenset(c.id for c in codes if defers_to_topics(c.description, lang))

    def resolve(
        self, cands: list[Candidate], neg: list[tuple[int, int]], tv: BatchTokens, base: int
    ) -> list[Candidate]:
        """Longest match wins across codes; complements and negated sentences lose weight."""
        if len(cands) > 1 and any(c.part for c in cands):
            # a word that is itself a keyword of one code is not a compound of another
            # (projectmanagement is project work, not management)
            whole = {
                (c.start, c.end, c.code_id)
                for c in cands
                if not c.part and not c.learned and c.score >= DEFAULT_ACCEPT_SCORE
            }
            spans = {(s, e) for s, e, _ in whole}
            cands = [
                c
                for c in cands
                if not c.part
                or (c.start, c.end) not in spans
                or (c.start, c.end, c.code_id) in whole
            ]
        if len(cands) > 1:
            longer = [
                o
                for o in cands
                if not o.learned and o.score >= DEFAULT_ACCEPT_SCORE and o.end - o.start > 1
            ]
            if longer:
                covering: dict[int, list[Candidate]] = defaultdict(list)
                for o in longer:
                    covering[o.start].append(o)  # keyed by the first token they share
                    for i in range(o.start + 1, o.end):
                        covering[i].append(o)
                cands = [
                    c
                    for c in cands
                    if c.start not in covering
                    or not any(
                        o.code_id != c.code_id
                        and o.start <= c.start
                        and c.end <= o.end
                        and (o.end - o.start) > (c.end - c.start)
                        for o in covering[c.start]
                    )
                ]
            # "X van (de) Y": Y is a complement of another code's X
            of = self.of_hash
            dets = self.det_hashes
            lower = tv.lower
            ends: dict[int, set] = defaultdict(set)
            for c in cands:
                # only evidence that stands on its own makes Y a complement: a weak word that
                # merely corroborates ("ontwikkelen van politieke sensitiviteit") does not
                if not c.learned and c.score >= _STANDALONE:
                    ends[c.end].add(c.code_id)
            for c in cands:
                i = c.start - 1
                while i >= 0 and lower(base + i) in dets:
                    i -= 1
                if i >= 1 and i in ends and lower(base + i) == of and ends[i] - {c.code_id}:
                    c.score *= _F_COMPLEMENT
        if neg:
            contrast = self.contrast_hashes
            lower = tv.lower
            scopes = []
            negators = self.negator_hashes
            conceded = self.concession_hashes
            for s, e in neg:
                first, after = tv.sentence(base + s)
                a, b = base + s, base + e
                if not any(lower(g) in negators for g in range(a, b)) and any(
                    lower(g) in conceded for g in range(b, after - 1)
                ):
                    continue  # "webinars zijn prima, maar moeten korter"
                while a > first and lower(a - 1) not in contrast:
                    a -= 1
                while b < after and lower(b) not in contrast:
                    b += 1
                scopes.append((a - base, b - base))
            for c in cands:
                if any(a <= c.start and c.end <= b for a, b in scopes):
                    c.score *= _F_NEGATED
        if self.praise.active:  # "IBT prima, trainers zijn top": no problem raised
            self.praise.weigh(cands, tv, base)
        return cands

    def explain_away(self, placed: list[Placed], tv: BatchTokens, base: int) -> None:
        """Weak evidence in a clause that already says something else is context, not topic.

        A description word or a lone weak match (below the accept score) that shares its clause
        (its sentence, up to a contrast word such as *maar*, *but*) with a sure match of another
        code mostly describes that code's situation ("the laptops are old and the wifi drops, so
        the *course* participants give up"): on the 14 bench sets it was right 1 time in 5 there,
        against 3 in 5 elsewhere. It drops below the storing score and still corroborates; a
        clause with no sure match keeps it as it was. Learned phrases are left alone: the coder's
        own codings already weighed them in such answers (`PhraseTally` explains away).

        A frame code (its description sends a wish about a specific topic to that topic's code,
        `defers_to_topics`) yields even when sure: "training on AI tools" is the AI theme.
        """
        if not any(
            (c.score < DEFAULT_ACCEPT_SCORE and not c.learned) or c.code_id in self.frames
            for c, *_ in placed
        ):
            return  # nothing weak to weigh

        where = [
            (unit, tv.clause_start(base + c.start, self.contrast_array))
            for c, _ms, _me, unit in placed
        ]
        sure: dict[tuple, list[Candidate]] = defaultdict(list)
        for (c, *_), at in zip(placed, where, strict=True):
            if c.score >= DEFAULT_ACCEPT_SCORE:
                sure[at].append(c)
        if not sure:
            return
        for (c, *_), at in zip(placed, where, strict=True):
            if c.learned:
                continue
            others = [o for o in sure.get(at, ()) if o.code_id != c.code_id]
            if c.code_id in self.frames:
                # the topic follows ("training on AI tools") or comes right before ("AI training")
                if any(o.code_id not in self.frames and o.end >= c.start - 1 for o in others):
                    c.score *= _F_DEFERRED
            elif others and c.score < DEFAULT_ACCEPT_SCORE:
                c.score *= _F_EXPLAINED


def combine_evidence(placed: list[Placed]) -> dict[tuple, float]:
    """Independent pieces of evidence for one code in one answer (or turn) add up: two
    different description terms are more telling than either ("noisy or" of their scores,
    each term counted once, capped below a keyword's certainty)."""
    terms: dict[tuple, dict[str, float]] = defaultdict(dict)
    for c, _ms, _me, unit in placed:
        got = terms[(c.code_id, unit)]
        key = c.base.lower()
        got[key] = max(got.get(key, 0.0), c.score)
    out: dict[tuple, float] = {}
    for key, scores in terms.items():
        if len(scores) > 1:
            miss = 1.0
            for score in scores.values():
                miss *= 1.0 - min(score, 99.0) / 100.0
            out[key] = min(_COMBINED_MAX, 100.0 * (1.0 - miss))
    return out


def secondary_codes(placed: list[Placed]) -> None:
    """Most answers are about one thing: a code that is not the answer's (or turn's) best
    needs more evidence. Evidence below the accept score for a code below the unit's best
    keeps `_F_SECONDARY` of its score, so that a second code's 50 to 55 is no suggestion (on
    the 35 bench sets, cold, an answer's later codes at 50-60 were right about 1 time in 3,
    its first code 3 in 5). Sure evidence is left alone: discounting it too moved nothing on
    the bench sets (all stored either way) and cost recall at the accept score on the sample's
    held-out answers, where one answer often names two themes by their keywords."""
    top: dict[tuple[int, int], float] = defaultdict(float)
    best: dict[tuple, float] = defaultdict(float)
    for c, _ms, _me, unit in placed:
        top[unit] = max(top[unit], c.score)
        best[(c.code_id, unit)] = max(best[(c.code_id, unit)], c.score)
    for c, _ms, _me, unit in placed:
        if best[(c.code_id, unit)] < top[unit] and c.score < DEFAULT_ACCEPT_SCORE:
            c.score *= _F_SECONDARY
