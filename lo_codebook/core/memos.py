"""Memos: a researcher's notes on the project, a document, a code, a case or one coding.

Project, document, code and case memos are `Memo` rows (REFI-QDA notes); a coding's memo is
its `Coding.memo` column (one per coding, as REFI-QDA and the other tools keep it). Both are
listed and changed here, each change one audited unit of work, so `undo` takes it back.

A memo is referred to by a short reference that `memos` shows: its number (`12`) for a
`Memo` row, `c` and the coding's number (`c34`) for a coding's memo.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from lo_codebook.core.codebook import resolve_code
from lo_codebook.core.project import Project, WriteUnit
from lo_codebook.db.lookup import find_case
from lo_codebook.db.models import Case, Code, Coder, Coding, Document, Memo
from lo_codebook.errors import UserError
from lo_codebook.words import plural

KINDS = ("project", "document", "code", "case", "coding")
CODING_PREFIX = "c"


@dataclass(frozen=True)
class MemoTarget:
    """What a memo is about: `kind` and the row's id (None for the project)."""

    kind: str
    id: int | None = None


PROJECT = MemoTarget("project")


@dataclass(frozen=True)
class MemoView:
    """One memo as lists show it; `document_id`/`code_id`/`start`/`end` let a UI jump to it."""

    ref: str
    kind: str
    target: str
    coder: str
    text: str
    title: str = ""
    document_id: int | None = None
    code_id: int | None = None
    case_id: int | None = None
    start: int | None = None
    end: int | None = None
    created: datetime | None = None

    def as_json(self) -> dict[str, str]:
        """The `memos --format json` row (SPEC: target, kind, coder, text)."""
        return {"target": self.target, "kind": self.kind, "coder": self.coder, "text": self.text}


#: The `MemoView` fields that are a stored memo's columns as they are.
_MEMO_COLUMNS = ("text", "title", "document_id", "code_id", "case_id", "created")


def coding_label(document: str, start: int, end: int, code: str) -> str:
    """How a coding is named as a memo's target: `interview_01 120-245 (Omgevingswet)`."""
    return f"{document} {start}-{end} ({code})"


def _clean(text: str) -> str:
    """Memo text as stored: NFC, outer blank lines and trailing spaces gone, inner lines kept."""
    lines = [
        line.rstrip()
        for line in unicodedata.normalize("NFC", text).replace("\r\n", "\n").split("\n")
    ]
    return "\n".join(lines).strip("\n")


def _require_text(text: str) -> str:
    cleaned = _clean(text)
    if not cleaned.strip():
        raise UserError("a memo needs some text (to remove one: lo-codebook memo delete REF)")
    return cleaned


def _quote(text: str, limit: int = 40) -> str:
    flat = " ".join(text.split())
    return f"“{flat if len(flat) <= limit else flat[: limit - 1] + '…'}”"


# --------------------------------------------------------------------------- finding targets


def find_document(session: Session, name: str, *, where: str | None = None) -> Document:
    """A document by its exact name (NFC), else by the same name in another letter case."""
    wanted = unicodedata.normalize("NFC", name.strip())
    doc = session.scalar(select(Document).where(Document.name == wanted))
    if doc is not None:
        return doc
    folded = [
        d for d in session.scalars(select(Document)) if d.name.casefold() == wanted.casefold()
    ]
    if len(folded) == 1:
        return folded[0]
    raise UserError(f"unknown document {name!r} (lo-codebook documents lists them)", where=where)


def _parse_span(span: str, where: str) -> tuple[int, int]:
    start, sep, end = span.replace(":", "-").partition("-")
    try:
        if not sep:
            raise ValueError
        return int(start), int(end)
    except ValueError:
        raise UserError(f"expects START-END (e.g. 120-245), got {span!r}", where=where) from None


