"""Import operations: files parse completely first, then land in one transaction (all or nothing)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import selectinload

from lo_codebook.core.language import LanguageDetector, LanguageNote
from lo_codebook.core.project import Project, WriteUnit
from lo_codebook.db.models import Case, CaseAttribute, Document, Segment, utcnow
from lo_codebook.db.names import NameIndex, name_key
from lo_codebook.errors import UserError
from lo_codebook.i18n import NOUNS, count
from lo_codebook.i18n import t as translate
from lo_codebook.ingest.base import ParsedDocument
from lo_codebook.safe_output import check_name

Progress = Callable[[int, int], None]


@dataclass
class ImportReport:
    """What an import did, for the CLI summary and the UI notification."""

    documents: list[str] = field(default_factory=list)
    skipped_existing: list[str] = field(default_factory=list)
    cases_created: int = 0
    cases_updated: int = 0
    segments: int = 0
    words: int = 0
    skipped_empty: int = 0
    qualtrics: bool = False
    layout: str = "plain"  # survey layout (see lo_codebook.ingest.survey)
    layout_note: str | None = None
    header_rows: list[int] = field(default_factory=list)  # survey rows read as header rows
    language: LanguageNote | None = None  # set when this import chose the project's language
    layouts: list[tuple[str, str]] = field(default_factory=list)  # (document, "layout: ...")

    def layout_lines(self) -> list[str]:
        """How each imported file was read, e.g. "layout: Otter.ai, 84 turns, 2 speakers"
        (prefixed with the document's name when there are several)."""
        if len(self.layouts) == 1:
            return [self.layouts[0][1]]
        return [f"{name}: {line}" for name, line in self.layouts]

    def summary(self, lang: str = "en") -> str:
        """One line for the terminal, in the output language `lang`."""
        parts = [
            translate(
                "import.documents",
                lang,
                documents=count(len(self.documents), "document", lang, thousands=False),
                words=count(self.words, "word", lang),
                segments=count(self.segments, "segment", lang, thousands=False),
            )
        ]
        if self.cases_created or self.cases_updated:
            cases = count(self.cases_created, "case", lang, thousands=False)
            parts.append(translate("import.cases", lang, cases=cases, updated=self.cases_updated))
        if self.skipped_existing:
            parts.append(translate("import.skipped_existing", lang, n=len(self.skipped_existing)))
        if self.skipped_empty:
            parts.append(
                translate(
                    "import.skipped_empty",
                    lang,
                    answers=count(self.skipped_empty, "empty_answer", lang, thousands=False),
                )
            )
        if self.header_rows:
            rows = ", ".join(map(str, self.header_rows[:10])) + (
                ", …" if len(self.header_rows) > 10 else ""
            )
            n = len(self.header_rows)
            parts.append(
                translate(
                    "import.header_rows",
                    lang,
                    header_rows=count(n, "header_row", lang, thousands=False),
                    rows_word=NOUNS["row"][lang][0 if n == 1 else 1],
                    rows=rows,
                )
            )
        return translate("imported", lang, parts="; ".join(parts))


def content_hash(text: str) -> str:
    """Identity of a text across projects (merge-project matches documents by it)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def count_words(text: str) -> int:
    return len(text.split())


def parse_attr_options(values: Iterable[str]) -> dict[str, str]:
    """`--attr KEY=VALUE` options into a dict, with a clear error for a malformed one."""
    attrs: dict[str, str] = {}
    for value in values:
        key, sep, val = value.partition("=")
        if not sep or not key.strip():
            raise UserError(f"--attr expects KEY=VALUE, got {value!r}")
        attrs[key.strip()] = val.strip()
    return attrs


class _CaseBook:
    """Finds or creates cases by name within one unit of work.

    New cases are inserted in bulk with Core (10,000 respondents in well under a second) and
    recorded for undo; attribute changes of existing cases go through the ORM (audited).
    """

    def __init__(self, unit: WriteUnit, report: ImportReport):
        self.unit = unit
        self.session = unit.session
        self.report = report
        self.cases = NameIndex(
            self.session.scalars(
                select(Case).options(selectinload(Case.attributes)).order_by(Case.id)
            ),
            lambda case: case.name,
        )
        self._touched: set[str] = set()

    def _match(self, wanted: dict[str, dict[str, str]]) -> dict[str, Case]:
        """Existing cases of the wanted names: the exact name, else the same name spelled
        otherwise (case, Unicode form), unless the file itself spells that name two ways:
        then each spelling is its own case (identifiers such as R_aB1 vs R_Ab1)."""
        spellings: dict[str, int] = {}
        for name in wanted:
            spellings[name_key(name)] = spellings.get(name_key(name), 0) + 1
        found: dict[str, Case] = {}
        for name in wanted:
            candidates = self.cases.get(name_key(name), [])
            exact = next((c for c in candidates if c.name == name), None)
            if exact is None and spellings[name_key(name)] == 1:
                exact = self.cases.find(name)
            if exact is not None:
                found[name] = exact
        return found

    def ids_for(self, wanted: dict[str, dict[str, str]]) -> dict[str, int]:
        """Case ids for every name in `wanted` (name -> attributes), creating missing cases."""
        ids: dict[str, int] = {}
        self.existing = self._match(wanted)
        new_names = [name for name in wanted if name not in self.existing]
        if new_names:
            now = utcnow()
            rows = self.session.execute(
                insert(Case).returning(Case.id, sort_by_parameter_order=True),
                [{"name": name, "created": now} for name in new_names],
            ).all()
            new_ids = [row[0] for row in rows]
            self.unit.note_bulk_insert("cases", new_ids)
            ids.update(zip(new_names, new_ids, strict=True))
            attributes = [
                {"case_id": ids[name], "key": key, "value": value}
                for name in new_names
                for key, value in wanted[name].items()
            ]
            if attributes:
                self.session.execute(insert(CaseAttribute), attributes)
            self.report.cases_created += len(new_names)
        for name, attributes in wanted.items():
            case = self.existing.get(name)
            if case is not None:
                ids[name] = case.id
                self._update(case, attributes)
        return ids

    def _update(self, case: Case, attributes: dict[str, str]) -> None:
        current = {attr.key: attr for attr in case.attributes}
        changed = False
        for key, value in attributes.items():
            if key in current:
                if current[key].value != value:
                    current[key].value = value
                    changed = True
            else:
                case.attributes.append(CaseAttribute(key=key, value=value))
                changed = True
        if changed and case.name not in self._touched:
            self.report.cases_updated += 1
            self._touched.add(case.name)


def _store_documents(
    unit: WriteUnit,
    parsed: Sequence[ParsedDocument],
    case_ids: dict[str, int],
    report: ImportReport,
    progress: Progress | None = None,
    files: Sequence[Path] | None = None,
) -> None:
    """Insert new documents and their segments in bulk; identical re-imports are skipped.
    Each new document gets its detected language; the project's is settled at the end."""
    session = unit.session
    languages = LanguageDetector()
    existing = dict(session.execute(select(Document.name, Document.content_hash)).all())
    seen: set[str] = set()
    rows: list[dict[str, object]] = []
    kept: list[ParsedDocument] = []
    now = utcnow()
    for index, doc in enumerate(parsed):
        digest = content_hash(doc.text)
        where = files[index] if files else None
        if doc.name in seen:
            raise UserError(
                f"two documents would be named {doc.name!r}; rename one of the files", file=where
            )
        seen.add(doc.name)
        if doc.name in existing:
            if existing[doc.name] == digest:
                report.skipped_existing.append(doc.name)
                continue
            raise UserError(
                f"a different document named {doc.name!r} is already in the project", file=where
            )
        words = count_words(doc.text)
        rows.append(
            {
                "name": doc.name,
                "case_id": case_ids.get(doc.case) if doc.case is not None else None,
                "kind": doc.kind,
                "source_format": doc.source_format,
                "question": doc.question,
                "text": doc.text,
                "content_hash": digest,
                "words": words,
                "language": languages.document(doc.text, doc.kind),
                "created": now,
            }
        )
        kept.append(doc)
        report.documents.append(doc.name)
        report.words += words
        report.segments += len(doc.segments)
    if not rows:
        return
    ids = [
        row[0]
        for row in session.execute(
            insert(Document).returning(Document.id, sort_by_parameter_order=True), rows
        ).all()
    ]
    unit.note_bulk_insert("document", ids)
    segments = [
        {
            "document_id": doc_id,
            "start": seg.start,
            "end": seg.end,
            "speaker": seg.speaker,
            "timestamp": seg.timestamp,
            "end_timestamp": seg.end_timestamp,
        }
        for doc_id, doc in zip(ids, kept, strict=True)
        for seg in doc.segments
    ]
    if segments:
        session.execute(insert(Segment), segments)
    report.language = languages.settle(session)
    if progress is not None:
        progress(len(parsed), len(parsed))


def import_files(
    project: Project,
    paths: Sequence[str | Path],
    *,
    case: str | None = None,
    attributes: dict[str, str] | None = None,
    progress: Progress | None = None,
    layout: str | None = None,
) -> ImportReport:
    """Import transcripts/texts (files or folders). Each file's case is `case` or its own name.

    `layout` forces a transcript layout (`lo_codebook.ingest.layouts`); by default each file's
    layout is detected, and the report says which one read it.
    """
    from lo_codebook.ingest.registry import collect_files, parse_file

    files = collect_files([Path(p) for p in paths])
    parsed = [parse_file(path, layout=layout) for path in files]
    report = ImportReport()
    attrs = attributes or {}
    if case is not None:
        check_name(case, "case name", where="--case")
    for path, doc in zip(files, parsed, strict=True):
        doc.case = case or doc.case or doc.name
        if case is None and doc.case:
            try:
                check_name(doc.case, "case name", file=path)
            except UserError as exc:
                raise UserError(
                    f"{exc.message}; rename the file or give --case NAME", file=path
                ) from None
    with project.write("import") as unit:
        case_ids = _CaseBook(unit, report).ids_for({doc.case: attrs for doc in parsed if doc.case})
        _store_documents(unit, parsed, case_ids, report, progress, files)
        unit.summary = report.summary()
    imported = set(report.documents)
    report.layouts = [
        (doc.name, line)
        for doc in parsed
        if doc.name in imported and (line := doc.layout_summary()) is not None
    ]
    return report


def _check_survey_lengths(survey: Any, path: Path, id_col: str) -> None:
    """Respondent ids (and the document names made of them) within the database's limits,
    reported at their row: the same on SQLite and PostgreSQL."""
    from lo_codebook.db.limits import check_value, limit

    unit = "row" if survey.delimiter is None else "line"
    rows = {case.name: case.row for case in survey.cases}
    for case in survey.cases:
        check_value(
            "cases", "name", case.name, file=path, where=f"{unit} {case.row}, column {id_col!r}"
        )
    longest = limit("document", "name")
    for doc in survey.documents:
        if len(doc.name) > longest:
            check_value(
                "document",
                "name",
                doc.name,
                file=path,
                where=f"{unit} {rows.get(doc.case or '', '?')}, column {id_col!r}",
            )


def import_survey(
    project: Project,
    path: str | Path,
    *,
    id_col: str,
    text_cols: Sequence[str],
    attr_cols: Sequence[str] = (),
    qualtrics: bool | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Import an open-survey export: one case per respondent, one document per answer."""
    from lo_codebook.ingest.survey import read_survey

    survey = read_survey(Path(path), id_col, list(text_cols), list(attr_cols), qualtrics)
    if not survey.cases:
        raise UserError("no respondents: the file has only header rows", file=path)
    _check_survey_lengths(survey, Path(path), id_col)
    report = ImportReport(
        skipped_empty=survey.skipped_empty,
        qualtrics=survey.qualtrics,
        layout=survey.layout,
        layout_note=survey.layout_note,
        header_rows=survey.header_rows,
    )
    with project.write("import-survey") as unit:
        case_ids = _CaseBook(unit, report).ids_for({c.name: c.attributes for c in survey.cases})
        _store_documents(unit, survey.documents, case_ids, report, progress)
        unit.summary = f"{Path(path).name}: {report.summary()}"
    return report
