"""Bring two coders' work together: codebook merge (fuzzy, reviewable) and project merge.

Coders who code inductively end up with near-duplicate codes ("Werkdruk"/"werkdruk",
"Vaardigheid"/"Vaardigheden", "Thuiswerken"/"Thuis werken"). `plan_codebook_merge` scores
every pair of codes by name (normalised for case, accents, punctuation, simple Dutch/English
plural endings) and keywords, aware of the tree, and proposes a one-to-one matching;
`apply_codebook_merge` carries it out in ONE audited transaction, so `unmerge` (undo of
that log entry) restores the previous state exactly. `merge_project` brings another coder's
whole project in (documents by content hash, cases, codes, codings per coder, memos),
idempotently, so `agreement` can compare the coders afterwards.

Bringing the other project's work in is not done here: the other project is read into the
REFI model and mapped in by the importer `import-qdpx` uses (`_bring_in`, see
`refi_mapping.bring_in_project`); only the code matching is the merge's own.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from lo_codebook.core.bring_in import (
    BringInReport,
)
from lo_codebook.core.code_absorb import absorb_code, absorb_into
from lo_codebook.core.code_tree import code_path
from lo_codebook.core.codebook_files import read_codebook
from lo_codebook.core.project import Project, WriteUnit
from lo_codebook.core.refi_mapping import bring_in_project, native_refi
from lo_codebook.db.models import (
    AuditEntry,
    Code,
    Coding,
)
from lo_codebook.errors import UserError

DEFAULT_AUTO_SCORE = 90.0
"""Pairs scoring at least this merge without asking."""
DEFAULT_REVIEW_FLOOR = 60.0
"""Pairs between this and the auto score are listed for review; below it, no match."""
PROJECT_AUTO_SCORE = 90.0
"""`merge-project` merges codes automatically from this score; other codes are added."""
MERGE_ACTIONS = ("merge-codebook", "merge-project")
MergeReport = BringInReport
"""The report of a merge: the one bring-in report (`core/bring_in.py`), under its old name."""

# -- name normalisation -------------------------------------------------------------------

_APOSTROPHES = re.compile(r"['’‘`´]")
_NON_WORD = re.compile(r"[^0-9a-z]+")
# Longest first; (suffix, replacement, minimum length of what remains).
_ENDINGS: tuple[tuple[str, str, int], ...] = (
    ("heden", "heid", 3),  # vaardigheden -> vaardigheid, mogelijkheden -> mogelijkheid
    ("ies", "y", 3),  # activities -> activity
    ("en", "", 4),  # medewerkers/werken, categorieen -> categorie
    ("s", "", 3),  # teams -> team, thema's -> thema
)


def normalise_name(text: str) -> str:
    """Lower case, no accents, punctuation as single blanks: 'Thema’s & Café' -> 'themas cafe'."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    plain = _APOSTROPHES.sub("", plain.casefold())
    return " ".join(_NON_WORD.sub(" ", plain).split())


def stem_word(word: str) -> str:
    """Strip one simple plural/inflection ending (Dutch and English), never to a stub."""
    for suffix, replacement, keep in _ENDINGS:
        if word.endswith(suffix) and len(word) - len(suffix) >= keep:
            if suffix == "s" and word[-2] in "siu":  # proces, thuis, crisis, status
                return word
            return word[: len(word) - len(suffix)] + replacement
    return word


def stem_name(text: str) -> str:
    """`normalise_name` with every word stemmed: 'Vaardigheden' and 'vaardigheid' agree."""
    return " ".join(stem_word(w) for w in normalise_name(text).split())


@dataclass(frozen=True)
class _Key:
    """The forms of one name that the scorer compares."""

    norm: str
    stem: str
    compact: str  # stems without blanks: 'Thuis werken' == 'Thuiswerken'
    joined: str  # the normalised name without blanks

    @classmethod
    def of(cls, text: str) -> _Key:
        norm = normalise_name(text)
        stem = " ".join(stem_word(w) for w in norm.split())
        return cls(norm, stem, stem.replace(" ", ""), norm.replace(" ", ""))


