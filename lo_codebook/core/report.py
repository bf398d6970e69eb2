"""`lo-codebook report`: the study's results chapter assembled from the project.

One read of the database fills the plain `analysis.report_model.Report`: sources and N, the
theme tables per kind of source (survey answers, interviews, texts) above the threshold with
the breakdown by a case attribute, two or three quotes per theme, the methods (coders,
agreement, validation, settings) and the codebook. `lo_codebook.analysis.report_render`
writes it as HTML, Markdown or .docx; nothing here knows a file format.

Whose codings count: `--coder` when given (a name, `all`, `consensus`), else the consensus
coding when the project has one, else the default of `themes` (yours when you have codings,
else everyone's pooled). The same project gives the same report apart from its date.
"""

from __future__ import annotations

import bisect
import os
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from itertools import combinations
from typing import Any

import pandas as pd
from sqlalchemy import distinct, exists, func, select
from sqlalchemy.orm import Session

from lo_codebook import __version__
from lo_codebook.analysis.groups import MISSING_LABELS, group_labels, group_sort_key
from lo_codebook.analysis.report_model import (
    AgreementSummary,
    AttributeCount,
    CodebookEntry,
    Methods,
    Quote,
    Report,
    Section,
    ValidationRow,
)
from lo_codebook.analysis.themes import theme_table
from lo_codebook.core.agreement_service import compute_agreement, sentence_spans
from lo_codebook.core.consensus import coder_label, consensus_source
from lo_codebook.core.privacy import (
    Pseudonymiser,
    apply_replacements,
    list_names,
    pseudonymiser_for,
)
from lo_codebook.core.project import Project
from lo_codebook.core.themes_service import KINDS, CoderScope, coder_scope, load_frames
from lo_codebook.db.models import Case, CaseAttribute, Code, Coder, Coding, Document, Segment
from lo_codebook.errors import UserError

DEFAULT_ABOVE = 10
QUOTES_PER_THEME = 3
QUOTE_MIN_WORDS = 4  # shorter is rarely a clear mention ("Ja.", "Zie boven")
QUOTE_MAX_CHARS = 320  # longer coded spans are cut at a sentence end
MAX_GROUPS = 12  # an attribute with more values than this is a name or a number, not a group
MAX_AGREEMENT_PAIRS = 6
# Attribute names that are the obvious breakdown of a study when present (in this order).
GROUP_ATTRIBUTES = ("size_class", "grootteklasse", "size", "group", "groep")
# Modules another part of the project may provide with `validation_report(project)`.


def report_date(today: date | None = None) -> str:
    """ISO date of the report; SOURCE_DATE_EPOCH (reproducible builds) fixes it when set."""
    if today is not None:
        return today.isoformat()
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), UTC).date().isoformat()
    return date.today().isoformat()


# --------------------------------------------------------------------------- whose codings


def _consensus_coders(session: Session) -> list[str]:
    """Coders with codings that hold a consensus (the default `consensus` first)."""
    names = session.scalars(
        select(Coder.name).where(exists().where(Coding.coder_id == Coder.id)).order_by(Coder.name)
    ).all()
    found = [n for n in names if consensus_source(session, n) is not None]
    return sorted(found, key=lambda n: (n != "consensus", n.casefold()))


def _scope(session: Session, coder: str | None, current: str | None) -> tuple[CoderScope, bool]:
    """The coders counted, and whether that is a consensus chosen by default."""
    if coder:
        return coder_scope(session, coder, current), False
    consensus = _consensus_coders(session)
    if consensus:
        return coder_scope(session, consensus[0], current), True
    return coder_scope(session, None, current), False


# --------------------------------------------------------------------------- groups


def default_group_attribute(session: Session) -> str | None:
    """The project's obvious breakdown: `size_class` (or a like name) when present, else the
    attribute most cases have that splits them into a few groups; None when there is none."""
    rows = session.execute(
        select(CaseAttribute.key, func.count(), func.count(distinct(CaseAttribute.value))).group_by(
            CaseAttribute.key
        )
    ).all()
    stats = {key: (int(cases), int(values)) for key, cases, values in rows}
    by_fold = {key.casefold(): key for key in sorted(stats)}
    for name in GROUP_ATTRIBUTES:
        if name in by_fold:
            return by_fold[name]
    candidates = [
        (-cases, key)
        for key, (cases, values) in stats.items()
        if 2 <= values <= MAX_GROUPS and values < cases
    ]
    return min(candidates)[1] if candidates else None


