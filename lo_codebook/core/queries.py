"""Read-only queries that the CLI and UI share: counts, document listings, coding views."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lo_codebook.db.models import Case, Code, Coder, Coding, Document, Suggestion
from lo_codebook.db.names import name_key


def codings_in_reading_order(*columns: Any) -> Any:
    """`select(columns)` over codings joined with their code and coder, in reading order.

    Reading order (document, start, end, code name, coder name) is what quotes and
    retrieved passages share, so exports and the UI list a passage's codings alike.
    """
    return (
        select(*columns)
        .select_from(Coding)
        .join(Code, Code.id == Coding.code_id)
        .join(Coder, Coder.id == Coding.coder_id)
        .order_by(Coding.document_id, Coding.start, Coding.end, Code.name, Coder.name)
    )


def status_counts(session: Session) -> dict[str, int]:
    """The SPEC's `status --format json` object."""

    def count(model: Any) -> int:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)

    return {
        "cases": count(Case),
        "documents": count(Document),
        "codes": count(Code),
        "codings": count(Coding),
        "suggestions": count(Suggestion),
        "coders": count(Coder),
    }


def documents_listing(
    session: Session, *, with_text: bool = True, coder: str | None = None
) -> list[dict[str, Any]]:
    """The SPEC's `documents --format json` rows, in import order.

    Plain column queries, not ORM objects: 100,000 documents must list in seconds. When
    `coder` has a validation sample, every row adds `"sample"`: "blind" (theirs to code by
    hand, not done yet), "done", or None (not in the sample).
    """
    marks: dict[int, str] = {}
    if coder is not None:
        from lo_codebook.core.validation import sample_marks

        marks = sample_marks(session, coder)
    from lo_codebook.db.models import CaseAttribute, Segment

    attributes: dict[int, dict[str, str]] = {}
    for case_id, key, value in session.execute(
        select(CaseAttribute.case_id, CaseAttribute.key, CaseAttribute.value).order_by(
            CaseAttribute.case_id, CaseAttribute.key
        )
    ):
        attributes.setdefault(case_id, {})[key] = value
    segments: dict[int, list[dict[str, Any]]] = {}
    for doc_id, speaker, start, end, timestamp in session.execute(
        select(
            Segment.document_id, Segment.speaker, Segment.start, Segment.end, Segment.timestamp
        ).order_by(Segment.document_id, Segment.start)
    ):
        segments.setdefault(doc_id, []).append(
            {"speaker": speaker, "start": start, "end": end, "timestamp": timestamp}
        )
    columns = [
        Document.id,
        Document.name,
        Case.name,
        Document.case_id,
        Document.kind,
        Document.words,
    ]
    if with_text:
        columns.append(Document.text)
    rows = []
    for row in session.execute(
        select(*columns).outerjoin(Case, Case.id == Document.case_id).order_by(Document.id)
    ):
        record: dict[str, Any] = {
            "name": row[1],
            "case": row[2],
            "kind": row[4],
            "words": row[5],
            "attributes": attributes.get(row[3], {}) if row[3] is not None else {},
        }
        if with_text:
            record["text"] = row[6]
        record["segments"] = segments.get(row[0], [])
        if marks:
            record["sample"] = marks.get(row[0])
        rows.append(record)
    return rows


@dataclass(frozen=True)
class DocumentSummary:
    """One line of the UI's document list."""

    id: int
    name: str
    case: str | None
    kind: str
    words: int
    codings: int
    pending: int
    sample: str = ""  # "blind" / "done": in the viewing coder's validation sample


def _filtered(query: Any, attribute: tuple[str, str] | None, code_id: int | None) -> Any:
    if attribute is not None:
        from lo_codebook.db.models import CaseAttribute

        query = query.join(CaseAttribute, CaseAttribute.case_id == Document.case_id).where(
            CaseAttribute.key == attribute[0], CaseAttribute.value == attribute[1]
        )
    if code_id is not None:
        query = query.where(
            Document.id.in_(select(Coding.document_id).where(Coding.code_id == code_id))
        )
    return query


