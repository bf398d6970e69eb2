"""Find `Name:` speaker turns in plain text, shared by the txt/md/docx/pdf importers (regex, linear)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from lo_codebook.ingest.base import ParsedDocument, ParsedSegment

MAX_LABEL_CHARS = 40
MAX_LABEL_WORDS = 5

KNOWN_LABELS: frozenset[str] = frozenset(
    {
        "i", "r", "q", "a", "v",
        "int", "resp", "interviewer", "interviewster", "interviewee", "respondent",
        "onderzoeker", "onderzoekster", "geïnterviewde", "geinterviewde", "deelnemer",
        "deelneemster", "participant", "moderator", "gespreksleider", "gespreksleidster",
        "spreker", "speaker", "researcher", "vraag", "antwoord", "question", "answer",
    }
)  # fmt: skip
"""Interview labels that count as speakers even when they occur only once (case-insensitive)."""

_TS = r"(?:\d{1,2}:)?\d{1,2}:\d{2}(?:[.,]\d{1,3})?"

# A label at the start of a line: optional timestamp ("[00:01:23] "), optional markdown bold,
# a name starting with a letter and without a colon, then ":" followed by a blank or line end.
_CANDIDATE = re.compile(
    rf"^[ \t]*(?:[\[(]?(?P<ts>{_TS})[\])]?[ \t]+(?:[-–][ \t]+)?)?"
    r"\*{0,2}(?P<label>[^\W\d_][^:\n*]{0,60}?)"
    rf"(?:[ \t]*[\[(](?P<ts2>{_TS})[\])])?"
    r"[ \t]*\*{0,2}[ \t]*:\*{0,2}(?=[ \t]|$)",
    re.MULTILINE,
)
_LABEL_SHAPE = re.compile(r"[^\W\d_][\w .'’&/()\-]*")
_URLISH = re.compile(r"@|www\.|https?\b|\w\.[a-z]{2,}\b", re.IGNORECASE)
_KNOWN_SUFFIX = re.compile(r"\.?(?:[ \t]*\d{1,3}|[ \t]+[^\W\d_])?$")
_HEADING = re.compile(r"^#{1,6}(?:[ \t].*)?$", re.MULTILINE)
_NON_SPACE = re.compile(r"\S")


@dataclass(frozen=True)
class Label:
    """A validated speaker label: as written (for display), its counting key, and any timestamp."""

    speaker: str
    key: str
    timestamp: float | None


def parse_timestamp(text: str) -> float | None:
    """`[h:]mm:ss[.mmm]` → seconds; None when minutes/seconds are out of range."""
    text = text.replace(",", ".")
    main, _, frac = text.partition(".")
    parts = [int(p) for p in main.split(":")]
    if len(parts) == 2:
        parts.insert(0, 0)
    hours, minutes, seconds = parts
    if minutes > 59 or seconds > 59:
        return None
    millis = int(frac.ljust(3, "0")[:3]) if frac else 0
    return float(hours * 3600 + minutes * 60 + seconds) + millis / 1000


def check_label(raw: str, timestamp: str | None = None) -> Label | None:
    """Return the label if `raw` has the shape of a speaker name (≤ 40 chars, ≤ 5 words, no URL)."""
    label = raw.strip()
    if not label or len(label) > MAX_LABEL_CHARS or len(label.split()) > MAX_LABEL_WORDS:
        return None
    if not _LABEL_SHAPE.fullmatch(label) or _URLISH.search(label):
        return None
    seconds = parse_timestamp(timestamp) if timestamp else None
    return Label(speaker=label, key=" ".join(label.casefold().split()), timestamp=seconds)


def is_known_label(key: str) -> bool:
    """True for interview labels such as I, R, Interviewer, Respondent, Spreker 2, Deelnemer A."""
    if key in KNOWN_LABELS:
        return True
    return _KNOWN_SUFFIX.sub("", key, count=1) in KNOWN_LABELS


def _all_caps(label: str) -> bool:
    letters = [char for char in label if char.isalpha()]
    return len(letters) >= 2 and all(char.isupper() for char in letters)


@dataclass(frozen=True)
class _Turn:
    line_start: int  # where the label's line starts: the previous turn ends before it
    utterance: int  # first index after "Label:"
    label: Label


def _candidates(text: str) -> list[_Turn]:
    found: list[_Turn] = []
    for match in _CANDIDATE.finditer(text):
        label = check_label(match.group("label"), match.group("ts") or match.group("ts2"))
        if label is not None:
            found.append(_Turn(match.start(), match.end(), label))
    return found


def find_turns(
    text: str, *, markdown: bool = False, headings: Iterable[tuple[int, int]] = ()
) -> list[ParsedSegment]:
    """Speaker turns of `text` in order; unlabelled text before/between turns gets speaker None.

    A label counts when it occurs at least twice or is a known interview label. Headings (the
    `(start, end)` spans given, plus `#` lines with `markdown`) end the current turn and belong
    to no segment.
    """
    candidates = _candidates(text)
    counts = Counter(turn.label.key for turn in candidates)
    turns = [t for t in candidates if counts[t.label.key] >= 2 or is_known_label(t.label.key)]
    if any(_all_caps(t.label.speaker) for t in turns):
        # Speakers written in capitals ("MARIEKE:"): one who speaks only once is a speaker too.
        accepted = set(turns)
        turns = [t for t in candidates if t in accepted or _all_caps(t.label.speaker)]
    # Events in text order: (position where the previous region ends, where content starts, label).
    events: list[tuple[int, int, Label | None]] = [
        (t.line_start, t.utterance, t.label) for t in turns
    ]
    extra = [(start, end, None) for start, end in headings]
    if markdown:
        extra.extend((m.start(), m.end(), None) for m in _HEADING.finditer(text))
    if extra:
        events.extend(extra)
        events.sort(key=lambda event: event[0])
    segments: list[ParsedSegment] = []
    bounds = [(0, 0, None), *events, (len(text), len(text), None)]
    for (_, content, label), (region_end, _, _) in zip(bounds, bounds[1:], strict=False):
        if content >= region_end:
            continue
        first = _NON_SPACE.search(text, content, region_end)
        if first is None:
            continue
        end = content + len(text[content:region_end].rstrip())
        segments.append(
            ParsedSegment(
                start=first.start(),
                end=end,
                speaker=label.speaker if label else None,
                timestamp=label.timestamp if label else None,
            )
        )
    return segments


def whole_text_segment(text: str) -> list[ParsedSegment]:
    """One segment from the first to the last non-blank character (none for blank text)."""
    first = _NON_SPACE.search(text)
    if first is None:
        return []
    return [ParsedSegment(start=first.start(), end=len(text.rstrip()))]


def document_from_text(
    name: str,
    text: str,
    source_format: str,
    *,
    markdown: bool = False,
    headings: Iterable[tuple[int, int]] = (),
) -> ParsedDocument:
    """A ParsedDocument: kind "transcript" with its turns if ≥ 2 speaker turns, else one "text" segment."""
    segments = find_turns(text, markdown=markdown, headings=headings)
    if sum(1 for seg in segments if seg.speaker is not None) >= 2:
        return ParsedDocument(name, text, "transcript", source_format, segments)
    return ParsedDocument(name, text, "text", source_format, whole_text_segment(text))
