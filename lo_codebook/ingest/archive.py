"""Check an Office (zip) file before a library opens it: a clear error for non-zips, no zip bombs."""

from __future__ import annotations

import zipfile
from pathlib import Path

from lo_codebook.errors import UserError
from lo_codebook.ingest.textio import MAX_BINARY_BYTES, check_size

MAX_XML_BYTES = 256 * 1024 * 1024
"""Most uncompressed XML an Office file may hold (document text, shared strings, sheets)."""


def check_office_zip(path: Path, kind: str) -> None:
    """Raise UserError "not a valid .docx (…)" unless `path` is a sane zip archive; `kind` is "docx"/"xlsx"."""
    check_size(path, MAX_BINARY_BYTES)
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except zipfile.BadZipFile:
        raise UserError(f"not a valid .{kind} (not a zip archive)", file=path) from None
    except (OSError, ValueError, EOFError, NotImplementedError) as exc:
        raise UserError(f"not a valid .{kind} ({exc})", file=path) from None
    names = {info.filename for info in infos}
    if "[Content_Types].xml" not in names:
        raise UserError(f"not a valid .{kind} (a zip, but not an Office document)", file=path)
    xml_bytes = sum(info.file_size for info in infos if info.filename.endswith((".xml", ".rels")))
    if xml_bytes > MAX_XML_BYTES:
        raise UserError(
            f"not a valid .{kind} ({xml_bytes // 1_048_576} MB of XML inside; refusing to unpack)",
            file=path,
        )
