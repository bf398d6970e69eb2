"""Import WebVTT (MS Teams/Zoom transcripts): `<v Speaker>` voice tags become speaker turns."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import webvtt

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

_TIMESTAMP = r"(?:\d{1,10}:)?\d{1,2}:\d{1,2}\.\d{1,3}"
_TIMING = re.compile(rf"\s*(?P<start>{_TIMESTAMP})\s*-->\s*(?P<end>{_TIMESTAMP})")
_VOICE = re.compile(r"<v(?:\.[^\s>]+)*[ \t]+(?P<name>[^>]*?)\s*>")


@dataclass(frozen=True)
class _CueBlock:
    number: int  # 1-based cue number, for messages
    line: int  # 1-based line of the timing line


def _scan(lines: list[str], file: Path | str) -> list[_CueBlock]:
    """Split into blocks as webvtt-py does and check every cue timing, so errors can name the cue."""
    if not lines or not lines[0].startswith("WEBVTT"):
        raise UserError(
            "not a WebVTT file: the first line must be 'WEBVTT'", file=file, where="line 1"
        )
    blocks: list[tuple[int, list[str]]] = []
    block: list[str] = []
    block_start = 1
    in_header = True
    for number, line in enumerate(lines, start=1):
        starts_new = (
            bool(block) and "-->" in line and (in_header or len(block) > 1 or "-->" in block[0])
        )
        if (not line or starts_new) and block:
            blocks.append((block_start, block))
            block = []
            in_header = False
        if line:
            if not block:
                block_start = number
            block.append(line)
    if block:
        blocks.append((block_start, block))
    cues: list[_CueBlock] = []
    for first_line, lines_ in blocks[1:]:
        arrows = [i for i, text in enumerate(lines_) if "-->" in text]
        if not arrows:
            continue  # NOTE, STYLE, REGION or stray text: not a cue
        number = len(cues) + 1
        index = arrows[0]
        where = f"cue {number}, line {first_line + index}"
        if index > 1 or len(arrows) > 1:
            raise UserError(
                "malformed cue: the timing line must be the first or second line of a block "
                "(is a blank line missing?)",
                file=file,
                where=where,
            )
        timing_line = lines_[index]
        match = _TIMING.match(timing_line)
        if match is None:
            raise UserError(
                f"malformed cue timing {timing_line.strip()[:60]!r} "
                "(expected 'HH:MM:SS.mmm --> HH:MM:SS.mmm')",
                file=file,
                where=where,
            )
        start, end = parse_timestamp(match.group("start")), parse_timestamp(match.group("end"))
        if start is None or end is None:
            raise UserError(
                f"invalid timestamp in {timing_line.strip()[:60]!r} (minutes/seconds above 59)",
                file=file,
                where=where,
            )
        if end < start:
            raise UserError("cue ends before it starts", file=file, where=where)
        cues.append(_CueBlock(number, first_line + index))
    return cues


def _split_voices(raw: str) -> list[tuple[str | None, str]]:
    """Split a cue's raw text at `<v Name>` tags: [(speaker or None, raw part), ...]."""
    matches = list(_VOICE.finditer(raw))
    if not matches:
        return [(None, raw)]
    parts: list[tuple[str | None, str]] = []
    if raw[: matches[0].start()].strip():
        parts.append((None, raw[: matches[0].start()]))
    for i, match in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(raw)
        name = clean_cue_text(match.group("name")) or None
        parts.append((name, raw[match.end() : end]))
    return parts


def parse_vtt_text(text: str, name: str, file: Path | str | None = None) -> ParsedDocument:
    """Parse decoded WebVTT text (see `parse_vtt`)."""
    where_file = file if file is not None else name
    blocks = _scan(text.split("\n"), where_file)
    try:
        captions = webvtt.from_string(text).captions
    except Exception as exc:  # webvtt-py raises MalformedFileError/MalformedCaptionError/ValueError
        raise UserError(f"malformed WebVTT ({exc})", file=where_file) from None
    if len(captions) != len(blocks):
        raise UserError(
            f"malformed WebVTT: read {len(captions)} of {len(blocks)} cues", file=where_file
        )
    if not captions:
        raise UserError("no cues found in the WebVTT file", file=where_file)
    cues: list[Cue] = []
    for caption in captions:
        start = caption.start_time.in_milliseconds() / 1000
        end = caption.end_time.in_milliseconds() / 1000
        for speaker, raw in _split_voices(caption.raw_text):
            cues.append(Cue(start, end, clean_cue_text(raw), speaker))
    cues = assign_prefix_speakers(cues)
    document = document_from_cues(name, cues, "vtt")
    if not document.text.strip():
        raise UserError("the WebVTT file has cues but no text", file=where_file)
    return document


def parse_vtt(path: Path, name: str | None = None) -> ParsedDocument:
    """Parse a .vtt file; consecutive cues of one speaker form one turn, timestamps in seconds."""
    decoded = decode_bytes(read_bytes(path), file=path)
    document = parse_vtt_text(decoded.text, name or document_name(path), file=path)
    document.encoding = decoded.encoding
    return document
