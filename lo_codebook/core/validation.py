"""The validation sample: draw it, mark documents done, and estimate what review cannot show.

A coder who reviews suggestions sees the engine's false positives, never its misses. Here a
coder draws a seeded random sample of documents (the unit: a document, i.e. a transcript or
one survey answer), codes them fully by hand without seeing suggestions or other coders'
codes (the UI's blind mode), and marks each done. The report compares, on those documents,
what the engine proposed (stored suggestions of any status) with the hand coding, and
estimates for the whole project how many documents mention each theme
(lo_codebook.analysis.validation; the method is in docs/VALIDATION.md).
"""

from __future__ import annotations

import secrets
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
from sqlalchemy import ColumnElement, and_, func, select
from sqlalchemy.orm import Session

from lo_codebook.analysis.validation import Interval, ThemeEstimate, draw, estimate_theme
from lo_codebook.core.project import Project
from lo_codebook.db.lookup import check_attribute_key, find_coder
from lo_codebook.db.models import (
    CaseAttribute,
    Code,
    Coder,
    Coding,
    Document,
    Suggestion,
    Validation,
    ValidationDocument,
    utcnow,
)
from lo_codebook.errors import UserError
from lo_codebook.words import plural

UNIT = "document"
UNIT_TEXT = "document (a transcript, or one survey answer)"
MAX_SEED = 2**31 - 1


# drawing -----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class DrawReport:
    coder: str
    size: int
    seed: int
    by: str | None
    frame: int
    per_stratum: dict[str, int]
    replaced: bool
    suggestions: int

    def summary(self) -> list[str]:
        lines = [
            f"validation sample for {self.coder}: {plural(self.size, 'document')} of {self.frame} "
            f"drawn at random (seed {self.seed}; unit: {UNIT_TEXT})"
            + (" replacing the previous sample" if self.replaced else "")
        ]
        if self.by:
            parts = ", ".join(f"{g} {n}" for g, n in self.per_stratum.items())
            lines.append(f"stratified by {self.by} (proportional, at least 1 per group): {parts}")
        lines.append(
            "code each one fully by hand (the UI shows them blind: no suggestions, no other "
            "coder's codes), mark each done (UI: V; or lo-codebook validate --done NAME), "
            "then: lo-codebook validate --report"
        )
        if self.suggestions == 0:
            lines.append(
                "note: no suggestions yet; run lo-codebook suggest before coding the sample, "
                "or the estimates can only use the sample share"
            )
        return lines


def _strata(
    session: Session, document_ids: list[int], by: str | None, lang: str
) -> tuple[list[int], list[str]]:
    """A stratum number per document (in the order given) and the labels, natural order."""
    if by is None:
        return [0] * len(document_ids), ["all"]
    values = dict(
        session.execute(
            select(Document.id, CaseAttribute.value)
            .join(CaseAttribute, CaseAttribute.case_id == Document.case_id)
            .where(CaseAttribute.key == by)
        ).all()
    )
    if not values:
        check_attribute_key(session, by)
    # pandas is imported here, not with the module: the UI imports this module to show a
    # document, and pandas would add most of a second to its first screen.
    import pandas as pd

    from lo_codebook.analysis.groups import MISSING_LABELS, factorize_groups

    series = pd.Series([values.get(i) for i in document_ids], dtype="object")
    positions, labels = factorize_groups(series, MISSING_LABELS.get(lang, MISSING_LABELS["en"]))
    return [int(p) for p in positions], labels


def _validation_of(session: Session, coder: Coder | None) -> Validation | None:
    if coder is None:
        return None
    return session.scalar(select(Validation).where(Validation.coder_id == coder.id))


