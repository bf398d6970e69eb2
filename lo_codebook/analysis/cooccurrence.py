"""Code co-occurrence: in how many documents two codes appear together.

Shows which themes travel together (e.g. "werkdruk" with "vitaliteit"), a standard
QDA view for building categories. Counted from the same (code, document) pairs as
the theme table; the diagonal is the number of documents per code.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import numpy as np
import pandas as pd

from lo_codebook.analysis.counting import distinct, expand, scoped_pairs
from lo_codebook.analysis.frames import check_documents, check_pairs
from lo_codebook.analysis.labels import check_lang, t
from lo_codebook.analysis.tree import CodeTree, build_tree
from lo_codebook.errors import UserError
from lo_codebook.safe_output import safe_cell, write_text

LEVELS = ("theme", "category", "code")
_CHUNK_CELLS = 8_000_000  # documents x rows per dense block (32 MB of float32)


@dataclass(frozen=True)
class CoOccurrence:
    """Square matrix (labels x labels) of documents coded with both; diagonal = per code."""

    matrix: pd.DataFrame
    code_ids: list[int]
    scope: int
    level: str = "theme"
    coder: str | None = None

    @property
    def labels(self) -> list[str]:
        """Row/column labels (code names, ``parent/name`` where a name repeats)."""
        return [str(c) for c in self.matrix.columns]


def _rows(tree: CodeTree, level: str) -> np.ndarray:
    """Matrix rows in codebook order for the level."""
    order = np.asarray(tree.depth_first(), dtype=np.int64)
    if level == "theme":
        return order[~tree.has_children[order]]
    if level == "category":
        return order[tree.has_children[order]]
    return order


def _gram(row: np.ndarray, doc: np.ndarray, n_rows: int) -> np.ndarray:
    """X^T X of the document x row incidence given as distinct (row, doc) entries, in blocks."""
    result = np.zeros((n_rows, n_rows), dtype=np.int64)
    if not len(row) or not n_rows:
        return result
    docs, doc_idx = np.unique(doc, return_inverse=True)
    block = max(1, _CHUNK_CELLS // n_rows)
    order = np.argsort(doc_idx, kind="stable")
    doc_sorted, row_sorted = doc_idx[order], row[order]
    firsts = np.arange(0, len(docs), block)
    cuts = np.searchsorted(doc_sorted, np.append(firsts, len(docs)))
    for k, first in enumerate(firsts.tolist()):
        start, stop = int(cuts[k]), int(cuts[k + 1])
        dense = np.zeros((min(block, len(docs) - first), n_rows), dtype=np.float32)
        dense[doc_sorted[start:stop] - first, row_sorted[start:stop]] = 1.0
        result += np.rint(dense.T @ dense).astype(np.int64)
    return result


def cooccurrence(
    codes: pd.DataFrame,
    pairs: pd.DataFrame,
    documents: pd.DataFrame | None = None,
    *,
    level: str = "theme",
    coder: str | None = None,
) -> CoOccurrence:
    """Count, for every two codes, the documents coded with both.

    ``level="theme"`` (codes without children), ``"category"`` (a code counts for
    every category above it) or ``"code"`` (every code, own codings only). With
    ``documents`` only those documents are in scope. ``coder`` keeps the pairs of
    one coder and needs a ``coder`` column in ``pairs``.
    """
    if level not in LEVELS:
        raise UserError(
            f"unknown level {level!r}; use one of: {', '.join(LEVELS)}", where="--level"
        )
    tree = build_tree(codes)
    check_pairs(pairs)
    if coder is not None:
        if "coder" not in pairs.columns:
            raise ValueError("pairs frame has no 'coder' column to filter on")
        pairs = pairs[pairs["coder"] == coder]
    if documents is not None:
        doc_ids = check_documents(documents)["id"].to_numpy(dtype=np.int64)
    else:
        doc_ids = pd.unique(pairs["document_id"].to_numpy(dtype=np.int64))
    rows = _rows(tree, level)
    code_pos, doc_pos, _ = scoped_pairs(tree, pairs, doc_ids)
    if level == "code":  # own codings only, no roll-up to ancestors
        row_of = np.full(len(tree), -1, dtype=np.int64)
        row_of[rows] = np.arange(len(rows))
        row, doc = row_of[code_pos], doc_pos
    else:
        src, row = expand(tree, rows, code_pos)
        doc = doc_pos[src]
    n_docs = max(len(doc_ids), 1)
    seen = distinct(row * n_docs + doc, len(rows) * n_docs)
    gram = _gram(seen // n_docs, seen % n_docs, len(rows))
    all_labels = tree.labels()
    labels = pd.Index([all_labels[p] for p in rows], dtype="object")
    matrix = pd.DataFrame(gram, index=labels, columns=labels)
    return CoOccurrence(
        matrix=matrix,
        code_ids=[int(tree.ids[p]) for p in rows],
        scope=len(doc_ids),
        level=level,
        coder=coder,
    )


def cooccurrence_by_coder(
    codes: pd.DataFrame,
    pairs: pd.DataFrame,
    documents: pd.DataFrame | None = None,
    *,
    level: str = "theme",
) -> dict[str, CoOccurrence]:
    """One matrix per coder (``pairs`` needs a ``coder`` column), coders sorted by name."""
    if "coder" not in pairs.columns:
        raise ValueError("pairs frame has no 'coder' column")
    names = sorted({str(c) for c in pairs["coder"].dropna()})
    return {name: cooccurrence(codes, pairs, documents, level=level, coder=name) for name in names}


def to_records(co: CoOccurrence, *, include_zero: bool = False) -> list[dict[str, Any]]:
    """Off-diagonal pairs as ``{"code_a", "code_b", "documents"}``, most frequent first."""
    values = co.matrix.to_numpy()
    upper_r, upper_c = np.triu_indices(len(values), k=1)
    counts = values[upper_r, upper_c]
    keep = np.ones(len(counts), dtype=bool) if include_zero else counts > 0
    records = [
        {"code_a": co.labels[r], "code_b": co.labels[c], "documents": int(n)}
        for r, c, n in zip(upper_r[keep], upper_c[keep], counts[keep], strict=True)
    ]
    records.sort(key=lambda rec: (-rec["documents"], rec["code_a"], rec["code_b"]))
    return records


def to_csv(co: CoOccurrence, path_or_buffer: str | Path | IO[str] | None = None) -> str | None:
    """The full matrix as CSV (first column ``code``); with None, return the text."""
    frame = co.matrix.copy()
    frame.index = [safe_cell(str(label)) for label in frame.index]  # never a spreadsheet formula
    frame.columns = [safe_cell(str(label)) for label in frame.columns]
    frame.index.name = "code"
    if isinstance(path_or_buffer, (str, Path)):  # a file: whole or not at all
        write_text(path_or_buffer, frame.to_csv(lineterminator="\n"))
        return None
    return frame.to_csv(path_or_buffer, lineterminator="\n")


def render_text(co: CoOccurrence, lang: str = "nl") -> str:
    """Numbered matrix for the terminal: long names once on the left, numbers as columns."""
    check_lang(lang)
    labels = co.labels
    what = t(
        {"theme": "themes_title", "category": "categories_title"}.get(co.level, "codes_title"), lang
    )
    head = f"{what}: {co.scope} {t('in_scope', lang)}"
    if co.coder:
        head += f" · {t('coder', lang)}: {co.coder}"
    if not labels:
        return f"{head}\n\n{t('no_rows', lang)}\n"
    names = [f"{i + 1:>{len(str(len(labels)))}} {label}" for i, label in enumerate(labels)]
    name_width = max(len(n) for n in names)
    values = co.matrix.to_numpy()
    width = max(len(str(len(labels))), len(str(int(values.max(initial=0)))))
    header = " " * name_width + "  " + " ".join(f"{j + 1:>{width}}" for j in range(len(labels)))
    lines = [head, "", header.rstrip()]
    for i, name in enumerate(names):
        cells = " ".join(f"{int(v):>{width}}" for v in values[i])
        lines.append(f"{name.ljust(name_width)}  {cells}")
    return "\n".join(lines) + "\n"
