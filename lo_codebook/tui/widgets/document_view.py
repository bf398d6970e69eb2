"""The document text: a read-only TextArea that paints codings, suggestions and speaker labels.

TextArea renders only the visible lines, so a 300,000-character transcript opens whole. We
style each line in `get_line()` from spans indexed per line (see `textindex`), and translate
between TextArea locations and stored offsets with our own `LineIndex` (bisect, not a walk).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from rich.color import Color, ColorParseError
from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.widgets import TextArea
from textual.widgets.text_area import Document, DocumentNavigator, Selection, WrappedDocument

from lo_codebook.core.queries import DocumentDetail, SpanView
from lo_codebook.safe_output import printable
from lo_codebook.tui import keymap
from lo_codebook.tui.textindex import (
    LineIndex,
    Piece,
    layout_by_line,
    next_word,
    sentence_bounds,
    trim,
    word_bounds,
    wrap_text,
)

FALLBACK_COLOR = "#a9a9a9"
DEFAULT_WRAP = 100
LABEL_STYLE = Style(bold=True)
_PARAGRAPH = re.compile(r"\n\s*\n")

# TextArea's own bindings minus editing (the view is read-only; ctrl+z/ctrl+y are project undo).
_READING_ACTIONS = (
    "cursor_",
    "select_all",
    "select_line",
    "copy",
)


def _reading_bindings() -> list[Binding]:
    kept = []
    for binding in TextArea.BINDINGS:
        if isinstance(binding, Binding) and binding.action.startswith(_READING_ACTIONS):
            kept.append(binding)
    return kept


class _FastHeight(WrappedDocument):
    """Rows are wrapped by us (soft wrap off), so the wrap table is the identity.

    Textual's `wrap()` scans every line for tabs even at width 0, and `height` sums over all
    lines on each rendered row; for 6,000 rows both are measurable. Tabs fall back to Textual.
    """

    @property
    def height(self) -> int:
        return len(self._offset_to_line_info)

    def wrap(self, width: int, tab_width: int | None = None) -> None:
        lines = self.document.lines
        if width or any("\t" in line for line in lines):
            super().wrap(width, tab_width)
            return
        self._width = 0
        if tab_width:
            self._tab_width = tab_width
        count = len(lines)
        self._wrap_offsets = [[] for _ in range(count)]
        self._offset_to_line_info = [(i, 0) for i in range(count)]
        self._line_index_to_offsets = [[i] for i in range(count)]
        self._tab_width_cache = [[] for _ in range(count)]


class _ReadOnlyDocument(Document):
    """`TextArea.render_line` reads `.text` (a join of every line) per row; it never changes here."""

    @property
    def text(self) -> str:
        cached = self.__dict__.get("_joined")
        if cached is None:
            cached = self.__dict__["_joined"] = Document.text.fget(self)  # type: ignore[attr-defined]
        return cached


_TEXTAREA_INTERNALS = (
    "_highlight_query",
    "_build_highlight_map",
    "_rewrap_and_refresh_virtual_size",
)


@dataclass(frozen=True)
class SpanStyle:
    coding: Style
    suggestion: Style


def _color(value: str | None) -> Color:
    try:
        return Color.parse(value or FALLBACK_COLOR)
    except ColorParseError:
        return Color.parse(FALLBACK_COLOR)


def span_styles(color: str | None) -> SpanStyle:
    """Background in the code colour (with readable text) for codings; underline for suggestions."""
    parsed = _color(color)
    r, g, b = parsed.get_truecolor()
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    text_color = Color.parse("#000000" if luminance > 140 else "#ffffff")
    return SpanStyle(
        coding=Style(bgcolor=parsed, color=text_color),
        suggestion=Style(underline=True, color=parsed, bold=True),
    )


class DocumentView(TextArea, inherit_bindings=False):
    """Shows one document with its coded spans; selection gives stored offsets."""

    DEFAULT_CSS = """
    DocumentView {
        border: tall $border-blurred;
        &:focus {
            border: tall $accent;
        }
    }
    """
    BINDINGS = [*_reading_bindings(), *keymap.bindings(keymap.DOCUMENT)]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(
            "",
            read_only=True,
            soft_wrap=False,
            show_line_numbers=False,
            highlight_cursor_line=False,
            id=id,
        )
        self.detail: DocumentDetail | None = None
        self.source = ""
        self.index = LineIndex("")
        self._wrapped_at = 0
        self._codings: dict[int, list[Piece[SpanView]]] = {}
        self._suggestions: dict[int, list[Piece[SpanView]]] = {}
        self._labels: dict[int, list[tuple[int, int]]] = {}
        self._styled: dict[int, Text] = {}
        self._styles: dict[str | None, SpanStyle] = {}
        self._span_starts: list[tuple[int, int]] = []

    # loading ----------------------------------------------------------------------------------
    def show_document(self, detail: DocumentDetail | None) -> None:
        """Load a document (its text only when it changed) and its spans."""
        same_text = (
            self.detail is not None
            and detail is not None
            and detail.id == self.detail.id
            and detail.text == self.source
        )
        self.detail = detail
        if not same_text:
            self.source = detail.text if detail else ""
            if self.size.width:
                self._wrap(keep=None)  # paints the spans too
            else:
                self._wrapped_at = -1  # not laid out yet: wrap once, at the real width, on resize
        else:
            self.set_spans(detail.codings if detail else [], detail.suggestions if detail else [])

    def _row_width(self) -> int:
        """Cells available for text: we wrap rows ourselves, so each row is a short line."""
        if not self.size.width:
            return DEFAULT_WRAP
        # Border and padding, and room for the vertical scrollbar even before it shows up
        # (a long text gets one), so rows never need a horizontal scrollbar.
        width = (
            self.size.width
            - self.styles.gutter.width
            - self.styles.scrollbar_size_vertical
            - self.gutter_width
            - 1
        )
        return max(width, 20)

    def _wrap(self, keep: tuple[int, int] | None) -> None:
        """Break the source into rows for the current width and (re)load the TextArea."""
        width = self._row_width()
        top = self.index.offset((int(self.scroll_y), 0)) if keep is not None else 0
        # What the terminal shows: control characters (escape sequences, BEL, bidi overrides)
        # as visible symbols, one for one, so every offset stays the stored offset.
        shown, self.index = wrap_text(printable(self.source), width)
        self._wrapped_at = width
        self._styled.clear()
        self.load_text(shown)
        self._layout_labels()
        self.set_spans(
            self.detail.codings if self.detail else [],
            self.detail.suggestions if self.detail else [],
        )
        if keep is not None:
            self.selection = Selection(self.index.location(keep[0]), self.index.location(keep[1]))
            self.scroll_to(y=self.index.location(top)[0], animate=False)

    def _set_document(self, text: str, language: str | None) -> None:
        """Plain read-only text: Textual's setup with the two fast document classes above."""
        if language or not all(hasattr(self, name) for name in _TEXTAREA_INTERNALS):
            super()._set_document(text, language)
            return
        self._highlight_query = None
        self.document = _ReadOnlyDocument(text)
        self.wrapped_document = _FastHeight(self.document, tab_width=self.indent_width)
        self.navigator = DocumentNavigator(self.wrapped_document)
        self._build_highlight_map()
        self.move_cursor((0, 0))
        self._rewrap_and_refresh_virtual_size()

    def on_resize(self) -> None:
        if self._wrapped_at == -1:
            self._wrap(keep=None)
        elif self.source and self._row_width() != self._wrapped_at:
            start = self.index.offset(self.selection.start)
            end = self.index.offset(self.selection.end)
            self._wrap(keep=(start, end))

    def action_copy(self) -> None:
        """Copy the selected source text (without the row breaks added for display)."""
        start, end = self.selected_span()
        if end > start:
            self.app.copy_to_clipboard(self.source[start:end])

    def set_spans(self, codings: Sequence[SpanView], suggestions: Sequence[SpanView]) -> None:
        """Replace the painted codings and suggestions, then repaint only what is visible."""
        if self.detail is not None:
            self.detail.codings = list(codings)
            self.detail.suggestions = list(suggestions)
        self._codings = layout_by_line(self.index, ((s.start, s.end, s) for s in codings))
        self._suggestions = layout_by_line(self.index, ((s.start, s.end, s) for s in suggestions))
        self._span_starts = sorted({(s.start, s.end) for s in (*codings, *suggestions)})
        self._styled.clear()
        self.notify_style_update()
        self.refresh()

    def _layout_labels(self) -> None:
        """Speaker labels are the text between a line start and the turn's first character."""
        self._labels = {}
        if self.detail is None:
            return
        for start, _end, speaker, _ts in self.detail.segments:
            if not speaker:
                continue
            row, column = self.index.location(start)
            if 0 < column <= len(speaker) + 40:
                self._labels.setdefault(row, []).append((0, column))

    def _style_for(self, color: str | None) -> SpanStyle:
        style = self._styles.get(color)
        if style is None:
            style = self._styles[color] = span_styles(color)
        return style

    def get_line(self, line_index: int) -> Text:
        styled = self._styled.get(line_index)
        if styled is None:
            styled = Text(self.document.get_line(line_index), end="", no_wrap=True)
            for start, end in self._labels.get(line_index, ()):
                styled.stylize(LABEL_STYLE, start, end)
            for piece in self._suggestions.get(line_index, ()):
                styled.stylize(self._style_for(piece.item.color).suggestion, piece.start, piece.end)
            for piece in self._codings.get(line_index, ()):
                styled.stylize(self._style_for(piece.item.color).coding, piece.start, piece.end)
            self._styled[line_index] = styled
        return styled.copy()

    # offsets ----------------------------------------------------------------------------------
    @property
    def cursor_offset(self) -> int:
        return self.index.offset(self.selection.end)

    def selected_span(self) -> tuple[int, int]:
        """The selection as stored offsets (start, end), end exclusive; equal when empty."""
        a = self.index.offset(self.selection.start)
        b = self.index.offset(self.selection.end)
        return (a, b) if a <= b else (b, a)

    def select_span(self, start: int, end: int, *, scroll: bool = True) -> None:
        self.selection = Selection(self.index.location(start), self.index.location(end))
        if scroll:
            self.scroll_cursor_visible(center=True)

    def spans_at(self, offset: int | None = None) -> tuple[list[SpanView], list[SpanView]]:
        """(codings, suggestions) under the cursor: the selected span, or those containing it."""
        if offset is None:
            start, end = self.selected_span()
            offset = end
        else:
            start = end = offset
        row, column = self.index.location(offset)

        def pick(pieces: Sequence[Piece[SpanView]]) -> list[SpanView]:
            spans = list(dict.fromkeys(p.item for p in pieces))
            exact = [s for s in spans if (s.start, s.end) == (start, end)]
            if exact:
                return exact
            inside = [s for s in spans if s.start <= offset < s.end]
            return inside or [s for s in spans if s.end == offset]

        pieces_row = self._codings.get(row, [])
        suggestions_row = self._suggestions.get(row, [])
        return pick(pieces_row), pick(suggestions_row)

    def segment_at(self, offset: int) -> tuple[int, int, str | None] | None:
        if self.detail is None:
            return None
        for start, end, speaker, _ts in self.detail.segments:
            if start <= offset <= end:
                return start, end, speaker
        return None

    # selection helpers ------------------------------------------------------------------------
    def action_select_word(self) -> None:
        """Select the word at the cursor; with a selection that ends a word, add the next word."""
        start, end = self.selected_span()
        text = self.source
        if start != end:
            nxt = next_word(text, end)
            if nxt:
                self.select_span(start, nxt[1], scroll=False)
            return
        bounds = word_bounds(text, end)
        if bounds:
            self.select_span(*bounds, scroll=False)

    def action_select_sentence(self) -> None:
        offset = self.cursor_offset
        lo, hi = self._turn_bounds(offset)
        start, end = sentence_bounds(self.source, offset, lo=lo, hi=hi)
        if end > start:
            self.select_span(start, end, scroll=False)

    def action_select_turn(self) -> None:
        start, end = self._turn_bounds(self.cursor_offset)
        start, end = trim(self.source, start, end)
        if end > start:
            self.select_span(start, end, scroll=False)

    def _turn_bounds(self, offset: int) -> tuple[int, int]:
        segment = self.segment_at(offset)
        if segment is not None:
            return segment[0], segment[1]
        text = self.source
        lo = 0
        for match in _PARAGRAPH.finditer(text, 0, offset):
            lo = match.end()
        match = _PARAGRAPH.search(text, offset)
        return lo, match.start() if match else len(text)

    def action_clear_selection(self) -> None:
        self.selection = Selection.cursor(self.selection.end)

    def action_next_span(self) -> None:
        offset = self.selected_span()[0]
        for start, end in self._span_starts:
            if start > offset:
                self.select_span(start, end)
                return
        self.app.bell()

    def action_prev_span(self) -> None:
        offset = self.selected_span()[0]
        for start, end in reversed(self._span_starts):
            if start < offset:
                self.select_span(start, end)
                return
        self.app.bell()