def draw_validation(
    project: Project,
    *,
    size: int,
    by: str | None = None,
    seed: int | None = None,
    replace: bool = False,
) -> DrawReport:
    """Draw and store the current coder's validation sample (one write, undoable)."""
    if size < 1:
        raise UserError(f"the sample needs at least 1 document, not {size}", where="--size")
    if seed is not None and not 0 <= seed <= MAX_SEED:
        raise UserError(f"the seed must be between 0 and {MAX_SEED}", where="--seed")
    chosen_seed = seed if seed is not None else secrets.randbelow(MAX_SEED)
    lang = project.language
    with project.write("validate") as unit:
        session = unit.session
        existing = _validation_of(session, unit.coder)
        if existing is not None and not replace:
            done = sum(1 for d in existing.documents if d.done_at is not None)
            raise UserError(
                f"{unit.coder.name} already has a validation sample ({plural(len(existing.documents), 'document')}, "
                f"{done} done, seed {existing.seed}); add --replace to draw a new one (its done marks are dropped)"
            )
        ids = list(session.scalars(select(Document.id).order_by(Document.id)))
        if not ids:
            raise UserError("no documents to sample: import some first")
        if size > len(ids):
            raise UserError(
                f"{size} is more than the {plural(len(ids), 'document')} of the project",
                where="--size",
            )
        strata, labels = _strata(session, ids, by, lang)
        try:
            sampled = draw(ids, strata, size, chosen_seed)
        except ValueError as exc:
            raise UserError(
                f"cannot draw {size} documents by {by}: {exc}", where="--size"
            ) from None
        stratum_of = dict(zip(ids, strata, strict=True))
        if existing is not None:
            session.delete(existing)
            session.flush()
        validation = Validation(
            coder_id=unit.coder.id,
            size=size,
            seed=chosen_seed,
            by_attribute=by,
            last_document_id=max(ids),
            frame_size=len(ids),
            last_suggestion_id=session.scalar(select(func.max(Suggestion.id))) or 0,
        )
        session.add(validation)
        session.flush()
        for position, document_id in enumerate(sampled, start=1):
            session.add(
                ValidationDocument(
                    validation_id=validation.id,
                    document_id=document_id,
                    position=position,
                    stratum=labels[stratum_of[document_id]] if by else None,
                )
            )
        suggestions = session.scalar(select(func.count(Suggestion.id))) or 0
        unit.summary = (
            f"drew a validation sample of {plural(size, 'document')} (seed {chosen_seed}"
            + (f", by {by}" if by else "")
            + ")"
        )
    per_stratum: dict[str, int] = defaultdict(int)
    for document_id in sampled:
        per_stratum[labels[stratum_of[document_id]]] += 1
    return DrawReport(
        coder=project.coder_name,
        size=size,
        seed=chosen_seed,
        by=by,
        frame=len(ids),
        per_stratum={label: per_stratum[label] for label in labels if per_stratum[label]},
        replaced=existing is not None,
        suggestions=suggestions,
    )


# the sample's state ------------------------------------------------------------------------------
@dataclass(frozen=True)
class SampleDocument:
    document_id: int
    name: str
    position: int
    stratum: str | None
    done: bool


@dataclass(frozen=True)
class SampleStatus:
    coder: str
    seed: int
    by: str | None
    documents: list[SampleDocument]

    @property
    def done(self) -> int:
        return sum(d.done for d in self.documents)

    @property
    def blind_ids(self) -> set[int]:
        """Documents the coder has not marked done: shown without suggestions or others' codes."""
        return {d.document_id for d in self.documents if not d.done}


def sample_status(session: Session, coder: str) -> SampleStatus | None:
    """The coder's validation sample in coding order, or None when they have none."""
    found = find_coder(session, coder)
    validation = _validation_of(session, found)
    if validation is None or found is None:
        return None
    rows = session.execute(
        select(
            ValidationDocument.document_id,
            Document.name,
            ValidationDocument.position,
            ValidationDocument.stratum,
            ValidationDocument.done_at,
        )
        .join(Document, Document.id == ValidationDocument.document_id)
        .where(ValidationDocument.validation_id == validation.id)
        .order_by(ValidationDocument.position)
    ).all()
    return SampleStatus(
        coder=found.name,
        seed=validation.seed,
        by=validation.by_attribute,
        documents=[SampleDocument(r[0], r[1], r[2], r[3], r[4] is not None) for r in rows],
    )


def blind_documents(session: Session, coder: str) -> set[int]:
    """The documents `coder` must see blind (their sample documents not yet marked done)."""
    status = sample_status(session, coder)
    return status.blind_ids if status is not None else set()


