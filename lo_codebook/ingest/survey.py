"""Import open survey answers (.csv any delimiter/encoding, .xlsx) as cases and documents.

Survey tools put more than one header row above the answers; each layout is recognised so
that no header row ever becomes a respondent:
- Qualtrics (current): row 1 column ids, row 2 question texts, row 3 `{"ImportId":"QID1"}`;
- Qualtrics 2016 ("Insights"): the same with single-quoted `{'ImportId': 'QID1'}`;
- Qualtrics legacy: row 1 `V1, V2, …, Q1…`, row 2 field names (ResponseID…) and question
  texts, no ImportId row; the row-2 names work as column names too (`--id-col ResponseID`);
- SurveyMonkey: row 1 metadata names and question texts, row 2 answer labels ("Response",
  "Open-Ended Response", choices, "Other (please specify)");
- LimeSurvey: one header row of codes (`id,submitdate,lastpage,startlanguage,…`) or of
  their texts ("Response ID", "Date submitted", …); either spelling names a column.
Any further row that repeats a header (an ImportId row, the id column's own name in the id
column, a SurveyMonkey label row) is skipped and reported, whatever the layout.
"""

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
from lo_codebook.safe_output import check_name
from lo_codebook.words import plural

if TYPE_CHECKING:
    from lo_codebook.ingest.xlsx import SheetRow, XlsxRows

__all__ = ["SURVEY_EXTENSIONS", "PlainTable", "detect_delimiter", "read_survey", "read_table"]
DELIMITERS = ",;\t|"
_SNIFF_SAMPLE = 4_096  # csv.Sniffer's quote regex is quadratic on unbalanced quotes
_SEP_LINE = re.compile(r"sep=([,;\t|])[ \t]*\n")
_IMPORT_ID = re.compile(r"""\s*\{\s*(["'])ImportId\1\s*:""")

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
    rows_in: Iterable[SheetRow],
    names: Sequence[str],
    fast: XlsxRows | None = None,
    qualtrics: bool | None = None,
) -> _Table | None:
    """Header = first non-empty row. With `fast`, only the named columns are read after the
    first two rows below the header (read whole: they decide the layout, which may name
    columns differently)."""
    raw: list[str] | None = None
    header: list[str] = []
    header_row = 1
    early: list[tuple[int, list[str]]] = []
    rows: list[tuple[int, list[str]]] = []

    def settle() -> None:
        """Fix the header's width once rows 2-3 are known: trailing unnamed columns count when
        those rows fill them (SurveyMonkey: a last question's extra answer columns)."""
        assert raw is not None
        width = max((_last_filled(cells) for cells in [raw, *(c for _, c in early)]), default=0)
        header.extend((raw + [""] * width)[:width])
        for number, cells in early:
            rows.append((number, (cells + [""] * width)[:width]))
        if fast is not None:
            layout = _detect_layout(header, [cells for _, cells in rows], qualtrics)
            resolver = _Resolver(layout.header or header, layout.aliases)
            fast.wanted = {index for name in names for index in resolver.find(name)}

    for number, cells, other in rows_in:
        if not other and not any(cell.strip() for cell in cells):
            continue
        if raw is None:
            raw = [cell.strip() for cell in cells]
            header_row = number
            continue
        if len(early) < 2 and not header:
            early.append((number, cells))  # rows 2-3 are read whole: they decide the layout
            if len(early) == 2:
                settle()
            continue
        if len(cells) < len(header):
            cells.extend([""] * (len(header) - len(cells)))
        rows.append((number, cells[: len(header)]))
    if raw is None:
        return None
    if not header:
        settle()
    return _Table(header, rows, "row", header_number=header_row)


def _last_filled(cells: Sequence[str]) -> int:
    """1 + the index of the last non-blank cell (0 when all are blank)."""
    for index in range(len(cells) - 1, -1, -1):
        if cells[index].strip():
            return index + 1
    return 0


def _reason(exc: Exception) -> str:
    text = str(exc).strip()
    return text.splitlines()[0][:120] if text else type(exc).__name__


def _read_xlsx(path: Path, names: Sequence[str], qualtrics: bool | None = None) -> _Table:
    """Read the active sheet with the fast reader (only the `names` columns), else with openpyxl."""
    check_office_zip(path, "xlsx")
    from lo_codebook.ingest.xlsx import XlsxRows, openpyxl_rows  # lxml/openpyxl: load on demand

    try:
        fast = XlsxRows(path)
        table = _sheet_table(fast, names, fast, qualtrics)
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
    """Qualtrics row 3: cells like `{"ImportId":"QID4"}` (2016: `{'ImportId': 'QID4'}`)."""
    filled = [cell for cell in cells if cell.strip()]
    hits = sum(1 for cell in filled if _IMPORT_ID.match(cell))
    return hits > 0 and hits * 2 >= len(filled)


