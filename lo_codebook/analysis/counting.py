"""Array kernels shared by the theme table and co-occurrence: map pairs to rows, dedupe.

Kept apart so both analyses count "documents coded with a code (or any descendant)"
in exactly the same way.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from lo_codebook.analysis.tree import CodeTree

BITMAP_LIMIT = 64_000_000  # bytes of a (row x document) seen-bitmap we accept


def scoped_pairs(
    tree: CodeTree, pairs: pd.DataFrame, doc_ids: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Code positions, document positions and mentions of the pairs inside scope.

    Pairs of unknown codes or of documents not in ``doc_ids`` are dropped.
    """
    code_pos = tree.index.get_indexer(pairs["code_id"].to_numpy(dtype=np.int64))
    doc_pos = pd.Index(doc_ids).get_indexer(pairs["document_id"].to_numpy(dtype=np.int64))
    keep = (code_pos >= 0) & (doc_pos >= 0)
    mentions = pairs["mentions"].to_numpy(dtype=np.int64)
    return code_pos[keep], doc_pos[keep], mentions[keep]


def expand(tree: CodeTree, rows: np.ndarray, code_pos: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Map each pair to every table row it counts for: (pair index, row number).

    A theme row takes its own codings; a category row takes the codings of the
    category itself and of all its descendants, so one pair can feed several rows.
    """
    mem_code, mem_row = tree.membership(rows)
    order = np.argsort(mem_code, kind="stable")
    mem_row_sorted = mem_row[order]
    per_code = np.bincount(mem_code, minlength=len(tree))
    starts = np.cumsum(per_code) - per_code
    rep = per_code[code_pos]
    if rep.size == 0 or rep.max(initial=0) <= 1:
        src = np.flatnonzero(rep)
        return src, mem_row_sorted[starts[code_pos[src]]]
    src = np.repeat(np.arange(len(code_pos)), rep)
    within = np.arange(len(src)) - np.repeat(np.cumsum(rep) - rep, rep)
    return src, mem_row_sorted[starts[code_pos[src]] + within]


def distinct(keys: np.ndarray, space: int) -> np.ndarray:
    """Distinct non-negative int keys below ``space``: a bitmap when small, hashing otherwise."""
    if space <= BITMAP_LIMIT:
        seen = np.zeros(space, dtype=bool)
        seen[keys] = True
        return np.flatnonzero(seen)
    return pd.unique(keys)