def name_score(a: str, b: str) -> tuple[float, str]:
    """0-100 similarity of two code names, with the reason shown to the reviewer."""
    ka, kb = _Key.of(a), _Key.of(b)
    return _name_score(ka, kb)


def _name_score(ka: _Key, kb: _Key) -> tuple[float, str]:
    if not ka.norm or not kb.norm:
        return 0.0, "empty name"
    if ka.norm == kb.norm:
        return 100.0, "same name" if ka.norm else ""
    if ka.stem == kb.stem:
        return 97.0, "same word, other ending"
    if ka.compact == kb.compact or ka.joined == kb.joined:
        return 96.0, "same words, other spacing"
    ratio = max(fuzz.ratio(ka.compact, kb.compact), fuzz.token_sort_ratio(ka.stem, kb.stem))
    marks_a, marks_b = _marks(ka.norm), _marks(kb.norm)
    if marks_a != marks_b:
        # "Werkdruk 2024" / "Werkdruk 2023", "Niveau A" / "Niveau B": the one token that
        # differs is the whole point of the name; never close enough to merge unasked
        shown = f"{' '.join(sorted(marks_a)) or '-'} vs {' '.join(sorted(marks_b)) or '-'}"
        return float(min(ratio, _MARKED_MAX)), f"differ in a number or letter ({shown})"
    return float(ratio), "similar spelling"


#: At most this similar when two names differ in a number or a single letter.
_MARKED_MAX = 60


def _marks(norm: str) -> frozenset[str]:
    """The tokens of a name that tell otherwise equal names apart: numbers, single letters."""
    return frozenset(t for t in norm.split() if any(ch.isdigit() for ch in t) or len(t) == 1)


# -- the two codebooks --------------------------------------------------------------------


@dataclass
class SourceCode:
    """A code of the codebook being merged in; `key` is its path there ('Parent/Child')."""

    key: str
    name: str
    parent_key: str | None = None
    description: str = ""
    keywords: tuple[str, ...] = ()
    color: str | None = None
    guid: str | None = None
    is_category: bool = False
    source_id: int | None = None  # id in a source project (codings follow it)
    depth: int = 0  # number of ancestors


@dataclass
class _TargetCode:
    id: int
    name: str
    path: str
    parent_id: int | None
    keywords: tuple[str, ...]
    is_category: bool
    guid: str | None = None


@dataclass
class MatchPair:
    """A proposed match: source code -> existing code, with its score and why."""

    source_key: str
    source_name: str
    target_id: int
    target_path: str
    score: float
    auto: bool
    reasons: list[str] = field(default_factory=list)

    def as_record(self) -> dict[str, Any]:
        return {
            "source": self.source_key,
            "target": self.target_path,
            "target_id": self.target_id,
            "score": round(self.score, 1),
            "action": "merge" if self.auto else "review",
            "reasons": list(self.reasons),
        }


@dataclass
class MergePlan:
    """What `apply_codebook_merge` would do; the UI shows it for interactive review."""

    source: str
    source_kind: str  # "project", "qdc" or "csv"
    source_url: str | None
    auto_score: float
    review_floor: float
    codes: list[SourceCode]
    pairs: list[MatchPair]
    source_codings: int = 0

    @property
    def auto_pairs(self) -> list[MatchPair]:
        return [p for p in self.pairs if p.auto]

    @property
    def review_pairs(self) -> list[MatchPair]:
        return [p for p in self.pairs if not p.auto]

    @property
    def unmatched(self) -> list[SourceCode]:
        matched = {p.source_key for p in self.pairs}
        return [c for c in self.codes if c.key not in matched]

    def pair_for(self, source_key: str) -> MatchPair | None:
        return next((p for p in self.pairs if p.source_key == source_key), None)

    def to_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "source_kind": self.source_kind,
            "auto_score": self.auto_score,
            "review_floor": self.review_floor,
            "merge": [p.as_record() for p in self.auto_pairs],
            "review": [p.as_record() for p in self.review_pairs],
            "new": [{"source": c.key, "parent": c.parent_key} for c in self.unmatched],
            "source_codings": self.source_codings,
        }