def is_blind(session: Session, coder: str, document_id: int) -> bool:
    """Whether `coder` must see this document blind (in their sample, not yet marked done)."""
    found = find_coder(session, coder)
    if found is None:
        return False
    return (
        session.scalar(
            select(func.count(ValidationDocument.id))
            .join(Validation, Validation.id == ValidationDocument.validation_id)
            .where(
                Validation.coder_id == found.id,
                ValidationDocument.document_id == document_id,
                ValidationDocument.done_at.is_(None),
            )
        )
        > 0
    )


BLIND, DONE = "blind", "done"


def sample_marks(session: Session, coder: str) -> dict[int, str]:
    """Document id -> "blind" (in `coder`'s sample, not marked done) or "done": the marker a
    document listing shows, so the coder sees which documents to code by hand."""
    status = sample_status(session, coder)
    if status is None:
        return {}
    return {d.document_id: DONE if d.done else BLIND for d in status.documents}


def refuse_blind_decisions(session: Session, coder: str, suggestion_ids: Iterable[int]) -> None:
    """Raise when any of these suggestions lies on a document `coder` must see blind.

    Deciding one would both reveal it and make the hand coding of the sample the engine's
    (recall would look perfect). Read inside the deciding write, so nothing changes."""
    blind = blind_documents(session, coder)
    if not blind:
        return
    wanted = set(suggestion_ids)
    hits = sorted(
        (sid, name)
        for sid, name in session.execute(
            select(Suggestion.id, Document.name)
            .join(Document, Document.id == Suggestion.document_id)
            .where(Suggestion.document_id.in_(sorted(blind)))
        ).all()
        if sid in wanted
    )
    if hits:
        sid, name = hits[0]
        more = f" (and {plural(len(hits) - 1, 'other')})" if len(hits) > 1 else ""
        raise UserError(
            f"suggestion {sid}{more} is on {name!r}, in {coder}'s validation sample and not marked "
            f"done: code it by hand without suggestions, then mark it done (lo-codebook validate --done {name})"
        )


def coding_hidden(session: Session, coder: str) -> ColumnElement[bool] | None:
    """An SQL condition true for the codings `coder` must not see: other coders' codings on
    `coder`'s blind sample documents (None when nothing is hidden)."""
    found = find_coder(session, coder)
    blind = blind_documents(session, coder)
    if found is None or not blind:
        return None
    return and_(Coding.document_id.in_(sorted(blind)), Coding.coder_id != found.id)


def mark_done(project: Project, document_id: int, *, done: bool = True) -> str:
    """Mark a sample document done (or not done again); undoable. Returns what happened."""
    with project.write("validate-done") as unit:
        session = unit.session
        validation = _validation_of(session, unit.coder)
        row = None
        if validation is not None:
            row = session.scalar(
                select(ValidationDocument).where(
                    ValidationDocument.validation_id == validation.id,
                    ValidationDocument.document_id == document_id,
                )
            )
        name = (
            session.scalar(select(Document.name).where(Document.id == document_id))
            or f"#{document_id}"
        )
        if row is None:
            raise UserError(f"{name!r} is not in {unit.coder.name}'s validation sample")
        if (row.done_at is not None) == done:
            raise UserError(f"{name!r} is already marked {'done' if done else 'not done'}")
        row.done_at = utcnow() if done else None
        assert validation is not None
        left = sum(1 for d in validation.documents if d.done_at is None)
        unit.summary = f"validation: marked {name!r} {'done' if done else 'not done'}"
    word = "done" if done else "not done"
    return f"{name}: marked {word} ({left} of {len(validation.documents)} sample documents left)"


def mark_done_by_name(project: Project, names: Iterable[str], *, done: bool = True) -> list[str]:
    """`validate --done NAME`: each name marked in its own undoable step."""
    said = []
    for name in names:
        with project.read() as session:
            document_id = session.scalar(select(Document.id).where(Document.name == name))
        if document_id is None:
            raise UserError(f"unknown document {name!r}", where="--done" if done else "--undone")
        said.append(mark_done(project, document_id, done=done))
    return said


