"""Small display widgets: the documents list, the work/progress bar, the recent-codes strip."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import ClassVar, overload

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal
from textual.geometry import Region, Size
from textual.reactive import reactive
from textual.strip import Strip
from textual.widgets import Label, ProgressBar, Static

from lo_codebook.core.queries import CodeNode, DocumentSummary
from lo_codebook.i18n import format_int, t
from lo_codebook.safe_output import printable
from lo_codebook.tui import keymap
from lo_codebook.tui.widgets.cursor_list import CursorList, ListMessage, cursor_bindings
from lo_codebook.tui.widgets.document_view import _color

DETAIL_WIDTH = 28


def document_prompt(doc: DocumentSummary, width: int = DETAIL_WIDTH, lang: str = "en") -> Text:
    """Two lines: the name; then counts, and case and length when they fit on the line."""
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append(printable(doc.name, newlines=False), style="bold")
    text.append("\n")
    parts: list[tuple[str, str]] = []
    if doc.sample:  # the viewer's validation sample: "blind" until they mark it done
        parts.append(
            (
                t(f"main.sample_{doc.sample}", lang),
                "bold reverse" if doc.sample == "blind" else "dim",
            )
        )
    parts.append((t("main.coded", lang, n=doc.codings), "dim"))
    if doc.pending:
        parts.append((t("main.pending", lang, n=doc.pending), "italic"))
    optional = []
    if doc.case and doc.case.lower() not in doc.name.lower():
        optional.append((printable(doc.case, newlines=False), "dim"))
    optional.append((t("main.words_short", lang, n=format_int(doc.words, lang)), "dim"))
    for part in optional:
        if sum(len(p) + 3 for p, _ in parts) + len(part[0]) <= width:
            parts.append(part)
    for i, (part, style) in enumerate(parts):
        if i:
            text.append(" · ", style="dim")
        text.append(part, style=style)
    return text


class LazyDocuments(Sequence[DocumentSummary]):
    """The documents list's rows in order: all ids held, summaries fetched a page at a time.

    A project of 200,000 answers lists instantly: only the rows on screen are ever read
    (`fetch` reads the summaries of some ids through the core queries), a bounded number of
    pages is kept.
    """

    PAGE = 100
    KEEP_PAGES = 64

    def __init__(
        self, ids: Sequence[int], fetch: Callable[[Sequence[int]], Sequence[DocumentSummary]]
    ) -> None:
        self.ids = list(ids)
        self._fetch = fetch
        self._pages: OrderedDict[int, list[DocumentSummary]] = OrderedDict()
        self._index: dict[int, int] | None = None

    def __len__(self) -> int:
        return len(self.ids)

    @overload
    def __getitem__(self, index: int) -> DocumentSummary: ...
    @overload
    def __getitem__(self, index: slice) -> list[DocumentSummary]: ...
    def __getitem__(self, index: int | slice) -> DocumentSummary | list[DocumentSummary]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self.ids)
        if not 0 <= index < len(self.ids):
            raise IndexError(index)
        number = index // self.PAGE
        page = self._pages.get(number)
        if page is None:
            page = self._load(number)
        else:
            self._pages.move_to_end(number)
        return page[index - number * self.PAGE]

    def _load(self, number: int) -> list[DocumentSummary]:
        wanted = self.ids[number * self.PAGE : (number + 1) * self.PAGE]
        found = {doc.id: doc for doc in self._fetch(wanted)}
        # A document deleted meanwhile keeps its row (empty) until the list is reloaded.
        page = [found.get(i) or DocumentSummary(i, "(removed)", None, "", 0, 0, 0) for i in wanted]
        self._pages[number] = page
        while len(self._pages) > self.KEEP_PAGES:
            self._pages.popitem(last=False)
        return page

    def index_of(self, document_id: int) -> int | None:
        if self._index is None:
            self._index = {doc_id: i for i, doc_id in enumerate(self.ids)}
        return self._index.get(document_id)

    def refreshed(self) -> LazyDocuments:
        """The same rows, counts read again when shown."""
        return LazyDocuments(self.ids, self._fetch)


class DocumentList(CursorList):
    """Documents with their coding and pending-suggestion counts; enter opens one.

    Drawn line by line from `LazyDocuments` (two lines per document): the work of a redraw
    does not grow with the number of documents.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        *cursor_bindings(first="home", last="end"),
        *keymap.bindings(keymap.DOCUMENTS),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {"document-list--highlighted"}
    DEFAULT_CSS = """
    DocumentList {
        color: $foreground;
        border: none;
        padding: 0;
        &:focus {
            border: none;
        }
        & > .document-list--highlighted {
            color: $foreground;
            background: $block-cursor-blurred-background;
        }
        &:focus > .document-list--highlighted {
            color: $block-cursor-foreground;
            background: $block-cursor-background;
            text-style: $block-cursor-text-style;
        }
    }
    """
    ROW_HEIGHT = 2

    highlighted: reactive[int | None] = reactive(None, always_update=True)

    class Chosen(ListMessage):
        """A document was chosen (enter or click)."""

        def __init__(self, document_list: DocumentList, document_id: int) -> None:
            super().__init__(document_list)
            self.document_id = document_id

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._documents: LazyDocuments = LazyDocuments([], lambda ids: [])

    @property
    def documents(self) -> LazyDocuments:
        return self._documents

    def set_documents(
        self, documents: Sequence[DocumentSummary], *, keep: int | None = None
    ) -> None:
        """Show `documents` (a `LazyDocuments`, or summaries); the highlight stays on `keep` or
        on the document it was on."""
        if not isinstance(documents, LazyDocuments):
            rows = list(documents)
            by_id = {d.id: d for d in rows}
            documents = LazyDocuments(
                [d.id for d in rows], lambda ids: [by_id[i] for i in ids if i in by_id]
            )
        current = self._current_id()
        self._documents = documents
        self.virtual_size = Size(
            self.scrollable_content_region.width, len(documents) * self.ROW_HEIGHT
        )
        target = keep if keep is not None else current
        index = documents.index_of(target) if target is not None else None
        if index is not None:
            self.highlighted = index
        elif self.highlighted is not None:
            self.highlighted = min(self.highlighted, len(documents) - 1) if len(documents) else None
        self.refresh()

    def _current_id(self) -> int | None:
        if self.highlighted is None or not 0 <= self.highlighted < len(self._documents):
            return None
        return self._documents.ids[self.highlighted]

    def validate_highlighted(self, value: int | None) -> int | None:
        if value is None or not len(self._documents):
            return None
        return max(0, min(value, len(self._documents) - 1))

    def watch_highlighted(self, value: int | None) -> None:
        if value is not None:
            self.scroll_to_region(
                Region(0, value * self.ROW_HEIGHT, max(1, self.size.width), self.ROW_HEIGHT),
                animate=False,
                immediate=True,
            )
        self.refresh()

    def on_resize(self) -> None:
        self.virtual_size = Size(
            self.scrollable_content_region.width, len(self._documents) * self.ROW_HEIGHT
        )

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        line = self.scroll_offset.y + y
        row, part = divmod(line, self.ROW_HEIGHT)
        base = self.rich_style
        if row >= len(self._documents):
            return Strip.blank(width, base)
        lines = document_prompt(
            self._documents[row], max(width, 1), lang=getattr(self.app, "lang", "en")
        ).split("\n", allow_blank=True)
        text = lines[part] if part < len(lines) else Text()
        text.truncate(width, overflow="ellipsis")
        style = base
        if row == self.highlighted:
            style = base + self.get_component_rich_style("document-list--highlighted")
        segments = list(text.render(self.app.console))
        return Strip(segments).apply_style(style).extend_cell_length(width, style).crop(0, width)

    # moving and choosing ------------------------------------------------------------------
    def _page(self) -> int:
        return max(1, self.scrollable_content_region.height // self.ROW_HEIGHT)

    def _move(self, delta: int) -> None:
        if len(self._documents):
            self.highlighted = (
                self.highlighted
                if self.highlighted is not None
                else -1
                if delta > 0
                else len(self._documents)
            ) + delta

    def action_move(self, delta: int) -> None:
        self._move(delta)

    def action_page(self, direction: int) -> None:
        self._move(self._page() * direction)

    def action_first(self) -> None:
        self.highlighted = 0

    def action_last(self) -> None:
        self.highlighted = len(self._documents) - 1

    def action_select(self) -> None:
        current = self._current_id()
        if current is not None:
            self.post_message(self.Chosen(self, current))

    def on_click(self, event: events.Click) -> None:
        row = (event.y + self.scroll_offset.y) // self.ROW_HEIGHT
        if 0 <= row < len(self._documents):
            self.highlighted = row
            self.action_select()


class RecentCodes(Static):
    """`1 Leiderschap  2 Digitalisering ...`: what the number keys do right now."""

    DEFAULT_CSS = """
    RecentCodes {
        width: 1fr;
        height: 1;
        padding: 0 1;
        background: $boost;
    }
    """

    def show(self, recent: Sequence[int], codes: dict[int, CodeNode]) -> None:
        text = Text(no_wrap=True, overflow="ellipsis")
        shown = [code_id for code_id in recent if code_id in codes][:9]
        if not shown:
            text.append(t("main.recent_hint", getattr(self.app, "lang", "en")), style="dim")
        for n, code_id in enumerate(shown, 1):
            code = codes[code_id]
            text.append(f" {n} ", style="reverse bold")
            text.append(" ● ", style=_color(code.color).name)
            text.append(printable(code.name, newlines=False) + "  ")
        self.update(text, layout=False)


class WorkStatus(Horizontal):
    """Shown while a worker runs: what it does and how far it is."""

    DEFAULT_CSS = """
    WorkStatus {
        display: none;
        height: 1;
        padding: 0 1;
        background: $boost;
    }
    WorkStatus.-busy {
        display: block;
    }
    WorkStatus #work-label {
        width: auto;
        margin-right: 2;
    }
    """

    def compose(self) -> ComposeResult:
        yield Label("", id="work-label")
        yield ProgressBar(id="work-progress", show_eta=False)

    def start(self, label: str) -> None:
        self.query_one("#work-label", Label).update(label)
        self.query_one(ProgressBar).update(total=None, progress=0)
        self.add_class("-busy")

    def advance(self, label: str, done: int, total: int) -> None:
        self.query_one("#work-label", Label).update(label)
        self.query_one(ProgressBar).update(total=max(total, 1), progress=done)

    def stop(self) -> None:
        self.remove_class("-busy")
