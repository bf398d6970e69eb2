"""What the list widgets share (the documents list, the passage list, the survey grid): the
keys that move their cursor, and the messages they send about themselves."""

from __future__ import annotations

from textual.binding import Binding
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.widget import Widget


def cursor_bindings(*, first: str = "home,ctrl+home", last: str = "end,ctrl+end") -> list[Binding]:
    """Down, up, a page down or up, the first and the last item: the widget's `action_move(n)`,
    `action_page(direction)`, `action_first()` and `action_last()`."""
    return [
        Binding("down", "move(1)", "Down", show=False),
        Binding("up", "move(-1)", "Up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding(first, "first", "First", show=False),
        Binding(last, "last", "Last", show=False),
    ]


class CursorList(ScrollView, can_focus=True):
    """A line-API list with a cursor: only what is on screen is drawn.

    A subclass says how many items there are (`item_count`), scrolls the cursor into view
    (`_follow`) and repaints one item (`_refresh_item`); moving the cursor is the same for all.
    (The documents list keeps its cursor in a reactive, `highlighted`, with its own actions.)
    """

    DEFAULT_CSS = """
    CursorList {
        overflow-x: hidden;
        background: $surface;
    }
    """

    cursor: int

    @property
    def item_count(self) -> int:
        raise NotImplementedError

    def _follow(self) -> bool:
        """Scroll so the cursor's item is visible; True when that scrolled (all repaints)."""
        raise NotImplementedError

    def _refresh_item(self, index: int) -> None:
        raise NotImplementedError

    def _cursor_moved(self) -> None:
        """After the cursor moved to another item (a subclass may tell its screen)."""

    def move_to(self, index: int) -> None:
        if not self.item_count:
            return
        index = max(0, min(self.item_count - 1, index))
        if index == self.cursor:
            return
        old, self.cursor = self.cursor, index
        if not self._follow():
            self._refresh_item(old)
            self._refresh_item(index)
        self._cursor_moved()

    def action_move(self, delta: int) -> None:
        self.move_to(self.cursor + delta)

    def action_first(self) -> None:
        self.move_to(0)

    def action_last(self) -> None:
        self.move_to(self.item_count - 1)


class ListMessage(Message):
    """A message from one list widget; its `control`, so `@on(Message, "#id")` picks the list."""

    def __init__(self, source: Widget) -> None:
        super().__init__()
        self.source = source

    @property
    def control(self) -> Widget:
        return self.source


__all__ = ["CursorList", "ListMessage", "cursor_bindings"]