# the report --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class CodeValidation:
    code_id: int
    code: str
    category: str | None
    suggested: int  # documents of the frame the engine flagged
    estimate: ThemeEstimate
    #: With a stratified sample (`--by`): the estimate per stratum, in the report's
    #: `strata` order (each stratum's own cells: engine flag, same method; see the docs).
    by_stratum: tuple[ThemeEstimate, ...] = ()

    def record(self) -> dict[str, object]:
        """The SPEC's JSON object (`code, precision, recall, estimate, low, high`) and more."""
        e = self.estimate

        def r(value: float | None, digits: int = 3) -> float | None:
            return None if value is None else round(value, digits)

        return {
            "code": self.code,
            "category": self.category,
            "precision": r(e.precision.value),
            "recall": r(e.recall.value),
            "estimate": r(e.total.value, 1),
            "low": r(e.total.low, 1),
            "high": r(e.total.high, 1),
            "precision_low": r(e.precision.low),
            "precision_high": r(e.precision.high),
            "recall_low": r(e.recall.low),
            "recall_high": r(e.recall.high),
            "positives": e.positives,
            "true_positives": e.true_positives,
            "suggested_in_sample": e.flagged_in_sample,
            "suggested": self.suggested,
            "reliable": e.reliable,
        }


@dataclass(frozen=True)
class ValidationReport:
    coder: str
    seed: int
    by: str | None
    sample: int
    done: int
    frame: int  # documents in scope of the frame
    imported_since: int
    learned_since: int  # suggestions stored after the draw on sample documents
    suggestions_in_frame: int
    rows: list[CodeValidation] = field(default_factory=list)
    strata: tuple[str, ...] = ()  # the `by` groups (stratified sample only), natural order
    missing_stratum: str | None = None  # the label of the group of documents without a value

    def stratum_estimates(
        self, groups: list[str], missing_label: str | None
    ) -> dict[int, dict[str, Interval]] | None:
        """Code id -> {group: estimated count} for a table broken down by the sample's own
        `by` (`groups` and `missing_label` as that table names them); None when not stratified."""
        if not self.by or not self.strata:
            return None
        index = {label: i for i, label in enumerate(self.strata)}
        if missing_label is not None and self.missing_stratum in index:
            index[missing_label] = index.pop(self.missing_stratum)  # type: ignore[arg-type]
        return {
            row.code_id: {g: row.by_stratum[index[g]].total for g in groups if g in index}
            for row in self.rows
            if row.by_stratum
        }

    def caption(self) -> str:
        text = (
            f"validation by {self.coder}: {self.done} of {plural(self.sample, 'sample document')} done, "
            f"estimates for {plural(self.frame, 'document')} (unit: {UNIT}; seed {self.seed}"
            + (f", by {self.by}" if self.by else "")
            + "; 95% intervals)"
        )
        return text

    def notes(self) -> list[str]:
        notes = []
        if self.done < self.sample:
            notes.append(
                f"note: {self.sample - self.done} sample documents are not marked done yet; "
                f"the figures use the {self.done} that are"
            )
        if self.imported_since:
            notes.append(
                f"note: {plural(self.imported_since, 'document')} imported since the draw "
                f"{'is' if self.imported_since == 1 else 'are'} outside the sample's frame; "
                "draw again (validate --size N --replace) to cover them"
            )
        if self.learned_since:
            notes.append(
                f"note: {plural(self.learned_since, 'suggestion')} on sample documents "
                f"{'was' if self.learned_since == 1 else 'were'} stored after the draw; the engine may "
                "have learned from the hand coding, so precision and recall can look too good"
            )
        if self.suggestions_in_frame == 0:
            notes.append(
                "note: no suggestions: the estimates are the sample share times the documents"
            )
        few = [
            row.code
            for row in self.rows
            if not row.estimate.reliable and row.estimate.positives > 0
        ]
        if few:
            notes.append(
                f"note: fewer than 5 sample documents mention {plural(len(few), 'theme')} "
                f"({', '.join(few[:5])}{', ...' if len(few) > 5 else ''}): their estimates are rough"
            )
        return notes


