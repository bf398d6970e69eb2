"""Import WebVTT (MS Teams/Zoom transcripts, subtitles): cues read here, the layout picks the speakers."""

from __future__ import annotations

import re
from pathlib import Path

from lo_codebook.errors import UserError
from lo_codebook.ingest.base import ParsedDocument
from lo_codebook.ingest.caption_files import parse_caption_file, read_cue_layout
from lo_codebook.ingest.captions import RawCue, clean_cue_text, cue_times
from lo_codebook.ingest.layouts import Source

_TIMESTAMP = r"(?:\d{1,10}:)?\d{1,2}:\d{1,2}\.\d{1,3}"
_TIMING = re.compile(rf"\s*(?P<start>{_TIMESTAMP})\s*-->\s*(?P<end>{_TIMESTAMP})")
_VOICE = re.compile(r"<v(?:\.[^\s>]+)*[ \t]+(?P<name>[^>]*?)\s*>")


_NOT_A_CUE = re.compile(r"(?:NOTE|STYLE|REGION)(?:[ \t]|$)")


def _blocks(lines: list[str]) -> list[tuple[int, list[str]]]:
    """Split into blocks as webvtt-py does: blank lines, or a timing line after a cue's text."""
    blocks: list[tuple[int, list[str]]] = []
    block: list[str] = []
    block_start = 1
    in_header = True
    for number, line in enumerate(lines, start=1):
        starts_new = (
            bool(block) and "-->" in line and (in_header or len(block) > 1 or "-->" in block[0])
        )
        if (not line.strip() or starts_new) and block:
            blocks.append((block_start, block))
            block = []
            in_header = False
        if line.strip():
            if not block:
                block_start = number
            block.append(line)
    if block:
        blocks.append((block_start, block))
    return blocks


def _timing(line: str, file: Path | str, where: str) -> tuple[float, float]:
    match = _TIMING.match(line)
    if match is None:
        raise UserError(
            f"malformed cue timing {line.strip()[:60]!r} "
            "(expected 'HH:MM:SS.mmm --> HH:MM:SS.mmm')",
            file=file,
            where=where,
        )
    return cue_times(match, line, file, where)


def read_vtt_cues(text: str, file: Path | str) -> list[RawCue]:
    """The cues of decoded WebVTT text, every timing checked so errors can name the cue.

    NOTE, STYLE and REGION blocks are skipped. Text without a timing line (a blank line typed
    inside a cue, a hand-edited transcript) is kept: it continues the cue before it.
    """
    lines = text.split("\n")
    if not lines or not lines[0].startswith("WEBVTT"):
        raise UserError(
            "not a WebVTT file: the first line must be 'WEBVTT'", file=file, where="line 1"
        )
    cues: list[RawCue] = []
    for first_line, block in _blocks(lines)[1:]:
        arrows = [i for i, line in enumerate(block) if "-->" in line]
        if not arrows:
            if _NOT_A_CUE.match(block[0]):
                continue
            stray = "\n".join(block)
            if cues:
                last = cues[-1]
                speaker, raw = last.parts[-1]
                cues[-1] = RawCue(
                    last.start, last.end, (*last.parts[:-1], (speaker, f"{raw}\n{stray}"))
                )
            else:
                cues.append(RawCue(None, None, tuple(_split_voices(stray))))
            continue
        number = sum(1 for cue in cues if cue.start is not None) + 1
        index = arrows[0]
        where = f"cue {number}, line {first_line + index}"
        if index > 1 or len(arrows) > 1:
            raise UserError(
                "malformed cue: the timing line must be the first or second line of a block "
                "(is a blank line missing?)",
                file=file,
                where=where,
            )
        start, end = _timing(block[index], file, where)
        cues.append(RawCue(start, end, tuple(_split_voices("\n".join(block[index + 1 :])))))
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


def parse_vtt_text(
    text: str, name: str, file: Path | str | None = None, layout: str | None = None
) -> ParsedDocument:
    """Parse decoded WebVTT text (see `parse_vtt`)."""
    where_file = file if file is not None else name
    cues = read_vtt_cues(text, where_file)
    if not any(cue.start is not None for cue in cues):
        raise UserError("no cues found in the WebVTT file", file=where_file)
    source = Source(name, text, "vtt", file=where_file, cues=cues)
    return read_cue_layout(source, layout, "WebVTT")


def parse_vtt(path: Path, name: str | None = None, layout: str | None = None) -> ParsedDocument:
    """Parse a .vtt file (MS Teams voice tags, Zoom `Name:` cues, or subtitles), timestamps in seconds."""
    return parse_caption_file(path, name, layout, parse_vtt_text)
