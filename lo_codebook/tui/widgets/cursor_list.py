"""What the list widgets share (the documents list, the passage list, the survey grid): the
keys that move their cursor, and the messages they send about themselves."""

from __future__ import annotations

from textual.binding import Binding
from textual.message import Message
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


class ListMessage(Message):
    """A message from one list widget; its `control`, so `@on(Message, "#id")` picks the list."""

    def __init__(self, source: Widget) -> None:
        super().__init__()
        self.source = source

    @property
    def control(self) -> Widget:
        return self.source


__all__ = ["ListMessage", "cursor_bindings"]