def _attribute_counts(session: Session, kind: str) -> tuple[AttributeCount, ...]:
    """Cases of this kind per value of each attribute that groups them (not names, not ids)."""
    rows = session.execute(
        select(CaseAttribute.key, CaseAttribute.value, func.count(distinct(Document.case_id)))
        .join(Document, Document.case_id == CaseAttribute.case_id)
        .where(Document.kind == kind)
        .group_by(CaseAttribute.key, CaseAttribute.value)
    ).all()
    n_cases = (
        session.scalar(select(func.count(distinct(Document.case_id))).where(Document.kind == kind))
        or 0
    )
    per_key: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for key, value, count in rows:
        per_key[key].append((str(value), int(count)))
    out = []
    for key in sorted(per_key, key=str.casefold):
        values = per_key[key]
        if len(values) > MAX_GROUPS or len(values) >= n_cases:
            continue
        ordered = sorted(values, key=lambda v: group_sort_key(v[0]))
        out.append(AttributeCount(key, tuple(ordered)))
    return tuple(out)


def _group_cases(
    documents: pd.DataFrame, session: Session, by: str, missing: str
) -> dict[str, int]:
    """Cases (respondents, municipalities) per group among the documents of a section."""
    ids = [int(i) for i in documents["id"]]
    case_of = {
        d: c
        for d, c in session.execute(
            select(Document.id, Document.case_id).where(Document.id.in_(ids))
        )
    }
    labels = group_labels(documents[by], missing)
    seen: dict[str, set[Any]] = defaultdict(set)
    for doc_id, label in zip(documents["id"], labels, strict=True):
        seen[str(label)].add(case_of.get(int(doc_id)) or f"document {int(doc_id)}")
    return {label: len(cases) for label, cases in seen.items()}


# --------------------------------------------------------------------------- quotes


@dataclass
class _Coded:
    document_id: int
    code_id: int
    start: int
    end: int
    overlaps: int = 0  # codings of other codes over this span: not a clear mention of one theme


def _codings(
    session: Session, coder_ids: Sequence[int] | None, doc_ids: Iterable[int]
) -> list[_Coded]:
    query = select(Coding.document_id, Coding.code_id, Coding.start, Coding.end).where(
        Coding.document_id.in_(list(doc_ids))
    )
    if coder_ids is not None:
        query = query.where(Coding.coder_id.in_(list(coder_ids) or [-1]))
    rows = [
        _Coded(*r)
        for r in session.execute(
            query.order_by(Coding.document_id, Coding.start, Coding.end, Coding.code_id)
        )
    ]
    by_doc: dict[int, list[_Coded]] = defaultdict(list)
    for row in rows:
        by_doc[row.document_id].append(row)
    for items in by_doc.values():  # sorted by start: scan forward while the next starts inside
        for i, item in enumerate(items):
            for other in items[i + 1 :]:
                if other.start >= item.end:
                    break
                if other.code_id != item.code_id and other.end > item.start:
                    item.overlaps += 1
                    other.overlaps += 1
    return rows


_LEAD_JUNK = " \t\r\n)]}>,;:"
_TAIL_JUNK = " \t\r\n([{<-–—,;:"


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """The span without surrounding blanks, nor a bracket left open at its end (or closed at
    its start) where a coding cut through a sentence."""
    piece = text[start:end]
    lead = len(piece) - len(piece.lstrip(_LEAD_JUNK))
    tail = len(piece) - len(piece.rstrip(_TAIL_JUNK))
    return start + lead, max(start + lead, end - tail)


def _terms(session: Session, code_ids: Iterable[int]) -> dict[int, tuple[str, ...]]:
    """Per code its name and keywords, lower case: a quote naming one of them is clear."""
    out: dict[int, tuple[str, ...]] = {}
    for code_id, name, keywords in session.execute(
        select(Code.id, Code.name, Code.keywords).where(Code.id.in_(list(code_ids)))
    ):
        words = [name, *(keywords or [])]
        out[code_id] = tuple(sorted({str(w).casefold() for w in words if len(str(w).strip()) >= 2}))
    return out


