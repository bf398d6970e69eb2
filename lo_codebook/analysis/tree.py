"""The codebook tree as positional numpy arrays, so counting can stay vectorised.

Themes, categories and the code -> ancestor mapping are derived here once from the
(small) ``codes`` frame; the big ``pairs`` frame is then mapped with array indexing.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from lo_codebook.analysis.frames import check_codes


@dataclass(frozen=True)
class CodeTree:
    """Codes by position: ids, names, parent positions (-1 = root), has-children flags."""

    ids: np.ndarray
    names: list[str]
    parent_pos: np.ndarray
    has_children: np.ndarray

    def __len__(self) -> int:
        return len(self.ids)

    @property
    def index(self) -> pd.Index:
        """Code id -> position lookup (``get_indexer`` gives -1 for unknown ids)."""
        return pd.Index(self.ids)

    def parent_name(self, pos: int) -> str | None:
        """Name of the parent code, None for a root code."""
        parent = int(self.parent_pos[pos])
        return None if parent < 0 else self.names[parent]

    def themes(self) -> np.ndarray:
        """Positions of codes without children (the rows of a theme table)."""
        return np.flatnonzero(~self.has_children)

    def categories(self) -> np.ndarray:
        """Positions of codes with children (the rows of a category table)."""
        return np.flatnonzero(self.has_children)

    def ancestors_or_self(self, pos: int) -> list[int]:
        """Positions from the code itself up to its root."""
        chain: list[int] = []
        current = pos
        while current >= 0:
            chain.append(current)
            if len(chain) > len(self.ids):
                raise ValueError(f"codes frame has a parent cycle at code id {self.ids[pos]}")
            current = int(self.parent_pos[current])
        return chain

    def membership(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(code position, row number) for every code and each ancestor-or-self that is a row.

        For a theme table each theme maps to its own row; for a category table a
        code maps to every category above it, so a coding counts for all of them.
        """
        row_of = np.full(len(self.ids), -1, dtype=np.int64)
        row_of[rows] = np.arange(len(rows), dtype=np.int64)
        code_pos: list[int] = []
        row_num: list[int] = []
        for pos in range(len(self.ids)):
            for anc in self.ancestors_or_self(pos):
                if row_of[anc] >= 0:
                    code_pos.append(pos)
                    row_num.append(int(row_of[anc]))
        return np.asarray(code_pos, dtype=np.int64), np.asarray(row_num, dtype=np.int64)

    def labels(self) -> list[str]:
        """Display names that are unique: ``parent/name`` where a name repeats."""
        counts = pd.Series(self.names).value_counts()
        out = []
        for pos, name in enumerate(self.names):
            parent = self.parent_name(pos)
            out.append(f"{parent}/{name}" if counts[name] > 1 and parent else name)
        return out

    def depth_first(self) -> list[int]:
        """Positions in codebook order: each category followed by its children, by name."""
        children: dict[int, list[int]] = {}
        for pos, parent in enumerate(self.parent_pos.tolist()):
            children.setdefault(parent, []).append(pos)
        order: list[int] = []
        stack = sorted(children.get(-1, []), key=lambda p: self.names[p].casefold(), reverse=True)
        while stack:
            pos = stack.pop()
            order.append(pos)
            kids = children.get(pos, [])
            stack.extend(sorted(kids, key=lambda p: self.names[p].casefold(), reverse=True))
        return order


def build_tree(codes: pd.DataFrame) -> CodeTree:
    """Turn the ``codes`` frame into a :class:`CodeTree` (validates the contract)."""
    check_codes(codes)
    ids = codes["id"].to_numpy(dtype=np.int64)
    index = pd.Index(ids)
    parents = codes["parent_id"]
    parent_pos = np.full(len(ids), -1, dtype=np.int64)
    has_parent = parents.notna().to_numpy()
    if has_parent.any():
        parent_pos[has_parent] = index.get_indexer(parents[has_parent].astype("int64").to_numpy())
    has_children = np.zeros(len(ids), dtype=bool)
    has_children[parent_pos[parent_pos >= 0]] = True
    names = [str(n) for n in codes["name"].tolist()]
    tree = CodeTree(ids=ids, names=names, parent_pos=parent_pos, has_children=has_children)
    for pos in range(len(ids)):
        tree.ancestors_or_self(pos)  # raises on a cycle
    return tree
