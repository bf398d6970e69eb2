"""Theme frequency tables from the database: SQL aggregates (code, document) pairs, pandas counts.

One implementation for `lo-codebook themes`, the UI's themes screen and the demo.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from lo_codebook.analysis.themes import theme_table
from lo_codebook.core.project import Project
from lo_codebook.db.lookup import check_attribute_key, find_coder
from lo_codebook.db.models import Code, Coder, Coding
from lo_codebook.errors import UserError
from lo_codebook.i18n import t

KINDS = ("survey", "transcript", "text")
ALL_CODERS = "all"  # `--coder all`: every coder's codings, pooled


def _raw_rows(session: Session, sql: str, params: tuple = ()) -> list[tuple]:
    """Fetch plain tuples through the DBAPI cursor: 1M rows in a fraction of ORM time."""
    connection = session.connection()
    placeholder = "?" if connection.dialect.paramstyle == "qmark" else "%s"
    cursor = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(sql.replace("?", placeholder), params)
        return cursor.fetchall()
    finally:
        cursor.close()


def _pairs(session: Session, coder_ids: Sequence[int] | None) -> pd.DataFrame:
    """(code_id, document_id, mentions) of every coded pair (of these coders; None: anyone's).

    A million codings make a few hundred thousand pairs; returned as rows, Python builds a
    tuple per pair. SQLite and PostgreSQL instead concatenate each code's document ids and
    counts into one string, which numpy parses in C: one row per code crosses over.
    """
    where = ""
    params: tuple = ()
    if coder_ids is not None:
        ids = tuple(int(i) for i in coder_ids) or (-1,)  # no coder: no codings
        where = f"WHERE coder_id IN ({', '.join('?' for _ in ids)})"
        params = ids
    inner = f"SELECT code_id, document_id, COUNT(*) AS n FROM coding {where} GROUP BY code_id, document_id"
    dialect = session.connection().dialect.name
    if dialect == "sqlite":
        concat = "group_concat({0})"
    elif dialect == "postgresql":
        concat = "string_agg(CAST({0} AS TEXT), ',' ORDER BY document_id)"
    else:
        rows = _raw_rows(session, inner, params)
        array = np.array(rows, dtype=np.int64).reshape(-1, 3)
        return pd.DataFrame(array, columns=["code_id", "document_id", "mentions"])
    sql = (
        f"SELECT code_id, COUNT(*), {concat.format('document_id')}, {concat.format('n')} "
        f"FROM ({inner}) AS pairs GROUP BY code_id"
    )
    rows = _raw_rows(session, sql, params)
    if not rows:
        return pd.DataFrame(
            {c: np.zeros(0, dtype=np.int64) for c in ("code_id", "document_id", "mentions")}
        )
    code_ids = np.repeat(
        np.array([r[0] for r in rows], dtype=np.int64),
        np.array([r[1] for r in rows], dtype=np.int64),
    )
    documents = np.fromstring(",".join(r[2] for r in rows), dtype=np.int64, sep=",")
    mentions = np.fromstring(",".join(r[3] for r in rows), dtype=np.int64, sep=",")
    if not len(documents) == len(mentions) == len(code_ids):  # never expected: fail loudly
        raise RuntimeError("theme pairs: the database returned inconsistent aggregates")
    return pd.DataFrame({"code_id": code_ids, "document_id": documents, "mentions": mentions})


@dataclass(frozen=True)
class CoderScope:
    """Whose codings a theme table counts, and who else has coded (so a table can say so)."""

    counted: tuple[str, ...]
    available: tuple[str, ...]  # every coder with at least one coding, by name
    ids: tuple[int, ...] | None  # the counted coders' ids; None: no filter (everyone's)
    labels: Mapping[str, str] = field(default_factory=dict)  # name -> how to print it (consensus)

    @property
    def pooled(self) -> bool:
        return len(self.counted) > 1

    def notice(
        self, hint: str = "--coder all pools them, --coder NAME picks", lang: str = "en"
    ) -> str:
        """One line for the user: which coders count, and (`hint`) how to choose others."""
        if not self.available:
            return t("coders.nobody_yet", lang)
        names = ", ".join(self.labels.get(c, c) for c in self.counted) or t("coders.nobody", lang)
        idle = [c for c in self.counted if c not in self.available]
        note = (
            t(
                "coders.idle_one" if len(idle) == 1 else "coders.idle_many",
                lang,
                names=", ".join(idle),
            )
            if idle
            else ""
        )
        if not [c for c in self.available if c not in self.counted]:
            if len(self.available) == 1:
                return t("coders.only", lang, names=names, note=note)
            return t("coders.all", lang, n=len(self.available), names=names, note=note)
        return t(
            "coders.some",
            lang,
            names=names,
            pooled=t("coders.pooled", lang) if self.pooled else "",
            note=note,
            available=", ".join(self.available),
            hint=hint,
        )


def _consensus_hint(coder: str) -> str:
    if coder.strip().casefold() == "consensus":
        return "; make the consensus first: lo-codebook consensus --coders A,B"
    return ""


def consensus_coders(session: Session, available: Sequence[str]) -> list[str]:
    """The coders among `available` that hold a consensus, the default name first."""
    from lo_codebook.core.coder_labels import DEFAULT_NAME, consensus_source

    held = [n for n in available if consensus_source(session, n) is not None]
    return sorted(held, key=lambda n: (n != DEFAULT_NAME, n.casefold()))


def coder_scope(
    session: Session, requested: str | Sequence[str] | None, current: str | None
) -> CoderScope:
    """Resolve `--coder`: names (repeated or comma-separated), `all`, or None for the default.

    The default counts the consensus coding when one exists; else the current coder when they
    have codings; when they have none (a supervisor looking at the team's work), every
    coder's, pooled, and the notice says so.
    """
    with_codings = dict(
        session.execute(
            select(Coder.name, Coder.id)
            .where(exists().where(Coding.coder_id == Coder.id))
            .order_by(Coder.name)
        ).all()
    )
    available = tuple(with_codings)
    items = [requested] if isinstance(requested, str) else list(requested or [])
    names = list(
        dict.fromkeys(n.strip() for item in items for n in str(item).split(",") if n.strip())
    )
    if any(n.casefold() == ALL_CODERS for n in names):
        if len(names) > 1:
            raise UserError(
                f"{ALL_CODERS!r} pools every coder; leave out the names", where="--coder"
            )
        return CoderScope(available, available, None)
    if names:
        found = {n: find_coder(session, n) for n in names}
        unknown = [n for n, c in found.items() if c is None]
        if unknown:
            listed = ", ".join(available) or "none yet"
            raise UserError(
                f"unknown coder {unknown[0]!r} (coders with codings: {listed}; or {ALL_CODERS})"
                f"{_consensus_hint(unknown[0])}",
                where="--coder",
            )
        known = dict.fromkeys((c.name, c.id) for c in found.values() if c is not None)
        return CoderScope(tuple(n for n, _ in known), available, tuple(i for _, i in known))
    held = consensus_coders(session, available)
    if held:  # a consensus settles the counts once it exists (`--coder NAME` to see one coder)
        return coder_scope(session, held[0], current)
    if len(available) <= 1:
        return CoderScope(available, available, None)
    if current in with_codings:
        return CoderScope((current,), available, (with_codings[current],))
    return CoderScope(available, available, None)


def load_frames(
    session: Session,
    *,
    by: str | None = None,
    coder: str | None = None,
    kind: str | None = None,
    coder_ids: Sequence[int] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The analysis layer's `codes`, `pairs` and `documents` frames for one scope.

    Codings of `coder` (a name) or of `coder_ids` only; with neither, everyone's.
    """
    codes = pd.DataFrame(
        [tuple(r) for r in session.execute(select(Code.id, Code.name, Code.parent_id))],
        columns=["id", "name", "parent_id"],
    ).astype({"id": "int64", "name": "object", "parent_id": "Int64"})

    if coder is not None:
        found = find_coder(session, coder)
        coder_id = found.id if found is not None else None
        if coder_id is None:
            raise UserError(f"unknown coder {coder!r}{_consensus_hint(coder)}", where="--coder")
        coder_ids = [coder_id]
    pairs = _pairs(session, coder_ids)

    # Counting needs the ids in scope only; the names stay in the database (None here).
    doc_sql = "SELECT id FROM document"
    doc_params: tuple = ()
    if kind is not None:
        if kind not in KINDS:
            raise UserError(
                f"unknown document kind {kind!r}; use one of {', '.join(KINDS)}", where="--kind"
            )
        doc_sql += " WHERE kind = ?"
        doc_params = (kind,)
    ids = np.array([r[0] for r in _raw_rows(session, doc_sql, doc_params)], dtype=np.int64)
    documents = pd.DataFrame({"id": ids, "name": None, "case": None}).astype(
        {"id": "int64", "name": "object", "case": "object"}
    )
    if by is not None:
        values = dict(
            _raw_rows(
                session,
                "SELECT d.id, a.value FROM document d JOIN case_attribute a ON a.case_id = d.case_id WHERE a.key = ?",
                (by,),
            )
        )
        if not values:
            check_attribute_key(session, by)
        documents[by] = documents["id"].map(values).astype("object")
    return codes, pairs, documents


def build_theme_table(
    project: Project,
    *,
    above: int | None = None,
    by: str | None = None,
    unit: str = "document",
    level: str = "theme",
    coder: str | Sequence[str] | None = None,
    kind: str | None = None,
    estimates: bool = True,
):  # type: ignore[no-untyped-def]
    """The theme table of the SPEC (`themes`), as an analysis ThemeTable.

    `estimates`: when a validation sample has documents marked done (`lo-codebook validate`),
    add per row the estimated number of documents that mention it, with its 95% interval
    (document counts only: not with `unit="mention"`).

    `coder`: whose codings count (see `coder_scope`): a name, names, `all`, or None for the
    current coder's when they have any. The table carries the counted and the available
    coders, so every rendering can say which coders count; one consensus coder reads
    `consensus (anna + bram)` (the table's `coder`).
    """
    with project.read() as session:
        scope = coder_scope(session, coder, project.coder_name)
        codes, pairs, documents = load_frames(session, by=by, kind=kind, coder_ids=scope.ids)
        label = None
        if len(scope.counted) == 1:
            from lo_codebook.core.coder_labels import coder_label

            label = coder_label(session, scope.counted[0])
    table = theme_table(
        codes,
        pairs,
        documents,
        above=above,
        level=level,
        by=by,
        unit=unit,
        coder=label,
        coders=scope.counted,
        coders_available=scope.available,
    )
    if estimates and unit == "document":
        table = _with_estimates(project, table, kind=kind)
    return table


def _with_estimates(project: Project, table, *, kind: str | None):  # type: ignore[no-untyped-def]
    """The table with the validation sample's estimates beside the coded counts (if any)."""
    from dataclasses import replace

    from lo_codebook.core.validation import themes_validation

    report = themes_validation(project, kind=kind, level=table.level)
    if report is None:
        return table
    by_code = {row.code_id: row for row in report.rows}
    values = []
    for code_id in table.rows["code_id"]:
        row = by_code.get(int(code_id))
        total = row.estimate.total if row is not None else None
        values.append(
            (np.nan, np.nan, np.nan) if total is None else (total.value, total.low, total.high)
        )
    frame = pd.DataFrame(values, columns=["estimate", "low", "high"], dtype=float)
    notes = []
    if table.above is not None:
        shown = {int(c) for c in table.rows["code_id"]}
        missed = [
            row
            for row in report.rows
            if row.code_id not in shown
            and row.estimate.total.high is not None
            and row.estimate.total.high > table.above
        ]
        if missed:
            listed = ", ".join(
                f"{row.code} ({row.estimate.total.value:.0f}, {row.estimate.total.low:.0f}–{row.estimate.total.high:.0f})"
                for row in missed[:6]
            )
            notes.append(
                f"note: left out by the coded count, but the validation estimate may be above {table.above}: "
                f"{listed}{', ...' if len(missed) > 6 else ''}"
            )
    by_estimates = None
    if table.by is not None:
        by_estimates, note = _group_estimates(report, table)
        if note:
            notes.append(note)
    source = f"estimates: validation by {report.coder} ({report.done} of {report.sample} done)"
    return replace(
        table,
        estimates=frame,
        estimates_source=source,
        by_estimates=by_estimates,
        estimate_notes=tuple(notes + report.notes()),
    )


def _group_estimates(report, table) -> tuple[dict[str, pd.DataFrame] | None, str | None]:  # type: ignore[no-untyped-def]
    """Per `by` group estimates when the sample was stratified by that attribute (a group
    is then a stratum: its own random sample); else None and the one line that says why."""
    if report.by != table.by:
        why = f"stratified by {report.by}" if report.by else "not stratified"
        return None, (
            f"note: no estimates per {table.by} group: the validation sample is {why} "
            f"(per group needs a sample stratified by {table.by}: lo-codebook validate --size N --by {table.by} --replace)"
        )
    per_code = report.stratum_estimates(table.groups, table.missing_label)
    if per_code is None:
        return None, None
    out: dict[str, pd.DataFrame] = {}
    for group in table.groups:
        values = []
        for code_id in table.rows["code_id"]:
            found = per_code.get(int(code_id), {}).get(group)
            ok = found is not None and found.value is not None
            values.append((found.value, found.low, found.high) if ok else (np.nan, np.nan, np.nan))  # type: ignore[union-attr]
        out[group] = pd.DataFrame(values, columns=["estimate", "low", "high"], dtype=float)
    return out, None


def coder_notice(table, **hint: str) -> str:  # type: ignore[no-untyped-def]
    """The notice of the coders a table from `build_theme_table` counts (`hint`, `lang`)."""
    labels = {table.coders[0]: table.coder} if len(table.coders) == 1 and table.coder else {}
    return CoderScope(tuple(table.coders), tuple(table.coders_available), None, labels).notice(
        **hint
    )


def write_chart(table, path: str | Path, *, title: str | None = None, lang: str = "nl") -> Path:  # type: ignore[no-untyped-def]
    from lo_codebook.analysis.charts import theme_chart

    theme_chart(table, Path(path), title=title, threshold=table.above, lang=lang)
    return Path(path)


def demo_theme_report(
    project: Project, *, echo: Callable[[str], None], above: int, lang: str | None = None
) -> str:
    """Suggest, accept above the default score, and return the survey's theme table above N
    (lines and tables in `lang`, default: the project's output language)."""
    from lo_codebook.analysis.render import render_text
    from lo_codebook.core.settings import output_language
    from lo_codebook.core.suggest_service import DEFAULT_ACCEPT_SCORE, decide_matching, run_suggest
    from lo_codebook.i18n import count

    lang = lang or output_language(project)
    report = run_suggest(project)
    echo(report.summary(lang))
    accepted = decide_matching(project, accept=True, min_score=DEFAULT_ACCEPT_SCORE)
    echo(
        t(
            "demo.accepted",
            lang,
            suggestions=count(accepted, "suggestion", lang, thousands=False),
            score=f"{DEFAULT_ACCEPT_SCORE:g}",
        )
    )
    survey = build_theme_table(project, above=above, kind="survey")
    # A handful of interviews never passes a survey-sized threshold: list every theme they mention.
    interviews = build_theme_table(project, above=0, kind="transcript")
    return (
        f"{t('demo.survey_title', lang, above=above)}\n{render_text(survey, lang)}\n\n"
        f"{t('demo.interviews_title', lang)}\n{render_text(interviews, lang)}"
    )
