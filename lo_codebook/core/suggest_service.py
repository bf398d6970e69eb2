"""Suggestions: run the engine over the project, list them, accept or reject them.

The engine (lo_codebook.nlp) is pure; this module feeds it the codebook, the documents, the
coders' codings (learning) and past decisions, and stores what it proposes: never a second
copy of a suggestion, never one that a coder already rejected.
"""

from __future__ import annotations

import re
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import chain
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from lo_codebook.core.project import Project
from lo_codebook.db.bulk import insert_rows
from lo_codebook.db.models import Case, Code, Coding, Document, Segment, Suggestion
from lo_codebook.errors import UserError
from lo_codebook.i18n import count as counted
from lo_codebook.i18n import format_number, method_name
from lo_codebook.i18n import t as translate
from lo_codebook.words import plural

Progress = Callable[[int, int], None]
STATUSES = ("pending", "accepted", "rejected", "all")


def _default_accept_score() -> float:
    from lo_codebook.nlp.match import DEFAULT_ACCEPT_SCORE as engine_default

    return float(engine_default)


DEFAULT_ACCEPT_SCORE = _default_accept_score()


@dataclass
class SuggestReport:
    documents: int = 0
    words: int = 0
    new: int = 0
    already_known: int = 0
    already_coded: int = 0
    by_method: Counter[str] = field(default_factory=Counter)
    by_code: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0

    def summary(self, lang: str = "en") -> str:
        """One line for the terminal, in the output language `lang`."""
        methods = ", ".join(
            f"{method_name(m, lang)} {n}" for m, n in sorted(self.by_method.items())
        )
        methods = methods or translate("suggest.none", lang)
        return translate(
            "suggest.summary",
            lang,
            documents=counted(self.documents, "document", lang, thousands=False),
            words=counted(self.words, "word", lang),
            seconds=format_number(self.seconds, lang, 1),
            new=counted(self.new, "new_suggestion", lang, thousands=False),
            methods=methods,
            known=self.already_known,
            coded=self.already_coded,
        )


def _leaf_codes(session: Session) -> list[Code]:
    codes = session.scalars(select(Code)).all()
    parents = {c.parent_id for c in codes if c.parent_id is not None}
    return [c for c in codes if c.id not in parents]


