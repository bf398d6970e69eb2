"""A list of passages (coded segments, search hits), drawn only where it is on screen.

Each item takes two lines (where it is; the text in its context) and a blank line. A
line-API `ScrollView` like the survey grid: the screen gives the number of items and a
function that draws one, and only the visible items are ever drawn, so 50 passages and
50,000 open equally fast. Items can be selected (space) when the list is made `selectable`.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.segment import Segment
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.strip import Strip

from lo_codebook.core.passages import kwic
from lo_codebook.safe_output import printable
from lo_codebook.tui.widgets.cursor_list import CursorList, ListMessage, cursor_bindings

ItemLines = tuple[Text, Text]
ROW = 3  # lines per item: header, passage, blank
MARK_ON, MARK_OFF = "[x] ", "[ ] "


def passage_header(document: str, case: str | None, start: int, end: int) -> Text:
    """A passage's first line: the document, its case (when named otherwise), the offsets."""
    header = Text(no_wrap=True, overflow="ellipsis")
    header.append(printable(document, newlines=False), style="bold")
    if case and case != document:
        header.append(f"  {printable(case, newlines=False)}", style="dim")
    header.append(f"  {start}–{end}", style="dim")
    return header


def passage_body(
    before: str, text: str, after: str, *, side: int, middle: int, style: str = "bold"
) -> Text:
    """A passage's second line: the text (in `style`) in its context, cut to fit (`kwic`)."""
    left, centre, right = kwic(before, text, after, side=side, middle=middle)
    return Text.assemble(
        (printable(left, newlines=False), "dim"),
        (printable(centre, newlines=False), style),
        (printable(right, newlines=False), "dim"),
        no_wrap=True,
        overflow="ellipsis",
    )


class PassageList(CursorList):
    """Passages two lines each; a cursor; optionally a selection (space, a for all)."""

    COMPONENT_CLASSES = {"passage-list--cursor", "passage-list--selected"}

    DEFAULT_CSS = """
    PassageList > .passage-list--cursor {
        background: $boost;
    }
    PassageList:focus > .passage-list--cursor {
        background: $accent 35%;
    }
    PassageList > .passage-list--selected {
        color: $success;
        text-style: bold;
    }
    """

    BINDINGS = [*cursor_bindings(), Binding("enter", "choose", "Open", show=False)]

    class Chosen(ListMessage):
        """Enter (or a double click) on an item."""

        def __init__(self, passages: PassageList, index: int) -> None:
            super().__init__(passages)
            self.index = index

    class SelectionChanged(ListMessage):
        """An item was selected or no longer is (space, a)."""

    def __init__(self, *, selectable: bool = False, id: str | None = None) -> None:
        super().__init__(id=id)
        self.selectable = selectable
        self.count = 0
        self.cursor = 0
        self.selected: set[int] = set()
        self._draw: Callable[[int], ItemLines] = lambda index: (Text(), Text())
        self._cache: dict[int, ItemLines] = {}

    # items ------------------------------------------------------------------------------------
    def set_items(
        self, count: int, draw: Callable[[int], ItemLines], *, keep: int | None = None
    ) -> None:
        """Show `count` items drawn by `draw(index)`; the cursor goes to `keep` (else stays)."""
        self.count = count
        self._draw = draw
        self._cache.clear()
        self.selected = {i for i in self.selected if i < count} if keep is None else set()
        index = self.cursor if keep is None else keep
        self.cursor = max(0, min(index, count - 1))
        self.virtual_size = Size(0, count * ROW)
        self.refresh()
        self._follow()

    def lines(self, index: int) -> ItemLines:
        if index not in self._cache:
            self._cache[index] = self._draw(index)
        return self._cache[index]

    def item_text(self, index: int) -> str:
        """An item's two lines as plain text (tests and the screen reader of a test)."""
        header, body = self.lines(index)
        return f"{header.plain}\n{body.plain}"

    @property
    def highlighted(self) -> int | None:
        return self.cursor if 0 <= self.cursor < self.count else None

    # selection --------------------------------------------------------------------------------
    def toggle(self, index: int | None = None) -> None:
        index = self.highlighted if index is None else index
        if not self.selectable or index is None:
            return
        self.selected ^= {index}
        self._refresh_item(index)
        self.post_message(self.SelectionChanged(self))

    def select_all(self, on: bool = True) -> None:
        self.selected = set(range(self.count)) if on else set()
        self.refresh()
        self.post_message(self.SelectionChanged(self))

    # cursor -----------------------------------------------------------------------------------
    @property
    def visible_items(self) -> int:
        return max(self.scrollable_content_region.height // ROW, 1)

    @property
    def item_count(self) -> int:
        return self.count

    def _follow(self) -> bool:
        top = round(self.scroll_y)
        first, height = self.cursor * ROW, self.scrollable_content_region.height
        if first < top:
            target = first
        elif first + ROW - 1 >= top + height:
            target = first + ROW - height
        else:
            return False
        self.scroll_to(y=max(target, 0), animate=False, immediate=True)
        return True

    def _refresh_item(self, index: int) -> None:
        y = index * ROW - round(self.scroll_y)
        self.refresh(Region(0, y, self.size.width, ROW))

    def action_page(self, direction: int) -> None:
        self.move_to(self.cursor + max(self.visible_items - 1, 1) * direction)

    def action_choose(self) -> None:
        if self.highlighted is not None:
            self.post_message(self.Chosen(self, self.cursor))

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        index = (round(self.scroll_y) + offset.y) // ROW
        if 0 <= index < self.count:
            self.move_to(index)
            if event.chain == 2:
                self.action_choose()

    # painting ---------------------------------------------------------------------------------
    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width or self.size.width
        base = self.rich_style
        line = round(self.scroll_y) + y
        index, part = divmod(line, ROW)
        if index >= self.count or part == ROW - 1:
            return Strip.blank(width, base)
        style = (
            base + self.get_component_rich_style("passage-list--cursor")
            if index == self.cursor
            else base
        )
        text = self.lines(index)[part]
        segments = [Segment(" ", style)]
        if self.selectable:
            if part == 0:
                on = index in self.selected
                mark_style = (
                    style + self.get_component_rich_style("passage-list--selected", partial=True)
                    if on
                    else style
                )
                segments.append(Segment(MARK_ON if on else MARK_OFF, mark_style))
            else:
                segments.append(Segment(" " * len(MARK_OFF), style))
        console = self.app.console
        rendered = text.render(console)
        segments += [
            Segment(s.text, style + s.style if s.style else style)
            for s in rendered
            if s.text != "\n"
        ]
        return Strip(segments).crop(0, width).adjust_cell_length(width, style)


__all__ = ["PassageList"]
