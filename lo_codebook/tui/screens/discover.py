"""Discover themes: candidate codes found in the texts, and adding one to the codebook.

The candidates come from `discover_service.discover_candidates` (the same as
`lo-codebook discover`), computed in a thread worker because the language pipeline takes a
few seconds the first time. `a` adds the highlighted candidate with
`discover_service.add_candidate` (its phrases become the code's keywords) after a small
dialog for the name and an optional parent category; ctrl+z undoes it like any change.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, DataTable, Footer, Header, Input, Label, Select, Static, Switch

from lo_codebook.core import queries
from lo_codebook.core.defaults import DISCOVER_ABOVE
from lo_codebook.db.names import name_key
from lo_codebook.i18n import count as counted
from lo_codebook.safe_output import printable
from lo_codebook.tui import keymap
from lo_codebook.tui.changes import CODEBOOK
from lo_codebook.tui.messages import FAILED
from lo_codebook.tui.screens.base import TableScreen
from lo_codebook.tui.screens.modals import say

if TYPE_CHECKING:
    from lo_codebook.core.project import Project

# (the words of `themes.*`, value): the kinds of document the candidates are looked for in
KINDS = [
    ("themes.all_documents", "all"),
    ("themes.survey", "survey"),
    ("themes.interviews", "transcript"),
    ("themes.texts", "text"),
]
LABEL_WIDTH, PHRASES_WIDTH, DOCS_WIDTH = 22, 26, 5


def shorten(text: str, width: int) -> str:
    """One line of at most `width` visible characters, with … when cut."""
    text = printable(" ".join(text.split()), newlines=False)
    return text if len(text) <= width else text[: max(width - 1, 0)].rstrip() + "…"


def quote_text(quote: str, phrases: Sequence[str]) -> Text:
    """An example quote with the candidate's phrases (any case) underlined."""
    text = Text(f"“{printable(quote)}”")
    for phrase in sorted({p for p in phrases if len(p.strip()) >= 2}, key=len, reverse=True):
        for match in re.finditer(re.escape(phrase.strip()), text.plain, flags=re.IGNORECASE):
            text.stylize("bold underline", match.start(), match.end())
    return text


@dataclass(frozen=True)
class DiscoverSettings:
    above: int
    only_new: bool
    kind: str | None


def _candidates(project: Project, settings: DiscoverSettings) -> list[Any]:
    """The theme candidates for these settings (in a worker: it reads every document)."""
    from lo_codebook.core import discover_service

    return list(
        discover_service.discover_candidates(
            project, above=settings.above, only_new=settings.only_new, kind=settings.kind
        )
    )


@dataclass(frozen=True)
class AddRequest:
    """What the add dialog returns: the code's name, its keywords and its parent (a path)."""

    name: str
    keywords: list[str]
    parent: str | None