def run_suggest(
    project: Project,
    *,
    document_ids: Sequence[int] | None = None,
    min_score: float | None = None,
    span: str = "sentence",
    progress: Progress | None = None,
    workers: int | None = None,
) -> SuggestReport:
    """Run keyword, fuzzy and learned matching; store new pending suggestions.

    workers: processes for the engine (None: the cores, for a large corpus, where forking
    is safe; 1: this process only). The suggestions are the same for any number.
    """
    from lo_codebook.nlp.match import (
        CodedExample,
        CodeSpec,
        Decision,
        DocumentInput,
        SuggestionEngine,
        default_workers,
    )

    project.require_writable("suggest")  # before the engine's work, not after it
    started = time.perf_counter()
    report = SuggestReport()
    project_language = project.language
    with project.read() as session:
        leaves = _leaf_codes(session)
        if not leaves:
            raise UserError(
                "the codebook is empty: import one first (lo-codebook codebook import FILE)"
            )
        specs = [
            CodeSpec(
                id=c.id,
                name=c.name,
                keywords=list(c.keywords),
                parent=c.parent.name if c.parent else None,
                description=c.description or "",
            )
            for c in leaves
        ]
        doc_query = select(
            Document.id, Document.text, Document.kind, Document.words, Document.language
        )
        if document_ids is not None:
            doc_query = doc_query.where(Document.id.in_(list(document_ids)))
        doc_rows = session.execute(doc_query.order_by(Document.id)).all()
        segments: dict[int, list[tuple[int, int, str | None]]] = {}
        seg_query = select(
            Segment.document_id, Segment.start, Segment.end, Segment.speaker
        ).order_by(Segment.document_id, Segment.start)
        for doc_id, start, end, speaker in session.execute(seg_query):
            segments.setdefault(doc_id, []).append((start, end, speaker))
        documents = [
            DocumentInput(id=r.id, text=r.text, segments=segments.get(r.id, []), kind=r.kind)
            for r in doc_rows
        ]
        # Mixed-language projects: each document in its own language (detected on import),
        # else the project's; one engine per language.
        groups: dict[str, list[DocumentInput]] = {}
        for r, d in zip(doc_rows, documents, strict=True):
            groups.setdefault(r.language or project_language, []).append(d)
        report.documents = len(documents)
        report.words = sum(r.words for r in doc_rows)
        examples = [
            CodedExample(document_id=d, code_id=c, start=s, end=e)
            for d, c, s, e in session.execute(
                select(Coding.document_id, Coding.code_id, Coding.start, Coding.end)
            )
        ]
        decisions = [
            Decision(code_id=c, pattern=p, accepted=(st == "accepted"))
            for c, p, st in session.execute(
                select(Suggestion.code_id, Suggestion.pattern, Suggestion.status).where(
                    Suggestion.status != "pending"
                )
            )
        ]
        # Read before the keys: a suggestion stored meanwhile has a higher id (see below).
        seen_up_to = session.scalar(select(func.max(Suggestion.id))) or 0
        known = set(
            session.execute(
                select(Suggestion.document_id, Suggestion.code_id, Suggestion.start, Suggestion.end)
            ).all()
        )
        coded: dict[tuple[int, int], list[tuple[int, int]]] = {}
        for d, c, s, e in session.execute(
            select(Coding.document_id, Coding.code_id, Coding.start, Coding.end)
        ):
            coded.setdefault((d, c), []).append((s, e))
        # Learning needs every coded document, also those outside `document_ids`.
        by_id = {d.id: d for d in documents}
        missing = {e.document_id for e in examples} - by_id.keys()
        if missing:
            for r in session.execute(
                select(Document.id, Document.text, Document.kind).where(Document.id.in_(missing))
            ):
                by_id[r.id] = DocumentInput(
                    id=r.id, text=r.text, segments=segments.get(r.id, []), kind=r.kind
                )

    runs = []  # (engine, its documents, documents before them) per language, project's first
    done_before = 0
    for lang in sorted(groups or {project_language: []}, key=lambda g: (g != project_language, g)):
        engine = SuggestionEngine(specs, lang=lang, span=span)
        engine.observe(groups.get(lang, []))
        if examples or decisions:
            engine.learn(examples, by_id, decisions)
        runs.append((engine, groups.get(lang, []), done_before))
        done_before += len(groups.get(lang, []))
    parts = chain.from_iterable(
        engine.suggest_parts(
            docs,
            min_score=STORE_SCORE if min_score is None else min_score,
            workers=workers
            if workers is not None
            else default_workers(sum(len(d.text) for d in docs)),
            progress=_shifted(progress, before, len(documents)),
        )
        for engine, docs, before in runs
    )
    # The first part is computed before the write transaction (which holds SQLite's write
    # lock); with workers, later parts are stored as they arrive, inside the transaction.
    first = next(parts, [])
    created = datetime.now(UTC)
    with project.write("suggest", undoable=False) as unit:
        # Another `suggest` at the same moment stores first; this one then leaves out what
        # that one stored (it read the project before either wrote).
        unit.serialise("suggest")
        known.update(
            unit.session.execute(
                select(
                    Suggestion.document_id, Suggestion.code_id, Suggestion.start, Suggestion.end
                ).where(Suggestion.id > seen_up_to)
            ).all()
        )
        for proposals in chain([first], parts):
            rows = _new_rows(proposals, known, coded, report)
            # derived rows, no ORM bookkeeping needed: straight to the driver
            stored = insert_rows(
                unit.session.connection(),
                Suggestion.__table__,
                _SUGGESTION_COLUMNS,
                rows,
                constants={"status": "pending", "created": created},
                skip_existing=_SUGGESTION_KEY,
            )
            # Only a writer that does not take the lock above can get here first.
            report.new -= len(rows) - stored
            report.already_known += len(rows) - stored
        report.seconds = time.perf_counter() - started
        unit.summary = report.summary()
    return report