def resolve_target(
    session: Session,
    coder: str,
    *,
    project: bool = False,
    document: str | None = None,
    code: str | None = None,
    case: str | None = None,
    span: str | None = None,
) -> MemoTarget:
    """The memo target the CLI options name: the project, a document, a code, a case, or with
    both `document` and `code` that code's coding in that document (the current coder's
    first, else the only one; `span` START-END picks one of several)."""
    given = [
        name
        for name, value in (
            ("--project", project),
            ("--document", document),
            ("--code", code),
            ("--case", case),
        )
        if value
    ]
    if document and code and not project and not case:
        return _coding_target(session, coder, document, code, span)
    if span:
        raise UserError("--span names a coding: give it with --document and --code", where="--span")
    if len(given) != 1:
        raise UserError(
            "say what the memo is about: --project, --document NAME, --code NAME or --case NAME "
            "(--document with --code: that coding)",
            where=", ".join(given) or None,
        )
    if project:
        return PROJECT
    if document:
        return MemoTarget("document", find_document(session, document, where="--document").id)
    if code:
        return MemoTarget("code", resolve_code(session, code, where="--code").id)
    assert case is not None
    found = find_case(session, case)
    if found is None:
        raise UserError(f"unknown case {case!r} (lo-codebook cases lists them)", where="--case")
    return MemoTarget("case", found.id)


def _coding_target(
    session: Session, coder: str, document: str, code: str, span: str | None
) -> MemoTarget:
    doc = find_document(session, document, where="--document")
    code_row = resolve_code(session, code, where="--code")
    rows = list(
        session.execute(
            select(Coding.id, Coding.start, Coding.end, Coder.name)
            .join(Coder, Coder.id == Coding.coder_id)
            .where(Coding.document_id == doc.id, Coding.code_id == code_row.id)
            .order_by(Coding.start, Coding.end, Coding.id)
        )
    )
    if span is not None:
        start, end = _parse_span(span, "--span")
        rows = [r for r in rows if (r[1], r[2]) == (start, end)]
    mine = [r for r in rows if r[3] == coder]
    candidates = mine or rows
    if not candidates:
        where = f" at {span}" if span else ""
        raise UserError(
            f"{doc.name!r} has no coding of {code_row.name!r}{where}", where="--document, --code"
        )
    if len({(r[1], r[2]) for r in candidates}) > 1:
        spans = ", ".join(f"{r[1]}-{r[2]}" for r in candidates[:5])
        raise UserError(
            f"{doc.name!r} has {plural(len(candidates), 'coding')} of {code_row.name!r} ({spans}); pick one with --span START-END",
            where="--document, --code",
        )
    return MemoTarget("coding", candidates[0][0])


# --------------------------------------------------------------------------- listing


def list_memos(session: Session, *, target: MemoTarget | None = None) -> list[MemoView]:
    """Every memo (or those on one target): project memos first, then by target and age."""
    coders = dict(session.execute(select(Coder.id, Coder.name)).all())
    docs = dict(session.execute(select(Document.id, Document.name)).all())
    codes = dict(session.execute(select(Code.id, Code.name)).all())
    cases = dict(session.execute(select(Case.id, Case.name)).all())
    out: list[MemoView] = []
    if target is None or target.kind != "coding":
        query = select(Memo).order_by(Memo.id)
        if target is not None:
            column = {
                "project": None,
                "document": Memo.document_id,
                "code": Memo.code_id,
                "case": Memo.case_id,
            }[target.kind]
            if column is None:
                query = query.where(
                    Memo.document_id.is_(None), Memo.code_id.is_(None), Memo.case_id.is_(None)
                )
            else:
                query = query.where(column == target.id)
        for memo in session.scalars(query):
            kind, name = _memo_target(memo, docs, codes, cases)
            out.append(
                MemoView(
                    ref=str(memo.id),
                    kind=kind,
                    target=name,
                    coder=coders.get(memo.coder_id, "") if memo.coder_id else "",
                    **{column: getattr(memo, column) for column in _MEMO_COLUMNS},
                )
            )
    if target is None or target.kind == "coding":
        query = (
            select(
                Coding.id,
                Coding.document_id,
                Coding.code_id,
                Coding.coder_id,
                Coding.start,
                Coding.end,
                Coding.memo,
                Coding.created,
            )
            .where(Coding.memo.is_not(None), Coding.memo != "")
            .order_by(Coding.document_id, Coding.start, Coding.end, Coding.id)
        )
        if target is not None:
            query = query.where(Coding.id == target.id)
        for cid, doc_id, code_id, coder_id, start, end, text, created in session.execute(query):
            out.append(
                MemoView(
                    ref=f"{CODING_PREFIX}{cid}",
                    kind="coding",
                    target=coding_label(docs.get(doc_id, "?"), start, end, codes.get(code_id, "?")),
                    coder=coders.get(coder_id, ""),
                    text=text,
                    document_id=doc_id,
                    code_id=code_id,
                    start=start,
                    end=end,
                    created=created,
                )
            )
    order = {kind: i for i, kind in enumerate(KINDS)}
    out.sort(
        key=lambda m: (
            order[m.kind],
            m.target.casefold() if m.kind != "coding" else "",
            m.created is None,
        )
    )
    return out