def _targets(session: Session) -> list[_TargetCode]:
    codes = list(session.scalars(select(Code).options(selectinload(Code.children))))
    return [
        _TargetCode(
            c.id,
            c.name,
            code_path(c),
            c.parent_id,
            tuple(c.keywords or ()),
            bool(c.children),
            c.guid,
        )
        for c in codes
    ]


def source_codes_from_session(session: Session) -> list[SourceCode]:
    """A project's codebook as SourceCodes (parents before children)."""
    codes = list(session.scalars(select(Code).options(selectinload(Code.children))))
    out: list[SourceCode] = []
    for code in codes:
        parent = code.parent
        depth, node = 0, parent
        while node is not None:
            depth, node = depth + 1, node.parent
        out.append(
            SourceCode(
                key=code_path(code),
                name=code.name,
                parent_key=code_path(parent) if parent is not None else None,
                description=code.description or "",
                keywords=tuple(code.keywords or ()),
                color=code.color,
                guid=code.guid,
                is_category=bool(code.children),
                source_id=code.id,
                depth=depth,
            )
        )
    out.sort(key=lambda c: (c.depth, c.key))
    return out


def _codes_from_rows(rows: Sequence[Any], file: Path) -> list[SourceCode]:
    """CodeRows (parent by name or path) as SourceCodes keyed by path."""
    by_name: dict[str, list[Any]] = {}
    for row in rows:
        by_name.setdefault(row.name, []).append(row)
    keys: dict[int, str] = {}
    depths: dict[int, int] = {}

    def parent_row(row: Any) -> Any | None:
        if not row.parent:
            return None
        ref = row.parent
        leaf = ref.rsplit("/", 1)[-1]
        candidates = by_name.get(leaf, [])
        if "/" in ref:
            candidates = [c for c in candidates if key_of(c) == ref] or candidates
        if not candidates:
            raise UserError(
                f"parent {row.parent!r} of {row.name!r} is not in the codebook",
                file=file,
                where=f"line {row.row}" if row.row else None,
            )
        return candidates[0]

    def key_of(row: Any, depth: int = 0) -> str:
        if id(row) in keys:
            return keys[id(row)]
        if depth > len(rows):
            raise UserError(f"parents form a cycle around {row.name!r}", file=file)
        parent = parent_row(row)
        if parent is None:
            key, level = row.name, 0
        else:
            key, level = f"{key_of(parent, depth + 1)}/{row.name}", depths[id(parent)] + 1
        keys[id(row)] = key
        depths[id(row)] = level
        return key

    parents: set[str] = set()
    out: list[SourceCode] = []
    for row in rows:
        key = key_of(row)
        parent = parent_row(row)
        parent_key = key_of(parent) if parent is not None else None
        if parent_key:
            parents.add(parent_key)
        out.append(
            SourceCode(
                key=key,
                name=row.name,
                parent_key=parent_key,
                description=row.description or "",
                keywords=tuple(row.keywords),
                color=row.color,
                guid=getattr(row, "guid", None),
                depth=depths[id(row)],
            )
        )
    unique: dict[str, SourceCode] = {}
    for code in out:
        code.is_category = code.key in parents
        unique.setdefault(code.key, code)
    result = list(unique.values())
    result.sort(key=lambda c: (c.depth, c.key))
    return result


@dataclass
class _Source:
    label: str
    kind: str
    url: str | None
    codes: list[SourceCode]
    codings: int = 0


def _is_codebook_file(source: str) -> bool:
    return Path(source).suffix.lower() in {".qdc", ".csv"} and "://" not in source


