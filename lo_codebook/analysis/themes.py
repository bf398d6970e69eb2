"""Theme frequency tables: how many documents (respondents) mention each theme.

This is the report's central table ("thema's die meer dan tien keer genoemd
worden"), computed from already-aggregated (code, document) pairs with array
arithmetic so a million codings take well under a second.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from lo_codebook.analysis.counting import distinct as distinct_keys
from lo_codebook.analysis.counting import expand, scoped_pairs
from lo_codebook.analysis.frames import attribute_columns, check_documents, check_pairs
from lo_codebook.analysis.groups import MISSING_LABELS, factorize_groups
from lo_codebook.analysis.render import (
    render_text,
    to_csv,
    to_json,
    to_markdown,
    to_records,
    to_xlsx,
    write_table,
)
from lo_codebook.analysis.table import ROW_COLUMNS, ThemeTable
from lo_codebook.analysis.tree import build_tree
from lo_codebook.errors import UserError

__all__ = [
    "ThemeTable",
    "render_text",
    "theme_table",
    "to_csv",
    "to_json",
    "to_markdown",
    "to_records",
    "to_xlsx",
    "write_table",
]

LEVELS = ("theme", "category")
UNITS = ("document", "mention")


def _check_options(above: int | None, level: str, unit: str) -> None:
    """Reject settings a user could type wrong, with the option's name in the message."""
    if level not in LEVELS:
        raise UserError(
            f"unknown level {level!r}; use one of: {', '.join(LEVELS)}", where="--level"
        )
    if unit not in UNITS:
        raise UserError(f"unknown unit {unit!r}; use one of: {', '.join(UNITS)}", where="--unit")
    if above is not None and (isinstance(above, bool) or not isinstance(above, (int, np.integer))):
        raise UserError(f"threshold must be a whole number, got {above!r}", where="--above")
    if above is not None and above < 0:
        raise UserError(f"threshold must be 0 or more, got {above}", where="--above")


def _groups(
    documents: pd.DataFrame, by: str, missing_label: str
) -> tuple[np.ndarray, list[str], dict[str, int]]:
    """Group number per document (in frame order), group labels in order, group sizes."""
    known = ["case", *attribute_columns(documents)]
    if by not in known:
        hint = ", ".join(known) if known else "none"
        raise UserError(f"no case attribute {by!r} (known: {hint})", where="--by")
    group_pos, ordered = factorize_groups(documents[by], missing_label)
    sizes = np.bincount(group_pos, minlength=len(ordered))
    return (
        group_pos.astype(np.int64),
        ordered,
        {g: int(n) for g, n in zip(ordered, sizes, strict=True)},
    )


def theme_table(
    codes: pd.DataFrame,
    pairs: pd.DataFrame,
    documents: pd.DataFrame,
    *,
    above: int | None = None,
    level: str = "theme",
    by: str | None = None,
    unit: str = "document",
    coder: str | None = None,
    missing_label: str = MISSING_LABELS["nl"],
    coders: Sequence[str] = (),
    coders_available: Sequence[str] = (),
) -> ThemeTable:
    """Count documents and mentions per theme (or category) over the documents in scope.

    Frames follow :mod:`lo_codebook.analysis.frames`. Every theme of the codebook
    gets a row, also with 0 documents (use ``above=0`` to drop those). ``above=N``
    keeps rows whose ``unit`` count is strictly more than N; rows are sorted by
    that count descending, then by name. ``by`` adds per-group document counts
    and percentages for a case attribute; documents without a value form the
    ``missing_label`` group. ``coder`` (one) or ``coders`` (several, pooled) and
    ``coders_available`` are only recorded as metadata: filter ``pairs`` to those
    coders' codings before calling.
    """
    _check_options(above, level, unit)
    tree = build_tree(codes)
    check_pairs(pairs)
    check_documents(documents)

    rows = tree.themes() if level == "theme" else tree.categories()
    n_rows = len(rows)
    doc_ids = documents["id"].to_numpy(dtype=np.int64)
    n_docs = len(doc_ids)

    code_pos, doc_pos, mentions = scoped_pairs(tree, pairs, doc_ids)
    src, row = expand(tree, rows, code_pos)
    doc_of = doc_pos[src]
    mention_counts = np.bincount(row, weights=mentions[src], minlength=n_rows)
    mention_counts = np.rint(mention_counts).astype(np.int64)
    # Distinct (row, document) keys: a document coded with two themes of one category,
    # or twice with one theme, counts once.
    seen = distinct_keys(row * max(n_docs, 1) + doc_of, n_rows * max(n_docs, 1))
    seen_row = seen // max(n_docs, 1)
    doc_counts = np.bincount(seen_row, minlength=n_rows).astype(np.int64)

    frame = pd.DataFrame(
        {
            "code_id": tree.ids[rows],
            "code": pd.Series([tree.names[p] for p in rows], dtype="object"),
            "category": pd.Series([tree.parent_name(int(p)) for p in rows], dtype="object"),
            "documents": doc_counts,
            "mentions": mention_counts,
            "share": doc_counts / n_docs if n_docs else np.zeros(n_rows),
        },
        columns=list(ROW_COLUMNS),
    )

    by_counts = by_share = None
    group_sizes: dict[str, int] = {}
    if by is not None:
        group_pos, ordered, group_sizes = _groups(documents, by, missing_label)
        n_groups = len(ordered)
        flat = seen_row * n_groups + group_pos[seen % max(n_docs, 1)]
        counts = np.bincount(flat, minlength=n_rows * n_groups).reshape(n_rows, n_groups)
        by_counts = pd.DataFrame(counts.astype(np.int64), columns=pd.Index(ordered, dtype="object"))
        sizes = np.array([group_sizes[g] for g in ordered], dtype=float)
        by_share = by_counts / sizes

    metric = "mentions" if unit == "mention" else "documents"
    keys = ["documents", "_name", "code_id"]
    ascending = [False, True, True]
    if metric == "mentions":
        keys, ascending = ["mentions", *keys], [False, *ascending]
    ordered_frame = frame.assign(_name=frame["code"].str.casefold())
    if above is not None:
        ordered_frame = ordered_frame[ordered_frame[metric] > above]
    ordered_frame = ordered_frame.sort_values(keys, ascending=ascending, kind="stable")
    keep = ordered_frame.index.to_numpy()
    frame = frame.loc[keep].reset_index(drop=True)
    if by_counts is not None and by_share is not None:
        by_counts = by_counts.loc[keep].reset_index(drop=True)
        by_share = by_share.loc[keep].reset_index(drop=True)

    return ThemeTable(
        rows=frame,
        scope=n_docs,
        above=None if above is None else int(above),
        unit=unit,
        level=level,
        by=by,
        by_counts=by_counts,
        by_share=by_share,
        group_sizes=group_sizes,
        missing_label=missing_label if by is not None else None,
        coder=coder,
        coders=tuple(coders) or ((coder,) if coder else ()),
        coders_available=tuple(coders_available),
    )
