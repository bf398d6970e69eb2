"""Consensus coding: two coders' disagreements resolved into a coding of its own coder.

The units are agreement's (`agreement_service.load_comparison`): per segment by default (a
speaker turn of a transcript, the whole answer of a survey document, a sentence of a text
without turns), or per document. A (unit, code) both coders applied carries over; one that
exactly one coder applied is a disagreement, decided by a choice: take coder A's version,
coder B's, both (the code stays), or neither (it goes). The result is stored in one
undoable action as the codings of coder `name` (default "consensus", origin "consensus"),
replacing that coder's earlier consensus codings on the compared documents; `themes`,
`export-quotes` and every other `--coder` filter then read it like any coder's.

What is stored: per (document, code), the kept coders' spans inside the kept units, with
overlapping spans joined (so the same quote coded by both coders is one coding). With
segment units a coding that runs over several turns is cut at the turn boundaries.
The CLI and the UI both call `plan_consensus` and `apply_consensus`.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Hashable, Mapping
from dataclasses import asdict, dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lo_codebook.core.agreement_service import UnitInfo, load_comparison
from lo_codebook.core.coder_labels import (  # coder_label, consensus_source: also read from here
    DEFAULT_NAME,
    SETTING_PREFIX,
    coder_label,  # noqa: F401
    consensus_source,  # noqa: F401
)
from lo_codebook.core.project import Project
from lo_codebook.db.models import Coder, Coding, Setting
from lo_codebook.errors import UserError
from lo_codebook.i18n import t as translate

TAKE_A, TAKE_B, BOTH, NEITHER = "a", "b", "both", "neither"
CHOICES = (TAKE_A, TAKE_B, BOTH, NEITHER)
DEFAULT_UNIT = "segment"
ORIGIN = "consensus"

Span = tuple[int, int]
ItemKey = tuple[Hashable, str]


@dataclass(frozen=True)
class ConsensusItem:
    """One (unit, code) either coder applied, with each coder's spans of it inside the unit."""

    unit: Hashable
    info: UnitInfo
    document_id: int
    code: str
    code_id: int
    spans: tuple[tuple[Span, ...], tuple[Span, ...]]

    @property
    def key(self) -> ItemKey:
        return (self.unit, self.code)

    @property
    def agreed(self) -> bool:
        return bool(self.spans[0]) and bool(self.spans[1])

    @property
    def coded_by(self) -> int:
        """0 or 1: the coder who applied the code here (for an agreed item, 0)."""
        return 0 if self.spans[0] else 1

    def keeps(self, choice: str) -> bool:
        """Whether the code stays in this unit under `choice` (agreed items always stay)."""
        if self.agreed or choice == BOTH:
            return True
        if choice == NEITHER:
            return False
        return (choice == TAKE_A) == (self.coded_by == 0)

    def kept_spans(self, choice: str) -> list[Span]:
        return [*self.spans[0], *self.spans[1]] if self.keeps(choice) else []


@dataclass
class ConsensusPlan:
    """Everything to decide, read in one go; `apply_consensus` checks it is still current."""

    coders: tuple[str, str]
    unit: str
    name: str
    documents: list[str]
    document_ids: list[int]
    texts: dict[int, str]
    items: list[ConsensusItem]
    n_units: int
    _by_key: dict[ItemKey, ConsensusItem] = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self) -> None:
        self._by_key = {item.key: item for item in self.items}

    @property
    def agreed(self) -> list[ConsensusItem]:
        return [i for i in self.items if i.agreed]

    @property
    def disagreements(self) -> list[ConsensusItem]:
        """In reading order: by document name, position in the text, code."""
        return [i for i in self.items if not i.agreed]

    def text(self, item: ConsensusItem) -> str:
        """The unit's text (the whole document for document units)."""
        return self.texts[item.document_id][item.info.start : item.info.end]

    def choice_label(self, choice: str) -> str:
        """`anna`, `bram`, `both`, `neither` for a choice."""
        return {TAKE_A: self.coders[0], TAKE_B: self.coders[1]}.get(choice, choice)

    def signature(self) -> tuple[tuple[ItemKey, tuple[tuple[Span, ...], tuple[Span, ...]]], ...]:
        """What the decisions were made on: each item with both coders' spans."""
        return tuple((item.key, item.spans) for item in self.items)

    def resolve(
        self, decisions: Mapping[ItemKey, str] | None, default: str | None
    ) -> dict[ItemKey, str]:
        """A choice for every disagreement: the decision, else the default rule."""
        decisions = decisions or {}
        unknown = [k for k in decisions if k not in self._by_key]
        if unknown:
            raise UserError(
                f"{len(unknown)} decisions are about units this consensus does not have"
            )
        for choice in [*decisions.values(), *([default] if default else [])]:
            if choice not in CHOICES:
                raise UserError(f"unknown choice {choice!r}; use one of {', '.join(CHOICES)}")
        out: dict[ItemKey, str] = {}
        missing = 0
        for item in self.disagreements:
            choice = decisions.get(item.key, default)
            if choice is None:
                missing += 1
            else:
                out[item.key] = choice
        if missing:
            a, b = self.coders
            raise UserError(
                f"{missing} of {len(self.disagreements)} disagreements are not decided; give a rule for "
                f"them with --take {a}|{b}|both|neither (or decide each in the UI: agreement screen, c)",
                where="--take",
            )
        return out

    def codings(self, choices: Mapping[ItemKey, str]) -> list[tuple[int, int, int, int]]:
        """(document_id, code_id, start, end) of the consensus, overlapping spans joined."""
        spans: dict[tuple[int, int], list[Span]] = defaultdict(list)
        for item in self.items:
            kept = item.kept_spans(BOTH if item.agreed else choices[item.key])
            spans[(item.document_id, item.code_id)].extend(kept)
        out = []
        for (doc_id, code_id), found in spans.items():
            out.extend((doc_id, code_id, s, e) for s, e in join_spans(found))
        out.sort()
        return out


