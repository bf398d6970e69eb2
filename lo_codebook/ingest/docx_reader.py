"""Import Word .docx files: paragraphs and table cells in document order, then speaker turns."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import docx
from docx.table import Table
from docx.text.paragraph import Paragraph

from lo_codebook.errors import UserError
from lo_codebook.ingest.archive import check_office_zip
from lo_codebook.ingest.base import ParsedDocument
from lo_codebook.ingest.layouts import Source, read_layout
from lo_codebook.ingest.textio import document_name, normalise_text

_HEADING_STYLES = ("heading", "title", "kop", "titel")


def _table_rows(table: Table, seen: set[object]) -> Iterator[str]:
    """One line per table row: its cells' text joined by tabs (merged cells once).

    `seen` holds the cell elements themselves, not their id(): lxml makes a new proxy object
    for an element nobody references, and a freed proxy's id() can come back for another cell.
    """
    for row in table.rows:
        cells: list[str] = []
        for cell in row.cells:
            if cell._tc in seen:
                continue
            seen.add(cell._tc)
            parts: list[str] = []
            for block in cell.iter_inner_content():
                if isinstance(block, Paragraph):
                    parts.append(block.text.strip())
                else:
                    parts.extend(_table_rows(block, seen))
            text = " ".join(part for part in parts if part)
            if text:
                cells.append(text)
        if cells:
            yield "\t".join(cells)


def _heading_style_ids(document: Any) -> set[str]:
    """Ids of heading/title paragraph styles (looked up once: `Paragraph.style` is slow)."""
    ids: set[str] = set()
    for style in document.styles:
        names = (style.name or "", style.style_id or "")
        if any(name.casefold().startswith(_HEADING_STYLES) for name in names):
            ids.add(style.style_id)
    return ids


def _blocks(document: Any) -> Iterator[tuple[str, bool]]:
    """(text, is_heading) for each non-empty paragraph or table, in document order."""
    seen: set[object] = set()
    headings = _heading_style_ids(document)
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            text = normalise_text(block.text)
            if text.strip():
                yield text, block._p.style in headings
        else:
            rows = list(_table_rows(block, seen))
            if rows:
                yield normalise_text("\n".join(rows)), False


def docx_text(path: Path) -> tuple[str, list[tuple[int, int]]]:
    """The text (non-empty paragraphs and table rows joined by blank lines) and heading spans."""
    check_office_zip(path, "docx")
    try:
        document = docx.Document(str(path))
        blocks = list(_blocks(document))
    except Exception as exc:  # python-docx/lxml/zipfile raise many types for a broken file
        reason = str(exc).strip().splitlines()[0][:120] if str(exc).strip() else type(exc).__name__
        raise UserError(f"not a valid .docx ({reason})", file=path) from None
    parts: list[str] = []
    headings: list[tuple[int, int]] = []
    position = 0
    for text, heading in blocks:
        if parts:
            parts.append("\n\n")
            position += 2
        if heading:
            headings.append((position, position + len(text)))
        parts.append(text)
        position += len(text)
    return unicodedata.normalize("NFC", "".join(parts)), headings


def parse_docx(path: Path, name: str | None = None, layout: str | None = None) -> ParsedDocument:
    """Parse a .docx file into a document with speaker turns (layout detected, see `layouts`)."""
    text, headings = docx_text(path)
    if not text.strip():
        raise UserError("the document contains no text", file=path)
    source = Source(name or document_name(path), text, "docx", tuple(headings), file=path)
    return read_layout(source, layout)