def _load_source(project: Project, source: str | Path) -> _Source:
    text = str(source)
    if _is_codebook_file(text):
        path = Path(text)
        rows = read_codebook(path).rows
        kind = path.suffix.lower().lstrip(".")
        if not rows:
            raise UserError("the codebook file has no codes", file=path)
        return _Source(path.name, kind, None, _codes_from_rows(rows, path))
    other = _open_other(project, text)
    try:
        with other.read() as session:
            codes = source_codes_from_session(session)
            from sqlalchemy import func

            codings = int(session.scalar(select(func.count()).select_from(Coding)) or 0)
        return _Source(other.display_name, "project", other.url, codes, codings)
    finally:
        other.close()


def _open_other(project: Project, source: str) -> Project:
    from lo_codebook.db.engine import resolve_url

    url = resolve_url(source)
    if url == project.url:
        raise UserError("that is this project itself; give another coder's project", file=source)
    # Another coder's file is only read: never upgraded (an older one is read through a
    # temporary upgraded copy), never written, no -wal/-shm or backup left in their folder.
    return Project.open_readonly(url, project.coder_name, reason="it is the project merged from")


# -- matching -----------------------------------------------------------------------------


def _keyword_forms(names: Iterable[str]) -> frozenset[str]:
    return frozenset(k.compact for k in (_Key.of(n) for n in names) if k.compact)


@dataclass(frozen=True)
class _Side:
    """What the scorer needs of one code, computed once."""

    key: _Key
    keywords: frozenset[str]
    is_category: bool


def _score(src: _Side, tgt: _Side, parent_matched: bool | None) -> tuple[float, list[str]]:
    """Score one pair: name, keywords, then the tree (parents, category vs theme)."""
    score, why = _name_score(src.key, tgt.key)
    reasons = [why] if why else []
    if (tgt.key.compact in src.keywords or src.key.compact in tgt.keywords) and score < 85.0:
        score = 85.0  # a synonym: worth a review, never merged on that alone
        reasons.append("name is a keyword of the other")
    if src.keywords and tgt.keywords:
        shared = len(src.keywords & tgt.keywords)
        jaccard = shared / len(src.keywords | tgt.keywords)
        if jaccard >= 0.3 and score >= 70.0:
            score += 3.0
            reasons.append(f"shared keywords ({shared})")
        elif jaccard >= 0.5 and score < 80.0:
            score = 80.0
            reasons.append(f"mostly the same keywords ({shared})")
    if parent_matched is True:
        score += 3.0
        reasons.append("same parent")
    elif parent_matched is False:
        score -= 6.0
        reasons.append("different parent")
    if src.is_category != tgt.is_category:
        score -= 15.0
        reasons.append("category vs theme")
    return max(0.0, min(100.0, score)), reasons


