"""Import open survey answers (.csv any delimiter/encoding, .xlsx, Qualtrics layout) as cases and documents."""

from __future__ import annotations

import csv
import difflib
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from lo_codebook.errors import MAX_MESSAGE, UserError
from lo_codebook.ingest.archive import check_office_zip
from lo_codebook.ingest.base import ParsedDocument, ParsedSegment, SurveyCase, SurveyImport
from lo_codebook.ingest.registry import SURVEY_EXTENSIONS
from lo_codebook.ingest.textio import MAX_TEXT_BYTES, read_text
from lo_codebook.words import plural

if TYPE_CHECKING:
    from lo_codebook.ingest.xlsx import SheetRow, XlsxRows

__all__ = ["SURVEY_EXTENSIONS", "detect_delimiter", "read_survey"]
DELIMITERS = ",;\t|"
_SNIFF_SAMPLE = 4_096  # csv.Sniffer's quote regex is quadratic on unbalanced quotes
_SEP_LINE = re.compile(r"sep=([,;\t|])[ \t]*\n")
_IMPORT_ID = re.compile(r'\s*\{\s*"ImportId"\s*:')

# The csv module refuses fields over 128 KiB by default; an answer may be as long as a file.
csv.field_size_limit(max(csv.field_size_limit(), MAX_TEXT_BYTES))


@dataclass
class _Table:
    """A survey sheet as strings: header, and data rows with their 1-based line/row numbers."""

    header: list[str]
    rows: list[tuple[int, list[str]]]
    unit: str  # "line" (csv: physical line where the record starts) or "row" (xlsx sheet row)
    encoding: str | None = None
    delimiter: str | None = None
    header_number: int = 1


@dataclass
class _Columns:
    id_index: int
    text: list[tuple[int, str]]  # (index, header name)
    attrs: list[tuple[int, str]] = field(default_factory=list)  # (index, attribute name)


# --------------------------------------------------------------------------- csv


def _header_counts(text: str) -> dict[str, int]:
    """How often each candidate delimiter occurs in the first record, outside quotes."""
    counts = dict.fromkeys(DELIMITERS, 0)
    in_quotes = False
    for char in text[:65_536]:
        if char == '"':
            in_quotes = not in_quotes
        elif not in_quotes:
            if char == "\n":
                break
            if char in counts:
                counts[char] += 1
    return counts


def detect_delimiter(text: str) -> str:
    """The header's only candidate delimiter; if several occur, csv.Sniffer on a sample decides
    (when its pick occurs in the header), else the most frequent one; "," for one column."""
    counts = _header_counts(text)
    present = [d for d in DELIMITERS if counts[d]]
    if len(present) == 1:
        return present[0]
    sample = text[:_SNIFF_SAMPLE]
    if len(text) > _SNIFF_SAMPLE and "\n" in sample:
        sample = sample[: sample.rindex("\n")]
    try:
        sniffed = csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except Exception:  # csv.Error "Could not determine delimiter", or odd samples
        sniffed = ""
    if sniffed in counts and counts[sniffed] > 0:
        return sniffed
    best = max(DELIMITERS, key=lambda d: counts[d])  # ties: the earlier candidate
    return best if counts[best] > 0 else ","


def _csv_error(exc: csv.Error, path: Path, line: int) -> UserError:
    message = str(exc)
    if "unexpected end of data" in message or "field larger than field limit" in message:
        return UserError(
            'unterminated quoted field (a " opens a field that is never closed)',
            file=path,
            where=f"line {line}",
        )
    if "expected after" in message:
        return UserError(
            f"malformed quoted field ({message}; a quote inside a quoted field must be doubled)",
            file=path,
            where=f"line {line}",
        )
    return UserError(f"malformed CSV ({message})", file=path, where=f"line {line}")


