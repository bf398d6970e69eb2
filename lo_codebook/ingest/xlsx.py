"""Read one worksheet of an .xlsx fast (lxml iterparse): openpyxl needs ~15 s for a wide 10,000-row Qualtrics export."""

from __future__ import annotations

import posixpath
import re
import zipfile
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import IO, Any, NamedTuple

import openpyxl
from lxml import etree
from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format, is_timedelta_format
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel

from lo_codebook.ingest.textio import normalise_text

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_OFFICE_DOCUMENT = "/officeDocument"
_ROW, _CELL, _VALUE = f"{_MAIN}row", f"{_MAIN}c", f"{_MAIN}v"
_TEXT, _PHONETIC, _INLINE = f"{_MAIN}t", f"{_MAIN}rPh", f"{_MAIN}is"
_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
_COLUMN = re.compile(r"[A-Z]{1,3}")


class XlsxStructureError(Exception):
    """The package does not look like the usual SpreadsheetML layout (callers may fall back)."""


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True)


def _parse(archive: zipfile.ZipFile, name: str) -> Any:
    with archive.open(name) as handle:
        return etree.parse(handle, _parser()).getroot()


def _iterparse(handle: IO[bytes], tag: str) -> Iterator[Any]:
    for _, element in etree.iterparse(
        handle, events=("end",), tag=tag, resolve_entities=False, no_network=True
    ):
        yield element
        element.clear(keep_tail=False)
        while element.getprevious() is not None:
            del element.getparent()[0]


def _relationships(archive: zipfile.ZipFile, part: str) -> list[tuple[str, str, str]]:
    """(Id, Type, absolute target) of a part's relationships."""
    folder, name = posixpath.split(part)
    rels_name = posixpath.join(folder, "_rels", f"{name}.rels")
    if rels_name not in archive.NameToInfo:
        return []
    result = []
    for rel in _parse(archive, rels_name).iter(_PKG_REL):
        target = rel.get("Target", "")
        if rel.get("TargetMode") == "External":
            continue
        path = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
        result.append((rel.get("Id", ""), rel.get("Type", ""), posixpath.normpath(path)))
    return result


def _unescape(text: str) -> str:
    """Undo Excel's `_x000D_` escapes."""
    return _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text) if "_x" in text else text


def _string_item(element: Any) -> str:
    """Text of an `<si>`/`<is>`: all runs, without phonetic (`rPh`) hints."""
    if element.find(_PHONETIC) is None:
        return _unescape("".join(element.itertext(_TEXT)))
    parts = [node.text or "" for node in element.iter(_TEXT) if node.getparent().tag != _PHONETIC]
    return _unescape("".join(parts))


def _shared_strings(archive: zipfile.ZipFile, name: str | None) -> list[str]:
    if name is None or name not in archive.NameToInfo:
        return []
    with archive.open(name) as handle:
        return [_string_item(si) for si in _iterparse(handle, f"{_MAIN}si")]


def _date_styles(archive: zipfile.ZipFile, name: str | None) -> tuple[set[int], set[int]]:
    """Indices of cell formats that show numbers as dates, and as durations."""
    if name is None or name not in archive.NameToInfo:
        return set(), set()
    root = _parse(archive, name)
    formats: dict[int, str] = dict(BUILTIN_FORMATS)
    for fmt in root.iter(f"{_MAIN}numFmt"):
        try:
            formats[int(fmt.get("numFmtId", ""))] = fmt.get("formatCode", "")
        except ValueError:
            continue
    dates: set[int] = set()
    durations: set[int] = set()
    cell_xfs = root.find(f"{_MAIN}cellXfs")
    for index, xf in enumerate(cell_xfs.iter(f"{_MAIN}xf") if cell_xfs is not None else ()):
        code = formats.get(int(xf.get("numFmtId", "0") or 0), "")
        if code and is_timedelta_format(code):
            durations.add(index)
        elif code and is_date_format(code):
            dates.add(index)
    return dates, durations


def column_index(letters: str) -> int:
    """Column letters to a 0-based index: "AB" → 27."""
    if not _COLUMN.fullmatch(letters):
        raise XlsxStructureError(f"bad cell reference {letters!r}")
    index = 0
    for char in letters:
        index = index * 26 + ord(char) - 64
    return index - 1


def _number_text(value: str) -> str:
    number = float(value)
    if number.is_integer() and abs(number) < 1e15:
        return str(int(number))
    return repr(number)


def temporal_text(value: datetime | date | time | timedelta) -> str:
    """Dates as ISO (`2024-03-01`, `2024-03-02 10:30:00`), times and durations as shown."""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(sep=" ")
    if isinstance(value, (date, time)):
        return value.isoformat()
    return str(value)


