"""Respondent units: the parts of a document whose words count (not the interviewer's turns)."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Sequence
from functools import lru_cache

from .engine_types import DEFAULT_INTERVIEWER_LABELS, DocumentInput

# --------------------------------------------------------------------------- respondent units


def _norm_label(speaker: str) -> str:
    s = speaker.strip().lower()
    s = re.sub(r"[\s._:\-()\[\]0-9]+$", "", s)
    s = re.sub(r"[\s._:\-]+\d*$", "", s)
    return s.strip()


@lru_cache(maxsize=64)
def _wanted_labels(labels: tuple[str, ...]) -> frozenset[str]:
    return frozenset(_norm_label(x) for x in labels)


def is_interviewer(speaker: str | None, labels: Iterable[str] = DEFAULT_INTERVIEWER_LABELS) -> bool:
    """True when `speaker` is an interviewer label (`Interviewer`, `I`, `Int.`, `Q 2`...)."""
    if not speaker:
        return False
    return _is_interviewer(speaker, tuple(labels))


@lru_cache(maxsize=4096)
def _is_interviewer(speaker: str, labels: tuple[str, ...]) -> bool:
    norm = _norm_label(speaker)
    wanted = _wanted_labels(labels)
    if norm in wanted:
        return True
    first = re.split(r"[\s(:]+", norm, maxsplit=1)[0]
    return first in wanted and len(first) > 2


def _question_speaker(text: str, segments: Sequence[tuple[int, int, str | None]]) -> str | None:
    """With no interviewer label: the speaker who mostly asks questions, if one clearly does."""
    turns: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for s, e, sp in segments:
        if sp is None:
            continue
        t = turns[sp]
        t[0] += 1
        t[1] += "?" in text[s:e]
    if len(turns) < 2:
        return None
    ratios = sorted(((q / n, sp) for sp, (n, q) in turns.items() if n >= 2), reverse=True)
    if not ratios:
        return None
    best, speaker = ratios[0]
    runner_up = ratios[1][0] if len(ratios) > 1 else 0.0
    if best >= 0.5 and best - runner_up >= 0.3:
        return speaker
    return None


def respondent_units(
    doc: DocumentInput,
    respondent_only: bool = True,
    labels: Iterable[str] = DEFAULT_INTERVIEWER_LABELS,
) -> list[tuple[int, int]]:
    """The (start, end) ranges of `doc` the engine reads: respondent turns, or the whole text.

    Survey answers and texts without turns are always read whole. In a transcript, turns of a
    known interviewer label are skipped; when no turn carries such a label, the one speaker who
    mostly asks questions (>= 50 % of turns, 30 points more than anyone else) is taken for the
    interviewer (Teams transcripts name people, not roles).
    """
    n = len(doc.text)
    segs = [(max(0, s), min(n, e), sp) for s, e, sp in doc.segments if e > s]
    if not segs or doc.kind == "survey":
        return [(0, n)] if doc.text.strip() else []
    if respondent_only:
        labels = tuple(labels)
        skip = {sp for _, _, sp in segs if sp is not None and is_interviewer(sp, labels)}
        if not skip:
            q = _question_speaker(doc.text, segs)
            if q is not None:
                skip = {q}
        segs = [x for x in segs if x[2] not in skip]
    return [(s, e) for s, e, _ in segs if doc.text[s:e].strip()]


def _unit_of(units: list[tuple[int, int]], start: int, end: int) -> tuple[int, int] | None:
    """The (sorted) unit range that contains [start, end), if any."""
    i = bisect_right(units, (start, float("inf"))) - 1
    if i >= 0 and units[i][0] <= start and end <= units[i][1]:
        return units[i]
    return None
