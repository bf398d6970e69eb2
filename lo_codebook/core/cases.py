"""The case table: cases with their attributes, read from and written to .csv/.xlsx, edited.

`cases import FILE` creates or updates cases from a sheet (first column, or a column named
`case`, the case name; the other columns attributes) in one audited transaction, so `undo`
takes the whole import back. An empty cell leaves that attribute as it is. `cases export`
writes the same layout, so a table can go out to a spreadsheet and come back.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from lo_codebook.core.project import Project
from lo_codebook.db.limits import check_value
from lo_codebook.db.lookup import find_case
from lo_codebook.db.models import Case, CaseAttribute, Document
from lo_codebook.db.names import name_key
from lo_codebook.errors import UserError
from lo_codebook.safe_output import check_name, safe_cell, unescape_cell, write_bytes
from lo_codebook.words import plural

CASE_HEADINGS = frozenset({"case", "cases", "casus", "case name", "case_name"})
#: Columns that name a case's files, not a property of the case (the bundled cases.csv has one).
DOCUMENT_HEADINGS = frozenset({"file", "files", "document", "documents", "bestand"})
FORMATS = (".csv", ".xlsx")
XLSX_CELL_LIMIT = 32_767


@dataclass(frozen=True)
class CaseRow:
    """One case as the case table shows it."""

    id: int
    name: str
    attributes: dict[str, str]
    documents: int

    def as_json(self) -> dict[str, object]:
        """The `cases --format json` row (SPEC: case, attributes)."""
        return {"case": self.name, "attributes": dict(self.attributes)}


def list_cases(session: Session) -> list[CaseRow]:
    """Every case with its attributes (sorted by key) and how many documents it has."""
    counts = dict(
        session.execute(
            select(Document.case_id, func.count(Document.id))
            .where(Document.case_id.is_not(None))
            .group_by(Document.case_id)
        ).all()
    )
    cases = session.scalars(select(Case).options(selectinload(Case.attributes)).order_by(Case.name))
    return [
        CaseRow(
            case.id, case.name, {a.key: a.value for a in case.attributes}, counts.get(case.id, 0)
        )
        for case in cases
    ]


def attribute_keys(rows: list[CaseRow]) -> list[str]:
    """Every attribute name used, in order of first use (sorted within a case)."""
    keys: dict[str, None] = {}
    for row in rows:
        for key in row.attributes:
            keys.setdefault(key, None)
    return list(keys)


# --------------------------------------------------------------------------- import


@dataclass
class CasesImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    values: int = 0  # attribute values written
    attributes: list[str] = field(default_factory=list)
    skipped_columns: list[str] = field(default_factory=list)

    def summary(self) -> str:
        text = (
            f"{plural(self.created, 'case')} created, {self.updated} updated, {self.unchanged} unchanged "
            f"({plural(self.values, 'attribute value')} set"
        )
        if self.attributes:
            text += f"; attributes: {', '.join(self.attributes)}"
        text += ")"
        if self.skipped_columns:
            many = len(self.skipped_columns) > 1
            text += f"; column{'s' if many else ''} {', '.join(self.skipped_columns)} skipped (names files, not an attribute)"
        return text


def _heading(text: str) -> str:
    return " ".join(text.split()).casefold()


def _columns(
    header: list[str], path: Path, unit: str, header_number: int
) -> tuple[int, list[tuple[int, str]], list[str]]:
    """(case column, [(column, attribute name)], skipped column names)."""
    where = f"{unit} {header_number}"
    headings = [_heading(h) for h in header]
    case_index = next((i for i, h in enumerate(headings) if h in CASE_HEADINGS), 0)
    attributes: list[tuple[int, str]] = []
    skipped: list[str] = []
    seen: dict[str, int] = {}
    for index, raw in enumerate(header):
        if index == case_index:
            continue
        name = unicodedata.normalize("NFC", " ".join(raw.split()))
        if not name:
            raise UserError(
                f"column {index + 1} has no name (the header row names the attributes)",
                file=path,
                where=where,
            )
        if _heading(name) in DOCUMENT_HEADINGS:
            skipped.append(name)
            continue
        check_name(name, "attribute name", file=path, where=f"{where}, column {index + 1}")
        check_value("case_attribute", "key", name, file=path, where=f"{where}, column {index + 1}")
        if name.casefold() in seen:
            raise UserError(
                f"two columns are named {name!r} (columns {seen[name.casefold()] + 1} and {index + 1})",
                file=path,
                where=where,
            )
        seen[name.casefold()] = index
        attributes.append((index, name))
    return case_index, attributes, skipped


def import_cases(
    project: Project, path: str | Path, *, update_only: bool = False
) -> CasesImportReport:
    """Create or update cases from a .csv/.xlsx: one row per case, one transaction.

    `update_only`: a row naming a case that is not in the project is an error (a typo in a
    case name then never adds a case). Errors name the file and the row; nothing changes.
    """
    from lo_codebook.ingest.survey import read_table

    path = Path(path)
    table = read_table(path, "the case table")
    case_index, columns, skipped = _columns(table.header, path, table.unit, table.header_number)
    case_heading = table.header[case_index] or "case"
    wanted: list[tuple[str, str, dict[str, str]]] = []  # (where, name, attributes)
    first_seen: dict[str, str] = {}
    for number, cells in table.rows:
        where = f"{table.unit} {number}"
        name = unicodedata.normalize("NFC", " ".join(unescape_cell(cells[case_index]).split()))
        if not name:
            raise UserError(f"no case name in column {case_heading!r}", file=path, where=where)
        check_name(name, "case name", file=path, where=where)
        check_value("cases", "name", name, file=path, where=where)
        if name in first_seen:
            raise UserError(
                f"case {name!r} is listed twice (first at {first_seen[name]})",
                file=path,
                where=where,
            )
        first_seen[name] = where
        values = {}
        for index, key in columns:
            value = unescape_cell(cells[index]).strip() if index < len(cells) else ""
            if value:
                check_name(value.replace("\n", " "), f"value of {key!r}", file=path, where=where)
                values[key] = unicodedata.normalize("NFC", value)
        wanted.append((where, name, values))
    if not wanted:
        raise UserError("no cases: the file has only a header row", file=path)

    # A name spelled two ways in the file (R_aB1, R_Ab1) is two cases: then only the exact
    # spelling matches; otherwise the same name in another letter case or Unicode form does.
    spellings = Counter(name_key(name) for _, name, _ in wanted)
    report = CasesImportReport(attributes=[key for _, key in columns], skipped_columns=skipped)
    with project.write("cases-import") as unit:
        session = unit.session
        for where, name, values in wanted:
            case = session.scalar(select(Case).where(Case.name == name))
            if case is None and spellings[name_key(name)] == 1:
                case = find_case(session, name)
            if case is None:
                if update_only:
                    raise UserError(
                        f"unknown case {name!r} (without --update-only it would be created)",
                        file=path,
                        where=where,
                    )
                case = Case(name=name)
                session.add(case)
                for key, value in values.items():
                    case.attributes.append(CaseAttribute(key=key, value=value))
                report.created += 1
                report.values += len(values)
                continue
            current = {a.key: a for a in case.attributes}
            changed = 0
            for key, value in values.items():
                if key in current:
                    if current[key].value != value:
                        current[key].value = value
                        changed += 1
                else:
                    case.attributes.append(CaseAttribute(key=key, value=value))
                    changed += 1
            report.values += changed
            if changed:
                report.updated += 1
            else:
                report.unchanged += 1
        unit.summary = f"{path.name}: {report.summary()}"
    return report


# --------------------------------------------------------------------------- export


def export_cases(project: Project, path: str | Path) -> int:
    """Write the case table (case, then one column per attribute) to .csv or .xlsx, atomically;
    returns how many cases. Cells that a spreadsheet would run as formulas are escaped."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise UserError(
            f"cases export writes {' or '.join(FORMATS)} (by the file's extension)", file=path
        )
    with project.read() as session:
        rows = list_cases(session)
    keys = attribute_keys(rows)
    header = ["case", *keys]
    if "case" in keys:
        raise UserError("an attribute is named 'case'; rename it before exporting", file=path)
    table = [[row.name, *(row.attributes.get(key, "") for key in keys)] for row in rows]
    if suffix == ".csv":
        text = io.StringIO()
        writer = csv.writer(text, lineterminator="\n")
        writer.writerow([safe_cell(h) for h in header])
        writer.writerows([safe_cell(v) for v in values] for values in table)
        data = text.getvalue().encode("utf-8")
    else:
        data = _xlsx([header, *table])
    write_bytes(path, data)
    return len(rows)