def _shorten(text: str, start: int, end: int) -> tuple[int, int, bool]:
    """At most QUOTE_MAX_CHARS of the span: whole sentences from its start, else words."""
    if end - start <= QUOTE_MAX_CHARS:
        return start, end, False
    stop = start
    for _s, e in sentence_spans(text[start:end]):
        if e > QUOTE_MAX_CHARS:
            break
        stop = start + e
    if stop == start:  # one very long sentence: cut at the last blank
        cut = text.rfind(" ", start, start + QUOTE_MAX_CHARS)
        stop = cut if cut > start else start + QUOTE_MAX_CHARS
    stop = _trim(text, start, stop)[1]
    return start, stop, True


class _Texts:
    """Document texts, names and speaker turns, read once each when a quote needs them."""

    def __init__(self, session: Session):
        self.session = session
        self._docs: dict[int, tuple[str, str, str | None]] = {}
        self._turns: dict[int, list[tuple[int, int, str | None]]] = {}

    def get(self, document_id: int) -> tuple[str, str, str | None]:
        if document_id not in self._docs:
            row = self.session.execute(
                select(Document.text, Document.name, Case.name)
                .outerjoin(Case, Case.id == Document.case_id)
                .where(Document.id == document_id)
            ).one()
            self._docs[document_id] = (row[0], row[1], row[2])
        return self._docs[document_id]

    def speaker(self, document_id: int, start: int) -> str | None:
        if document_id not in self._turns:
            self._turns[document_id] = [
                tuple(r)  # type: ignore[misc]
                for r in self.session.execute(
                    select(Segment.start, Segment.end, Segment.speaker)
                    .where(Segment.document_id == document_id)
                    .order_by(Segment.start)
                )
            ]
        turns = self._turns[document_id]
        index = bisect.bisect_right([t[0] for t in turns], start) - 1
        if index >= 0 and start < turns[index][1]:
            return turns[index][2]
        return None


def _pick_quotes(
    candidates: list[_Coded],
    terms: Sequence[str],
    texts: _Texts,
    groups: dict[int, str],
    pseudonymiser: Pseudonymiser | None,
) -> tuple[Quote, ...]:
    """The shortest clear mentions: at least QUOTE_MIN_WORDS words, naming the theme (its
    name or a keyword) and coded with it alone where possible, one per document, no repeats;
    shortest first."""
    spans = []
    for c in candidates:
        text, name, _case = texts.get(c.document_id)
        start, end = _trim(text, c.start, c.end)
        if end <= start:
            continue
        piece = text[start:end]
        named = any(term in piece.casefold() for term in terms)
        spans.append(
            (len(piece.split()) < QUOTE_MIN_WORDS, not named, c.overlaps > 0, end - start > QUOTE_MAX_CHARS,
             end - start, name, start, end, c)
        )  # fmt: skip
    spans.sort(key=lambda s: s[:8])
    chosen: list[Quote] = []
    documents: set[int] = set()
    seen_texts: set[str] = set()
    for short, _unnamed, _overlap, _long, _length, _name, start, end, c in spans:
        if len(chosen) >= QUOTES_PER_THEME:
            break
        if short and chosen:
            break  # a short mention only when there is nothing better
        text, name, case = texts.get(c.document_id)
        start, end, cut = _shorten(text, start, end)
        key = " ".join(text[start:end].casefold().split())
        if c.document_id in documents or key in seen_texts:
            continue
        documents.add(c.document_id)
        seen_texts.add(key)
        shown = text[start:end]
        speaker = texts.speaker(c.document_id, start)
        if pseudonymiser:
            shown = apply_replacements(text, pseudonymiser.find(text), start, end)
            name = pseudonymiser.label(name) or name
            case = pseudonymiser.label(case)
            speaker = pseudonymiser.label(speaker)
        chosen.append(
            Quote(
                text=shown,
                document=name,
                case=case,
                start=start,
                end=end,
                group=groups.get(c.document_id),
                speaker=speaker,
                cut=cut,
            )
        )
    return tuple(chosen)


# --------------------------------------------------------------------------- sections


