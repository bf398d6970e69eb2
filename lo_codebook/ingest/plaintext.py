"""Import .txt and .md files as stored text; the layout (Otter.ai, `Name:` turns, ...) is detected."""

from __future__ import annotations

from pathlib import Path

from lo_codebook.ingest.base import ParsedDocument
from lo_codebook.ingest.layouts import Source, read_layout
from lo_codebook.ingest.textio import decode_bytes, document_name, read_text


def parse_plaintext_bytes(
    data: bytes, name: str, source_format: str = "txt", layout: str | None = None
) -> ParsedDocument:
    """Parse the bytes of a .txt/.md file (for tests and callers that already hold the data)."""
    decoded = decode_bytes(data, file=name)
    document = read_layout(Source(name, decoded.text, source_format, file=name), layout)
    document.encoding = decoded.encoding
    return document


def parse_plaintext(
    path: Path, name: str | None = None, layout: str | None = None
) -> ParsedDocument:
    """Parse a .txt or .md file: turns detected by layout, the text kept unless it holds timestamps."""
    source_format = "md" if path.suffix.lower() in (".md", ".markdown") else "txt"
    decoded = read_text(path)
    source = Source(name or document_name(path), decoded.text, source_format, file=path)
    document = read_layout(source, layout)
    document.encoding = decoded.encoding
    return document