def document_ids(
    session: Session,
    *,
    attribute: tuple[str, str] | None = None,
    code_id: int | None = None,
    coder: str | None = None,
) -> list[int]:
    """The ids of the documents list, in its order (the UI fetches the rows it shows).

    Read as plain rows and sorted here: unordered, the database may answer from a small
    index instead of reading every document's text (200,000 documents: 0.1 s, not 0.7 s).
    With a code filter and `coder`, a document of the coder's validation sample not yet done
    is listed only when the coder's own coding lets it through (blind mode)."""
    query = _filtered(select(Document.id), attribute, code_id)
    ids = sorted(row[0] for row in session.connection().execute(query))
    if code_id is None or coder is None:
        return ids
    from lo_codebook.core.validation import BLIND, sample_marks

    blind = {doc for doc, mark in sample_marks(session, coder).items() if mark == BLIND}
    if not blind:
        return ids
    own = _coded_by(session, coder, sorted(blind), code_id)
    return [doc for doc in ids if doc not in blind or doc in own]


def _coded_by(session: Session, coder: str, documents: Sequence[int], code_id: int) -> set[int]:
    """Which of `documents` `coder` has coded with `code_id` (what a blind code filter may
    let through)."""
    return set(
        session.scalars(
            select(Coding.document_id)
            .join(Coder, Coder.id == Coding.coder_id)
            .where(
                Coder.name_key == name_key(coder),
                Coding.document_id.in_(documents),
                Coding.code_id == code_id,
            )
        )
    )


def document_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Document)) or 0


def document_summaries(
    session: Session,
    *,
    attribute: tuple[str, str] | None = None,
    code_id: int | None = None,
    ids: Sequence[int] | None = None,
    coder: str | None = None,
) -> list[DocumentSummary]:
    """Documents with coding/suggestion counts, optionally filtered by a case attribute or code,
    or just the documents `ids` (counted for those alone: one page of a long list).

    With `coder` (the one looking), their validation sample is marked, and on its documents
    not yet done only their own codings count and no suggestion does (blind mode)."""
    coded = select(Coding.document_id, func.count().label("n"))
    waiting = select(Suggestion.document_id, func.count().label("n")).where(
        Suggestion.status == "pending"
    )
    if ids is not None:
        coded = coded.where(Coding.document_id.in_(ids))
        waiting = waiting.where(Suggestion.document_id.in_(ids))
    codings = coded.group_by(Coding.document_id).subquery()
    pending = waiting.group_by(Suggestion.document_id).subquery()
    query = (
        select(
            Document.id,
            Document.name,
            Case.name,
            Document.kind,
            Document.words,
            func.coalesce(codings.c.n, 0),
            func.coalesce(pending.c.n, 0),
        )
        .outerjoin(Case, Document.case_id == Case.id)
        .outerjoin(codings, codings.c.document_id == Document.id)
        .outerjoin(pending, pending.c.document_id == Document.id)
        .order_by(Document.id)
    )
    if ids is not None:
        query = query.where(Document.id.in_(ids))
    query = _filtered(query, attribute, code_id)
    summaries = [DocumentSummary(*row) for row in session.execute(query).all()]
    if coder is not None:
        summaries = _as_seen_by(session, summaries, coder, code_id)
    return summaries