def _section(
    session: Session,
    kind: str,
    *,
    above: int,
    by: str | None,
    scope: CoderScope,
    label: str | None,
    language: str,
    pseudonymiser: Pseudonymiser | None,
) -> Section:
    codes, pairs, documents = load_frames(session, by=by, kind=kind, coder_ids=scope.ids)
    missing = MISSING_LABELS.get(language, MISSING_LABELS["en"])
    n_docs = len(documents)
    applied = n_docs > above
    table = theme_table(
        codes, pairs, documents,
        above=above if applied else 0,
        by=by,
        coder=label,
        missing_label=missing,
        coders=scope.counted,
        coders_available=scope.available,
    )  # fmt: skip
    doc_ids = documents["id"].astype(int).tolist()
    n_cases, words = session.execute(
        select(
            func.count(distinct(Document.case_id)), func.coalesce(func.sum(Document.words), 0)
        ).where(Document.kind == kind)
    ).one()
    groups: dict[int, str] = {}
    group_cases: dict[str, int] = {}
    if by is not None:
        labels = group_labels(documents[by], missing)
        groups = {int(d): str(g) for d, g in zip(documents["id"], labels, strict=True)}
        group_cases = _group_cases(documents, session, by, missing)

    wanted = {int(c) for c in table.rows["code_id"]}
    per_code: dict[int, list[_Coded]] = defaultdict(list)
    for coded in _codings(session, scope.ids, doc_ids):
        if coded.code_id in wanted:
            per_code[coded.code_id].append(coded)
    texts = _Texts(session)
    terms = _terms(session, wanted)
    quotes = {
        code_id: _pick_quotes(
            per_code.get(code_id, []), terms.get(code_id, ()), texts, groups, pseudonymiser
        )
        for code_id in (int(c) for c in table.rows["code_id"])
    }
    return Section(
        kind=kind,
        documents=n_docs,
        cases=int(n_cases),
        words=int(words),
        table=table,
        threshold_applied=applied,
        quotes=quotes,
        attributes=_attribute_counts(session, kind),
        group_cases=group_cases,
    )


# --------------------------------------------------------------------------- methods


def _origins(session: Session, coder_ids: Sequence[int] | None) -> dict[str, int]:
    query = select(Coding.origin, func.count()).group_by(Coding.origin)
    if coder_ids is not None:
        query = query.where(Coding.coder_id.in_(list(coder_ids) or [-1]))
    return {str(origin): int(n) for origin, n in sorted(session.execute(query).all())}


def _agreement_pairs(
    session: Session, scope: CoderScope, consensus: tuple[str, str] | None
) -> list[tuple[str, str]]:
    """Whose agreement the methods report: the coders a consensus settles, else every pair of
    (non-consensus) coders with codings."""
    if consensus is not None:
        return [consensus]
    people = [c for c in scope.available if consensus_source(session, c) is None]
    return list(combinations(people, 2))[:MAX_AGREEMENT_PAIRS]


def _agreement(project: Project, pair: tuple[str, str]) -> AgreementSummary:
    try:
        report = compute_agreement(project, pair)
    except UserError as exc:
        return AgreementSummary(pair, 0, "document", 0, 0, None, None, None, None, note=exc.message)
    result = report.result
    return AgreementSummary(
        coders=pair,
        documents=len(report.documents),
        unit=result.unit,
        codes_used=len(result.codes_used),
        codes=result.n_codes,
        alpha=result.alpha,
        alpha_all_codes=result.alpha_all_codes,
        mean_kappa=result.mean_kappa,
        pooled_kappa=result.pooled_kappa,
        note=result.alpha_note,
    )


def _field(row: Any, name: str) -> Any:
    return row.get(name) if isinstance(row, dict) else getattr(row, name, None)


def _number(value: Any) -> float | None:
    try:
        return None if value is None else float(value)
    except (TypeError, ValueError):
        return None


def _straddles(low: float | None, high: float | None, above: int | None) -> bool:
    """The rule of `ThemeTable.uncertain`: at or below `above` and above it both possible."""
    return above is not None and low is not None and high is not None and low <= above < high


def validation_rows(
    project: Project, above: int | None = None
) -> tuple[tuple[ValidationRow, ...], dict[str, Any]] | None:
    """The validation table `themes` shows (`core.validation.themes_validation`) and its
    sample; None when no sample document is marked done (the report leaves it out). With
    `above`, a row whose interval straddles it is marked uncertain, as `themes --above`
    marks it."""
    from lo_codebook.core.validation import themes_validation

    try:
        result = themes_validation(project)
    except UserError:
        return None
    if result is None or not result.rows:
        return None
    records = [r.record() for r in result.rows]
    table = tuple(
        ValidationRow(
            code=str(_field(r, "code")),
            precision=_number(_field(r, "precision")),
            recall=_number(_field(r, "recall")),
            estimate=_number(_field(r, "estimate")),
            low=_number(_field(r, "low")),
            high=_number(_field(r, "high")),
            uncertain=_straddles(_number(_field(r, "low")), _number(_field(r, "high")), above),
        )
        for r in records
    )
    return table, {"coder": result.coder, "sample": result.sample, "done": result.done}