# --------------------------------------------------------------------------- layouts

#: Row 2 of a legacy Qualtrics export names the fixed V-columns with these.
_QUALTRICS_LEGACY_FIELDS = frozenset(
    f.casefold()
    for f in (
        "ResponseID", "ResponseSet", "Name", "ExternalDataReference", "EmailAddress",
        "IPAddress", "Status", "StartDate", "EndDate", "Finished",
    )
)  # fmt: skip
_SURVEYMONKEY_META = frozenset(
    f.casefold()
    for f in (
        "Respondent ID", "Collector ID", "Start Date", "End Date", "IP Address",
        "Email Address", "First Name", "Last Name", "Custom Data 1", "Custom Data",
    )
)  # fmt: skip
#: SurveyMonkey row-2 labels of a column that holds typed text.
_SURVEYMONKEY_TEXT_LABELS = ("response", "open-ended response", "other (please specify)", "comment")
#: LimeSurvey's fixed columns: code heading -> full-text heading.
_LIMESURVEY_FIELDS = {
    "id": "Response ID", "submitdate": "Date submitted", "lastpage": "Last page",
    "startlanguage": "Start language", "seed": "Seed", "startdate": "Date started",
    "datestamp": "Date last action", "ipaddr": "IP address", "refurl": "Referrer URL",
    "token": "Access code",
}  # fmt: skip
#: What the respondent-id column is called in some header row of the tools above.
_ID_HEADINGS = frozenset(
    {"responseid", "response id", "respondent id", "respondentid", "_recordid", "id"}
)

_LAYOUT_NOTES = {
    "qualtrics": "Qualtrics layout detected (question texts from row 2, ImportId row skipped).",
    "qualtrics-2016": "Qualtrics 2016 (Insights) layout detected (question texts from row 2, ImportId row skipped).",
    "qualtrics-legacy": "Qualtrics legacy layout detected (V1, V2… columns; field names and question texts from row 2).",
    "qualtrics-2row": "Qualtrics layout (question texts from row 2).",
    "surveymonkey": "SurveyMonkey layout detected (questions from row 1, answer labels from row 2).",
    "limesurvey": "LimeSurvey export detected (column codes and heading texts both accepted).",
}


@dataclass
class _Layout:
    """How a sheet's first rows are to be read."""

    kind: str = "plain"
    header_rows: int = 0  # rows after the header row that are header rows too
    labels: dict[str, str] = field(default_factory=dict)  # column -> question text
    aliases: dict[str, int] = field(default_factory=dict)  # other name -> column index
    header: list[str] | None = None  # column names to use instead of row 1

    @property
    def qualtrics(self) -> bool:
        return self.kind.startswith("qualtrics")


def _clean(text: str) -> str:
    return " ".join(text.split())


def _labels(header: list[str], row: list[str]) -> dict[str, str]:
    return {
        name: _clean(label)
        for name, label in zip(header, row, strict=False)
        if name and label.strip()
    }


def _label_aliases(header: list[str], labels: dict[str, str]) -> dict[str, int]:
    """A question text / field name also names its column, when no other column has it."""
    taken = {name.casefold() for name in header if name}
    counts: dict[str, int] = {}
    for label in labels.values():
        counts[label.casefold()] = counts.get(label.casefold(), 0) + 1
    return {
        label: header.index(name)
        for name, label in labels.items()
        if counts[label.casefold()] == 1 and label.casefold() not in taken
    }


def _legacy_v_columns(header: list[str]) -> int:
    count = 0
    while count < len(header) and header[count].strip() == f"V{count + 1}":
        count += 1
    return count


def _is_legacy_qualtrics(header: list[str], first: list[str]) -> bool:
    """Row 1 `V1, V2, …`; row 2 names those columns ResponseID, ResponseSet, … ."""
    count = _legacy_v_columns(header)
    if count < 2:
        return False
    fields = {first[i].strip().casefold() for i in range(min(count, len(first)))}
    return "responseid" in fields or len(fields & _QUALTRICS_LEGACY_FIELDS) >= 2


def _is_surveymonkey(header: list[str], first: list[str]) -> bool:
    """Row 1 has SurveyMonkey's metadata names; row 2 is blank under them, labels elsewhere."""
    folded = [name.strip().casefold() for name in header]
    if "respondent id" not in folded:
        return False
    meta = [i for i, name in enumerate(folded) if name in _SURVEYMONKEY_META]
    if any(i < len(first) and first[i].strip() for i in meta):
        return False
    return any(cell.strip() for i, cell in enumerate(first) if i not in meta)


