"""Coding operations: code a span, remove or recode it, memos, and bulk `import-codings`."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from lo_codebook.core.codebook import add_code, find_code, resolve_code
from lo_codebook.core.project import Project
from lo_codebook.db.models import Case, Code, Coder, Coding, Document
from lo_codebook.db.names import NameIndex
from lo_codebook.errors import UserError
from lo_codebook.i18n import count
from lo_codebook.i18n import t as translate
from lo_codebook.safe_output import unescape_cell
from lo_codebook.words import plural


def _quote(text: str, limit: int = 40) -> str:
    """A text in a log line: one line, at most `limit` characters, in quotes."""
    flat = " ".join(text.split())
    return f"“{flat if len(flat) <= limit else flat[: limit - 1] + '…'}”"


def _document(session: Session, document_id: int) -> Document:
    doc = session.get(Document, document_id)
    if doc is None:
        raise UserError(f"document #{document_id} no longer exists")
    return doc


def check_span(
    doc: Document, start: int, end: int, *, file: str | None = None, where: str | None = None
) -> None:
    if not (0 <= start < end <= len(doc.text)):
        raise UserError(
            f"span {start}-{end} is outside document {doc.name!r} (0-{len(doc.text)}) or empty",
            file=file,
            where=where,
        )


def code_span(
    project: Project,
    document_id: int,
    start: int,
    end: int,
    code_id: int,
    *,
    memo: str | None = None,
) -> int:
    """Code `text[start:end]` with a code as the current coder; returns the coding id."""
    with project.write("code") as unit:
        doc = _document(unit.session, document_id)
        check_span(doc, start, end)
        existing = unit.session.scalar(
            select(Coding).where(
                Coding.document_id == doc.id,
                Coding.code_id == code_id,
                Coding.coder_id == unit.coder.id,
                Coding.start == start,
                Coding.end == end,
            )
        )
        if existing is not None:
            raise UserError("this span already has that code")
        coding = Coding(
            document_id=doc.id,
            code_id=code_id,
            coder_id=unit.coder.id,
            start=start,
            end=end,
            memo=memo,
        )
        unit.session.add(coding)
        unit.session.flush()
        unit.summary = f"coded {_quote(doc.text[start:end])} in {doc.name} ({start}-{end}) as {coding.code.name!r}"
        return coding.id


def remove_coding(project: Project, coding_id: int) -> None:
    with project.write("uncode") as unit:
        coding = unit.session.get(Coding, coding_id)
        if coding is None:
            raise UserError(f"coding #{coding_id} no longer exists")
        unit.summary = (
            f"removed {coding.code.name!r} from {coding.document.name} {coding.start}-{coding.end}"
        )
        unit.session.delete(coding)


def recode(project: Project, coding_id: int, code_id: int) -> None:
    with project.write("recode") as unit:
        coding = unit.session.get(Coding, coding_id)
        if coding is None:
            raise UserError(f"coding #{coding_id} no longer exists")
        old = coding.code.name
        coding.code_id = code_id
        unit.session.flush()
        unit.session.refresh(coding)
        unit.summary = f"recoded {old!r} to {coding.code.name!r} in {coding.document.name}"


@dataclass(frozen=True)
class Toggled:
    """What `toggle_whole_document_coding` did."""

    coded: bool  # True: the document now has the code (one whole-document coding was added)
    removed: int  # how many of the coder's codings of the code were removed (0 when coded)
    code: str
    document: str
    coding_id: int | None = None  # the added coding


def toggle_whole_document_coding(project: Project, document_id: int, code_id: int) -> Toggled:
    """Give a document a code as a whole, or take that code off it, for the current coder.

    For survey answers: "does this answer mention the theme, yes or no". When the coder has
    no coding of the code in the document, one coding over the whole text (0 to its end) is
    added; otherwise every coding of that code by this coder in the document (whole or a
    span) is removed, so that the answer no longer counts for the code. Other coders'
    codings are never touched. One transaction and one undoable log entry either way.
    """
    with project.write("code") as unit:
        session = unit.session
        doc = _document(session, document_id)
        code = session.get(Code, code_id)
        if code is None:
            raise UserError(f"code #{code_id} no longer exists")
        mine = list(
            session.scalars(
                select(Coding)
                .where(
                    Coding.document_id == doc.id,
                    Coding.code_id == code.id,
                    Coding.coder_id == unit.coder.id,
                )
                .order_by(Coding.id)
            )
        )
        if mine:
            unit.action = "uncode"
            for coding in mine:
                session.delete(coding)
            spans = "" if len(mine) == 1 else f" ({len(mine)} codings)"
            unit.summary = f"removed {code.name!r} from {doc.name}{spans}"
            return Toggled(False, len(mine), code.name, doc.name)
        check_span(doc, 0, len(doc.text))
        coding = Coding(
            document_id=doc.id, code_id=code.id, coder_id=unit.coder.id, start=0, end=len(doc.text)
        )
        session.add(coding)
        session.flush()
        unit.summary = f"{doc.name} (whole): {code.name}"
        return Toggled(True, 0, code.name, doc.name, coding.id)


def set_coding_memo(project: Project, coding_id: int, memo: str | None) -> None:
    """Replace (None or blank: remove) a coding's memo; `core.memos` owns memos."""
    from lo_codebook.core import memos

    memos.set_coding_memo(project, coding_id, memo)


