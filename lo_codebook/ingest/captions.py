"""Turn timed subtitle cues (.vtt/.srt) into a transcript that reads like one: `Speaker: text` paragraphs."""

from __future__ import annotations

import html
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, replace

from lo_codebook.ingest.base import ParsedDocument, ParsedSegment
from lo_codebook.ingest.turns import check_label, is_known_label

_TAG = re.compile(r"<[^>\n]*>")
_ASS_OVERRIDE = re.compile(r"\{\\[^}\n]*\}")
_SPACES = re.compile(r"\s+")
_COLON_PREFIX = re.compile(
    r"(?P<label>[^\W\d_][^:\n]{0,60}?)[ \t]*:[ \t]+(?P<rest>\S.*)", re.DOTALL
)
_BRACKET_PREFIX = re.compile(r"\[(?P<label>[^\]\n]{1,40})\][ \t]*:?[ \t]*(?P<rest>\S.*)", re.DOTALL)


@dataclass(frozen=True)
class Cue:
    """One timed caption; `speaker` None means "no speaker given" (it continues the current turn)."""

    start: float
    end: float
    text: str
    speaker: str | None = None


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
    """Read `Name: text` / `[Name] text` speakers for cues without one (a label that recurs or is known)."""
    found = [None if cue.speaker is not None else _prefix(cue.text) for cue in cues]
    counts = Counter(item[1] for item in found if item is not None)
    result: list[Cue] = []
    for cue, item in zip(cues, found, strict=True):
        if item is not None and (counts[item[1]] >= 2 or is_known_label(item[1])):
            cue = replace(cue, speaker=item[0], text=item[2])
        result.append(cue)
    return result


def document_from_cues(name: str, cues: list[Cue], source_format: str) -> ParsedDocument:
    """Join consecutive cues of one speaker into a turn; text = `Speaker: utterance` paragraphs.

    A cue without a speaker continues the current turn. Segment offsets point at the utterance
    (after `Speaker: `); timestamps are the first cue's start and the last cue's end, in seconds.
    """
    turns: list[tuple[str | None, list[Cue]]] = []
    for cue in cues:
        if not cue.text:
            continue
        if turns and (cue.speaker is None or cue.speaker == turns[-1][0]):
            turns[-1][1].append(cue)
        else:
            turns.append((cue.speaker, [cue]))
    parts: list[str] = []
    segments: list[ParsedSegment] = []
    position = 0
    for speaker, turn_cues in turns:
        if parts:
            parts.append("\n\n")
            position += 2
        utterance = unicodedata.normalize("NFC", " ".join(cue.text for cue in turn_cues))
        if speaker is not None:
            speaker = unicodedata.normalize("NFC", speaker)
            prefix = f"{speaker}: "
            parts.append(prefix)
            position += len(prefix)
        parts.append(utterance)
        segments.append(
            ParsedSegment(
                start=position,
                end=position + len(utterance),
                speaker=speaker,
                timestamp=turn_cues[0].start,
                end_timestamp=turn_cues[-1].end,
            )
        )
        position += len(utterance)
    text = "".join(parts)
    has_speakers = any(segment.speaker is not None for segment in segments)
    kind = "transcript" if has_speakers else "text"
    return ParsedDocument(name, text, kind, source_format, segments)