class AddCandidateDialog(keymap.LocalizedBindings, ModalScreen[AddRequest | None]):
    """Name (editable), optional parent category and keywords of the code to add."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, candidate: Any, parents: Sequence[str]) -> None:
        super().__init__()
        self.candidate = candidate
        self.parents = list(parents)

    def compose(self) -> ComposeResult:
        candidate = self.candidate
        with Vertical(id="dialog", classes="add-candidate"):
            documents = counted(
                candidate.documents, "document", getattr(self.app, "lang", "en"), thousands=False
            )
            yield Label(
                Text(say(self, "disc.add_title", label=repr(candidate.label), documents=documents)),
                id="dialog-title",
            )
            yield Static(say(self, "disc.name"), classes="field-label")
            yield Input(
                printable(candidate.label, newlines=False),
                placeholder=say(self, "disc.name_placeholder"),
                id="add-name",
            )
            yield Static(say(self, "disc.under"), classes="field-label")
            yield Select(
                [(Text(printable(p, newlines=False)), p) for p in self.parents],
                prompt=say(self, "picker.top_level"),
                id="add-parent",
            )
            yield Static(say(self, "disc.keywords"), classes="field-label")
            yield Input(
                printable("; ".join(candidate.phrases), newlines=False),
                placeholder=say(self, "disc.keywords_placeholder"),
                id="add-keywords",
            )
            yield Static("", id="prompt-error", classes="dialog-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button(say(self, "disc.add"), variant="primary", id="add-go")
                yield Button(say(self, "common.cancel"), id="add-cancel")

    def on_mount(self) -> None:
        name = self.query_one("#add-name", Input)
        name.focus()
        name.cursor_position = len(name.value)

    @on(Input.Submitted)
    @on(Button.Pressed, "#add-go")
    def _go(self) -> None:
        name = " ".join(self.query_one("#add-name", Input).value.split())
        if not name:
            self.query_one("#prompt-error", Static).update(say(self, "disc.needs_name"))
            self.query_one("#add-name", Input).focus()
            return
        raw = self.query_one("#add-keywords", Input).value
        keywords = list(dict.fromkeys(k.strip() for k in raw.split(";") if k.strip()))
        parent = self.query_one("#add-parent", Select).value
        self.dismiss(AddRequest(name, keywords, None if parent is Select.NULL else str(parent)))

    @on(Button.Pressed, "#add-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class DiscoverScreen(TableScreen):
    """Which phrases do many documents mention? Add the good ones to the codebook."""

    SCOPE = keymap.DISCOVER
    TABLE = "discover-table"

    AUTO_FOCUS = "#discover-table"  # the list: a, n and the arrows work at once

    def __init__(self, *, above: int = DISCOVER_ABOVE, only_new: bool = True) -> None:
        super().__init__()
        self.initial_above = above
        self.initial_only_new = only_new
        self.candidates: list[Any] = []
        self.settings: DiscoverSettings | None = None
        self.code_names: set[str] = set()
        self.added_as: dict[str, str] = {}  # candidate label -> name of the code it became
        self._parents: list[str] = []
        self._refocus = False

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="discover-controls"):
            yield Label(self.app.t("disc.more_than"), classes="field-label")
            yield Input(
                str(self.initial_above), placeholder="0", id="discover-above", type="integer"
            )
            yield Label(self.app.t("themes.documents"), classes="field-label")
            yield Select(
                [(self.app.t(key), value) for key, value in KINDS],
                value="all",
                allow_blank=False,
                id="discover-kind",
            )
            yield Switch(self.initial_only_new, id="discover-only-new")
            yield Label(self.app.t("disc.only_new"), classes="field-label")
        yield Static("", id="discover-caption")
        with Horizontal(id="discover-body"):
            yield DataTable(id="discover-table", zebra_stripes=True, cursor_type="row")
            with VerticalScroll(id="discover-detail-box"):
                yield Static("", id="discover-detail")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self._load_code_names()
        self._refocus = True  # the table gets the focus once it has rows
        self.recompute()

    # computing ------------------------------------------------------------------------------
    def current_settings(self) -> DiscoverSettings | None:
        raw = self.query_one("#discover-above", Input).value.strip()
        try:
            above = int(raw) if raw else 0
        except ValueError:
            return None
        kind = self.query_one("#discover-kind", Select).value
        return DiscoverSettings(
            above=max(above, 0),
            only_new=self.query_one("#discover-only-new", Switch).value,
            kind=None if kind in ("all", Select.NULL) else str(kind),
        )

    def recompute(self) -> None:
        settings = self.current_settings()
        if settings is None:
            self.table.loading = False
            self._caption(Text(self.app.t("disc.bad_threshold"), style="bold"))
            return
        # A loading widget cannot keep the focus: give it back when the results are in.
        self._refocus = self._refocus or self.focused is None or self.focused is self.table
        self.table.loading = True
        self._caption(Text(self.app.t("disc.looking"), style="dim"))
        self.app.run_core_worker(
            self,
            partial(_candidates, self.app.project, settings),
            group="discover",
            done=partial(self._found, settings),
            failed=partial(self._not_found, settings),
        )

    def _landed(self, settings: DiscoverSettings) -> bool:
        """Whether these are the results of the current controls (else a newer one comes)."""
        if settings != self.current_settings():
            return False
        self.table.loading = False
        if self._refocus:
            self._refocus = False
            self.call_after_refresh(self.table.focus)
        self.settings = settings
        return True

    def _not_found(self, settings: DiscoverSettings, error: str) -> None:
        if not self._landed(settings):
            return
        error = error or self.app.t("disc.failed")
        self.app.notify(
            error, title=self.app.t("disc.title"), severity="error", timeout=10, markup=False
        )
        self.candidates = []
        self.show_candidates()
        self._caption(Text(error, style="bold"))

    def _found(self, settings: DiscoverSettings, candidates: list[Any]) -> None:
        current = self.highlighted
        keep = (current.label, self.table.cursor_row) if current is not None else None
        if not self._landed(settings):
            return
        self.candidates = candidates
        self.show_candidates(keep)

    def _load_code_names(self) -> None:
        with self.app.project.read() as session:
            codes = queries.codebook_tree(session)
        self.code_names = {name_key(c.name) for c in codes}
        self._parents = [c.name for c in codes if c.parent_id is None]

    def in_codebook(self, candidate: Any) -> bool:
        names = {name_key(candidate.label)}
        if candidate.label in self.added_as:
            names.add(name_key(self.added_as[candidate.label]))
        return bool(names & self.code_names)

    def show_candidates(self, keep: tuple[str, int] | None = None) -> None:
        """Fill the table; the cursor stays on `keep` (label, row): that label, else that row."""
        table = self.table
        if keep is None and self.highlighted is not None:
            keep = (self.highlighted.label, table.cursor_row)
        table.clear(columns=True)
        # Explicit widths: the table looks the same however fast the results arrive.
        # (the table's own size is not known while it is covered by the loading indicator)
        body = (
            self.query_one("#discover-body").size.width
            - self.query_one("#discover-detail-box").outer_size.width
        )
        example_width = max(
            20, (body or 100) - (1 + LABEL_WIDTH + DOCS_WIDTH + PHRASES_WIDTH) - 10 - 2
        )
        table.add_column("", key="mark", width=1)
        table.add_column(self.app.t("disc.col.candidate"), key="label", width=LABEL_WIDTH)
        table.add_column(self.app.t("disc.col.documents"), key="documents", width=DOCS_WIDTH)
        table.add_column(self.app.t("disc.col.phrases"), key="phrases", width=PHRASES_WIDTH)
        table.add_column(self.app.t("disc.col.example"), key="example", width=example_width)
        for index, candidate in enumerate(self.candidates):
            mark = Text("✓", style="bold") if self.in_codebook(candidate) else ""
            table.add_row(
                mark,
                Text(shorten(candidate.label, LABEL_WIDTH), style="bold"),
                Text(str(candidate.documents), justify="right"),
                Text(shorten("; ".join(candidate.phrases), PHRASES_WIDTH), style="dim"),
                Text(shorten(candidate.examples[0] if candidate.examples else "", example_width)),
                key=str(index),
            )
        if keep is not None and self.candidates:
            label, row = keep
            index = next((i for i, c in enumerate(self.candidates) if c.label == label), None)
            table.move_cursor(row=min(row, len(self.candidates) - 1) if index is None else index)
        self._show_caption()
        self._show_detail(self.highlighted)

    def _show_caption(self) -> None:
        settings = self.settings
        if settings is None:
            return
        text = Text()
        n = len(self.candidates)
        lang = self.app.lang
        text.append(counted(n, "candidate", lang, thousands=False), style="bold")
        text.append(
            self.app.t(
                "disc.caption_more",
                documents=counted(settings.above, "document", lang, thousands=False),
            )
        )
        if settings.kind:
            text.append(f" ({self.app.t(dict((v, k) for k, v in KINDS)[settings.kind])})")
        if settings.only_new:
            text.append(" · " + self.app.t("disc.only_new"))
        text.append(self.app.t("disc.caption_hint"), style="dim")
        self._caption(text)

    def _caption(self, text: Text) -> None:
        self.query_one("#discover-caption", Static).update(text)

    @property
    def highlighted(self) -> Any | None:
        table = self.table
        if not self.candidates or table.row_count == 0:
            return None
        row = table.cursor_row
        return self.candidates[row] if 0 <= row < len(self.candidates) else None

    def _show_detail(self, candidate: Any | None) -> None:
        detail = self.query_one("#discover-detail", Static)
        if candidate is None:
            if self.settings is not None and not self.candidates:
                detail.update(Text(self.app.t("disc.none"), style="italic"))
            else:
                detail.update("")
            return
        text = Text()
        text.append(printable(candidate.label, newlines=False), style="bold")
        text.append(
            f"\n{counted(candidate.documents, 'document', self.app.lang, thousands=False)}",
            style="dim",
        )
        if self.in_codebook(candidate):
            text.append(self.app.t("disc.in_codebook"), style="bold")
        text.append(self.app.t("disc.phrases"), style="dim")
        text.append(printable("; ".join(candidate.phrases), newlines=False))
        text.append(self.app.t("disc.examples"), style="dim")
        for quote in candidate.examples:
            text.append_text(quote_text(quote, [candidate.label, *candidate.phrases]))
            text.append("\n\n")
        if not candidate.examples:
            text.append(self.app.t("disc.no_examples"), style="dim")
        detail.update(text)

    @on(DataTable.RowHighlighted, "#discover-table")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_detail(self.highlighted)

    @on(DataTable.RowSelected, "#discover-table")
    def _selected(self, event: DataTable.RowSelected) -> None:
        self._show_detail(self.highlighted)
        self.query_one("#discover-detail-box").scroll_home(animate=False)

    @on(Input.Changed, "#discover-above")
    def _above_changed(self) -> None:
        self.recompute()

    @on(Input.Submitted, "#discover-above")
    def _above_submitted(self) -> None:
        self.table.focus()

    @on(Switch.Changed, "#discover-only-new")
    @on(Select.Changed, "#discover-kind")
    def _option_changed(self) -> None:
        if self.is_mounted:
            self.recompute()

    def project_changed(self, kinds: frozenset[str]) -> None:
        if not kinds & {CODEBOOK}:
            return
        self._load_code_names()
        if self.settings is not None and self.settings.only_new:
            self.recompute()  # what the codebook lacks changed
        else:
            self.show_candidates()

    # actions --------------------------------------------------------------------------------
    def action_add_candidate(self) -> None:
        candidate = self.highlighted
        if candidate is None:
            self.app.notify(self.app.t("disc.no_highlight"), severity="warning")
            return
        if self.in_codebook(candidate):
            self.app.notify(
                self.app.t("disc.already", label=repr(candidate.label)),
                severity="warning",
                markup=False,
            )
            return
        self._load_code_names()

        def chosen(request: AddRequest | None) -> None:
            if request is None:
                return
            from lo_codebook.core import discover_service

            path = self.app.run_core(
                discover_service.add_candidate,
                self.app.project,
                request.name,
                request.keywords,
                parent=request.parent,
                changed=frozenset({CODEBOOK}),
            )
            if path is not FAILED:
                self.added_as[candidate.label] = request.name
                keywords = counted(len(request.keywords), "keyword", self.app.lang, thousands=False)
                self.app.notify(
                    self.app.t("disc.added", path=repr(path), keywords=keywords), markup=False
                )
                if not (self.settings and self.settings.only_new):
                    self.show_candidates()

        self.app.push_screen(AddCandidateDialog(candidate, self._parents), chosen)

    def action_toggle_only_new(self) -> None:
        switch = self.query_one("#discover-only-new", Switch)
        switch.value = not switch.value

    def action_focus_threshold(self) -> None:
        self.query_one("#discover-above", Input).focus()

    def action_refresh(self) -> None:
        self._load_code_names()
        self.recompute()

    def action_close(self) -> None:
        self.app.pop_screen()


__all__ = ["AddCandidateDialog", "AddRequest", "DiscoverScreen", "quote_text", "shorten"]