def _memo_target(
    memo: Memo, docs: dict[int, str], codes: dict[int, str], cases: dict[int, str]
) -> tuple[str, str]:
    if memo.document_id is not None:
        return "document", docs.get(memo.document_id, "?")
    if memo.code_id is not None:
        return "code", codes.get(memo.code_id, "?")
    if memo.case_id is not None:
        return "case", cases.get(memo.case_id, "?")
    return "project", ""


def memos_on(project: Project, target: MemoTarget) -> list[MemoView]:
    with project.read() as session:
        return list_memos(session, target=target)


def target_name(session: Session, target: MemoTarget) -> str:
    """A target as lists name it (the project: "")."""
    if target.kind == "project":
        return ""
    if target.kind == "coding":
        coding = _coding(session, target.id)
        return coding_label(coding.document.name, coding.start, coding.end, coding.code.name)
    cls = {"document": Document, "code": Code, "case": Case}[target.kind]
    row = session.get(cls, target.id)
    if row is None:
        raise UserError(f"that {target.kind} no longer exists")
    return str(row.name)


# --------------------------------------------------------------------------- changes


def _coding(session: Session, coding_id: int | None) -> Coding:
    coding = session.get(Coding, coding_id) if coding_id is not None else None
    if coding is None:
        raise UserError(f"coding #{coding_id} no longer exists")
    return coding


def _check_target(session: Session, target: MemoTarget) -> None:
    if target.kind not in KINDS:
        raise UserError(f"unknown memo kind {target.kind!r}; use one of {', '.join(KINDS)}")
    if target.kind != "project":
        target_name(session, target)  # raises when it is gone


def _new_memo(unit: WriteUnit, target: MemoTarget, text: str, title: str) -> Memo:
    memo = Memo(text=text, title=title, coder_id=unit.coder.id)
    if target.kind == "document":
        memo.document_id = target.id
    elif target.kind == "code":
        memo.code_id = target.id
    elif target.kind == "case":
        memo.case_id = target.id
    unit.session.add(memo)
    unit.session.flush()
    return memo


def _about(session: Session, target: MemoTarget) -> str:
    name = target_name(session, target)
    return "the project" if target.kind == "project" else f"{target.kind} {name!r}"


def add_memo(project: Project, target: MemoTarget, text: str, *, title: str = "") -> str:
    """Write a memo on `target`; returns its reference. A coding has one memo: a second one is
    added to it as a new paragraph."""
    text = _require_text(text)
    with project.write("memo") as unit:
        session = unit.session
        _check_target(session, target)
        if target.kind == "coding":
            coding = _coding(session, target.id)
            coding.memo = f"{coding.memo}\n\n{text}" if coding.memo else text
            unit.summary = f"wrote a memo on {_about(session, target)}: {_quote(text)}"
            return f"{CODING_PREFIX}{coding.id}"
        memo = _new_memo(unit, target, text, title)
        unit.summary = f"wrote a memo on {_about(session, target)}: {_quote(title or text)}"
        return str(memo.id)


def _parse_ref(ref: str) -> tuple[str, int]:
    value = ref.strip().lstrip("#")
    is_coding = value[:1].lower() == CODING_PREFIX
    number = value[1:] if is_coding else value
    if not number.isdigit():
        raise UserError(
            f"no memo {ref!r}: use the number `lo-codebook memos` shows (e.g. 12, or c34 for a coding's memo)"
        )
    return ("coding" if is_coding else "memo"), int(number)