def _read_csv(path: Path) -> _Table:
    decoded = read_text(path)
    text = decoded.text
    stream = io.StringIO(text, newline="")
    excel_hint = _SEP_LINE.match(text)
    if excel_hint:  # Excel's "sep=;" first line names the delimiter
        delimiter = excel_hint.group(1)
        stream.readline()
    elif path.suffix.lower() == ".tsv":
        delimiter = "\t"
    else:
        delimiter = detect_delimiter(text)
    reader = csv.reader(stream, delimiter=delimiter, strict=True)
    offset = 1 if excel_hint else 0
    header: list[str] | None = None
    header_line = 1
    rows: list[tuple[int, list[str]]] = []
    line = 1
    while True:
        line = reader.line_num + 1 + offset
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise _csv_error(exc, path, line) from None
        if not record or not any(cell.strip() for cell in record):
            continue
        if header is None:
            header = [cell.strip() for cell in record]
            header_line = line
            continue
        if len(record) != len(header):
            if len(record) > len(header) and not any(c.strip() for c in record[len(header) :]):
                record = record[: len(header)]  # trailing delimiters: nothing is lost
            elif len(record) < len(header) and not any(header[len(record) :]):
                record = record + [""] * (len(header) - len(record))  # unnamed columns missing
            else:
                raise UserError(
                    f"row has {plural(len(record), 'field')} but the header has {len(header)} "
                    f"(delimiter {_delimiter_name(delimiter)})",
                    file=path,
                    where=f"line {line}",
                )
        rows.append((line, record))
    if header is None:
        raise UserError("file is empty", file=path)
    return _Table(header, rows, "line", decoded.encoding, delimiter, header_line)


def _delimiter_name(delimiter: str) -> str:
    return {"\t": "tab", ",": "','", ";": "';'", "|": "'|'"}.get(delimiter, repr(delimiter))


# --------------------------------------------------------------------------- xlsx


def _sheet_table(
    rows_in: Iterable[SheetRow], names: Sequence[str], fast: XlsxRows | None = None
) -> _Table | None:
    """Header = first non-empty row. With `fast`, only the named columns are read after row 3."""
    header: list[str] | None = None
    header_row = 1
    rows: list[tuple[int, list[str]]] = []
    for number, cells, other in rows_in:
        if not other and not any(cell.strip() for cell in cells):
            continue
        if header is None:
            while cells and not cells[-1].strip():
                cells.pop()
            header = [cell.strip() for cell in cells]
            header_row = number
            continue
        if len(cells) < len(header):
            cells.extend([""] * (len(header) - len(cells)))
        rows.append((number, cells[: len(header)]))
        if fast is not None and len(rows) == 2:  # rows 2-3 are read whole for the Qualtrics check
            resolver = _Resolver(header)
            fast.wanted = {index for name in names for index in resolver.find(name)}
    if header is None:
        return None
    return _Table(header, rows, "row", header_number=header_row)


def _reason(exc: Exception) -> str:
    text = str(exc).strip()
    return text.splitlines()[0][:120] if text else type(exc).__name__


def _read_xlsx(path: Path, names: Sequence[str]) -> _Table:
    """Read the active sheet with the fast reader (only the `names` columns), else with openpyxl."""
    check_office_zip(path, "xlsx")
    from lo_codebook.ingest.xlsx import XlsxRows, openpyxl_rows  # lxml/openpyxl: load on demand

    try:
        fast = XlsxRows(path)
        table = _sheet_table(fast, names, fast)
    except Exception:  # an unusual (or broken) workbook: let openpyxl have a go
        try:
            table = _sheet_table(openpyxl_rows(path), names)
        except UserError:
            raise
        except Exception as exc:  # InvalidFileException, KeyError, lxml/zip errors, …
            raise UserError(f"not a valid .xlsx ({_reason(exc)})", file=path) from None
    if table is None:
        raise UserError("the worksheet is empty", file=path)
    return table


# --------------------------------------------------------------------------- columns


def _is_import_id_row(cells: list[str]) -> bool:
    """Qualtrics row 3: cells like `{"ImportId":"QID4"}`."""
    filled = [cell for cell in cells if cell.strip()]
    hits = sum(1 for cell in filled if _IMPORT_ID.match(cell))
    return hits > 0 and hits * 2 >= len(filled)