def _shifted(progress: Progress | None, before: int, total: int) -> Progress | None:
    """One language group's progress as part of the whole run's."""
    if progress is None:
        return None
    whole = progress
    return lambda done, _n: whole(before + done, total)


def _new_rows(
    proposals: Iterable,
    known: set[tuple],
    coded: dict[tuple[int, int], list[tuple[int, int]]],
    report: SuggestReport,
) -> list[tuple]:
    """Rows to insert: not suggested (or decided) before, not inside an existing coding."""
    rows: list[tuple] = []
    for p in proposals:
        key = (p.document_id, p.code_id, p.start, p.end)
        if key in known:
            report.already_known += 1
            continue
        if any(s < p.end and p.start < e for s, e in coded.get((p.document_id, p.code_id), ())):
            report.already_coded += 1
            continue
        known.add(key)
        rows.append(
            (
                p.document_id,
                p.code_id,
                p.start,
                p.end,
                float(p.score),
                p.method,
                p.evidence,
                p.pattern[:_PATTERN_LENGTH],
            )
        )
        report.by_method[p.method] += 1
        report.new += 1
    rows.sort()  # in the unique index's order: SQLite appends instead of inserting at random
    return rows


_SUGGESTION_COLUMNS = (
    "document_id",
    "code_id",
    "start",
    "end",
    "score",
    "method",
    "evidence",
    "pattern",
)
_SUGGESTION_KEY = ("document_id", "code_id", "start", "end")
#: A pattern (the keyword or phrase that matched) is stored up to the column's length.
_PATTERN_LENGTH: int = Suggestion.__table__.c.pattern.type.length  # type: ignore[attr-defined]


@dataclass(frozen=True)
class SuggestionRow:
    """A suggestion with what a reviewer needs: the span text and its sentence in context."""

    id: int
    document_id: int
    document: str
    case: str | None
    code_id: int
    code: str
    start: int
    end: int
    score: float
    method: str
    evidence: str
    text: str
    context_start: int
    context: str
    status: str
    pattern: str = ""

    @classmethod
    def of(
        cls, sugg: Suggestion, text: str, *, document: str, case: str | None, code: str
    ) -> SuggestionRow:
        """The row for a stored suggestion; `text` is its document's whole text."""
        stored = {name: getattr(sugg, name) for name in ("id", "status", *_SUGGESTION_COLUMNS)}
        stored["pattern"] = sugg.pattern or ""
        left, context = _context(text, sugg.start, sugg.end)
        return cls(
            **stored,
            document=document,
            case=case,
            code=code,
            text=text[sugg.start : sugg.end],
            context_start=left,
            context=context,
        )

    def as_record(self) -> dict[str, object]:
        """The SPEC's `suggestions` row."""
        return {
            "document": self.document,
            "case": self.case,
            "code": self.code,
            "start": self.start,
            "end": self.end,
            "score": round(self.score, 1),
            "method": self.method,
            "evidence": self.evidence_label,
            "text": self.text,
        }

    @property
    def evidence_label(self) -> str:
        """What produced the suggestion, for a reviewer: "description: intimidatie"."""
        return evidence_label(self.method, self.pattern, self.evidence)


def _context(text: str, start: int, end: int, width: int = 160) -> tuple[int, str]:
    left = max(0, start - width)
    right = min(len(text), end + width)
    cut = text.rfind("\n", left, start)
    if cut != -1:
        left = cut + 1
    cut = text.find("\n", end, right)
    if cut != -1:
        right = cut
    return left, text[left:right]


#: A score the engine is least sure about: as likely right as wrong.
UNCERTAIN_SCORE = 50.0
#: `suggest` stores suggestions from this score up unless told otherwise: below it a
#: suggestion is more likely wrong than right (`--min-score 0` keeps them all).
STORE_SCORE = 50.0