def _as_seen_by(
    session: Session, summaries: list[DocumentSummary], coder: str, code_id: int | None
) -> list[DocumentSummary]:
    """`summaries` as `coder` may see them: sample documents marked, blind ones with only the
    coder's own codings counted, no pending suggestions, and left out of a code filter that
    only another coder's coding let through."""
    from dataclasses import replace

    from lo_codebook.core.validation import BLIND, sample_marks

    marks = sample_marks(session, coder)
    if not marks:
        return summaries
    blind = sorted(doc for doc, mark in marks.items() if mark == BLIND)
    own: dict[int, int] = {}
    own_with_code: set[int] = set()
    if blind:
        mine = (
            select(Coding.document_id, func.count())
            .join(Coder, Coder.id == Coding.coder_id)
            .where(Coder.name_key == name_key(coder), Coding.document_id.in_(blind))
        )
        own = dict(session.execute(mine.group_by(Coding.document_id)).all())  # type: ignore[arg-type]
        if code_id is not None:
            own_with_code = _coded_by(session, coder, blind, code_id)
    out = []
    for doc in summaries:
        mark = marks.get(doc.id, "")
        if mark == BLIND:
            if code_id is not None and doc.id not in own_with_code:
                continue
            doc = replace(doc, codings=int(own.get(doc.id, 0)), pending=0)
        out.append(replace(doc, sample=mark) if mark else doc)
    return out


def attribute_values(session: Session) -> dict[str, list[str]]:
    """Every case attribute and its distinct values (for filters and `--by` choices)."""
    from lo_codebook.db.models import CaseAttribute

    out: dict[str, list[str]] = {}
    for key, value in session.execute(
        select(CaseAttribute.key, CaseAttribute.value).distinct().order_by(CaseAttribute.key)
    ):
        out.setdefault(key, []).append(value)
    return {k: sorted(v) for k, v in out.items()}


@dataclass(frozen=True)
class SpanView:
    """A coding or suggestion as the document view draws it."""

    id: int
    start: int
    end: int
    code_id: int
    code: str
    color: str | None
    coder: str | None = None
    score: float | None = None
    method: str | None = None
    memo: str | None = None


@dataclass
class DocumentDetail:
    """Everything the document view needs in one query batch."""

    id: int
    name: str
    case: str | None
    kind: str
    text: str
    segments: list[tuple[int, int, str | None, float | None]]
    codings: list[SpanView]
    suggestions: list[SpanView]


def document_detail(
    session: Session, document_id: int, *, coder: str | None = None, blind: bool = False
) -> DocumentDetail | None:
    """A document with its segments, codings (optionally one coder's) and pending suggestions
    (none when `blind`: see `document_spans`)."""
    doc = session.get(Document, document_id)
    if doc is None:
        return None
    codings, suggestions = document_spans(session, document_id, coder=coder, blind=blind)
    return DocumentDetail(
        id=doc.id,
        name=doc.name,
        case=doc.case.name if doc.case else None,
        kind=doc.kind,
        text=doc.text,
        segments=[(s.start, s.end, s.speaker, s.timestamp) for s in doc.segments],
        codings=codings,
        suggestions=suggestions,
    )


@dataclass(frozen=True)
class CodeNode:
    """A codebook entry with live counts, for the codebook tree."""

    id: int
    name: str
    parent_id: int | None
    color: str | None
    description: str
    keywords: tuple[str, ...]
    documents: int
    mentions: int
    pending: int


