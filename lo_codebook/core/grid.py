"""The survey grid's data: which answers match the filters, what each row shows, the pinned keys.

Survey answers (documents of kind "survey") are the rows. The UI asks for the ordered ids
that match its filters once (one indexed query), then for the rows it is about to draw, a
window at a time: a 10,000-answer project never loads 10,000 texts. Codes and "no code yet"
are the current coder's (the grid is where a coder codes), pending suggestions anyone's.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, bindparam, func, select
from sqlalchemy.orm import Session

from lo_codebook.core.code_tree import subtree_ids
from lo_codebook.core.project import Project
from lo_codebook.core.queries import CodeNode
from lo_codebook.db import models
from lo_codebook.errors import UserError
from lo_codebook.words import plural

SURVEY = "survey"
ALL, UNCODED, CODED, PENDING = "all", "uncoded", "coded", "pending"
STATUSES = (ALL, UNCODED, CODED, PENDING)
KEYS = 9
PREVIEW_CHARS = 400
CHUNK = 500
_PINS_KEY = "grid.keys:"
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class GridFilter:
    """What the grid shows: an attribute value, a code (with its sub-codes), a status."""

    attribute: tuple[str, str] | None = None
    code_id: int | None = None
    status: str = ALL  # all, uncoded (by this coder), coded (by this coder), pending suggestions

    @property
    def active(self) -> bool:
        return self.attribute is not None or self.code_id is not None or self.status != ALL


@dataclass(frozen=True)
class AnswerRow:
    """One row of the grid: an answer, its case attributes, this coder's codes, pending codes."""

    id: int
    name: str
    case: str | None
    preview: str  # the start of the text on one line (whitespace collapsed)
    length: int
    words: int = 0
    question: str | None = None
    attributes: dict[str, str] = field(default_factory=dict)
    codes: tuple[int, ...] = ()  # this coder's codes on the answer, in the order they were given
    pending: tuple[int, ...] = ()  # codes with a pending suggestion on the answer


def _coder_id(session: Session, coder: str) -> int | None:
    return session.scalar(select(models.Coder.id).where(models.Coder.name == coder))


def answer_ids(session: Session, coder: str, flt: GridFilter = GridFilter()) -> list[int]:
    """The ids of the survey answers that pass `flt`, in import order (plain Core: 10,000 ids
    come back as fast as SQLite reads them)."""
    if flt.status not in STATUSES:
        raise UserError(f"unknown grid filter {flt.status!r}; use one of {', '.join(STATUSES)}")
    doc, attr, coding, sugg = (
        models.Document.__table__.c,
        models.CaseAttribute.__table__.c,
        models.Coding.__table__.c,
        models.Suggestion.__table__.c,
    )
    query = select(doc.id).where(doc.kind == SURVEY)
    if flt.attribute is not None:
        key, value = flt.attribute
        query = query.where(
            doc.case_id.in_(select(attr.case_id).where(attr.key == key, attr.value == value))
        )
    coder_id = _coder_id(session, coder)
    mine = select(coding.document_id).where(
        coding.coder_id == (coder_id if coder_id is not None else -1)
    )
    if flt.code_id is not None:
        query = query.where(
            doc.id.in_(mine.where(coding.code_id.in_(subtree_ids(session, flt.code_id))))
        )
    if flt.status == UNCODED:
        query = query.where(doc.id.not_in(mine))
    elif flt.status == CODED:
        query = query.where(doc.id.in_(mine))
    elif flt.status == PENDING:
        query = query.where(doc.id.in_(select(sugg.document_id).where(sugg.status == "pending")))
        from lo_codebook.core.validation import blind_documents

        blind = blind_documents(
            session, coder
        )  # their suggestions are not shown: not "pending" either
        if blind:
            query = query.where(doc.id.not_in(sorted(blind)))
    return list(session.execute(query.order_by(doc.id)).scalars().all())


def answer_count(session: Session) -> int:
    """How many survey answers the project has."""
    return int(session.scalar(select(func.count()).where(models.Document.kind == SURVEY)) or 0)


def existing(session: Session, ids: Sequence[int]) -> set[int]:
    """Which of `ids` are still survey answers (after an undo of an import, for instance)."""
    out: set[int] = set()
    doc = models.Document.__table__.c
    for start in range(0, len(ids), CHUNK):
        chunk = list(ids[start : start + CHUNK])
        out.update(
            session.execute(select(doc.id).where(doc.id.in_(chunk), doc.kind == SURVEY))
            .scalars()
            .all()
        )
    return out