def _resolve(session: Session, coder: str) -> Validation:
    found = find_coder(session, coder)
    validation = _validation_of(session, found)
    if validation is None:
        others = session.scalars(
            select(Coder.name)
            .join(Validation, Validation.coder_id == Coder.id)
            .order_by(Coder.name)
        ).all()
        hint = (
            f" ({', '.join(others)} {'has' if len(others) == 1 else 'have'} one: --coder NAME)"
            if others
            else ""
        )
        raise UserError(
            f"{coder} has no validation sample; draw one: lo-codebook validate --size 40{hint}"
        )
    return validation


def validation_report(
    project: Project,
    *,
    coder: str | None = None,
    kind: str | None = None,
    level: str = "theme",
) -> ValidationReport:
    """Precision, recall and the estimated count per theme (or category), from the validation
    sample of `coder` (default: the current coder), over the documents of the draw's frame
    (only those of `kind` when given)."""
    with project.read() as session:
        validation = _resolve(session, coder or project.coder_name)
        return _report(session, validation, kind=kind, level=level, lang=project.language)


def themes_validation(
    project: Project, *, kind: str | None = None, level: str = "theme"
) -> ValidationReport | None:
    """The report `themes` shows beside the coded counts: the current coder's validation when
    it has documents marked done, else the latest one that has; None when there is none."""
    with project.read() as session:
        mine = _validation_of(session, find_coder(session, project.coder_name))
        candidates = [mine] if mine is not None else []
        candidates += list(
            session.scalars(
                select(Validation).order_by(Validation.created.desc(), Validation.id.desc())
            )
        )
        for validation in candidates:
            if any(d.done_at is not None for d in validation.documents):
                return _report(session, validation, kind=kind, level=level, lang=project.language)
    return None


_NOTHING = Interval(None, None, None)
_NOTHING_DONE = ThemeEstimate(0, 0, 0, _NOTHING, _NOTHING, _NOTHING)


