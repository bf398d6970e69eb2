"""Import SubRip (.srt) subtitles as a transcript; speakers from a `Name:` or `[Name]` prefix."""

from __future__ import annotations

import re
from pathlib import Path

from lo_codebook.errors import UserError
from lo_codebook.ingest.base import ParsedDocument
from lo_codebook.ingest.caption_files import parse_caption_file, read_cue_layout
from lo_codebook.ingest.captions import RawCue, cue_times
from lo_codebook.ingest.layouts import Source

_TIMESTAMP = r"\d{1,3}:\d{1,2}:\d{1,2}(?:[,.]\d{1,3})?"
_TIMING_LIKE = re.compile(r"\s*\d{1,3}:\d{1,2}:\d{1,2}\b")
_TIMING = re.compile(rf"\s*(?P<start>{_TIMESTAMP})\s*-->\s*(?P<end>{_TIMESTAMP})(?:\s.*)?")


def _blocks(text: str) -> list[tuple[int, list[str]]]:
    """Runs of non-blank lines with the 1-based line number of their first line."""
    blocks: list[tuple[int, list[str]]] = []
    current: list[str] = []
    for number, line in enumerate(text.split("\n"), start=1):
        if line.strip():
            if not current:
                blocks.append((number, current))
            current.append(line)
        elif current:
            current = []
    return blocks


def read_srt_cues(text: str, file: Path | str) -> list[RawCue]:
    """The cues of decoded SubRip text, every timing checked so errors can name the cue.

    Text without a timing line is kept: after a cue it continues that cue (a blank line typed
    inside a subtitle); before the first cue it is a cue without timestamps.
    """
    raw_cues: list[tuple[float | None, float | None, list[str]]] = []
    timed = 0
    for first_line, lines in _blocks(text):
        index = 1 if lines[0].strip().isdigit() and len(lines) > 1 else 0
        if "-->" not in lines[index] and not _TIMING_LIKE.match(lines[index]):
            if raw_cues:
                raw_cues[-1][2].extend(lines)
            else:
                raw_cues.append((None, None, list(lines)))
            continue
        timed += 1
        where = f"cue {timed}, line {first_line + index}"
        timing = _TIMING.fullmatch(lines[index])
        if timing is None:
            raise UserError(
                f"malformed timing line {lines[index].strip()[:60]!r} "
                "(expected 'HH:MM:SS,mmm --> HH:MM:SS,mmm')",
                file=file,
                where=where,
            )
        start, end = cue_times(timing, lines[index], file, where)
        raw_cues.append((start, end, lines[index + 1 :]))
    if not timed:
        first = _blocks(text)[0][0] if text.strip() else 1
        raise UserError(
            "not a SubRip cue: expected a cue number and a timing line "
            "'HH:MM:SS,mmm --> HH:MM:SS,mmm'",
            file=file,
            where=f"cue 1, line {first}",
        )
    return [RawCue(start, end, ((None, "\n".join(lines)),)) for start, end, lines in raw_cues]


def parse_srt_text(
    text: str, name: str, file: Path | str | None = None, layout: str | None = None
) -> ParsedDocument:
    """Parse decoded SubRip text (see `parse_srt`)."""
    where_file = file if file is not None else name
    cues = read_srt_cues(text, where_file)
    source = Source(name, text, "srt", file=where_file, cues=cues)
    return read_cue_layout(source, layout, "SubRip")


def parse_srt(path: Path, name: str | None = None, layout: str | None = None) -> ParsedDocument:
    """Parse a .srt file; speakers from `Name:`/`[Name]` prefixes, timestamps in seconds."""
    return parse_caption_file(path, name, layout, parse_srt_text)
