"""Inter-coder agreement and co-occurrence from the database (statistics live in `analysis`).

`agreement` compares two coders on the documents both coded (at least one coding each):
per code, presence per document (default) or per segment (speaker turns; sentences for a
document without segments; a unit counts as coded when a coding overlaps it), then hands
the presence sets to `lo_codebook.analysis.agreement` for kappa, percent agreement and
Krippendorff's alpha. `load_comparison` is that cutting into units, shared with `consensus`.
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from lo_codebook.analysis.agreement import UNITS, AgreementResult, agreement
from lo_codebook.core.project import Project
from lo_codebook.db.lookup import find_coder
from lo_codebook.db.models import Code, Coder, Coding, Document, Segment
from lo_codebook.db.names import same_name
from lo_codebook.errors import UserError
from lo_codebook.words import plural

# A sentence ends at . ! ? … (with closing quotes/brackets) before blank space, or at a newline.
_SENTENCE_END = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s)|\n")
_NON_SPACE = re.compile(r"\S")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence or line, trimmed of blanks; the whole text if none."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        _add_span(text, start, match.end(), spans)
        start = match.end()
    _add_span(text, start, len(text), spans)
    return spans or [(0, len(text))]


def _add_span(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    first = _NON_SPACE.search(text, start, end)
    if first is None:
        return
    stop = start + len(text[start:end].rstrip())
    spans.append((first.start(), stop))


@dataclass(frozen=True)
class UnitInfo:
    """Where a unit is: document name and span (the whole text for document units)."""

    document: str
    start: int
    end: int
    speaker: str | None = None


@dataclass
class AgreementReport:
    """The analysis result plus what the database knows about its units."""

    result: AgreementResult
    documents: list[str]
    units: dict[Hashable, UnitInfo] = field(default_factory=dict)

    @property
    def coders(self) -> tuple[str, str]:
        return self.result.coders

    def describe_unit(self, lang: str = "en") -> str:
        """``unit: document x code, 40 documents, 12 codes used of 20``."""
        return self.result.describe_unit(len(self.documents), lang)

    def disagreements(self) -> list[dict[str, Any]]:
        """Units where one coder applied a code and the other did not, by document."""
        rows = []
        for d in self.result.disagreements:
            info = self.units[d.unit]
            rows.append(
                {
                    "document": info.document,
                    "start": info.start,
                    "end": info.end,
                    "speaker": info.speaker,
                    "code": d.code,
                    "coded_by": d.coder,
                    "not_by": self.coders[1] if d.coder == self.coders[0] else self.coders[0],
                }
            )
        rows.sort(key=lambda r: (r["document"], r["start"], r["code"]))
        return rows

    def to_json(self) -> dict[str, Any]:
        """The SPEC's `{"alpha", "n_documents", "per_code": {code: {"kappa", "agreement",
        "n"}}}` plus extra keys (notes, units, coders, disagreements with document names)."""
        data = self.result.to_json()
        data["n_documents"] = len(self.documents)
        data["unit_description"] = self.describe_unit()
        data["n_units"] = self.result.n_units
        data["documents"] = list(self.documents)
        data["disagreements"] = self.disagreements()
        return data


def _coder_ids(session: Session, names: tuple[str, str]) -> tuple[int, int]:
    ids = []
    for name in names:
        coder = find_coder(session, name)
        if coder is None:
            listed = ", ".join(sorted(session.scalars(select(Coder.name)))) or "none"
            raise UserError(
                f"unknown coder {name!r} (coders in this project: {listed})", where="--coders"
            )
        ids.append(coder.id)
    return ids[0], ids[1]


def parse_coders(value: str) -> tuple[str, str]:
    """`A,B` -> ("A", "B"): exactly two different names."""
    names = [n.strip() for n in value.split(",") if n.strip()]
    if len(names) != 2 or same_name(names[0], names[1]):
        raise UserError(
            f"--coders needs two different coder names, like A,B (got {value!r})", where="--coders"
        )
    return names[0], names[1]


def _code_labels(session: Session) -> tuple[dict[int, str], set[int]]:
    """Code id -> label (name, or path where the name repeats); and the ids of leaf codes."""
    rows = session.execute(select(Code.id, Code.name, Code.parent_id)).all()
    names = {r.id: r.name for r in rows}
    parents = {r.id: r.parent_id for r in rows}
    has_children = {r.parent_id for r in rows if r.parent_id is not None}
    counts: dict[str, int] = defaultdict(int)
    for name in names.values():
        counts[name] += 1

    def path(code_id: int) -> str:
        parts = []
        node: int | None = code_id
        while node is not None:
            parts.append(names[node])
            node = parents[node]
        return "/".join(reversed(parts))

    labels = {cid: (name if counts[name] == 1 else path(cid)) for cid, name in names.items()}
    leaves = {cid for cid in names if cid not in has_children}
    return labels, leaves


@dataclass
class Comparison:
    """Two coders' codings on the documents both coded, cut into the units agreement counts.

    `pieces[(unit, code)][i]` are the spans of coder i's codings of that code inside that
    unit (a coding over several segments is clipped to each; a zero-length coding is a point
    in the unit that contains it). `agreement` and `consensus` both read this, so they see
    the same units.
    """

    coders: tuple[str, str]
    coder_ids: tuple[int, int]
    unit: str
    documents: dict[int, str]  # id -> name, of the documents both coded
    doc_ids: list[int]  # by name
    texts: dict[int, str]
    units: dict[Hashable, UnitInfo]
    codes: list[str]  # labels compared, in codebook order
    code_ids: dict[str, int]
    pieces: dict[tuple[Hashable, str], tuple[list[tuple[int, int]], list[tuple[int, int]]]]

    def pairs(self, index: int) -> set[tuple[Hashable, str]]:
        """(unit, code) that coder `index` (0 or 1) applied."""
        return {key for key, spans in self.pieces.items() if spans[index]}


def load_comparison(
    session: Session, coders: tuple[str, str], unit: str = "document"
) -> Comparison:
    """Read both coders' codings on their common documents and cut them into units."""
    if unit not in UNITS:
        raise UserError(f"unknown unit {unit!r}; use one of: {', '.join(UNITS)}", where="--unit")
    id_a, id_b = _coder_ids(session, coders)
    rows = session.execute(
        select(Coding.document_id, Coding.code_id, Coding.coder_id, Coding.start, Coding.end).where(
            Coding.coder_id.in_((id_a, id_b))
        )
    ).all()
    docs_a = {r.document_id for r in rows if r.coder_id == id_a}
    docs_b = {r.document_id for r in rows if r.coder_id == id_b}
    common = docs_a & docs_b
    if not common:
        raise UserError(
            f"{coders[0]} and {coders[1]} have no coded document in common "
            f"({coders[0]}: {plural(len(docs_a), 'document')}, {coders[1]}: {len(docs_b)}); nothing to compare",
            where="--coders",
        )
    documents: dict[int, str] = dict(
        session.execute(select(Document.id, Document.name).where(Document.id.in_(common))).all()  # type: ignore[arg-type]
    )
    texts: dict[int, str] = dict(
        session.execute(select(Document.id, Document.text).where(Document.id.in_(common))).all()  # type: ignore[arg-type]
    )
    labels, leaves = _code_labels(session)
    used = {r.code_id for r in rows if r.document_id in common}
    codes = [labels[c] for c in _tree_order(session) if c in leaves or c in used]
    code_ids = {labels[c]: c for c in labels}
    doc_ids = sorted(common, key=lambda d: documents[d])
    units: dict[Hashable, UnitInfo] = {}
    pieces: dict[tuple[Hashable, str], tuple[list[tuple[int, int]], list[tuple[int, int]]]] = {}

    def add(key: Hashable, label: str, coder_index: int, span: tuple[int, int]) -> None:
        spans = pieces.setdefault((key, label), ([], []))[coder_index]
        if span not in spans:
            spans.append(span)

    if unit == "document":
        for doc_id in doc_ids:
            units[doc_id] = UnitInfo(documents[doc_id], 0, len(texts[doc_id]))
        for r in rows:
            if r.document_id in common:
                add(
                    r.document_id,
                    labels[r.code_id],
                    0 if r.coder_id == id_a else 1,
                    (r.start, r.end),
                )
    else:
        spans = _segment_units(session, doc_ids, texts)
        for doc_id in doc_ids:
            for start, end, speaker in spans[doc_id]:
                units[(doc_id, start, end)] = UnitInfo(documents[doc_id], start, end, speaker)
        starts = {d: [s[0] for s in spans[d]] for d in doc_ids}
        for r in rows:
            if r.document_id not in common:
                continue
            index = 0 if r.coder_id == id_a else 1
            label = labels[r.code_id]
            doc_spans = spans[r.document_id]
            # Units overlapping [r.start, r.end): from the last unit starting before r.end.
            i = bisect.bisect_left(starts[r.document_id], r.end) - 1
            while i >= 0 and doc_spans[i][1] > r.start:
                s_start, s_end, _ = doc_spans[i]
                if s_start < r.end and s_end > r.start:
                    add(
                        (r.document_id, s_start, s_end),
                        label,
                        index,
                        (max(s_start, r.start), min(s_end, r.end)),
                    )
                i -= 1
            # Zero-length codings mark a point: the unit that contains it.
            if r.start == r.end:
                for s_start, s_end, _ in doc_spans:
                    if s_start <= r.start < s_end:
                        add((r.document_id, s_start, s_end), label, index, (r.start, r.end))
    for spans_pair in pieces.values():
        spans_pair[0].sort()
        spans_pair[1].sort()
    return Comparison(
        coders=coders,
        coder_ids=(id_a, id_b),
        unit=unit,
        documents=documents,
        doc_ids=doc_ids,
        texts=texts,
        units=units,
        codes=codes,
        code_ids=code_ids,
        pieces=pieces,
    )


def compute_agreement(
    project: Project, coders: tuple[str, str], *, unit: str = "document"
) -> AgreementReport:
    """Agreement of two coders on the documents both coded; see the module docstring.

    Codes compared: every theme (code without children) and every code either coder used
    on those documents, in codebook order. Alpha counts the codes either coder used;
    `alpha_all_codes` all of them.
    """
    if unit not in UNITS:
        raise UserError(f"unknown unit {unit!r}; use one of: {', '.join(UNITS)}", where="--unit")
    with project.read() as session:
        comparison = load_comparison(session, coders, unit)
    result = agreement(
        list(comparison.units),
        comparison.codes,
        comparison.pairs(0),
        comparison.pairs(1),
        coders=coders,
        unit=unit,
    )
    return AgreementReport(
        result=result,
        documents=[comparison.documents[d] for d in comparison.doc_ids],
        units=comparison.units,
    )


def _tree_order(session: Session) -> list[int]:
    """Code ids depth first in codebook order (parents before their children)."""
    rows = session.execute(select(Code.id, Code.parent_id, Code.position, Code.name)).all()
    children: dict[int | None, list[Any]] = defaultdict(list)
    for row in rows:
        children[row.parent_id].append(row)
    out: list[int] = []

    def walk(parent: int | None) -> None:
        for row in sorted(children.get(parent, []), key=lambda r: (r.position, r.name)):
            out.append(row.id)
            walk(row.id)

    walk(None)
    return out


def _segment_units(
    session: Session, doc_ids: list[int], texts: dict[int, str]
) -> dict[int, list[tuple[int, int, str | None]]]:
    """Per document: its segments (start, end, speaker), or its sentences when it has none.

    Segments that overlap or are empty are dropped; units are sorted by start and disjoint,
    which the overlap search relies on.
    """
    out: dict[int, list[tuple[int, int, str | None]]] = {d: [] for d in doc_ids}
    for seg in session.execute(
        select(Segment.document_id, Segment.start, Segment.end, Segment.speaker)
        .where(Segment.document_id.in_(doc_ids))
        .order_by(Segment.document_id, Segment.start, Segment.end)
    ):
        spans = out[seg.document_id]
        if seg.end <= seg.start or (spans and seg.start < spans[-1][1]):
            continue
        spans.append((seg.start, seg.end, seg.speaker))
    for doc_id in doc_ids:
        if not out[doc_id]:
            out[doc_id] = [(s, e, None) for s, e in sentence_spans(texts[doc_id])]
    return out


# -- co-occurrence -------------------------------------------------------------------------


def compute_cooccurrence(project: Project, *, coder: str | None = None, level: str = "theme"):  # type: ignore[no-untyped-def]
    """Documents coded with both of two codes, for one coder (or everyone)."""
    from dataclasses import replace

    from lo_codebook.analysis.cooccurrence import cooccurrence
    from lo_codebook.core.themes_service import load_frames

    with project.read() as session:
        codes, pairs, _documents = load_frames(session, coder=coder)
    return replace(cooccurrence(codes, pairs, None, level=level), coder=coder)