# --------------------------------------------------------------------------- codebook


def _codebook(session: Session) -> tuple[CodebookEntry, ...]:
    rows = session.execute(
        select(Code.id, Code.parent_id, Code.position, Code.name, Code.description, Code.keywords)
    ).all()
    children: dict[int | None, list[Any]] = defaultdict(list)
    for row in rows:
        children[row.parent_id].append(row)
    names = {row.id: row.name for row in rows}
    out: list[CodebookEntry] = []

    def walk(parent: int | None, depth: int) -> None:
        for row in sorted(
            children.get(parent, []), key=lambda r: (r.position, r.name.casefold(), r.id)
        ):
            out.append(
                CodebookEntry(
                    name=row.name,
                    parent=names.get(row.parent_id) if row.parent_id is not None else None,
                    depth=depth,
                    description=row.description or "",
                    keywords=tuple(str(k) for k in (row.keywords or [])),
                )
            )
            walk(row.id, depth + 1)

    walk(None, 0)
    return tuple(out)


# --------------------------------------------------------------------------- the report


def build_report(
    project: Project,
    *,
    above: int = DEFAULT_ABOVE,
    by: str | None = None,
    coder: str | None = None,
    pseudonymise: bool = False,
    today: date | None = None,
) -> Report:
    """Assemble the results chapter (see the module docstring); raises UserError for bad options."""
    if isinstance(above, bool) or not isinstance(above, int) or above < 0:
        raise UserError(
            f"threshold must be a whole number of 0 or more, got {above!r}", where="--above"
        )
    language = project.language if project.language in MISSING_LABELS else "en"
    with project.read() as session:
        scope, _by_default = _scope(session, coder, project.coder_name)
        label = coder_label(session, scope.counted[0]) if len(scope.counted) == 1 else None
        consensus = consensus_source(session, scope.counted[0]) if len(scope.counted) == 1 else None
        if by is None:
            by = default_group_attribute(session)
        pseudonymiser = None
        if pseudonymise:
            if not list_names(session):
                raise UserError(
                    "the name list is empty, so --pseudonymise would change nothing; add names "
                    "first (lo-codebook names add NAME, or names import FILE.csv)",
                    where="--pseudonymise",
                )
            pseudonymiser = pseudonymiser_for(session, language)
        present = set(session.scalars(select(Document.kind).distinct()))
        sections = tuple(
            _section(
                session,
                kind,
                above=above,
                by=by,
                scope=scope,
                label=label,
                language=language,
                pseudonymiser=pseudonymiser,
            )  # fmt: skip
            for kind in KINDS
            if kind in present
        )
        without = session.scalar(
            select(func.count())
            .select_from(Case)
            .where(~exists().where(Document.case_id == Case.id))
        )
        origins = _origins(session, scope.ids)
        pairs = _agreement_pairs(session, scope, consensus)
        codebook = _codebook(session)
        counted = tuple(label if label and c == scope.counted[0] else c for c in scope.counted)
    available = tuple(c for c in scope.available if c not in scope.counted)
    agreements = tuple(_agreement(project, pair) for pair in pairs)
    validation = validation_rows(project, above)
    if pseudonymiser:  # coders on the name list are hidden like everyone else

        def hide(name: str) -> str:
            return pseudonymiser.label(name) or name

        counted = tuple(hide(c) for c in counted)
        available = tuple(hide(c) for c in available)
        consensus = (hide(consensus[0]), hide(consensus[1])) if consensus else None
        agreements = tuple(
            replace(a, coders=(hide(a.coders[0]), hide(a.coders[1]))) for a in agreements
        )
    methods = Methods(
        coders=counted,
        other_coders=available,
        consensus=consensus,
        coder_chosen=bool(coder),
        coder_option=coder or None,
        agreements=agreements,
        validation=validation[0] if validation else None,
        validation_sample=validation[1] if validation else {},
        origins=origins,
        above=above,
        by=by,
        pseudonymised=pseudonymise,
        version=__version__,
    )
    name = (
        project.path.stem
        if project.path is not None
        else (project.engine.url.database or "project")
    )
    return Report(
        language=language,
        project=name,
        date=report_date(today),
        sections=sections,
        methods=methods,
        codebook=codebook,
        cases_without_documents=int(without or 0),
    )
