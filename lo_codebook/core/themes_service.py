"""Theme frequency tables from the database: SQL aggregates (code, document) pairs, pandas counts.

One implementation for `lo-codebook themes`, the UI's themes screen and the demo.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from lo_codebook.analysis.themes import theme_table
from lo_codebook.core.project import Project
from lo_codebook.db.lookup import find_coder
from lo_codebook.db.models import CaseAttribute, Code
from lo_codebook.errors import UserError

KINDS = ("survey", "transcript", "text")


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


def _pairs(session: Session, coder_id: int | None) -> pd.DataFrame:
    """(code_id, document_id, mentions) of every coded pair.

    A million codings make a few hundred thousand pairs; returned as rows, Python builds a
    tuple per pair. SQLite and PostgreSQL instead concatenate each code's document ids and
    counts into one string, which numpy parses in C: one row per code crosses over.
    """
    where = "WHERE coder_id = ?" if coder_id is not None else ""
    params = (coder_id,) if coder_id is not None else ()
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
        np.array([r[0] for r in rows], dtype=np.int64), np.array([r[1] for r in rows], dtype=np.int64)
    )
    documents = np.fromstring(",".join(r[2] for r in rows), dtype=np.int64, sep=",")
    mentions = np.fromstring(",".join(r[3] for r in rows), dtype=np.int64, sep=",")
    if not len(documents) == len(mentions) == len(code_ids):  # never expected: fail loudly
        raise RuntimeError("theme pairs: the database returned inconsistent aggregates")
    return pd.DataFrame({"code_id": code_ids, "document_id": documents, "mentions": mentions})


def load_frames(
    session: Session, *, by: str | None = None, coder: str | None = None, kind: str | None = None
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The analysis layer's `codes`, `pairs` and `documents` frames for one scope."""
    codes = pd.DataFrame(
        [tuple(r) for r in session.execute(select(Code.id, Code.name, Code.parent_id))],
        columns=["id", "name", "parent_id"],
    ).astype({"id": "int64", "name": "object", "parent_id": "Int64"})

    coder_id = None
    if coder is not None:
        found = find_coder(session, coder)
        coder_id = found.id if found is not None else None
        if coder_id is None:
            hint = ""
            if coder == "consensus":
                hint = "; make the consensus first: lo-codebook consensus --coders A,B"
            raise UserError(f"unknown coder {coder!r}{hint}", where="--coder")
    pairs = _pairs(session, coder_id)

    # Counting needs the ids in scope only; the names stay in the database (None here).
    doc_sql = "SELECT id FROM document"
    doc_params: tuple = ()
    if kind is not None:
        if kind not in KINDS:
            raise UserError(f"unknown document kind {kind!r}; use one of {', '.join(KINDS)}", where="--kind")
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
        if not values and session.scalar(select(CaseAttribute.key).where(CaseAttribute.key == by).limit(1)) is None:
            known = sorted(set(session.scalars(select(CaseAttribute.key).distinct())))
            raise UserError(
                f"no case attribute {by!r} (known: {', '.join(known) or 'none'})", where="--by"
            )
        documents[by] = documents["id"].map(values).astype("object")
    return codes, pairs, documents


def build_theme_table(
    project: Project,
    *,
    above: int | None = None,
    by: str | None = None,
    unit: str = "document",
    level: str = "theme",
    coder: str | None = None,
    kind: str | None = None,
):  # type: ignore[no-untyped-def]
    """The theme table of the SPEC (`themes`), as an analysis ThemeTable.

    With `coder`, only that coder's codings count, and the table says whose: a consensus
    coder reads `consensus (anna + bram)`.
    """
    label = None
    with project.read() as session:
        codes, pairs, documents = load_frames(session, by=by, coder=coder, kind=kind)
        if coder is not None:
            from lo_codebook.core.consensus import coder_label

            label = coder_label(session, coder)
    return theme_table(codes, pairs, documents, above=above, level=level, by=by, unit=unit, coder=label)


def write_chart(table, path: str | Path, *, title: str | None = None) -> Path:  # type: ignore[no-untyped-def]
    from lo_codebook.analysis.charts import theme_chart

    theme_chart(table, Path(path), title=title, threshold=table.above)
    return Path(path)


def demo_theme_report(project: Project, *, echo: Callable[[str], None], above: int) -> str:
    """Suggest, accept above the default score, and return the survey's theme table above N."""
    from lo_codebook.analysis.render import render_text
    from lo_codebook.core.suggest_service import DEFAULT_ACCEPT_SCORE, decide_matching, run_suggest

    report = run_suggest(project)
    echo(report.summary())
    accepted = decide_matching(project, accept=True, min_score=DEFAULT_ACCEPT_SCORE)
    echo(f"accepted {accepted} suggestions with score >= {DEFAULT_ACCEPT_SCORE:g}")
    survey = build_theme_table(project, above=above, kind="survey")
    # A handful of interviews never passes a survey-sized threshold: list every theme they mention.
    interviews = build_theme_table(project, above=0, kind="transcript")
    return (
        f"Survey: themes mentioned by more than {above} respondents\n{render_text(survey)}\n\n"
        f"Interviews: themes the respondents mention\n{render_text(interviews)}"
    )