def evidence_label(method: str, pattern: str, matched: str) -> str:
    """`method: term` (plus the words found, when they differ from the term)."""
    base = re.split(r"[|~]", pattern or "", maxsplit=1)[0] or matched
    label = f"{method}: {base}"
    if matched and matched.casefold() != base.casefold():
        label += f" ({matched})"
    return label


def list_suggestions(
    session: Session,
    *,
    status: str = "pending",
    code_id: int | None = None,
    code: str | None = None,
    document_id: int | None = None,
    min_score: float | None = None,
    limit: int | None = None,
    order: str = "document",
    exclude_documents: Iterable[int] = (),
) -> list[SuggestionRow]:
    """Suggestions in review order: by document, then position, then score; `order`
    "uncertain" puts first those nearest `UNCERTAIN_SCORE` (a decision there teaches the
    engine most), "score" the highest first."""
    if status not in STATUSES:
        raise UserError(
            f"unknown status {status!r}; use one of {', '.join(STATUSES)}", where="--status"
        )
    query = (
        select(Suggestion, Document.name, Document.text, Case.name, Code.name)
        .join(Document, Document.id == Suggestion.document_id)
        .outerjoin(Case, Case.id == Document.case_id)
        .join(Code, Code.id == Suggestion.code_id)
    )
    if status != "all":
        query = query.where(Suggestion.status == status)
    if code is not None:
        from lo_codebook.core.codebook import resolve_code

        code_id = resolve_code(session, code, where="--code").id
    if code_id is not None:
        query = query.where(Suggestion.code_id == code_id)
    if document_id is not None:
        query = query.where(Suggestion.document_id == document_id)
    excluded = list(exclude_documents)
    if excluded:  # e.g. the reviewer's validation sample, which they code blind
        query = query.where(Suggestion.document_id.not_in(excluded))
    if min_score is not None:
        query = query.where(Suggestion.score >= min_score)
    if order == "uncertain":
        query = query.order_by(
            func.abs(Suggestion.score - UNCERTAIN_SCORE),
            Suggestion.document_id,
            Suggestion.start,
            Suggestion.id,
        )
    elif order == "score":
        query = query.order_by(
            Suggestion.score.desc(), Suggestion.document_id, Suggestion.start, Suggestion.id
        )
    elif order == "document":
        query = query.order_by(Suggestion.document_id, Suggestion.start, Suggestion.score.desc())
    else:
        raise UserError(
            f"unknown order {order!r}; use document, uncertain or score", where="--order"
        )
    if limit is not None:
        query = query.limit(limit)
    return [
        SuggestionRow.of(sugg, text, document=doc_name, case=case_name, code=code_name)
        for sugg, doc_name, text, case_name, code_name in session.execute(query)
    ]


def visible_suggestions(
    session: Session, coder: str, **filters: Any
) -> tuple[list[SuggestionRow], int]:
    """`list_suggestions(**filters)` as `coder` may see them, and how many were held back:
    those on their validation sample documents not marked done (blind mode), whatever the
    status, so the listing reveals nothing of what the engine proposed there."""
    from lo_codebook.core.validation import blind_documents

    rows = list_suggestions(session, **filters)
    blind = blind_documents(session, coder)
    shown = [row for row in rows if row.document_id not in blind]
    return shown, len(rows) - len(shown)


def _apply_decisions(
    session: Session, suggestions: Iterable[Suggestion], coder_id: int, accept: bool
) -> int:
    now = datetime.now(UTC)
    existing: set[tuple[int, int, int, int]] | None = None
    count = 0
    for sugg in suggestions:
        if sugg.status != "pending":
            continue
        sugg.status = "accepted" if accept else "rejected"
        sugg.decided_by_id = coder_id
        sugg.decided_at = now
        count += 1
        if not accept:
            continue
        if existing is None:
            existing = set(
                session.execute(
                    select(Coding.document_id, Coding.code_id, Coding.start, Coding.end).where(
                        Coding.coder_id == coder_id
                    )
                ).all()
            )
        key = (sugg.document_id, sugg.code_id, sugg.start, sugg.end)
        if key not in existing:
            existing.add(key)
            session.add(
                Coding(
                    document_id=sugg.document_id,
                    code_id=sugg.code_id,
                    coder_id=coder_id,
                    start=sugg.start,
                    end=sugg.end,
                    origin="accepted",
                )
            )
    return count