def sticky_ids(session: Session, coder: str, flt: GridFilter, shown: Sequence[int]) -> list[int]:
    """The answers that pass `flt` plus those of `shown` that still exist, in import order:
    after a change, rows on screen stay (a coded answer under "no code yet") until the user
    changes the filters."""
    ids = answer_ids(session, coder, flt)
    passing = set(ids)
    others = [doc for doc in shown if doc not in passing]
    if not others:
        return ids
    return sorted(passing | existing(session, others))


def _row_statements() -> tuple[Select[Any], Select[Any], Select[Any], Select[Any]]:
    """The four queries behind `answer_rows`, built once on the tables (plain Core, expanding
    IN parameters): reading one row after a toggle then costs little more than SQLite."""
    doc, case, attr = (
        models.Document.__table__.c,
        models.Case.__table__.c,
        models.CaseAttribute.__table__.c,
    )
    coding, coder, sugg = (
        models.Coding.__table__.c,
        models.Coder.__table__.c,
        models.Suggestion.__table__.c,
    )
    rows = (
        select(
            doc.id,
            doc.name,
            doc.case_id,
            case.name,
            func.substr(doc.text, 1, PREVIEW_CHARS),
            func.length(doc.text),
            doc.words,
            doc.question,
        )
        .select_from(
            models.Document.__table__.outerjoin(models.Case.__table__, case.id == doc.case_id)
        )
        .where(doc.id.in_(bindparam("ids", expanding=True)))
    )
    attributes = (
        select(attr.case_id, attr.key, attr.value)
        .where(attr.case_id.in_(bindparam("case_ids", expanding=True)))
        .order_by(attr.case_id, attr.key)
    )
    codes = (
        select(coding.document_id, coding.code_id)
        .select_from(
            models.Coding.__table__.join(models.Coder.__table__, coder.id == coding.coder_id)
        )
        .where(
            coding.document_id.in_(bindparam("ids", expanding=True)),
            coder.name == bindparam("coder"),
        )
        .group_by(coding.document_id, coding.code_id)
        .order_by(coding.document_id, func.min(coding.id))
    )
    pending = (
        select(sugg.document_id, sugg.code_id)
        .where(sugg.document_id.in_(bindparam("ids", expanding=True)), sugg.status == "pending")
        .group_by(sugg.document_id, sugg.code_id)
        .order_by(sugg.document_id, func.max(sugg.score).desc())
    )
    return rows, attributes, codes, pending


_ROWS, _ATTRIBUTES, _CODES, _PENDING = _row_statements()


def answer_rows(session: Session, ids: Sequence[int], coder: str) -> dict[int, AnswerRow]:
    """The rows for `ids` (a window the grid is about to draw): four small queries."""
    ids = list(ids)
    if not ids:
        return {}
    base: dict[int, tuple[Any, ...]] = {}
    codes: dict[int, list[int]] = {}
    pending: dict[int, list[int]] = {}
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        for doc_id, *rest in session.execute(_ROWS, {"ids": chunk}).all():
            base[doc_id] = tuple(rest)
        for doc_id, code_id in session.execute(_CODES, {"ids": chunk, "coder": coder}).all():
            codes.setdefault(doc_id, []).append(code_id)
        for doc_id, code_id in session.execute(_PENDING, {"ids": chunk}).all():
            pending.setdefault(doc_id, []).append(code_id)
    case_ids = sorted({values[1] for values in base.values() if values[1] is not None})
    attributes: dict[int, dict[str, str]] = {}
    for start in range(0, len(case_ids), CHUNK):
        for case_id, key, value in session.execute(
            _ATTRIBUTES, {"case_ids": case_ids[start : start + CHUNK]}
        ).all():
            attributes.setdefault(case_id, {})[key] = value
    from lo_codebook.core.validation import blind_documents

    blind = blind_documents(session, coder)  # validation sample: no suggestions shown yet
    rows: dict[int, AnswerRow] = {}
    for doc_id, (name, case_id, case, preview, length, words, question) in base.items():
        mine = tuple(codes.get(doc_id, ()))
        if doc_id in blind:
            pending[doc_id] = []
        rows[doc_id] = AnswerRow(
            id=doc_id,
            name=name,
            case=case,
            preview=_SPACE.sub(" ", preview or "").strip(),
            length=int(length or 0),
            words=int(words or 0),
            question=question,
            attributes=attributes.get(case_id, {}) if case_id is not None else {},
            codes=mine,
            pending=tuple(c for c in pending.get(doc_id, ()) if c not in mine),
        )
    return rows