def join_spans(spans: list[Span]) -> list[Span]:
    """Sorted spans with overlapping ones joined; a point inside (or at the edge of) a span goes."""
    out: list[Span] = []
    for start, end in sorted(set(spans)):
        if out:
            last_start, last_end = out[-1]
            if start < last_end or (start == end and start <= last_end):
                out[-1] = (last_start, max(last_end, end))
                continue
            if last_start == last_end and start <= last_end:  # a point where this span starts
                out[-1] = (start, end)
                continue
        out.append((start, end))
    return out


@dataclass(frozen=True)
class ConsensusResult:
    """What `apply_consensus` stored."""

    coders: tuple[str, str]
    name: str
    unit: str
    documents: int
    agreed: int
    disagreements: int
    kept: int
    dropped: int
    by_choice: dict[str, int]
    codings: int
    replaced: int
    coder_only: dict[str, int]  # documents only one coder coded: not part of the consensus

    def summary(self, lang: str = "en") -> str:
        """One line for the terminal or a notification, in the output language `lang`."""
        a, b = self.coders
        rules = ", ".join(f"{_rule_name(c, lang)}: {n}" for c, n in self.by_choice.items() if n)
        shown = {"a": a, "b": b, "name": repr(self.name), "rules": f"; {rules}" if rules else ""}
        text = translate("cons.summary", lang, **(asdict(self) | shown))  # counts as they are
        if self.replaced:
            text += translate("cons.replacing", lang, n=self.replaced)
        return text


def _rule_name(label: str, lang: str = "en") -> str:
    """`anna's version`, `both`, `neither`."""
    if label in (BOTH, NEITHER):
        return translate(f"cons.choice.{label}", lang)
    return translate("cons.version", lang, name=label)


def parse_take(value: str | None, coders: tuple[str, str]) -> str | None:
    """`--take anna|bram|both|neither` to a choice (a coder's name wins over the words)."""
    if value is None:
        return None
    cleaned = value.strip()
    if cleaned == coders[0]:
        return TAKE_A
    if cleaned == coders[1]:
        return TAKE_B
    if cleaned.lower() in (BOTH, NEITHER):
        return cleaned.lower()
    raise UserError(
        f"--take must be {coders[0]}, {coders[1]}, both or neither (got {value!r})", where="--take"
    )


def _check_name(name: str, coders: tuple[str, str]) -> str:
    cleaned = (name or "").strip()
    if not cleaned:
        raise UserError("the consensus needs a coder name", where="--as")
    if cleaned in coders:
        raise UserError(
            f"the consensus cannot be stored as {cleaned!r}, one of the coders compared; "
            f"choose another name with --as",
            where="--as",
        )
    if len(cleaned) > 200:
        raise UserError("coder names have at most 200 characters", where="--as")
    return cleaned


def build_plan(
    session: Session, coders: tuple[str, str], *, unit: str = DEFAULT_UNIT, name: str = DEFAULT_NAME
) -> ConsensusPlan:
    """The plan from one session (`apply_consensus` rebuilds it in its own transaction)."""
    name = _check_name(name, coders)
    comparison = load_comparison(session, coders, unit)
    code_order = {label: i for i, label in enumerate(comparison.codes)}
    doc_order = {doc_id: i for i, doc_id in enumerate(comparison.doc_ids)}
    items = []
    for (unit_key, label), (spans_a, spans_b) in comparison.pieces.items():
        info = comparison.units[unit_key]
        doc_id = unit_key if comparison.unit == "document" else unit_key[0]  # type: ignore[index]
        items.append(
            ConsensusItem(
                unit=unit_key,
                info=info,
                document_id=int(doc_id),  # type: ignore[call-overload]
                code=label,
                code_id=comparison.code_ids[label],
                spans=(tuple(spans_a), tuple(spans_b)),
            )
        )
    items.sort(
        key=lambda i: (
            doc_order[i.document_id],
            i.info.start,
            i.info.end,
            code_order.get(i.code, 0),
            i.code,
        )
    )
    return ConsensusPlan(
        coders=comparison.coders,
        unit=comparison.unit,
        name=name,
        documents=[comparison.documents[d] for d in comparison.doc_ids],
        document_ids=list(comparison.doc_ids),
        texts=comparison.texts,
        items=items,
        n_units=len(comparison.units),
    )