def match_codes(
    sources: Sequence[SourceCode],
    targets: Sequence[_TargetCode],
    *,
    auto_score: float,
    review_floor: float,
) -> list[MatchPair]:
    """One-to-one matching, parents before children (a child's score knows its parent's match).

    Within each depth level pairs are taken greedily from the highest score down.
    """
    by_id = {t.id: t for t in targets}
    tgt_side = {
        t.id: _Side(_Key.of(t.name), _keyword_forms(t.keywords), t.is_category) for t in targets
    }
    src_side = {
        s.key: _Side(_Key.of(s.name), _keyword_forms(s.keywords), s.is_category) for s in sources
    }
    src_by_key = {s.key: s for s in sources}
    taken: set[int] = set()
    matched: dict[str, int] = {}
    pairs: list[MatchPair] = []
    for level in sorted({s.depth for s in sources}):
        candidates: list[tuple[float, str, int, list[str]]] = []
        for src in (s for s in sources if s.depth == level):
            parent_stem = (
                _Key.of(src.parent_key.rsplit("/", 1)[-1]).stem if src.parent_key else None
            )
            for tgt in targets:
                if tgt.id in taken:
                    continue
                if src.guid and src.guid == tgt.guid:
                    # the same code, found again by its GUID (`code_absorb`): renamed or not
                    candidates.append((100.0, src.key, tgt.id, ["same GUID"]))
                    continue
                relation = _parent_relation(src, tgt, parent_stem, matched, tgt_side)
                score, reasons = _score(src_side[src.key], tgt_side[tgt.id], relation)
                if score >= review_floor:
                    candidates.append((score, src.key, tgt.id, reasons))
        candidates.sort(key=lambda c: (-c[0], c[1], by_id[c[2]].path))
        for score, key, target_id, reasons in candidates:
            if key in matched or target_id in taken:
                continue
            matched[key] = target_id
            taken.add(target_id)
            pairs.append(
                MatchPair(
                    source_key=key,
                    source_name=src_by_key[key].name,
                    target_id=target_id,
                    target_path=by_id[target_id].path,
                    score=round(score, 2),
                    auto=score >= auto_score,
                    reasons=reasons,
                )
            )
    order = {s.key: i for i, s in enumerate(sources)}
    pairs.sort(key=lambda p: order[p.source_key])
    return pairs


def _parent_relation(
    src: SourceCode,
    tgt: _TargetCode,
    parent_stem: str | None,
    matched: dict[str, int],
    sides: dict[int, _Side],
) -> bool | None:
    """True: same (matched or same-named) parent; False: clearly different; None: both roots."""
    if src.parent_key is None and tgt.parent_id is None:
        return None
    if src.parent_key is None or tgt.parent_id is None:
        return False
    if matched.get(src.parent_key) == tgt.parent_id:
        return True
    parent = sides.get(tgt.parent_id)
    return parent is not None and parent.key.stem == parent_stem


def plan_codebook_merge(
    project: Project,
    source: str | Path,
    *,
    auto_score: float = DEFAULT_AUTO_SCORE,
    review_floor: float = DEFAULT_REVIEW_FLOOR,
) -> MergePlan:
    """Match SOURCE's codes (another project, a .qdc or .csv codebook) to this codebook."""
    if not (0 <= review_floor <= 100 and 0 <= auto_score <= 100):
        raise UserError("scores are between 0 and 100", where="--auto")
    review_floor = min(review_floor, auto_score)
    loaded = _load_source(project, source)
    with project.read() as session:
        targets = _targets(session)
    pairs = match_codes(loaded.codes, targets, auto_score=auto_score, review_floor=review_floor)
    return MergePlan(
        source=loaded.label,
        source_kind=loaded.kind,
        source_url=loaded.url,
        auto_score=auto_score,
        review_floor=review_floor,
        codes=loaded.codes,
        pairs=pairs,
        source_codings=loaded.codings,
    )


# -- applying -----------------------------------------------------------------------------


def _absorb(session: Session, target: Code, src: SourceCode) -> None:
    """`code_absorb.absorb_into`, plus the source's name as a keyword when the plan matched
    a code by another name (Vaardigheden into Vaardigheid): a synonym worth keeping."""
    extra = list(src.keywords)
    if normalise_name(src.name) != normalise_name(target.name):
        extra.insert(0, src.name)
    absorb_into(session, target, description=src.description, keywords=extra, guid=src.guid)


