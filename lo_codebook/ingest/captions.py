"""Turn timed subtitle cues (.vtt/.srt) into a transcript that reads like one: `Speaker: text` paragraphs."""

from __future__ import annotations

import html
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path

from lo_codebook.errors import UserError
from lo_codebook.ingest.base import ParsedDocument, ParsedSegment
from lo_codebook.ingest.turns import (
    check_label,
    is_known_label,
    is_non_speaker_label,
    parse_timestamp,
)

_TAG = re.compile(r"<[^>\n]*>")
_ASS_OVERRIDE = re.compile(r"\{\\[^}\n]*\}")
_SPACES = re.compile(r"\s+")
_COLON_PREFIX = re.compile(
    r"(?P<label>[^\W\d_][^:\n]{0,60}?)[ \t]*:[ \t]+(?P<rest>\S.*)", re.DOTALL
)
_BRACKET_PREFIX = re.compile(r"\[(?P<label>[^\]\n]{1,40})\][ \t]*:?[ \t]*(?P<rest>\S.*)", re.DOTALL)


PARAGRAPH_GAP = 2.0
"""Seconds of silence between two cues without speakers that start a new paragraph."""


@dataclass(frozen=True)
class Cue:
    """One caption; `speaker` None means "no speaker given" (it continues the current turn).

    `start`/`end` are None for text that came without a timing line (kept, not dropped).
    """

    start: float | None
    end: float | None
    text: str
    speaker: str | None = None


@dataclass(frozen=True)
class RawCue:
    """A cue as read from the file: timing, and its text split at `<v Name>` voice tags
    (speaker None for text outside a voice tag; markup not yet cleaned)."""

    start: float | None
    end: float | None
    parts: tuple[tuple[str | None, str], ...]

    @property
    def voiced(self) -> bool:
        return any(speaker is not None for speaker, _ in self.parts)


def cues_with_speakers(
    raw: list[RawCue], *, voices: bool = True, prefixes: bool = True
) -> list[Cue]:
    """Clean cues; speakers from voice tags and/or `Name:`/`[Name]` prefixes (as asked)."""
    cues: list[Cue] = []
    for item in raw:
        for speaker, text in item.parts:
            cues.append(
                Cue(item.start, item.end, clean_cue_text(text), speaker if voices else None)
            )
    return assign_prefix_speakers(cues) if prefixes else cues


def prefix_share(raw: list[RawCue]) -> tuple[int, int]:
    """(cues whose speaker comes from a `Name:` prefix, cues without a voice tag)."""
    plain = [cue for cue in cues_with_speakers(raw, prefixes=False) if cue.speaker is None]
    named = [cue for cue in assign_prefix_speakers(plain) if cue.speaker is not None]
    return len(named), len(plain)


def cue_times(
    timing: re.Match[str], line: str, file: Path | str, where: str
) -> tuple[float, float]:
    """Start and end seconds of a cue's timing line (groups `start`, `end` of `timing`): both
    valid timestamps and the end not before the start, or a UserError quoting `line`."""
    start, end = parse_timestamp(timing.group("start")), parse_timestamp(timing.group("end"))
    if start is None or end is None:
        raise UserError(
            f"invalid timestamp in {line.strip()[:60]!r} (minutes/seconds above 59)",
            file=file,
            where=where,
        )
    if end < start:
        raise UserError("cue ends before it starts", file=file, where=where)
    return start, end


def clean_cue_text(raw: str) -> str:
    """Strip markup tags (`<i>`, `<c.x>`, `{\\an8}`), unescape `&amp;` etc., collapse whitespace."""
    text = _ASS_OVERRIDE.sub("", _TAG.sub("", raw))
    text = html.unescape(text)
    return _SPACES.sub(" ", text).strip()


def _prefix(text: str) -> tuple[str, str, str] | None:
    """(speaker, key, rest) when the text starts with `Name:` or `[Name]`."""
    match = _COLON_PREFIX.match(text) or _BRACKET_PREFIX.match(text)
    if match is None:
        return None
    label = check_label(match.group("label"))
    if label is None or label.speaker[0].islower():
        return None
    return label.speaker, label.key, match.group("rest")


def assign_prefix_speakers(cues: list[Cue]) -> list[Cue]:
    """Read `Name: text` / `[Name] text` speakers for cues without one.

    A label counts when it recurs or is a known interview label, and is no report label
    ("Note:"). When such speakers open most cues (a Zoom or diarised Whisper file), a name
    that speaks only once is a speaker too.
    """
    found = [None if cue.speaker is not None else _prefix(cue.text) for cue in cues]
    found = [None if item is None or is_non_speaker_label(item[1]) else item for item in found]
    counts = Counter(item[1] for item in found if item is not None)
    accepted = {key for key, n in counts.items() if n >= 2 or is_known_label(key)}
    unvoiced = sum(1 for cue in cues if cue.speaker is None)
    if sum(counts[key] for key in accepted) * 2 > unvoiced:
        accepted = set(counts)
    result: list[Cue] = []
    for cue, item in zip(cues, found, strict=True):
        if item is not None and item[1] in accepted:
            cue = replace(cue, speaker=item[0], text=item[2])
        result.append(cue)
    return result


def _groups(cues: list[Cue]) -> list[tuple[str | None, list[Cue], str]]:
    """(speaker, cues, separator before) per segment.

    With speakers, consecutive cues of one speaker form a turn and a cue without a speaker
    continues the current turn. Without any speaker, every cue is a segment of its own (with
    its timestamps); cues follow each other in a paragraph until a pause of PARAGRAPH_GAP.
    """
    groups: list[tuple[str | None, list[Cue], str]] = []
    if any(cue.speaker is not None for cue in cues):
        for cue in cues:
            if groups and (cue.speaker is None or cue.speaker == groups[-1][0]):
                groups[-1][1].append(cue)
            else:
                groups.append((cue.speaker, [cue], "\n\n"))
        return groups
    previous: Cue | None = None
    for cue in cues:
        pause = previous is not None and (
            previous.end is None
            or cue.start is None  # text without timing stands apart
            or cue.start - previous.end >= PARAGRAPH_GAP
        )
        groups.append((None, [cue], "\n\n" if pause else " "))
        previous = cue
    return groups


def document_from_cues(name: str, cues: list[Cue], source_format: str) -> ParsedDocument:
    """Cues as a transcript that reads like one: `Speaker: utterance` paragraphs (see `_groups`).

    Segment offsets point at the utterance (after `Speaker: `); timestamps are the first
    cue's start and the last cue's end, in seconds.
    """
    parts: list[str] = []
    segments: list[ParsedSegment] = []
    position = 0
    for speaker, group, separator in _groups([cue for cue in cues if cue.text]):
        if parts:
            parts.append(separator)
            position += len(separator)
        utterance = unicodedata.normalize("NFC", " ".join(cue.text for cue in group))
        if speaker is not None:
            speaker = unicodedata.normalize("NFC", speaker)
            prefix = f"{speaker}: "
            parts.append(prefix)
            position += len(prefix)
        parts.append(utterance)
        begins, ends = group[0].start, group[-1].end
        if begins is not None and ends is not None and ends < begins:
            ends = None  # cues out of order (a hand-edited file): no end rather than a wrong one
        segments.append(
            ParsedSegment(
                start=position,
                end=position + len(utterance),
                speaker=speaker,
                timestamp=begins,
                end_timestamp=ends,
            )
        )
        position += len(utterance)
    text = "".join(parts)
    has_speakers = any(segment.speaker is not None for segment in segments)
    kind = "transcript" if has_speakers else "text"
    return ParsedDocument(name, text, kind, source_format, segments)