def plan_consensus(
    project: Project, coders: tuple[str, str], *, unit: str = DEFAULT_UNIT, name: str = DEFAULT_NAME
) -> ConsensusPlan:
    """Read what there is to decide: agreed (unit, code) and the disagreements, in reading order."""
    with project.read() as session:
        return build_plan(session, coders, unit=unit, name=name)


def apply_consensus(
    project: Project,
    plan: ConsensusPlan,
    decisions: Mapping[ItemKey, str] | None = None,
    *,
    default: str | None = None,
) -> ConsensusResult:
    """Store the consensus as coder `plan.name` in one undoable action.

    Every disagreement needs a decision or the `default` rule. Refuses (changing nothing)
    when either coder's codings changed since the plan was read, or when coder `plan.name`
    has codings of its own (not from a consensus) on the compared documents.
    """
    choices = plan.resolve(decisions, default)
    a, b = plan.coders
    with project.write("consensus") as unit:
        session = unit.session
        current = build_plan(session, plan.coders, unit=plan.unit, name=plan.name)
        if current.signature() != plan.signature():
            raise UserError(
                f"{a}'s or {b}'s codings changed since this consensus was prepared; "
                "open it again (nothing was stored)"
            )
        target = Project.ensure_coder(session, plan.name)
        own = session.scalar(
            select(func.count())
            .select_from(Coding)
            .where(
                Coding.coder_id == target.id,
                Coding.document_id.in_(plan.document_ids),
                Coding.origin != ORIGIN,
            )
        )
        if own:
            raise UserError(
                f"coder {plan.name!r} has {own} codings of its own on these documents (not from a "
                "consensus); store the consensus under another name with --as",
                where="--as",
            )
        earlier = list(
            session.scalars(
                select(Coding).where(
                    Coding.coder_id == target.id, Coding.document_id.in_(plan.document_ids)
                )
            )
        )
        for coding in earlier:
            session.delete(coding)
        session.flush()
        rows = plan.codings(choices)
        for doc_id, code_id, start, end in rows:
            session.add(
                Coding(
                    document_id=doc_id,
                    code_id=code_id,
                    coder_id=target.id,
                    start=start,
                    end=end,
                    origin=ORIGIN,
                )
            )
        _record_source(session, target, plan)
        coder_only = _single_coded(session, plan)
        disagreements = plan.disagreements
        kept = sum(1 for item in disagreements if item.keeps(choices[item.key]))
        by_choice: dict[str, int] = {}
        for item in disagreements:
            label = plan.choice_label(choices[item.key])
            by_choice[label] = by_choice.get(label, 0) + 1
        result = ConsensusResult(
            coders=plan.coders,
            name=plan.name,
            unit=plan.unit,
            documents=len(plan.document_ids),
            agreed=len(plan.agreed),
            disagreements=len(disagreements),
            kept=kept,
            dropped=len(disagreements) - kept,
            by_choice=by_choice,
            codings=len(rows),
            replaced=len(earlier),
            coder_only=coder_only,
        )
        unit.summary = result.summary()
    return result


def _record_source(session: Session, target: Coder, plan: ConsensusPlan) -> None:
    """Remember whose consensus this coder holds (undone with the action)."""
    key = f"{SETTING_PREFIX}{target.id}"
    value = json.dumps(
        {"coders": list(plan.coders), "unit": plan.unit, "documents": len(plan.document_ids)}
    )
    row = session.get(Setting, key)
    if row is None:
        session.add(Setting(key=key, value=value))
    elif row.value != value:
        row.value = value


def _single_coded(session: Session, plan: ConsensusPlan) -> dict[str, int]:
    """Per compared coder: documents only that coder coded (left out of the consensus)."""
    ids = dict(
        session.execute(select(Coder.name, Coder.id).where(Coder.name.in_(plan.coders))).all()
    )
    docs: dict[str, set[int]] = {}
    for name in plan.coders:
        docs[name] = set(
            session.scalars(
                select(Coding.document_id).where(Coding.coder_id == ids[name]).distinct()
            )
        )
    a, b = plan.coders
    return {a: len(docs[a] - docs[b]), b: len(docs[b] - docs[a])}