def apply_code_mapping(
    unit: WriteUnit,
    codes: Sequence[SourceCode],
    accepted: dict[str, int],
    report: BringInReport,
) -> dict[str, Code]:
    """Merge accepted source codes into their targets, add the others under their parent.

    Returns source key -> code in this project (parents handled before children).
    """
    session = unit.session
    mapping: dict[str, Code] = {}
    for src in sorted(codes, key=lambda c: c.depth):
        target_id = accepted.get(src.key)
        if target_id is not None:
            target = session.get(Code, target_id)
            if target is None:
                raise UserError(
                    f"code #{target_id} (match of {src.key!r}) no longer exists; plan the merge again"
                )
            _absorb(session, target, src)
            mapping[src.key] = target
            report.codes_merged.append((src.key, code_path(target)))
            continue
        parent = mapping.get(src.parent_key) if src.parent_key else None
        name = " ".join(src.name.replace("/", "-").split())[:300] or "(unnamed code)"
        # by name only: the plan matched GUIDs already, and what the user declined stays apart
        result = absorb_code(
            unit,
            name,
            parent=parent,
            description=src.description,
            keywords=src.keywords,
            color=src.color,
            guid=src.guid,
            by_guid=False,
        )
        mapping[src.key] = result.code
        if result.created:
            report.codes_added.append(code_path(result.code))
        elif normalise_name(src.key) != normalise_name(code_path(result.code)):
            report.codes_merged.append((src.key, code_path(result.code)))
    session.flush()
    return mapping


def _accepted_map(plan: MergePlan, accepted_pairs: Iterable[Any] | None) -> dict[str, int]:
    """Normalise what the caller accepted: MatchPairs, (source_key, target_id) or source keys."""
    if accepted_pairs is None:
        return {p.source_key: p.target_id for p in plan.auto_pairs}
    keys = {c.key for c in plan.codes}
    out: dict[str, int] = {}
    for item in accepted_pairs:
        if isinstance(item, MatchPair):
            key, target = item.source_key, item.target_id
        elif isinstance(item, str):
            pair = plan.pair_for(item)
            if pair is None:
                raise UserError(f"{item!r} has no proposed match in this plan")
            key, target = pair.source_key, pair.target_id
        else:
            key, target = item
        if key not in keys:
            raise UserError(f"{key!r} is not a code of {plan.source}")
        out[key] = int(target)
    return out


def _latest_entry(project: Project, action: str) -> int | None:
    with project.read() as session:
        return session.scalar(
            select(AuditEntry.id)
            .where(AuditEntry.action == action, AuditEntry.coder == project.coder_name)
            .order_by(AuditEntry.id.desc())
            .limit(1)
        )


def apply_codebook_merge(
    project: Project, plan: MergePlan, accepted_pairs: Iterable[Any] | None = None
) -> BringInReport:
    """Carry out a plan in one audited transaction (`unmerge` reverses it).

    `accepted_pairs` (MatchPairs, `(source_key, target_id)` tuples or source keys) are the
    matches to merge; None means the plan's automatic ones. Every other source code is added
    under its (matched) parent. When the source is a project, its codings follow their codes
    onto the documents with the same text here, each coder's codings kept apart.
    """
    accepted = _accepted_map(plan, accepted_pairs)
    report = BringInReport(source=plan.source, action="merge-codebook")
    other = _open_other(project, plan.source_url) if plan.source_url else None
    try:
        with project.write("merge-codebook") as unit:
            unit.serialise("merge")  # a merge started at the same moment goes first, wholly
            mapping = apply_code_mapping(unit, plan.codes, accepted, report)
            if other is not None:
                with other.read() as other_session:
                    _bring_in(unit, other_session, plan, mapping, report, whole=False)
            unit.summary = report.summary()
    finally:
        if other is not None:
            other.close()
    report.entry_id = _latest_entry(project, "merge-codebook")
    return report


def merge_codebook(
    project: Project,
    source: str | Path,
    *,
    auto_score: float = DEFAULT_AUTO_SCORE,
    review_floor: float = DEFAULT_REVIEW_FLOOR,
    accept: Sequence[str] = (),
) -> tuple[MergePlan, BringInReport]:
    """Plan and apply: automatic pairs plus the review pairs named in `accept` (source names)."""
    plan = plan_codebook_merge(project, source, auto_score=auto_score, review_floor=review_floor)
    chosen: list[MatchPair] = list(plan.auto_pairs)
    for ref in accept:
        pair = plan.pair_for(ref) or next(
            (p for p in plan.review_pairs if p.source_name == ref), None
        )
        if pair is None:
            raise UserError(f"{ref!r} is not a proposed match of {plan.source}", where="--accept")
        chosen.append(pair)
    return plan, apply_codebook_merge(project, plan, chosen)


