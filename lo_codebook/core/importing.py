"""Import operations: files parse completely first, then land in one transaction (all or nothing)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from lo_codebook.core.project import Project
from lo_codebook.db.models import Case, CaseAttribute, Document, Segment
from lo_codebook.errors import UserError
from lo_codebook.ingest.base import ParsedDocument, SurveyCase

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

    def summary(self) -> str:
        parts = [f"{len(self.documents)} documents ({self.words:,} words, {self.segments} segments)"]
        if self.cases_created or self.cases_updated:
            parts.append(f"{self.cases_created} cases created, {self.cases_updated} updated")
        if self.skipped_existing:
            parts.append(f"{len(self.skipped_existing)} already in the project, skipped")
        if self.skipped_empty:
            parts.append(f"{self.skipped_empty} empty answers skipped")
        return "imported " + "; ".join(parts)


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
    """Finds or creates cases by name within one session, loading existing ones once."""

    def __init__(self, session: Session, report: ImportReport):
        self.session = session
        self.report = report
        self.by_name: dict[str, Case] = {
            case.name: case for case in session.scalars(select(Case)).all()
        }
        self._touched: set[str] = set()

    def get(self, name: str, attributes: dict[str, str]) -> Case:
        case = self.by_name.get(name)
        if case is None:
            case = Case(name=name)
            case.attributes = [CaseAttribute(key=k, value=v) for k, v in attributes.items()]
            self.session.add(case)
            self.by_name[name] = case
            self.report.cases_created += 1
            self._touched.add(name)
            return case
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
        if changed and name not in self._touched:
            self.report.cases_updated += 1
            self._touched.add(name)
        return case


def _store_documents(
    session: Session,
    parsed: Sequence[ParsedDocument],
    case_for: Callable[[ParsedDocument], Case | None],
    report: ImportReport,
    progress: Progress | None = None,
    files: Sequence[Path] | None = None,
) -> None:
    existing = dict(session.execute(select(Document.name, Document.content_hash)).all())
    seen: dict[str, int] = {}
    for index, doc in enumerate(parsed):
        digest = content_hash(doc.text)
        where = files[index] if files else None
        if doc.name in seen:
            raise UserError(
                f"two documents would be named {doc.name!r}; rename one of the files", file=where
            )
        seen[doc.name] = index
        if doc.name in existing:
            if existing[doc.name] == digest:
                report.skipped_existing.append(doc.name)
                continue
            raise UserError(
                f"a different document named {doc.name!r} is already in the project", file=where
            )
        words = count_words(doc.text)
        document = Document(
            name=doc.name,
            kind=doc.kind,
            source_format=doc.source_format,
            question=doc.question,
            text=doc.text,
            content_hash=digest,
            words=words,
            case=case_for(doc),
            segments=[
                Segment(
                    start=s.start,
                    end=s.end,
                    speaker=s.speaker,
                    timestamp=s.timestamp,
                    end_timestamp=s.end_timestamp,
                )
                for s in doc.segments
            ],
        )
        session.add(document)
        report.documents.append(doc.name)
        report.words += words
        report.segments += len(doc.segments)
        if progress is not None:
            progress(index + 1, len(parsed))


def import_files(
    project: Project,
    paths: Sequence[str | Path],
    *,
    case: str | None = None,
    attributes: dict[str, str] | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Import transcripts/texts (files or folders). Each file's case is `case` or its own name."""
    from lo_codebook.ingest.registry import collect_files, parse_file

    files = collect_files([Path(p) for p in paths])
    parsed = [parse_file(path) for path in files]
    report = ImportReport()
    attrs = attributes or {}
    with project.write("import") as unit:
        cases = _CaseBook(unit.session, report)
        _store_documents(
            unit.session,
            parsed,
            lambda doc: cases.get(case or doc.case or doc.name, attrs),
            report,
            progress,
            files,
        )
        unit.summary = report.summary()
    return report


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
    report = ImportReport(skipped_empty=survey.skipped_empty, qualtrics=survey.qualtrics)
    with project.write("import-survey") as unit:
        cases = _CaseBook(unit.session, report)
        by_name: dict[str, SurveyCase] = {c.name: c for c in survey.cases}
        case_objs = {c.name: cases.get(c.name, c.attributes) for c in survey.cases}
        _store_documents(
            unit.session,
            survey.documents,
            lambda doc: case_objs[doc.case] if doc.case in by_name else None,
            report,
            progress,
        )
        unit.summary = f"{Path(path).name}: {report.summary()}"
    return report
