"""Pick the importer for a transcript/text file by its extension, and expand folders into files."""

from __future__ import annotations

import importlib
import re
import unicodedata
from collections.abc import Callable, Iterable
from pathlib import Path

from lo_codebook.errors import UserError
from lo_codebook.ingest.base import ParsedDocument

Parser = Callable[[Path, str | None, str | None], ParsedDocument]  # (path, name, layout)

# extension -> "module:function"; imported on first use (python-docx/pypdf/webvtt are slow to load)
PARSERS: dict[str, str] = {
    ".txt": "plaintext:parse_plaintext",
    ".md": "plaintext:parse_plaintext",
    ".docx": "docx_reader:parse_docx",
    ".vtt": "vtt:parse_vtt",
    ".srt": "srt:parse_srt",
    ".pdf": "pdf:parse_pdf",
}
SUPPORTED_EXTENSIONS: tuple[str, ...] = tuple(PARSERS)
SURVEY_EXTENSIONS: tuple[str, ...] = (".csv", ".tsv", ".xlsx")


def get_parser(extension: str) -> Parser | None:
    """The parse function for a (lower-case, dotted) extension, or None if unsupported."""
    target = PARSERS.get(extension)
    if target is None:
        return None
    module, function = target.split(":")
    parser: Parser = getattr(importlib.import_module(f"lo_codebook.ingest.{module}"), function)
    return parser


_HINTS = {
    ".doc": "old Word .doc is not supported; save it as .docx",
    ".rtf": "save it as .docx or .txt",
    ".odt": "save it as .docx",
    ".pages": "export it as .docx",
}


def _unsupported(path: Path) -> UserError:
    suffix = path.suffix.lower()
    supported = ", ".join(SUPPORTED_EXTENSIONS)
    if suffix in SURVEY_EXTENSIONS:
        return UserError(
            f"'{suffix}' is a survey table: use import-survey (import takes {supported})", file=path
        )
    hint = f"{_HINTS[suffix]}; " if suffix in _HINTS else ""
    kind = f"'{suffix}'" if suffix else "without an extension"
    return UserError(f"unsupported file type {kind} ({hint}supported: {supported})", file=path)


def parse_file(path: Path, name: str | None = None, layout: str | None = None) -> ParsedDocument:
    """Parse one transcript/text file; the document name is the file stem unless `name` is given.

    `layout` forces a transcript layout (see `ingest.layouts`); by default the best is detected.
    """
    path = Path(path)
    if not path.exists():
        raise UserError("file not found", file=path)
    if path.is_dir():
        raise UserError("is a folder; use collect_files to import the files in it", file=path)
    parser = get_parser(path.suffix.lower())
    if parser is None:
        raise _unsupported(path)
    if layout is not None:
        from lo_codebook.ingest.layouts import get_layout

        get_layout(layout)  # an unknown name is an error before any file is read
    return parser(path, unicodedata.normalize("NFC", name) if name else None, layout)


def _is_hidden(path: Path) -> bool:
    """Dot files and the `~$name.docx` lock files Word leaves next to open documents."""
    return path.name.startswith((".", "~$"))


def _natural_key(path: Path) -> list[object]:
    """Sort "interview 2" before "interview 10"."""
    return [
        int(part) if part.isdigit() else part.casefold() for part in re.split(r"(\d+)", path.name)
    ]


def collect_files(paths: Iterable[Path | str]) -> list[Path]:
    """Expand folders (not recursively) into their supported, non-hidden files, naturally sorted.

    Explicit files must exist and have a supported extension. Duplicates are dropped.
    """
    result: list[Path] = []
    seen: set[Path] = set()
    for item in paths:
        path = Path(item)
        if not path.exists():
            raise UserError("file not found", file=path)
        if path.is_dir():
            found = sorted(
                (
                    child
                    for child in path.iterdir()
                    if child.is_file()
                    and not _is_hidden(child)
                    and child.suffix.lower() in SUPPORTED_EXTENSIONS
                ),
                key=_natural_key,
            )
            if not found:
                raise UserError(
                    f"no supported files in this folder (supported: {', '.join(SUPPORTED_EXTENSIONS)})",
                    file=path,
                )
        else:
            if path.suffix.lower() not in SUPPORTED_EXTENSIONS:
                raise _unsupported(path)
            found = [path]
        for file in found:
            key = file.resolve()
            if key not in seen:
                seen.add(key)
                result.append(file)
    return result