@dataclass(frozen=True)
class GridShape:
    """What the columns need: the attribute keys of the answers' cases and their widths."""

    attributes: dict[str, int]  # key -> widest value (characters)
    name_width: int
    total: int


def grid_shape(session: Session) -> GridShape:
    """Attribute columns (every key a survey answer's case has) and column widths, in SQL."""
    doc, attr = models.Document.__table__.c, models.CaseAttribute.__table__.c
    total, name_width = session.execute(
        select(func.count(), func.max(func.length(doc.name))).where(doc.kind == SURVEY)
    ).one()
    widths: dict[str, int] = {}
    if total:
        surveyed = (
            select(doc.case_id).where(doc.kind == SURVEY, doc.case_id.is_not(None)).distinct()
        )
        widths = {
            key: max(int(width or 0), len(key))
            for key, width in session.execute(
                select(attr.key, func.max(func.length(attr.value)))
                .where(attr.case_id.in_(surveyed))
                .group_by(attr.key)
                .order_by(attr.key)
            )
        }
    return GridShape(widths, int(name_width or 0), int(total or 0))


def change_mark(session: Session) -> int:
    """The newest log entry: every change to the project writes one, so a screen that was
    away can tell whether it has anything to catch up on."""
    return int(session.scalar(select(func.max(models.AuditEntry.id))) or 0)


# number keys ----------------------------------------------------------------------------------
def default_keys(codes: Sequence[CodeNode]) -> list[int]:
    """The codebook's first nine themes (codes without sub-codes), in codebook order."""
    parents = {c.parent_id for c in codes if c.parent_id is not None}
    return [c.id for c in codes if c.id not in parents][:KEYS]


def pinned_codes(session: Session, coder: str) -> list[int]:
    """The codes this coder pinned to the number keys (empty: none pinned)."""
    row = session.get(models.Setting, _pins_key(coder))
    if row is None:
        return []
    try:
        value = json.loads(row.value)
    except ValueError:
        return []
    return [int(v) for v in value if isinstance(v, int)][:KEYS] if isinstance(value, list) else []


def key_codes(session: Session, coder: str, codes: Sequence[CodeNode]) -> tuple[list[int], bool]:
    """What keys 1-9 toggle: the coder's pinned codes that still exist, else the first nine
    themes; and whether they are pinned."""
    known = {c.id for c in codes}
    pinned = [c for c in pinned_codes(session, coder) if c in known]
    if pinned:
        return pinned, True
    return default_keys(codes), False


def set_pinned_codes(project: Project, code_ids: Iterable[int]) -> list[int]:
    """Pin up to nine codes to the number keys for the current coder ([] unpins: the first
    nine themes again). A preference, not work: kept in the project, not undone by undo."""
    pins: list[int] = []
    for code_id in code_ids:
        if code_id not in pins:
            pins.append(int(code_id))
    if len(pins) > KEYS:
        raise UserError(f"at most {KEYS} codes fit on the number keys; unpin one first")
    with project.write("pin codes", undoable=False) as unit:
        session = unit.session
        found = (
            set(session.scalars(select(models.Code.id).where(models.Code.id.in_(pins))))
            if pins
            else set()
        )
        missing = [c for c in pins if c not in found]
        if missing:
            raise UserError(f"code #{missing[0]} no longer exists")
        key = _pins_key(project.coder_name)
        row = session.get(models.Setting, key)
        if not pins:
            if row is not None:
                session.delete(row)
        elif row is None:
            session.add(models.Setting(key=key, value=json.dumps(pins)))
        else:
            row.value = json.dumps(pins)
        unit.summary = f"{project.coder_name} pinned {plural(len(pins), 'code')} to the number keys"
    return pins


def _pins_key(coder: str) -> str:
    return (_PINS_KEY + coder)[:100]


__all__ = [
    "ALL",
    "CODED",
    "PENDING",
    "UNCODED",
    "AnswerRow",
    "GridFilter",
    "GridShape",
    "answer_count",
    "answer_ids",
    "answer_rows",
    "change_mark",
    "default_keys",
    "existing",
    "grid_shape",
    "key_codes",
    "pinned_codes",
    "set_pinned_codes",
    "sticky_ids",
]