def add_memo(
    project: Project,
    text: str,
    *,
    document_id: int | None = None,
    code_id: int | None = None,
    case_id: int | None = None,
    title: str = "",
) -> int:
    """A memo on a document, code, case (or, with none, the project); returns its id."""
    from lo_codebook.core import memos

    if document_id is not None:
        target = memos.MemoTarget("document", document_id)
    elif code_id is not None:
        target = memos.MemoTarget("code", code_id)
    elif case_id is not None:
        target = memos.MemoTarget("case", case_id)
    else:
        target = memos.PROJECT
    return int(memos.add_memo(project, target, text, title=title))


@dataclass
class CodingsImportReport:
    codings: int
    duplicates: int
    codes_created: list[str]

    def summary(self, lang: str = "en") -> str:
        """One line for the terminal, in the output language `lang`."""
        text = translate(
            "import.codings", lang, codings=count(self.codings, "coding", lang, thousands=False)
        )
        if self.duplicates:
            text += translate("import.codings_present", lang, n=self.duplicates)
        if self.codes_created:
            text += translate("import.codes_created", lang, codes=", ".join(self.codes_created))
        return text


def import_codings(
    project: Project, path: str | Path, *, coder: str, create_codes: bool = False
) -> CodingsImportReport:
    """Codings from csv: `document` (or `respondent_id`/`case`), `code`, optional `start`,`end`."""
    from lo_codebook.ingest.textio import read_text

    path = Path(path)
    text = read_text(path).text
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        raise UserError("file is empty", file=path) from None
    doc_col = next((c for c in ("document", "respondent_id", "case") if c in header), None)
    if doc_col is None or "code" not in header:
        raise UserError(
            f"needs columns 'document' (or 'respondent_id'/'case') and 'code'; columns are: {', '.join(header)}",
            file=path,
            where="line 1",
        )
    col = {name: i for i, name in enumerate(header)}
    has_span = "start" in col and "end" in col
    report = CodingsImportReport(0, 0, [])
    with project.write("import-codings") as unit:
        session = unit.session
        coder_row = Project.ensure_coder(session, coder)
        docs_by_name = {d.name: d for d in session.scalars(select(Document))}
        docs_by_case: dict[str, list[Document]] = {}
        cases = list(session.scalars(select(Case).order_by(Case.id)))
        for case in cases:
            docs_by_case[case.name] = list(case.documents)
        case_names = NameIndex([c.name for c in cases], lambda name: name)
        existing = set(
            session.execute(
                select(Coding.document_id, Coding.code_id, Coding.start, Coding.end).where(
                    Coding.coder_id == coder_row.id
                )
            ).all()
        )
        code_cache: dict[str, int] = {}
        try:
            first_line = reader.line_num + 1
            for record in reader:
                where = f"line {first_line}"
                spans_lines = reader.line_num > first_line
                first_line = reader.line_num + 1
                if not any(cell.strip() for cell in record):
                    continue
                if spans_lines and any("\n" in cell for cell in record[: len(header)]):
                    raise UserError(
                        "a field runs over several lines: is a quote left open?",
                        file=path,
                        where=where,
                    )
                if len(record) < len(header):
                    raise UserError(
                        f"row has {plural(len(record), 'field')}, the header has {len(header)}",
                        file=path,
                        where=where,
                    )
                # Our CSV exports escape formula-like cells with a leading ': undone here.
                ref = unescape_cell(record[col[doc_col]].strip())
                doc = _lookup_document(
                    ref, doc_col, docs_by_name, docs_by_case, case_names, path, where
                )
                code_name = unescape_cell(record[col["code"]].strip())
                if not code_name:
                    raise UserError("empty code", file=path, where=where)
                code_id = code_cache.get(code_name)
                if code_id is None:
                    code = find_code(session, code_name, file=str(path), where=where)
                    if code is None:
                        if not create_codes:
                            raise UserError(
                                f"unknown code {code_name!r} (use --create-codes to add it)",
                                file=path,
                                where=where,
                            )
                        try:
                            code = add_code(unit, code_name)
                        except UserError as exc:
                            if exc.file is not None:
                                raise
                            raise UserError(exc.message, file=path, where=where) from None
                        report.codes_created.append(code_name)
                    code_id = code_cache[code_name] = code.id
                start, end = 0, len(doc.text)
                if has_span and record[col["start"]].strip():
                    try:
                        start, end = int(record[col["start"]]), int(record[col["end"]])
                    except ValueError:
                        raise UserError(
                            "start/end must be whole numbers", file=path, where=where
                        ) from None
                check_span(doc, start, end, file=str(path), where=where)
                key = (doc.id, code_id, start, end)
                if key in existing:
                    report.duplicates += 1
                    continue
                existing.add(key)
                session.add(
                    Coding(
                        document_id=doc.id,
                        code_id=code_id,
                        coder_id=coder_row.id,
                        start=start,
                        end=end,
                        origin="imported",
                    )
                )
                report.codings += 1
        except csv.Error as exc:
            raise UserError(
                f"malformed CSV ({exc})", file=path, where=f"line {reader.line_num}"
            ) from exc
        unit.summary = f"{path.name} as {coder}: {report.summary()}"
    return report


def _lookup_document(
    ref: str,
    column: str,
    by_name: dict[str, Document],
    by_case: dict[str, list[Document]],
    case_names: NameIndex[str],
    path: Path,
    where: str,
) -> Document:
    doc = by_name.get(ref)
    if doc is not None:
        return doc
    case_name = ref if ref in by_case else case_names.find(ref)
    docs = by_case.get(case_name, []) if case_name is not None else []
    if len(docs) == 1:
        return docs[0]
    if len(docs) > 1:
        names = ", ".join(sorted(d.name for d in docs)[:5])
        raise UserError(
            f"case {ref!r} has several documents ({names}); name the document",
            file=path,
            where=where,
        )
    raise UserError(f"unknown {column} {ref!r}", file=path, where=where)


def coder_names(session: Session) -> list[str]:
    return list(session.scalars(select(Coder.name).order_by(Coder.name)))


__all__ = [
    "add_memo",
    "code_span",
    "import_codings",
    "recode",
    "remove_coding",
    "resolve_code",
    "set_coding_memo",
    "toggle_whole_document_coding",
]
