"""Import SubRip (.srt) subtitles as a transcript; speakers from a `Name:` or `[Name]` prefix."""

from __future__ import annotations

import re
from pathlib import Path

from lo_codebook.errors import UserError
from lo_codebook.ingest.base import ParsedDocument
from lo_codebook.ingest.captions import (
    Cue,
    assign_prefix_speakers,
    clean_cue_text,
    document_from_cues,
)
from lo_codebook.ingest.textio import decode_bytes, document_name, read_bytes
from lo_codebook.ingest.turns import parse_timestamp

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


def parse_srt_text(text: str, name: str, file: Path | str | None = None) -> ParsedDocument:
    """Parse decoded SubRip text (see `parse_srt`)."""
    where_file = file if file is not None else name
    raw_cues: list[tuple[float, float, list[str]]] = []
    for first_line, lines in _blocks(text):
        number = len(raw_cues) + 1
        index = 1 if lines[0].strip().isdigit() and len(lines) > 1 else 0
        if "-->" not in lines[index] and not _TIMING_LIKE.match(lines[index]):
            if raw_cues:
                raw_cues[-1][2].extend(lines)  # a blank line inside a subtitle: keep the text
                continue
            raise UserError(
                "not a SubRip cue: expected a cue number and a timing line "
                "'HH:MM:SS,mmm --> HH:MM:SS,mmm'",
                file=where_file,
                where=f"cue {number}, line {first_line}",
            )
        where = f"cue {number}, line {first_line + index}"
        timing = _TIMING.fullmatch(lines[index])
        if timing is None:
            raise UserError(
                f"malformed timing line {lines[index].strip()[:60]!r} "
                "(expected 'HH:MM:SS,mmm --> HH:MM:SS,mmm')",
                file=where_file,
                where=where,
            )
        start = parse_timestamp(timing.group("start"))
        end = parse_timestamp(timing.group("end"))
        if start is None or end is None:
            raise UserError(
                f"invalid timestamp in {lines[index].strip()[:60]!r} (minutes/seconds above 59)",
                file=where_file,
                where=where,
            )
        if end < start:
            raise UserError("cue ends before it starts", file=where_file, where=where)
        raw_cues.append((start, end, lines[index + 1 :]))
    if not raw_cues:
        raise UserError("no subtitles found in the SubRip file", file=where_file)
    cues = [Cue(start, end, clean_cue_text("\n".join(lines))) for start, end, lines in raw_cues]
    document = document_from_cues(name, assign_prefix_speakers(cues), "srt")
    if not document.text.strip():
        raise UserError("the SubRip file has cues but no text", file=where_file)
    return document


def parse_srt(path: Path, name: str | None = None) -> ParsedDocument:
    """Parse a .srt file; consecutive cues of one speaker form one turn, timestamps in seconds."""
    decoded = decode_bytes(read_bytes(path), file=path)
    document = parse_srt_text(decoded.text, name or document_name(path), file=path)
    document.encoding = decoded.encoding
    return document
