"""The fast .xlsx reader must read what openpyxl reads, and fall back to openpyxl when it cannot."""

from __future__ import annotations

import datetime
import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont

from lo_codebook.ingest.survey import read_survey
from lo_codebook.ingest.xlsx import XlsxRows, XlsxStructureError, column_index, openpyxl_rows

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"


def trimmed(rows: list[tuple[int, list[str]]]) -> list[tuple[int, list[str]]]:
    result = []
    for number, cells in rows:
        cells = list(cells)
        while cells and not cells[-1]:
            cells.pop()
        if cells:
            result.append((number, cells))
    return result


def both_readers(path: Path) -> tuple[list, list]:
    fast = trimmed([(row.number, row.cells) for row in XlsxRows(path)])
    slow = trimmed([(row.number, row.cells) for row in openpyxl_rows(path)])
    return fast, slow


def test_fixture_matches_openpyxl() -> None:
    fast, slow = both_readers(FIXTURES / "survey.xlsx")
    assert fast == slow
    assert fast[1] == (
        2,
        ["1001", "Zeewolde", "20.000-50.000", "Vitaliteit en\nleiderschap", "", "2024-03-01"],
    )


def test_value_types_match_openpyxl(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    other = workbook.active
    other.title = "Uitleg"
    other["A1"] = "niet deze sheet"
    sheet = workbook.create_sheet("Data")
    workbook.active = 1
    sheet.append(["id", "int", "float", "datum", "tijdstip", "tijd", "duur", "bool", "tekst"])
    sheet.append([1, 42, 4.5, datetime.date(2024, 3, 1), datetime.datetime(2024, 3, 2, 10, 30),
                  datetime.time(9, 15), datetime.timedelta(hours=30), True, "regel\r\nregel 2"])  # fmt: skip
    sheet.append([2, -7, 1e-3, datetime.datetime(1999, 12, 31), None, None, None, False, "café"])
    sheet["A6"] = 3  # a gap: rows 4-5 are absent
    sheet["I6"] = CellRichText(["vet ", TextBlock(InlineFont(b=True), "en"), " normaal"])
    sheet["D6"].number_format = "dd-mm-yyyy"
    sheet["D6"] = 45352
    path = tmp_path / "types.xlsx"
    workbook.save(path)
    fast, slow = both_readers(path)
    assert fast == slow
    assert fast[1][1][:3] == ["1", "42", "4.5"]
    assert fast[1][1][3:5] == ["2024-03-01", "2024-03-02 10:30:00"]
    assert fast[1][1][7] == "TRUE"
    assert fast[-1][0] == 6
    assert fast[-1][1][8] == "vet en normaal"


def test_wanted_columns_skip_other_cells(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in (
        ["id", "x", "t"],
        ["a", "1", "p"],
        ["b", "2", "q"],
        ["c", "3", "r"],
        [None, "4", None],
    ):
        sheet.append(row)
    path = tmp_path / "w.xlsx"
    workbook.save(path)
    rows = XlsxRows(path)
    seen = []
    for row in rows:
        seen.append(row)
        if row.number == 3:
            rows.wanted = {0, 2}
    assert [r.cells for r in seen] == [
        ["id", "x", "t"],
        ["a", "1", "p"],
        ["b", "2", "q"],
        ["c", "", "r"],
        [],
    ]
    assert seen[-1].other is True  # row 5 holds data only in a skipped column
    with pytest.raises(Exception, match="empty respondent id"):
        read_survey(path, "id", ["t"], [])


MINIMAL_PARTS = {
    "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
    "_rels/.rels": '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>",
    "xl/workbook.xml": '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><workbookPr date1904="1"/>'
    '<sheets><sheet name="Blad1" sheetId="1" r:id="rId1"/></sheets></workbook>',
    "xl/_rels/workbook.xml.rels": '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="/xl/worksheets/blad1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
    '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
    "</Relationships>",
    "xl/sharedStrings.xml": '<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    "<si><t>id</t></si><si><t>antwoord</t></si>"
    "<si><r><t>Toky</t></r><r><t>o</t></r><rPh><t>トウキョウ</t></rPh></si></sst>",
    "xl/styles.xml": '<?xml version="1.0"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<numFmts count="1"><numFmt numFmtId="164" formatCode="d/m/yyyy"/></numFmts>'
    '<cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="164"/></cellXfs></styleSheet>',
    "xl/worksheets/blad1.xml": '<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    '<row><c t="s"><v>0</v></c><c t="s"><v>1</v></c><c><v>1</v></c></row>'
    '<row><c t="inlineStr"><is><t>r1</t></is></c><c t="inlineStr"><is><t>twee_x000D_\nregels</t></is></c>'
    '<c s="1"><v>1</v></c></row>'
    '<row r="5"><c r="A5" t="str"><v>r2</v></c><c r="B5" t="s"><v>2</v></c><c r="C5" t="e"><v>#N/A</v></c></row>'
    "</sheetData></worksheet>",
}


def test_hand_written_workbook(tmp_path: Path) -> None:
    path = tmp_path / "minimal.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        for name, text in MINIMAL_PARTS.items():
            archive.writestr(name, text)
    rows = [(row.number, row.cells) for row in XlsxRows(path)]
    assert rows == [
        (1, ["id", "antwoord", "1"]),
        (2, ["r1", "twee\nregels", "1904-01-02"]),  # _x000D_ + \n is one CRLF
        (5, ["r2", "Tokyo", "#N/A"]),
    ]
    result = read_survey(path, "id", ["antwoord"], [])
    assert [(d.name, d.text) for d in result.documents] == [("r1", "twee\nregels"), ("r2", "Tokyo")]
    assert [c.row for c in result.cases] == [2, 5]


def test_falls_back_to_openpyxl(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(self: XlsxRows) -> None:
        raise XlsxStructureError("unusual layout")

    monkeypatch.setattr(XlsxRows, "__iter__", broken)
    result = read_survey(FIXTURES / "survey.xlsx", "id", ["thema"], [])
    assert [d.name for d in result.documents] == ["1001", "1002", "1003"]


def test_column_index() -> None:
    assert [column_index(c) for c in ("A", "Z", "AA", "AB", "XFD")] == [0, 25, 26, 27, 16383]
    with pytest.raises(XlsxStructureError):
        column_index("A1")