# -- codings, documents, cases ------------------------------------------------------------


def _bring_in(
    unit: WriteUnit,
    other: Session,
    plan: MergePlan,
    mapping: dict[str, Code],
    report: BringInReport,
    *,
    whole: bool,
) -> None:
    """The one bring-in: the other project as a RefiProject, in through import-qdpx's
    importer (`refi_mapping.bring_in_project`), its codes matched already by `plan`."""
    native = native_refi(other, plan.source)
    codes = {
        native.code_guids[code_id]: mapping[c.key]
        for c in plan.codes
        if (code_id := c.source_id) is not None
    }
    bring_in_project(unit, native, codes, report, whole=whole)


def merge_project(
    project: Project,
    other_db: str | Path,
    *,
    auto_score: float = PROJECT_AUTO_SCORE,
    backup: bool = True,
) -> BringInReport:
    """Bring another coder's project in, in one transaction (after a backup of a SQLite file).

    Documents match by content hash, one here for one there (a different text under a taken
    name gets a suffixed name); cases and attributes are united (ours kept on conflict, reported); codes merge at
    `auto_score` or are added; codings keep their coder; memos are copied; suggestions not.
    Running it again changes nothing.
    """
    project.require_writable("merge-project")
    plan = plan_codebook_merge(project, other_db, auto_score=auto_score, review_floor=auto_score)
    if plan.source_kind != "project":
        raise UserError(
            "merge-project needs another project database (use merge-codebook for codebooks)",
            file=str(other_db),
        )
    report = BringInReport(source=plan.source, action="merge-project")
    if backup and project.path is not None and project.path.exists():
        from lo_codebook.db.engine import backup_sqlite

        report.backup = backup_sqlite(project.path, "premerge")
    assert plan.source_url is not None
    other = _open_other(project, plan.source_url)
    try:
        with project.write("merge-project") as unit, other.read() as other_session:
            # Someone merging (this same file, maybe) at the same moment goes first; this one
            # then finds their codes, documents and codings and adds only what is missing.
            unit.serialise("merge")
            accepted = {p.source_key: p.target_id for p in plan.auto_pairs}
            mapping = apply_code_mapping(unit, plan.codes, accepted, report)
            _bring_in(unit, other_session, plan, mapping, report, whole=True)
            unit.summary = report.summary()
    finally:
        other.close()
    report.entry_id = _latest_entry(project, "merge-project")
    return report


def unmerge(project: Project, entry_id: int | None = None) -> str:
    """Undo a merge (default: your latest one still in effect); returns its description."""
    with project.read() as session:
        if entry_id is None:
            candidates = session.scalars(
                select(AuditEntry)
                .where(
                    AuditEntry.action.in_(MERGE_ACTIONS),
                    AuditEntry.coder == project.coder_name,
                    AuditEntry.undone.is_(False),
                )
                .order_by(AuditEntry.id.desc())
                .limit(1)
            ).all()
            if not candidates:
                raise UserError(
                    "no merge of yours to undo; name one with `lo-codebook unmerge N` "
                    "(numbers from `lo-codebook log`)"
                )
            entry_id = candidates[0].id
        else:
            entry = session.get(AuditEntry, entry_id)
            if entry is None:
                raise UserError(f"log entry #{entry_id} does not exist")
            if entry.action not in MERGE_ACTIONS:
                raise UserError(
                    f"log entry #{entry_id} is a {entry.action!r}, not a merge; use `lo-codebook undo --entry {entry_id}`"
                )
    # Only what the merge still owns is taken back: codings others made since on codes it
    # added (or any other work on top of it) make unmerge refuse, naming that work.
    return project.undo(entry_id=entry_id, label="unmerge")