def _claim_pending(
    session: Session, query: Select[tuple[Suggestion]], *, skip_locked: bool
) -> list[Suggestion]:
    """The pending suggestions `query` selects, locked until this transaction ends, so that each
    is decided exactly once when coders decide at the same moment.

    PostgreSQL: `FOR UPDATE` makes a concurrent decision on the same rows wait and then see
    them decided (`status = 'pending'` is checked again on the committed row); with
    `skip_locked` (bulk review) rows another coder is deciding are left to them. SQLite: the
    write transaction already holds the database's write lock (BEGIN IMMEDIATE).
    """
    query = (
        query.where(Suggestion.status == "pending")
        .order_by(Suggestion.id)
        .with_for_update(skip_locked=skip_locked)
        .execution_options(populate_existing=True)
    )
    return list(session.scalars(query))


def decide(
    project: Project, suggestion_ids: Sequence[int], *, accept: bool, require_known: bool = False
) -> int:
    """Accept (codings for the current coder) or reject the given pending suggestions.

    Returns how many this call decided: a suggestion someone else decided a moment ago
    (another coder's review screen) is left as they decided it and not counted. One on the
    coder's own validation sample, not marked done yet, is refused (UserError, nothing
    decided): that sample is coded by hand, blind. `require_known` (ids a user typed): an id
    that is no suggestion is an error too.
    """
    from lo_codebook.core.validation import refuse_blind_decisions

    verb = "accept" if accept else "reject"
    with project.write(verb) as unit:
        if require_known:
            known = set(
                unit.session.scalars(
                    select(Suggestion.id).where(Suggestion.id.in_(list(suggestion_ids)))
                )
            )
            unknown = [i for i in suggestion_ids if i not in known]
            if unknown:
                raise UserError(
                    f"no suggestion {unknown[0]} (the ids: lo-codebook suggestions --format json)",
                    where="ID",
                )
        refuse_blind_decisions(unit.session, unit.coder.name, suggestion_ids)
        query = select(Suggestion).where(Suggestion.id.in_(list(suggestion_ids)))
        rows = _claim_pending(unit.session, query, skip_locked=False)
        count = _apply_decisions(unit.session, rows, unit.coder.id, accept)
        unit.summary = f"{verb}ed {plural(count, 'suggestion')}"
    return count


def decide_matching(
    project: Project, *, accept: bool, min_score: float | None = None, code: str | None = None
) -> int:
    """Bulk review: every pending suggestion, or those at/above a score and/or of one code.

    Suggestions on the coder's own validation sample (documents not yet marked done) stay
    pending: that sample is coded by hand, blind, or it cannot measure what the engine misses.
    """
    from lo_codebook.core.validation import blind_documents

    verb = "accept" if accept else "reject"
    with project.write(verb) as unit:
        query = select(Suggestion).where(Suggestion.status == "pending")
        blind = blind_documents(unit.session, unit.coder.name)
        if blind:
            query = query.where(Suggestion.document_id.not_in(sorted(blind)))
        if min_score is not None:
            query = query.where(Suggestion.score >= min_score)
        if code is not None:
            from lo_codebook.core.codebook import resolve_code

            query = query.where(
                Suggestion.code_id == resolve_code(unit.session, code, where="--code").id
            )
        # Rows another coder's bulk decision holds right now are theirs: skipped, not waited on.
        rows = _claim_pending(unit.session, query, skip_locked=True)
        count = _apply_decisions(unit.session, rows, unit.coder.id, accept)
        filters = []
        if min_score is not None:
            filters.append(f"score >= {min_score:g}")
        if code is not None:
            filters.append(f"code {code!r}")
        unit.summary = f"{verb}ed {plural(count, 'suggestion')}" + (
            f" ({', '.join(filters)})" if filters else ""
        )
    return count