def _xlsx(rows: list[list[str]]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("cases")

    def cell(value: str) -> WriteOnlyCell:
        value = safe_cell(ILLEGAL_CHARACTERS_RE.sub("", value))[:XLSX_CELL_LIMIT]
        item = WriteOnlyCell(sheet, value=value)
        item.data_type = "s"  # a string, never a formula
        return item

    for values in rows:
        sheet.append([cell(v) for v in values])
    binary = io.BytesIO()
    workbook.save(binary)
    return binary.getvalue()


# --------------------------------------------------------------------------- editing


def set_case_attribute(project: Project, case_id: int, key: str, value: str) -> str:
    """Set one attribute of a case (a blank value removes it); one undoable entry. Returns what
    happened, for the UI's notification."""
    key = unicodedata.normalize("NFC", " ".join(key.split()))
    value = unicodedata.normalize("NFC", value.strip())
    if not key:
        raise UserError("an attribute needs a name")
    check_name(key, "attribute name")
    check_value("case_attribute", "key", key)
    if value:
        check_name(value, f"value of {key!r}")
    with project.write("case-attribute") as unit:
        case = unit.session.get(Case, case_id)
        if case is None:
            raise UserError(f"case #{case_id} no longer exists")
        current = next((a for a in case.attributes if a.key == key), None)
        if not value:
            if current is None:
                raise UserError(f"case {case.name!r} has no attribute {key!r}")
            case.attributes.remove(current)
            unit.summary = f"removed {key} from case {case.name!r}"
        elif current is None:
            case.attributes.append(CaseAttribute(key=key, value=value))
            unit.summary = f"case {case.name!r}: {key}={value}"
        elif current.value == value:
            raise UserError(f"case {case.name!r} already has {key}={value}")
        else:
            unit.summary = f"case {case.name!r}: {key} {current.value} -> {value}"
            current.value = value
        return unit.summary


__all__ = [
    "CaseRow",
    "CasesImportReport",
    "attribute_keys",
    "export_cases",
    "import_cases",
    "list_cases",
    "set_case_attribute",
]