def edit_memo(project: Project, ref: str, text: str) -> None:
    """Replace a memo's text."""
    text = _require_text(text)
    kind, number = _parse_ref(ref)
    with project.write("memo") as unit:
        if kind == "coding":
            coding = unit.session.get(Coding, number)
            if coding is None or not coding.memo:
                raise UserError(f"no memo {ref!r} (lo-codebook memos lists them)")
            coding.memo = text
            about = _about(unit.session, MemoTarget("coding", number))
        else:
            memo = unit.session.get(Memo, number)
            if memo is None:
                raise UserError(f"no memo {ref!r} (lo-codebook memos lists them)")
            memo.text = text
            about = _about(unit.session, _target_of(memo))
        unit.summary = f"edited the memo on {about}: {_quote(text)}"


def delete_memo(project: Project, ref: str) -> str:
    """Remove a memo; returns what it was about."""
    kind, number = _parse_ref(ref)
    with project.write("memo") as unit:
        if kind == "coding":
            coding = unit.session.get(Coding, number)
            if coding is None or not coding.memo:
                raise UserError(f"no memo {ref!r} (lo-codebook memos lists them)")
            about = _about(unit.session, MemoTarget("coding", number))
            coding.memo = None
        else:
            memo = unit.session.get(Memo, number)
            if memo is None:
                raise UserError(f"no memo {ref!r} (lo-codebook memos lists them)")
            about = _about(unit.session, _target_of(memo))
            unit.session.delete(memo)
        unit.summary = f"deleted the memo on {about}"
        return about


def _target_of(memo: Memo) -> MemoTarget:
    if memo.document_id is not None:
        return MemoTarget("document", memo.document_id)
    if memo.code_id is not None:
        return MemoTarget("code", memo.code_id)
    if memo.case_id is not None:
        return MemoTarget("case", memo.case_id)
    return PROJECT


def my_memo(project: Project, target: MemoTarget) -> MemoView | None:
    """The current coder's memo on `target` (a coding's memo belongs to whoever edits it)."""
    for memo in memos_on(project, target):
        if memo.kind == "coding" or (
            memo.coder == project.coder_name and not memo.title.startswith("Set: ")
        ):
            return memo
    return None


def save_my_memo(project: Project, target: MemoTarget, text: str) -> str:
    """What the memo editor saves: the current coder's memo on `target` gets `text` (created
    when there is none, removed when `text` is blank). One undoable entry, none when nothing
    changes; returns what happened ("saved", "removed" or "unchanged")."""
    cleaned = _clean(text)
    new = cleaned if cleaned.strip() else None
    current = my_memo(project, target)
    if (current.text if current else None) == new:
        return "unchanged"
    with project.write("memo") as unit:
        session = unit.session
        _check_target(session, target)
        about = _about(session, target)
        said = f": {_quote(new)}" if new else ""
        unit.summary = f"{'wrote' if new else 'removed'} the memo on {about}{said}"
        if target.kind == "coding":
            _coding(session, target.id).memo = new
        else:
            mine = _my_memo_row(session, target, unit.coder.id)
            if new is None:
                if mine is not None:
                    session.delete(mine)
            elif mine is None:
                _new_memo(unit, target, new, "")
            else:
                mine.text = new
        return "saved" if new else "removed"


def _my_memo_row(session: Session, target: MemoTarget, coder_id: int) -> Memo | None:
    query = select(Memo).where(Memo.coder_id == coder_id).order_by(Memo.id)
    if target.kind == "project":
        query = query.where(
            Memo.document_id.is_(None),
            Memo.code_id.is_(None),
            Memo.case_id.is_(None),
            ~Memo.title.startswith("Set: "),
        )
    else:
        column = {"document": Memo.document_id, "code": Memo.code_id, "case": Memo.case_id}[
            target.kind
        ]
        query = query.where(column == target.id)
    return session.scalars(query).first()


def set_coding_memo(project: Project, coding_id: int, memo: str | None) -> None:
    """Replace (or with None/blank remove) a coding's memo."""
    save_my_memo(project, MemoTarget("coding", coding_id), memo or "")


__all__ = [
    "KINDS",
    "PROJECT",
    "MemoTarget",
    "MemoView",
    "add_memo",
    "delete_memo",
    "edit_memo",
    "find_document",
    "list_memos",
    "memos_on",
    "my_memo",
    "resolve_target",
    "save_my_memo",
    "set_coding_memo",
    "target_name",
]