def _surveymonkey_layout(header: list[str], first: list[str]) -> _Layout:
    """One name per column: the question for a one-column question, `question - label` for
    each column of a longer one (the question alone names its text column, if it has one)."""
    folded = [name.strip().casefold() for name in header]
    groups: list[list[int]] = []
    for index, name in enumerate(header):
        if folded[index] in _SURVEYMONKEY_META or name.strip() or not groups:
            groups.append([index])
        else:
            groups[-1].append(index)
    names = list(header)
    labels: dict[str, str] = {}
    aliases: dict[str, int] = {}
    for group in groups:
        question = _clean(header[group[0]])
        subs = [_clean(first[i]) if i < len(first) else "" for i in group]
        if folded[group[0]] in _SURVEYMONKEY_META or not question:
            continue
        if len(group) == 1:
            names[group[0]] = question
            plain = subs[0].casefold() in ("", "response", "open-ended response")
            labels[question] = question if plain else f"{question} ({subs[0]})"
            continue
        texts = [
            i
            for i, sub in zip(group, subs, strict=True)
            if sub.casefold().startswith(_SURVEYMONKEY_TEXT_LABELS)
        ]
        for position, (index, sub) in enumerate(zip(group, subs, strict=True)):
            names[index] = f"{question} - {sub or position + 1}"
            labels[names[index]] = f"{question} ({sub})" if sub else question
        if len(texts) == 1:
            aliases[question] = texts[0]
    return _Layout("surveymonkey", 1, labels, aliases, names)


def _limesurvey_aliases(header: list[str]) -> dict[str, int] | None:
    """Aliases between LimeSurvey's code and text headings, or None for another file."""
    folded = {name.strip().casefold(): i for i, name in enumerate(header)}
    by_text = {text.casefold(): code for code, text in _LIMESURVEY_FIELDS.items()}
    codes = sum(1 for code in ("id", "submitdate", "lastpage", "startlanguage") if code in folded)
    texts = sum(
        1
        for code in ("id", "submitdate", "lastpage", "startlanguage")
        if _LIMESURVEY_FIELDS[code].casefold() in folded
    )
    if max(codes, texts) < 3:
        return None
    aliases: dict[str, int] = {}
    for name, index in folded.items():
        if name in _LIMESURVEY_FIELDS:
            aliases[_LIMESURVEY_FIELDS[name]] = index
        elif name in by_text:
            aliases[by_text[name]] = index
    return aliases


def _detect_layout(
    header: list[str], first_rows: list[list[str]], qualtrics: bool | None
) -> _Layout:
    """The layout of a sheet from its header and first two rows; `qualtrics` True forces a
    Qualtrics reading (three rows if row 3 holds ImportIds, else two), False rules it out."""
    first = first_rows[0] if first_rows else None
    second = first_rows[1] if len(first_rows) > 1 else None
    if qualtrics is not False and first is not None:
        if second is not None and _is_import_id_row(second):
            single = any(
                _IMPORT_ID.match(cell) and _IMPORT_ID.match(cell).group(1) == "'" for cell in second
            )  # type: ignore[union-attr]
            labels = _labels(header, first)
            return _Layout(
                "qualtrics-2016" if single else "qualtrics",
                2,
                labels,
                _label_aliases(header, labels),
            )
        if _is_legacy_qualtrics(header, first):
            labels = _labels(header, first)
            return _Layout("qualtrics-legacy", 1, labels, _label_aliases(header, labels))
        if qualtrics:
            labels = _labels(header, first)
            return _Layout("qualtrics-2row", 1, labels, _label_aliases(header, labels))
    if first is not None and _is_surveymonkey(header, first):
        return _surveymonkey_layout(header, first)
    aliases = _limesurvey_aliases(header)
    if aliases is not None:
        return _Layout("limesurvey", aliases=aliases)
    return _Layout()


def _is_header_row(cells: list[str], id_index: int, id_names: set[str]) -> bool:
    """A row that repeats a header: ImportIds, the id column's own heading in the id column,
    or (id empty) nothing but SurveyMonkey answer labels."""
    if _is_import_id_row(cells):
        return True
    respondent = _clean(cells[id_index]).casefold() if id_index < len(cells) else ""
    if respondent:
        return respondent in id_names
    filled = [_clean(c).casefold() for c in cells if c.strip()]
    return bool(filled) and all(c in _SURVEYMONKEY_TEXT_LABELS for c in filled)


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
    telling = [
        n for n in shown if n in labels and _plain(labels[n]) != _plain(n) and labels[n].strip()
    ]
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
    """Find requested columns by exact header name, else by a unique case-insensitive match,
    else by another name the layout gives the column (a question text, a field name)."""

    def __init__(self, header: list[str], aliases: dict[str, int] | None = None):
        self.header = header
        self.exact: dict[str, list[int]] = {}
        self.folded: dict[str, list[int]] = {}
        self.aliases = {_clean(name).casefold(): index for name, index in (aliases or {}).items()}
        for index, name in enumerate(header):
            if name:
                self.exact.setdefault(name, []).append(index)
                self.folded.setdefault(name.casefold(), []).append(index)

    def find(self, name: str) -> list[int]:
        name = name.strip()
        found = self.exact.get(name) or self.folded.get(name.casefold(), [])
        if not found and _clean(name).casefold() in self.aliases:
            found = [self.aliases[_clean(name).casefold()]]
        return found