def _short(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _plain(text: str) -> str:
    return re.sub(r"\W+", "", text).casefold()


def _columns_listing(header: list[str], labels: dict[str, str], budget: int = 340) -> str:
    """Every column name on one line of at most `budget` characters, with question texts.

    Names come first (all of them when they fit, else as many as fit and how many more);
    then the question texts (Qualtrics row 2) that say more than the name, questions first,
    shortened as far as needed for all of them to fit: the researcher looks for the open
    question, wherever it is in the export.
    """
    names = [name for name in header if name]
    shown = list(names)
    more = ""
    while shown and len(", ".join(shown)) + len(more) > budget:
        shown.pop()
        more = f", … ({len(names) - len(shown)} more)"
    room = budget - len(", ".join(shown)) - len(more)
    telling = [n for n in shown if n in labels and _plain(labels[n]) != _plain(n) and labels[n].strip()]
    questions = [n for n in telling if "?" in labels[n] or len(labels[n]) > 30]
    order = questions + [n for n in telling if n not in questions]
    chosen: dict[str, str] = {}
    for width in (40, 32, 24, 16):
        chosen = {}
        used = 0
        for name in order:
            extra = len(f' ("{_short(labels[name], width)}")')
            if used + extra <= room:
                chosen[name] = _short(labels[name], width)
                used += extra
        if all(n in chosen for n in questions):
            break
    listed = [f'{name} ("{chosen[name]}")' if name in chosen else name for name in shown]
    return ", ".join(listed) + more


class _Resolver:
    """Find requested columns by exact header name, else by a unique case-insensitive match."""

    def __init__(self, header: list[str]):
        self.header = header
        self.exact: dict[str, list[int]] = {}
        self.folded: dict[str, list[int]] = {}
        for index, name in enumerate(header):
            if name:
                self.exact.setdefault(name, []).append(index)
                self.folded.setdefault(name.casefold(), []).append(index)

    def find(self, name: str) -> list[int]:
        name = name.strip()
        return self.exact.get(name) or self.folded.get(name.casefold(), [])


def _resolve_columns(
    table: _Table,
    path: Path,
    id_col: str,
    text_cols: Sequence[str],
    attr_cols: Sequence[str],
    labels: dict[str, str],
) -> _Columns:
    resolver = _Resolver(table.header)
    wanted: list[str] = [id_col, *text_cols]
    attr_specs: list[tuple[str, str]] = []
    for spec in attr_cols:
        column, sep, attr_name = spec.partition("=")
        if sep and resolver.find(spec):
            column, attr_name = spec, spec  # a column whose name contains "="
        elif sep and not attr_name.strip():
            raise UserError(f"attribute name missing in {spec!r} (use COL or COL=NAME)", file=path)
        attr_specs.append((column.strip(), (attr_name or column).strip()))
        wanted.append(column)
    missing = [name for name in wanted if not resolver.find(name)]
    if missing:
        quoted = ", ".join(f"'{name}'" for name in dict.fromkeys(missing))
        noun = "column" if len(set(missing)) == 1 else "columns"
        hint = ""
        close = difflib.get_close_matches(missing[0], [h for h in table.header if h], n=1)
        if close:
            hint = f" (did you mean '{close[0]}'?)"
        message = f"no {noun} {quoted}{hint}; columns are: "
        raise UserError(
            message + _columns_listing(table.header, labels, MAX_MESSAGE - len(message) - 4),
            file=path,
        )

    def index_of(name: str) -> int:
        found = resolver.find(name)
        if len(found) > 1:
            positions = " and ".join(str(i + 1) for i in found)
            raise UserError(
                f"column '{name}' appears more than once in the header (columns {positions})",
                file=path,
                where=f"{table.unit} {table.header_number}",
            )
        return found[0]

    texts: dict[int, str] = {}
    for name in text_cols:
        index = index_of(name)
        texts.setdefault(index, table.header[index])
    attrs = []
    for column, attr_name in attr_specs:
        index = index_of(column)
        attrs.append((index, attr_name if attr_name != column else table.header[index]))
    return _Columns(index_of(id_col), list(texts.items()), attrs)


# --------------------------------------------------------------------------- main


def read_survey(
    path: Path,
    id_col: str,
    text_cols: Sequence[str],
    attr_cols: Sequence[str] = (),
    qualtrics: bool | None = None,
) -> SurveyImport:
    """Read a survey export: one case per row, one document per non-empty answer cell.

    `attr_cols` entries are `COL` or `COL=NAME`. `qualtrics` None detects the Qualtrics layout
    (row 2 question texts, row 3 `{"ImportId": ...}`); True forces it; False never applies it.
    """
    path = Path(path)
    if not text_cols:
        raise UserError("name at least one text column (--text-col)", file=path)
    if not path.exists():
        raise UserError("file not found", file=path)
    if path.is_dir():
        raise UserError("is a folder; import-survey needs one .csv or .xlsx file", file=path)
    suffix = path.suffix.lower()
    if suffix in (".csv", ".tsv", ".txt"):
        table = _read_csv(path)
    elif suffix == ".xlsx":
        names = [id_col, *text_cols, *attr_cols, *(spec.partition("=")[0] for spec in attr_cols)]
        table = _read_xlsx(path, names)
    elif suffix == ".xls":
        raise UserError("old Excel .xls is not supported; save it as .xlsx or .csv", file=path)
    else:
        raise UserError(
            f"unsupported survey file type '{suffix or path.name}' "
            f"(supported: {', '.join(SURVEY_EXTENSIONS)})",
            file=path,
        )

    labels: dict[str, str] = {}
    is_qualtrics = False
    if qualtrics is not False and table.rows:
        import_id_row = len(table.rows) >= 2 and _is_import_id_row(table.rows[1][1])
        is_qualtrics = bool(qualtrics) or import_id_row
        if is_qualtrics:
            question_row = table.rows[0][1]
            for name, label in zip(table.header, question_row, strict=False):
                if name and label.strip():
                    labels[name] = " ".join(label.split())
            table.rows = table.rows[2:] if import_id_row else table.rows[1:]

    columns = _resolve_columns(table, path, id_col, text_cols, attr_cols, labels)
    id_name = table.header[columns.id_index]
    single = len(columns.text) == 1
    cases: list[SurveyCase] = []
    documents: list[ParsedDocument] = []
    first_row: dict[str, int] = {}
    skipped = 0
    for number, cells in table.rows:
        respondent = " ".join(cells[columns.id_index].split())
        where = f"{table.unit} {number}, column '{id_name}'"
        if not respondent:
            raise UserError("empty respondent id", file=path, where=where)
        if respondent in first_row:
            raise UserError(
                f"respondent id '{respondent}' appears twice: {table.unit}s "
                f"{first_row[respondent]} and {number}",
                file=path,
                where=where,
            )
        first_row[respondent] = number
        attributes = {
            name: value for index, name in columns.attrs if (value := cells[index].strip())
        }
        cases.append(SurveyCase(respondent, attributes, number))
        for index, column in columns.text:
            answer = cells[index].strip()
            if not answer:
                skipped += 1
                continue
            documents.append(
                ParsedDocument(
                    name=respondent if single else f"{respondent}/{column}",
                    text=answer,
                    kind="survey",
                    source_format="xlsx" if table.unit == "row" else "csv",
                    segments=[ParsedSegment(0, len(answer))],
                    case=respondent,
                    question=labels.get(column, column),
                    encoding=table.encoding,
                )
            )
    return SurveyImport(
        cases=cases,
        documents=documents,
        skipped_empty=skipped,
        qualtrics=is_qualtrics,
        question_labels=labels,
        encoding=table.encoding,
        delimiter=table.delimiter,
    )
