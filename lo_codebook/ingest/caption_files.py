"""What the SubRip and WebVTT readers share once their cues are read: the layout, and the file."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from lo_codebook.errors import UserError
from lo_codebook.ingest.base import ParsedDocument
from lo_codebook.ingest.layouts import Source, read_layout
from lo_codebook.ingest.textio import decode_bytes, document_name, read_bytes

#: `parse_srt_text` / `parse_vtt_text`: (text, name, file=..., layout=...) -> document.
ParseText = Callable[..., ParsedDocument]


def read_cue_layout(source: Source, layout: str | None, what: str) -> ParsedDocument:
    """`read_layout` for a caption file's cues; cues without any text are an error, since the
    document would be empty (`what`: the format's name for the message)."""
    document = read_layout(source, layout)
    if not document.text.strip():
        raise UserError(f"the {what} file has cues but no text", file=source.file)
    return document


def parse_caption_file(
    path: Path, name: str | None, layout: str | None, parse_text: ParseText
) -> ParsedDocument:
    """Read and decode a caption file, parse it with `parse_text`, keep the encoding found."""
    decoded = decode_bytes(read_bytes(path), file=path)
    document = parse_text(decoded.text, name or document_name(path), file=path, layout=layout)
    document.encoding = decoded.encoding
    return document
