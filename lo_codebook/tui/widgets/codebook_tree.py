"""The codebook as a tree with live counts: documents · mentions (+ pending suggestions)."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from lo_codebook.core.queries import CodeNode
from lo_codebook.safe_output import printable
from lo_codebook.tui import keymap
from lo_codebook.tui.widgets.document_view import FALLBACK_COLOR, _color


def code_label(node: CodeNode, *, filtered: bool = False) -> Text:
    """`● Name  3·12 +5`: colour swatch, name, documents·mentions, pending suggestions."""
    label = Text()
    label.append("● ", style=_color(node.color or FALLBACK_COLOR).name)
    label.append(printable(node.name, newlines=False), style="bold underline" if filtered else "")
    counts = f"  {node.documents}·{node.mentions}"
    label.append(counts, style="dim")
    if node.pending:
        label.append(f" +{node.pending}", style="italic dim")
    return label


class CodebookTree(Tree[int]):
    """Codes by parent; node data is the code id. Rebuilt in place after every change."""

    BINDINGS = keymap.bindings(keymap.CODEBOOK)

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("Codebook", id=id)
        self.show_root = False
        self.guide_depth = 3
        self.nodes_by_id: dict[int, CodeNode] = {}
        self.filtered_code: int | None = None
        self._collapsed: set[int] = set()
        self._shape: list[tuple[int, int | None, bool]] = []

    def set_codes(self, codes: Sequence[CodeNode]) -> None:
        """Show `codes` (parents before children), keeping cursor and collapsed branches.

        When only counts changed (the usual case after coding), labels update in place: no
        rebuild, no layout pass.
        """
        has_children = {c.parent_id for c in codes if c.parent_id is not None}
        shape = [(c.id, c.parent_id, c.id in has_children) for c in codes]
        if shape == self._shape:
            nodes = self._tree_nodes_by_code()
            for code in codes:
                label = code_label(code, filtered=code.id == self.filtered_code)
                node = nodes.get(code.id)
                if node is not None and node.label != label:
                    node.set_label(label)
            self.nodes_by_id = {c.id: c for c in codes}
            return
        self._shape = shape
        highlighted = self.highlighted_code
        for node_id, node in self._tree_nodes_by_code().items():
            if node.allow_expand and not node.is_expanded:
                self._collapsed.add(node_id)
            else:
                self._collapsed.discard(node_id)
        self.nodes_by_id = {c.id: c for c in codes}
        self.clear()
        tree_nodes: dict[int, TreeNode[int]] = {}
        for code in codes:
            parent = tree_nodes.get(code.parent_id, self.root) if code.parent_id else self.root
            label = code_label(code, filtered=code.id == self.filtered_code)
            if code.id in has_children:
                tree_nodes[code.id] = parent.add(
                    label, data=code.id, expand=code.id not in self._collapsed
                )
            else:
                tree_nodes[code.id] = parent.add_leaf(label, data=code.id)
        self.root.expand()
        if highlighted is not None and highlighted in tree_nodes:
            self.call_after_refresh(self._move_to, tree_nodes[highlighted])

    def _move_to(self, node: TreeNode[int]) -> None:
        if node.tree is self and node.line >= 0:
            self.move_cursor(node)

    def _tree_nodes_by_code(self) -> dict[int, TreeNode[int]]:
        out: dict[int, TreeNode[int]] = {}
        stack = list(self.root.children)
        while stack:
            node = stack.pop()
            if node.data is not None:
                out[node.data] = node
            stack.extend(node.children)
        return out

    @property
    def highlighted_code(self) -> int | None:
        node = self.cursor_node
        return node.data if node is not None and node.data is not None else None

    def select_code(self, code_id: int) -> None:
        node = self._tree_nodes_by_code().get(code_id)
        if node is not None:
            parent = node.parent
            while parent is not None:
                parent.expand()
                parent = parent.parent
            self.call_after_refresh(self._move_to, node)