def _report(
    session: Session, validation: Validation, *, kind: str | None, level: str, lang: str
) -> ValidationReport:
    frame_query = (
        select(Document.id).where(Document.id <= validation.last_document_id).order_by(Document.id)
    )
    if kind is not None:
        frame_query = frame_query.where(Document.kind == kind)
    frame_ids = list(session.scalars(frame_query))
    imported_since = (
        session.scalar(
            select(func.count(Document.id)).where(Document.id > validation.last_document_id)
        )
        or 0
    )
    in_frame = set(frame_ids)
    sample_rows = [
        (d.document_id, d.done_at is not None)
        for d in validation.documents
        if d.document_id in in_frame
    ]
    done_ids = [doc for doc, done in sample_rows if done]
    if not done_ids:
        raise UserError(
            f"none of the {plural(len(sample_rows), 'sample document')} of {validation.coder.name} "
            f"{'is' if len(sample_rows) == 1 else 'are'} marked done yet: code them fully by hand, then mark "
            "each done (UI: V; or lo-codebook validate --done NAME)"
        )
    strata, labels = _strata(session, frame_ids, validation.by_attribute, lang)
    n_strata = len(labels)
    stratum_of = dict(zip(frame_ids, strata, strict=True))
    per_stratum = np.bincount(np.asarray(strata, dtype=np.int64), minlength=n_strata)

    codes = session.execute(select(Code.id, Code.name, Code.parent_id)).all()
    parent = {c.id: c.parent_id for c in codes}
    name = {c.id: c.name for c in codes}
    has_children = {c.parent_id for c in codes if c.parent_id is not None}
    rows = [c.id for c in codes if (c.id in has_children) == (level == "category")]
    row_set = set(rows)

    def rows_of(code_id: int) -> list[int]:
        """The table rows a coding or suggestion of `code_id` counts for (itself, ancestors)."""
        out, node, seen = [], code_id, set()
        while node is not None and node not in seen:
            seen.add(node)
            if node in row_set:
                out.append(node)
            node = parent.get(node)
        return out

    expand: dict[int, list[int]] = {c.id: rows_of(c.id) for c in codes}

    def pairs(found: Iterable[tuple[int, int]], documents: set[int]) -> set[tuple[int, int]]:
        return {
            (row, doc) for doc, code in found if doc in documents for row in expand.get(code, [])
        }

    suggested_pairs = session.execute(
        select(Suggestion.document_id, Suggestion.code_id)
        .distinct()
        .where(Suggestion.document_id <= validation.last_document_id)
    ).all()
    flagged = pairs(suggested_pairs, in_frame)
    done_set = set(done_ids)
    truth = pairs(
        session.execute(
            select(Coding.document_id, Coding.code_id)
            .distinct()
            .where(Coding.coder_id == validation.coder_id, Coding.document_id.in_(done_ids))
        ).all(),
        done_set,
    )
    learned_since = (
        session.scalar(
            select(func.count(Suggestion.id)).where(
                Suggestion.id > validation.last_suggestion_id,
                Suggestion.document_id.in_([doc for doc, _ in sample_rows]),
            )
        )
        or 0
    )

    flagged_per_row: dict[int, np.ndarray] = defaultdict(lambda: np.zeros(n_strata, dtype=np.int64))
    for row, doc in flagged:
        flagged_per_row[row][stratum_of[doc]] += 1
    # cells: (stratum, not flagged / flagged)
    cell_flagged = np.tile(np.array([False, True]), n_strata)
    done_strata = np.array([stratum_of[d] for d in done_ids], dtype=np.int64)
    results = []
    for row in rows:
        flags = np.array([(row, d) in flagged for d in done_ids], dtype=np.int64)
        found = np.array([(row, d) in truth for d in done_ids], dtype=np.int64)
        cells = done_strata * 2 + flags
        sampled = np.bincount(cells, minlength=2 * n_strata)
        positives = np.bincount(cells, weights=found, minlength=2 * n_strata)
        flagged_row = (
            flagged_per_row[row] if row in flagged_per_row else np.zeros(n_strata, dtype=np.int64)
        )
        population = np.empty(2 * n_strata, dtype=np.int64)
        population[0::2] = per_stratum - flagged_row
        population[1::2] = flagged_row
        estimate = estimate_theme(population, sampled, positives, cell_flagged)
        by_stratum: tuple[ThemeEstimate, ...] = ()
        if validation.by_attribute:  # each stratum alone: its two cells (engine flag)
            by_stratum = tuple(
                estimate_theme(
                    population[c : c + 2],
                    sampled[c : c + 2],
                    positives[c : c + 2],
                    cell_flagged[:2],
                )
                if sampled[c : c + 2].sum()
                else _NOTHING_DONE  # no done document in the stratum yet
                for c in range(0, 2 * n_strata, 2)
            )
        category = name.get(parent[row]) if parent.get(row) is not None else None  # type: ignore[arg-type]
        results.append(
            CodeValidation(row, name[row], category, int(flagged_row.sum()), estimate, by_stratum)
        )
    results.sort(key=lambda r: (-(r.estimate.total.value or 0.0), r.code.casefold()))
    from lo_codebook.analysis.groups import MISSING_LABELS  # pandas: not on the UI's first screen

    return ValidationReport(
        coder=validation.coder.name,
        seed=validation.seed,
        by=validation.by_attribute,
        sample=len(sample_rows),
        done=len(done_ids),
        frame=len(frame_ids),
        imported_since=imported_since,
        learned_since=learned_since,
        suggestions_in_frame=len(flagged),
        rows=results,
        strata=tuple(labels) if validation.by_attribute else (),
        missing_stratum=MISSING_LABELS.get(lang, MISSING_LABELS["en"])
        if validation.by_attribute
        else None,
    )


def estimates_by_code(report: ValidationReport) -> dict[int, Interval]:
    """Code id -> the estimated count with its interval (for the theme table)."""
    return {row.code_id: row.estimate.total for row in report.rows}


__all__ = [
    "BLIND",
    "DONE",
    "UNIT",
    "DrawReport",
    "SampleStatus",
    "ValidationReport",
    "blind_documents",
    "coding_hidden",
    "draw_validation",
    "estimates_by_code",
    "is_blind",
    "mark_done",
    "mark_done_by_name",
    "refuse_blind_decisions",
    "sample_marks",
    "sample_status",
    "themes_validation",
    "validation_report",
]
