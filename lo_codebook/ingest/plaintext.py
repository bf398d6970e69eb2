"""Import .txt and .md files as stored text, with `Name:` speaker turns when there are any."""

from __future__ import annotations

from pathlib import Path

from lo_codebook.ingest.base import ParsedDocument
from lo_codebook.ingest.textio import decode_bytes, document_name, read_text
from lo_codebook.ingest.turns import document_from_text


def parse_plaintext_bytes(data: bytes, name: str, source_format: str = "txt") -> ParsedDocument:
    """Parse the bytes of a .txt/.md file (for tests and callers that already hold the data)."""
    decoded = decode_bytes(data, file=name)
    document = document_from_text(name, decoded.text, source_format, markdown=source_format == "md")
    document.encoding = decoded.encoding
    return document


def parse_plaintext(path: Path, name: str | None = None) -> ParsedDocument:
    """Parse a .txt or .md file: the text exactly as imported (normalised), turns detected."""
    source_format = "md" if path.suffix.lower() in (".md", ".markdown") else "txt"
    decoded = read_text(path)
    document = document_from_text(
        name or document_name(path), decoded.text, source_format, markdown=source_format == "md"
    )
    document.encoding = decoded.encoding
    return document