class _Workbook:
    def __init__(self, archive: zipfile.ZipFile):
        self.archive = archive
        workbook = next(
            (target for _, kind, target in _relationships(archive, "")
             if kind.endswith(_OFFICE_DOCUMENT)),
            None,
        )  # fmt: skip
        if workbook is None or workbook not in archive.NameToInfo:
            raise XlsxStructureError("no workbook part")
        root = _parse(archive, workbook)
        if not root.tag.startswith(_MAIN):
            raise XlsxStructureError(f"unknown workbook namespace {root.tag}")
        rels = _relationships(archive, workbook)
        targets = {rel_id: target for rel_id, _, target in rels}
        by_type = {kind.rsplit("/", 1)[-1]: target for _, kind, target in rels}
        sheets = [sheet.get(_REL_ID) for sheet in root.iter(f"{_MAIN}sheet")]
        view = root.find(f"{_MAIN}bookViews/{_MAIN}workbookView")
        active = int(view.get("activeTab", "0")) if view is not None else 0
        if not sheets:
            raise XlsxStructureError("no worksheets")
        self.sheet = targets.get(sheets[active if 0 <= active < len(sheets) else 0] or "")
        if self.sheet is None or self.sheet not in archive.NameToInfo:
            raise XlsxStructureError("active sheet part missing")
        properties = root.find(f"{_MAIN}workbookPr")
        date1904 = properties is not None and properties.get("date1904") in ("1", "true")
        self.epoch = CALENDAR_MAC_1904 if date1904 else CALENDAR_WINDOWS_1900
        self.strings = _shared_strings(archive, by_type.get("sharedStrings"))
        self.dates, self.durations = _date_styles(archive, by_type.get("styles"))

    def cell_text(self, cell: Any) -> str:
        kind = cell.get("t", "n")
        if kind == "inlineStr":
            inline = cell.find(_INLINE)
            return _string_item(inline) if inline is not None else ""
        value = cell.findtext(_VALUE)
        if value is None or value == "":
            return ""
        if kind == "s":
            return self.strings[int(value)]
        if kind == "n":
            style = int(cell.get("s", "0") or 0)
            if style in self.dates or style in self.durations:
                try:
                    moment = from_excel(float(value), self.epoch, timedelta=style in self.durations)
                    return temporal_text(moment)
                except (OverflowError, ValueError):
                    return "#VALUE!"
            return _number_text(value)
        if kind == "b":
            return "TRUE" if value.strip() in ("1", "true") else "FALSE"
        return _unescape(value)  # "str" (formula result), "e" (error like #N/A), "d" (ISO date)

    def rows(self, reader: XlsxRows) -> Iterator[SheetRow]:
        number = 0
        columns: dict[str, int] = {}
        with self.archive.open(self.sheet) as handle:
            for row in _iterparse(handle, _ROW):
                number = int(row.get("r") or number + 1)
                wanted = reader.wanted
                values: dict[int, str] = {}
                skipped = False
                column = -1
                for cell in row.iterchildren(_CELL):
                    reference = cell.get("r")
                    if reference:
                        letters = reference.rstrip("0123456789")
                        column = columns.get(letters, -1)
                        if column < 0:
                            column = columns[letters] = column_index(letters)
                    else:
                        column += 1
                    if wanted is not None and column not in wanted:
                        skipped = skipped or len(cell) > 0
                        continue
                    text = self.cell_text(cell)
                    if text:
                        values[column] = normalise_text(text)
                if values or skipped:
                    cells = [""] * (max(values) + 1 if values else 0)
                    for index, text in values.items():
                        cells[index] = text
                    yield SheetRow(number, cells, skipped)


class SheetRow(NamedTuple):
    """A non-empty sheet row: the wanted columns' texts ("" elsewhere); `other`: data in other columns."""

    number: int
    cells: list[str]
    other: bool


class XlsxRows:
    """The active worksheet's non-empty rows; set `wanted` (column indices) to skip other cells."""

    def __init__(self, path: Path):
        self.path = path
        self.wanted: set[int] | None = None

    def __iter__(self) -> Iterator[SheetRow]:
        with zipfile.ZipFile(self.path) as archive:
            yield from _Workbook(archive).rows(self)


def _cell_text(value: Any) -> str:
    """An openpyxl value as the text a researcher sees (1001 not 1001.0, dates ISO)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return normalise_text(value)
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (datetime, date, time, timedelta)):
        return temporal_text(value)
    return str(value)


def openpyxl_rows(path: Path) -> Iterator[SheetRow]:
    """The slow but thorough reader, for workbooks the fast reader does not understand."""
    workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        sheet = workbook.active or (workbook.worksheets[0] if workbook.worksheets else None)
        if sheet is None:
            raise XlsxStructureError("the workbook has no worksheet")
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield SheetRow(number, [_cell_text(value) for value in values], False)
    finally:
        workbook.close()