def codebook_tree(session: Session, *, coder: str | None = None) -> list[CodeNode]:
    """All codes (parents before children, siblings by position/name) with their counts.

    With `coder` (the one looking), counts leave out what their validation sample hides
    until done: suggestions and other coders' codings on those documents (blind mode)."""
    hidden_codings = hidden_documents = None
    if coder is not None:
        from lo_codebook.core.validation import blind_documents, coding_hidden

        hidden_codings = coding_hidden(session, coder)
        blind = blind_documents(session, coder)
        hidden_documents = Suggestion.document_id.in_(sorted(blind)) if blind else None
    coded = select(Coding.code_id, func.count(func.distinct(Coding.document_id)), func.count())
    if hidden_codings is not None:
        coded = coded.where(~hidden_codings)
    counts = dict(
        (code_id, (docs, mentions))
        for code_id, docs, mentions in session.execute(coded.group_by(Coding.code_id)).all()
    )
    waiting = select(Suggestion.code_id, func.count()).where(Suggestion.status == "pending")
    if hidden_documents is not None:
        waiting = waiting.where(~hidden_documents)
    pending = dict(session.execute(waiting.group_by(Suggestion.code_id)).all())  # type: ignore[arg-type]
    codes = session.scalars(select(Code).order_by(Code.position, Code.name)).all()
    children: dict[int | None, list[Code]] = {}
    for code in codes:
        children.setdefault(code.parent_id, []).append(code)
    ordered: list[CodeNode] = []

    def walk(parent_id: int | None) -> None:
        for code in children.get(parent_id, []):
            docs, mentions = counts.get(code.id, (0, 0))
            ordered.append(
                CodeNode(
                    code.id,
                    code.name,
                    code.parent_id,
                    code.color,
                    code.description,
                    tuple(code.keywords),
                    docs,
                    mentions,
                    pending.get(code.id, 0),
                )
            )
            walk(code.id)

    walk(None)
    return ordered


def recent_codes(session: Session, coder: str, *, limit: int = 9) -> list[int]:
    """The codes this coder used most recently (newest first), for the UI's number keys."""
    rows = session.execute(
        select(Coding.code_id, func.max(Coding.id).label("last"))
        .join(Coder, Coder.id == Coding.coder_id)
        .where(Coder.name_key == name_key(coder))
        .group_by(Coding.code_id)
        .order_by(func.max(Coding.id).desc())
        .limit(limit)
    ).all()
    return [int(code_id) for code_id, _last in rows]


def suggestion_statuses(session: Session, ids: list[int]) -> dict[int, str]:
    """Current status of the given suggestions (missing ids were deleted)."""
    out: dict[int, str] = {}
    for chunk_start in range(0, len(ids), 500):
        chunk = ids[chunk_start : chunk_start + 500]
        out.update(
            (int(i), str(s))
            for i, s in session.execute(
                select(Suggestion.id, Suggestion.status).where(Suggestion.id.in_(chunk))
            )
        )
    return out


# The code columns of a span, named as `SpanView` names them: each row builds one by name.
_SPAN_CODE = (Code.id.label("code_id"), Code.name.label("code"), Code.color)


def document_spans(
    session: Session, document_id: int, *, coder: str | None = None, blind: bool = False
) -> tuple[list[SpanView], list[SpanView]]:
    """Just the codings and pending suggestions of a document (as `document_detail` has them).

    The UI re-reads these after every coding; skipping the text and the segments keeps that
    fast for a long transcript with thousands of codings. `blind` (a validation sample
    document not yet done): `coder`'s own codings only and no suggestions.
    """
    if blind and coder is None:
        raise ValueError("blind needs the coder whose codings to show")
    coding_rows = session.execute(
        select(
            Coding.id, Coding.start, Coding.end, *_SPAN_CODE, Coder.name.label("coder"), Coding.memo
        )
        .join(Code, Code.id == Coding.code_id)
        .join(Coder, Coder.id == Coding.coder_id)
        .where(
            Coding.document_id == document_id,
            *([Coder.name_key == name_key(coder)] if coder else []),
        )
        .order_by(Coding.start, Coding.end)
    ).all()
    suggestion_rows = (
        []
        if blind
        else session.execute(
            select(
                Suggestion.id,
                Suggestion.start,
                Suggestion.end,
                *_SPAN_CODE,
                Suggestion.score,
                Suggestion.method,
            )
            .join(Code, Code.id == Suggestion.code_id)
            .where(Suggestion.document_id == document_id, Suggestion.status == "pending")
            .order_by(Suggestion.start, Suggestion.end)
        ).all()
    )
    return (
        [SpanView(**row._asdict()) for row in coding_rows],
        [SpanView(**row._asdict()) for row in suggestion_rows],
    )