def _resolve_columns(
    table: _Table,
    path: Path,
    id_col: str,
    text_cols: Sequence[str],
    attr_cols: Sequence[str],
    labels: dict[str, str],
    aliases: dict[str, int] | None = None,
) -> _Columns:
    resolver = _Resolver(table.header, aliases)
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

    `attr_cols` entries are `COL` or `COL=NAME`. The layout (Qualtrics current, 2016 or
    legacy; SurveyMonkey; LimeSurvey) is detected; `qualtrics` True forces a Qualtrics reading,
    False rules it out. Rows that repeat a header are never respondents (see the module doc).
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
        table = _read_xlsx(path, names, qualtrics)
    elif suffix == ".xls":
        raise UserError("old Excel .xls is not supported; save it as .xlsx or .csv", file=path)
    else:
        raise UserError(
            f"unsupported survey file type '{suffix or path.name}' "
            f"(supported: {', '.join(SURVEY_EXTENSIONS)})",
            file=path,
        )

    layout = _detect_layout(table.header, [cells for _, cells in table.rows[:2]], qualtrics)
    header_rows = [number for number, _ in table.rows[: layout.header_rows]]
    table.rows = table.rows[layout.header_rows :]
    if layout.header is not None:
        table.header = layout.header
    labels = layout.labels

    columns = _resolve_columns(table, path, id_col, text_cols, attr_cols, labels, layout.aliases)
    id_name = table.header[columns.id_index]
    id_names = {
        name.casefold() for name in (id_name, labels.get(id_name, ""), id_col) if name
    } | _ID_HEADINGS
    id_names |= {
        _clean(alias).casefold()
        for alias, index in layout.aliases.items()
        if index == columns.id_index
    }
    single = len(columns.text) == 1
    cases: list[SurveyCase] = []
    documents: list[ParsedDocument] = []
    first_row: dict[str, int] = {}
    skipped = 0
    for number, cells in table.rows:
        if _is_header_row(cells, columns.id_index, id_names):
            header_rows.append(number)
            continue
        respondent = " ".join(cells[columns.id_index].split())
        where = f"{table.unit} {number}, column '{id_name}'"
        if not respondent:
            raise UserError("empty respondent id", file=path, where=where)
        check_name(respondent, "respondent id", file=path, where=where)  # it names a case
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
        qualtrics=layout.qualtrics,
        question_labels=labels,
        encoding=table.encoding,
        delimiter=table.delimiter,
        layout=layout.kind,
        layout_note=_LAYOUT_NOTES.get(layout.kind),
        header_rows=header_rows,
    )


@dataclass
class PlainTable:
    """A plain sheet as strings (one header row): `unit` is "line" (csv) or "row" (xlsx)."""

    header: list[str]
    rows: list[tuple[int, list[str]]]
    unit: str
    header_number: int = 1


def read_table(path: Path, what: str = "a table") -> PlainTable:
    """Every column of a .csv (any delimiter and encoding) or .xlsx with one header row, for
    small side tables (case attributes); survey layouts are not looked for here."""
    path = Path(path)
    if not path.exists():
        raise UserError("file not found", file=path)
    if path.is_dir():
        raise UserError(f"is a folder; give {what} as one .csv or .xlsx file", file=path)
    suffix = path.suffix.lower()
    if suffix in (".csv", ".tsv", ".txt"):
        table = _read_csv(path)
    elif suffix == ".xlsx":
        check_office_zip(path, "xlsx")
        from lo_codebook.ingest.xlsx import XlsxRows, openpyxl_rows

        try:
            found = _sheet_table(XlsxRows(path), [])
        except Exception:  # an unusual (or broken) workbook: let openpyxl have a go
            try:
                found = _sheet_table(openpyxl_rows(path), [])
            except UserError:
                raise
            except Exception as exc:
                raise UserError(f"not a valid .xlsx ({_reason(exc)})", file=path) from None
        if found is None:
            raise UserError("the worksheet is empty", file=path)
        table = found
    elif suffix == ".xls":
        raise UserError("old Excel .xls is not supported; save it as .xlsx or .csv", file=path)
    else:
        raise UserError(
            f"unsupported file type '{suffix or path.name}' (use .csv or .xlsx)", file=path
        )
    return PlainTable(table.header, table.rows, table.unit, table.header_number)
