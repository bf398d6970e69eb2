"""The survey grid's table: one answer per line, drawn and loaded only where it is on screen.

A line-API `ScrollView` (as Toolong draws huge logs): the widget holds the ordered answer
ids; rows are read through a loader (`core.grid.answer_rows`) for the visible window plus a
margin, and each line is painted from its row on demand. A toggle replaces one row and
repaints one line; nothing else is rebuilt, so 133 answers and 10,000 feel the same.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.geometry import Region, Size
from textual.message import Message
from textual.strip import Strip

from lo_codebook.core.grid import AnswerRow
from lo_codebook.safe_output import printable
from lo_codebook.tui.widgets.cursor_list import CursorList, cursor_bindings
from lo_codebook.tui.widgets.document_view import span_styles

Loader = Callable[[Sequence[int]], dict[int, AnswerRow]]

MARGIN = 60  # rows read beyond the visible window, so scrolling rarely waits for the database
CHIP_NAME = 14
MIN_ANSWER = 24


@dataclass(frozen=True)
class GridTitles:
    """The words of the grid: column titles and the "+N more" of chips that do not fit
    (the screen passes them in the UI language)."""

    name: str = "Respondent"
    answer: str = "Answer"
    codes: str = "Your codes"
    pending: str = "Sugg."
    more: str = "more"


@dataclass(frozen=True)
class CodeLook:
    """How a code shows as a chip: its name, its colours and the number key that toggles it."""

    name: str
    style: Style
    key: int | None = None

    @classmethod
    def of(cls, name: str, color: str | None, key: int | None = None) -> CodeLook:
        return cls(printable(name, newlines=False), span_styles(color).coding, key)

    @property
    def label(self) -> str:
        name = self.name if len(self.name) <= CHIP_NAME else self.name[: CHIP_NAME - 1] + "…"
        return f"{self.key}·{name}" if self.key else name


@dataclass(frozen=True)
class Column:
    key: str  # "name", "answer", "codes", "pending" or "attr:<key>"
    title: str
    width: int


def fit(text: str, width: int) -> str:
    """`text` in exactly `width` cells: padded, or cut with an ellipsis (control and bidi
    characters from answers and names shown as symbols, never sent to the terminal)."""
    if width <= 0:
        return ""
    text = printable(text, newlines=False)
    if cell_len(text) <= width:
        return set_cell_size(text, width)
    return set_cell_size(text, width - 1) + "…"


def chips(
    codes: Sequence[int], looks: dict[int, CodeLook], width: int, more_word: str = "more"
) -> list[tuple[str, Style | None]]:
    """Chips that fit in `width` cells, then `+N more` (or `+N`) for the ones that do not."""
    out: list[tuple[str, Style | None]] = []
    used = 0
    shown = [looks[code_id] for code_id in codes if code_id in looks]
    for index, look in enumerate(shown):
        chip = f" {look.label} "
        rest = len(shown) - index - 1
        room = width - used - (1 if out else 0) - (len(f" +{rest}") if rest else 0)
        if cell_len(chip) > room:
            left = len(shown) - index
            more = (
                f"+{left} {more_word}"
                if width - used - 1 >= len(f"+{left} {more_word}")
                else f"+{left}"
            )
            out.append(((" " if out else "") + more, None))
            break
        if out:
            out.append((" ", None))
            used += 1
        out.append((chip, look.style))
        used += cell_len(chip)
    return out


class AnswerGrid(CursorList):
    """Answers as rows: respondent, attributes, the answer on one line, your codes, pending."""

    COMPONENT_CLASSES = {
        "answer-grid--header",
        "answer-grid--cursor",
        "answer-grid--dim",
        "answer-grid--pending",
    }

    DEFAULT_CSS = """
    AnswerGrid > .answer-grid--header {
        background: $panel;
        text-style: bold;
    }
    AnswerGrid > .answer-grid--cursor {
        background: $boost;
        text-style: bold;
    }
    AnswerGrid:focus > .answer-grid--cursor {
        background: $accent 45%;
    }
    AnswerGrid > .answer-grid--dim {
        color: $text-muted;
    }
    AnswerGrid > .answer-grid--pending {
        color: $text-muted;
        text-style: italic;
    }
    """

    BINDINGS = cursor_bindings()

    class CursorMoved(Message):
        """The cursor is on another answer (or on none: an empty grid)."""

        def __init__(self, document_id: int | None) -> None:
            super().__init__()
            self.document_id = document_id

    def __init__(
        self, load: Loader, *, id: str | None = None, titles: GridTitles | None = None
    ) -> None:
        super().__init__(id=id)
        self._load = load
        self.titles = titles or GridTitles()
        self.ids: list[int] = []
        self.cursor = 0
        self.rows: dict[int, AnswerRow] = {}
        self.looks: dict[int, CodeLook] = {}
        self.attribute_widths: dict[str, int] = {}
        self.name_width = len(self.titles.name)
        self.loads = 0  # database reads (the benchmark and tests look at this)
        self._columns: tuple[int, list[Column]] | None = None
        # painted lines: document id -> (row, how it was painted, strip); a row re-read after
        # a toggle is a new object, so its line is painted again and the others are reused
        self._strips: dict[int, tuple[AnswerRow, tuple[object, ...], Strip]] = {}
        self._looks_version = 0
        self._shape_version = 0

    # data -----------------------------------------------------------------------------------
    def set_shape(self, attribute_widths: dict[str, int], name_width: int) -> None:
        self.attribute_widths = dict(attribute_widths)
        self.name_width = name_width
        self._columns = None
        self._shape_version += 1
        self.refresh()

    def set_looks(self, looks: dict[int, CodeLook]) -> None:
        self.looks = dict(looks)
        self._looks_version += 1
        self.refresh()

    def set_ids(self, ids: Sequence[int], *, keep: int | None = None) -> None:
        """Show these answers; the cursor stays on `keep` when it is among them."""
        self.ids = list(ids)
        index = (
            self.ids.index(keep)
            if keep is not None and keep in self.ids
            else min(self.cursor, len(self.ids) - 1)
        )
        self.cursor = max(index, 0)
        self.virtual_size = Size(0, len(self.ids) + 1)
        self.refresh()
        self._follow()
        self.post_message(self.CursorMoved(self.current_id))

    def invalidate(self) -> None:
        """Forget every row read so far (codings changed elsewhere): visible rows are read again."""
        self.rows.clear()
        self.refresh()

    def update_row(self, document_id: int) -> AnswerRow | None:
        """Read one answer again and repaint its line (after a toggle): nothing else changes."""
        fresh = self._load([document_id]).get(document_id)
        self.loads += 1
        if fresh is None:
            self.rows.pop(document_id, None)
        else:
            self.rows[document_id] = fresh
        if self.current_id == document_id:
            self._refresh_item(self.cursor)
        elif document_id in self.ids:
            self._refresh_item(self.ids.index(document_id))
        return fresh

    @property
    def current_id(self) -> int | None:
        return self.ids[self.cursor] if 0 <= self.cursor < len(self.ids) else None

    @property
    def current_row(self) -> AnswerRow | None:
        doc = self.current_id
        if doc is None:
            return None
        if doc not in self.rows:
            self._ensure(self.cursor, self.cursor + 1)
        return self.rows.get(doc)

    def row(self, index: int) -> AnswerRow | None:
        if not 0 <= index < len(self.ids):
            return None
        self._ensure(index, index + 1)
        return self.rows.get(self.ids[index])

    def _ensure(self, first: int, last: int) -> None:
        """Read the rows of `ids[first:last]` not read yet, with a margin, in one go."""
        window = self.ids[max(first, 0) : last]
        if all(doc in self.rows for doc in window):
            return
        wanted = [
            doc
            for doc in self.ids[max(first - MARGIN // 2, 0) : last + MARGIN]
            if doc not in self.rows
        ]
        self.rows.update(self._load(wanted))
        self.loads += 1

    # cursor -----------------------------------------------------------------------------------
    @property
    def visible_rows(self) -> int:
        return max(self.scrollable_content_region.height - 1, 1)

    @property
    def item_count(self) -> int:
        return len(self.ids)

    def _cursor_moved(self) -> None:
        self.post_message(self.CursorMoved(self.current_id))

    def _follow(self) -> bool:
        top = round(self.scroll_y)
        if self.cursor < top:
            target = self.cursor
        elif self.cursor >= top + self.visible_rows:
            target = self.cursor - self.visible_rows + 1
        else:
            return False
        self.scroll_to(y=target, animate=False, immediate=True)
        return True

    def _refresh_item(self, index: int) -> None:
        y = index - round(self.scroll_y) + 1
        if 1 <= y <= self.visible_rows:
            self.refresh(Region(0, y, self.size.width, 1))

    def action_page(self, direction: int) -> None:
        step = max(self.visible_rows - 1, 1) * direction
        target = self.cursor + step
        if self.ids:
            self.scroll_to(
                y=max(
                    0,
                    min(
                        round(self.scroll_y) + step,
                        len(self.ids) + 1 - self.scrollable_content_region.height,
                    ),
                ),
                animate=False,
                immediate=True,
            )
        self.move_to(target)

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None or offset.y < 1:
            return
        self.move_to(round(self.scroll_y) + offset.y - 1)

    # layout -----------------------------------------------------------------------------------
    def columns(self, width: int | None = None) -> list[Column]:
        """Respondent, attributes, answer (takes the rest), codes, pending; at this width."""
        width = (
            (self.scrollable_content_region.width or self.size.width) if width is None else width
        )
        if self._columns is not None and self._columns[0] == width:
            return self._columns[1]
        titles = self.titles
        name = Column("name", titles.name, min(max(self.name_width, len(titles.name)), 24))
        codes = Column("codes", titles.codes, max(18, min(56, width * 3 // 10)))
        pending = Column("pending", titles.pending, len(titles.pending))
        attributes = [
            Column(f"attr:{key}", key, min(max(value_width, len(key)), 18))
            for key, value_width in self.attribute_widths.items()
        ]
        while True:
            fixed = [name, *attributes, codes, pending]
            rest = width - 1 - sum(c.width + 1 for c in fixed)
            if rest >= MIN_ANSWER or not attributes:
                break
            attributes.pop()
        answer = Column("answer", titles.answer, max(rest, 8))
        self._columns = (width, [name, *attributes, answer, codes, pending])
        return self._columns[1]

    # painting ---------------------------------------------------------------------------------
    def render_lines(self, crop: Region) -> list[Strip]:
        top = round(self.scroll_y)
        self._ensure(top, top + self.scrollable_content_region.height)
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width or self.size.width
        base = self.rich_style
        if y == 0:
            return self._header(width, base)
        index = round(self.scroll_y) + y - 1
        if index >= len(self.ids):
            return Strip.blank(width, base)
        row = self.rows.get(self.ids[index])
        if row is None:  # not read (a render outside `render_lines`): read it now
            self._ensure(index, index + 1)
            row = self.rows.get(self.ids[index])
        is_cursor = index == self.cursor
        style = base + self.get_component_rich_style("answer-grid--cursor") if is_cursor else base
        if row is None:
            return Strip([Segment(fit(" …", width), style)], width)
        how = (width, style, self._looks_version, self._shape_version)
        cached = self._strips.get(row.id)
        if cached is not None and cached[0] is row and cached[1] == how:
            return cached[2]
        strip = self._row_strip(row, width, style)
        if len(self._strips) > 4 * MARGIN + 200:
            self._strips.clear()
        self._strips[row.id] = (row, how, strip)
        return strip

    def _header(self, width: int, base: Style) -> Strip:
        style = base + self.get_component_rich_style("answer-grid--header")
        segments = [Segment(" ", style)]
        for column in self.columns(width):
            segments.append(Segment(fit(column.title, column.width) + " ", style))
        return Strip(segments).adjust_cell_length(width, style)

    def _row_strip(self, row: AnswerRow, width: int, style: Style) -> Strip:
        dim = style + self.get_component_rich_style("answer-grid--dim", partial=True)
        pending_style = style + self.get_component_rich_style("answer-grid--pending", partial=True)
        segments = [Segment(" ", style)]
        for column in self.columns(width):
            if column.key == "name":
                segments.append(
                    Segment(fit(row.name, column.width) + " ", style + Style(bold=True))
                )
            elif column.key.startswith("attr:"):
                value = row.attributes.get(column.key[5:], "")
                segments.append(Segment(fit(value, column.width) + " ", dim))
            elif column.key == "answer":
                segments.append(Segment(fit(row.preview, column.width) + " ", style))
            elif column.key == "codes":
                used = 0
                for text, chip_style in chips(
                    row.codes, self.looks, column.width, self.titles.more
                ):
                    segments.append(Segment(text, style + chip_style if chip_style else dim))
                    used += cell_len(text)
                segments.append(Segment(" " * (column.width - used + 1), style))
            elif column.key == "pending":
                label = str(len(row.pending)) if row.pending else ""
                segments.append(Segment(fit(label, column.width), pending_style))
        return Strip(segments).adjust_cell_length(width, style)

    def row_text(self, index: int) -> str:
        """The plain text of one row as it is drawn (tests and screen readers)."""
        row = self.row(index)
        if row is None:
            return ""
        width = self.scrollable_content_region.width or self.size.width or 160
        return self._row_strip(row, width, Style()).text

    def on_resize(self) -> None:
        self.refresh()


__all__ = ["AnswerGrid", "CodeLook", "Column", "GridTitles", "chips", "fit"]
