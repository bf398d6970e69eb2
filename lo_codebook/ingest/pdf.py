"""Import a PDF's text layer (pypdf): pages joined by blank lines, then speaker turns."""

from __future__ import annotations

import logging
from pathlib import Path

from pypdf import PdfReader

from lo_codebook.errors import UserError
from lo_codebook.ingest.base import ParsedDocument
from lo_codebook.ingest.layouts import Source, read_layout
from lo_codebook.ingest.textio import MAX_BINARY_BYTES, check_size, document_name, normalise_text


def _first_line(exc: Exception) -> str:
    text = str(exc).strip()
    return text.splitlines()[0][:120] if text else type(exc).__name__


def _decrypt(reader: PdfReader, path: Path) -> None:
    """Open PDFs that are encrypted without a user password (common for "protected" reports)."""
    try:
        opened = reader.decrypt("")
    except Exception as exc:  # e.g. pypdf DependencyError when AES support is not installed
        raise UserError(f"the PDF is encrypted ({_first_line(exc)})", file=path) from None
    if not opened:
        raise UserError("the PDF is password-protected", file=path)


def pdf_text(path: Path) -> str:
    """The text layer of every page, pages joined by "\\n\\n" (blank pages left out)."""
    check_size(path, MAX_BINARY_BYTES)
    pypdf_logger = logging.getLogger("pypdf")
    old_level = pypdf_logger.level
    pypdf_logger.setLevel(logging.ERROR)  # pypdf warns about every small flaw it repairs
    try:
        try:
            reader = PdfReader(str(path), strict=False)
            if reader.is_encrypted:
                _decrypt(reader, path)
            pages = list(reader.pages)
        except UserError:
            raise
        except Exception as exc:  # pypdf raises PdfReadError, PdfStreamError, ValueError, …
            raise UserError(f"not a valid PDF ({_first_line(exc)})", file=path) from None
        texts: list[str] = []
        for number, page in enumerate(pages, start=1):
            try:
                text = page.extract_text() or ""
            except Exception as exc:
                raise UserError(
                    f"cannot read the text of the page ({_first_line(exc)})",
                    file=path,
                    where=f"page {number}",
                ) from None
            text = normalise_text(text).strip()
            if text:
                texts.append(text)
    finally:
        pypdf_logger.setLevel(old_level)
    return "\n\n".join(texts)


def parse_pdf(path: Path, name: str | None = None, layout: str | None = None) -> ParsedDocument:
    """Parse a PDF with a text layer; a PDF without one (a scan) is a UserError."""
    text = pdf_text(path)
    if not text:
        raise UserError("no text layer (scanned PDF?); run OCR first", file=path)
    return read_layout(Source(name or document_name(path), text, "pdf", file=path), layout)
