"""Search the texts and code the hits: a word or phrase, every form of a word, or a regex.

The hits come from `search.search_documents` (the same as `lo-codebook search`), found in a
thread worker (the lemma pipeline takes a few seconds the first time); `c` codes the
selected hits (space selects; none selected: every hit) with `search.code_hits`: one
transaction and one log entry, so ctrl+z takes all of them back at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Footer, Header, Input, Select, Static

from lo_codebook.core import queries
from lo_codebook.i18n import count
from lo_codebook.safe_output import printable
from lo_codebook.tui import keymap
from lo_codebook.tui.changes import CODINGS
from lo_codebook.tui.messages import FAILED, OpenSpan
from lo_codebook.tui.screens.base import CodebookScreen
from lo_codebook.tui.screens.modals import CodePicker, PickResult, picked_code
from lo_codebook.tui.widgets.passage_list import PassageList, passage_body, passage_header

if TYPE_CHECKING:
    from lo_codebook.core.search import SearchHit, SearchResult

MODES = ("words", "lemma", "regex")


@dataclass(frozen=True)
class SearchRequest:
    query: str
    mode: str


def hit_lines(hit: SearchHit) -> tuple[Text, Text]:
    """The document (case, place); then the hit in its context."""
    header = passage_header(hit.document, hit.case, hit.start, hit.end)
    body = passage_body(hit.before, hit.text, hit.after, side=60, middle=120, style="bold reverse")
    return header, body


class SearchScreen(CodebookScreen):
    """Where do the texts say it? Find it, select the hits that fit, code them in one step."""

    SCOPE = keymap.SEARCH
    AUTO_FOCUS = "#search-query"

    def __init__(self, query: str = "", mode: str = "words") -> None:
        super().__init__()
        self.initial_query = query
        self.initial_mode = mode
        self.result: SearchResult | None = None
        self.hits: list[SearchHit] = []

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="search-controls"):
            yield Input(
                self.initial_query, placeholder=self.app.t("search.placeholder"), id="search-query"
            )
            modes = [(self.app.t(f"search.mode_{mode}"), mode) for mode in MODES]
            yield Select(modes, value=self.initial_mode, allow_blank=False, id="search-mode")
        yield Static(self.app.t("search.start"), id="search-caption")
        yield PassageList(selectable=True, id="search-hits")
        yield Footer(compact=True)

    @property
    def listing(self) -> PassageList:
        return self.query_one("#search-hits", PassageList)

    def on_mount(self) -> None:
        if self.initial_query.strip():
            self.run_search()

    # searching --------------------------------------------------------------------------------
    def request(self) -> SearchRequest:
        mode = self.query_one("#search-mode", Select).value
        return SearchRequest(
            self.query_one("#search-query", Input).value,
            "words" if mode is Select.NULL else str(mode),
        )

    @on(Input.Submitted, "#search-query")
    def run_search(self) -> None:
        request = self.request()
        if not request.query.strip():
            self.app.notify(self.app.t("search.type_first"), severity="warning")
            return
        self.query_one("#search-caption", Static).update(
            Text(self.app.t("search.searching"), style="dim")
        )
        from lo_codebook.core.search import search_documents

        job = partial(search_documents, self.app.project, request.query, mode=request.mode)
        self.app.run_core_worker(
            self, job, group="search", done=self._found, failed=self._not_found
        )

    @on(Select.Changed, "#search-mode")
    def _mode_changed(self) -> None:
        if self.is_mounted and self.request().query.strip():
            self.run_search()

    def _not_found(self, error: str) -> None:
        error = error or self.app.t("search.failed")
        self.app.notify(
            error, title=self.app.t("work.search"), severity="error", timeout=10, markup=False
        )
        caption = self.query_one("#search-caption", Static)
        caption.update(Text(printable(error, newlines=False), style="bold"))
        self.result, self.hits = None, []
        self.listing.set_items(0, lambda index: (Text(), Text()), keep=0)

    def _found(self, result: SearchResult) -> None:
        self.result, self.hits = result, result.hits
        self.show_hits()
        if self.hits and self.focused is self.query_one("#search-query", Input):
            self.listing.focus()

    def show_hits(self) -> None:
        hits = self.hits
        self.listing.set_items(len(hits), lambda index: hit_lines(hits[index]), keep=0)
        self._caption()

    def _caption(self) -> None:
        result = self.result
        if result is None:
            return
        text = Text(printable(result.summary(self.app.lang), newlines=False), style="bold")
        chosen = len(self.listing.selected)
        text.append(
            self.app.t("search.selected", n=chosen) if chosen else self.app.t("search.how"),
            style="dim",
        )
        self.query_one("#search-caption", Static).update(text)

    @on(PassageList.SelectionChanged, "#search-hits")
    def _selection_changed(self) -> None:
        self._caption()

    # actions ----------------------------------------------------------------------------------
    def action_focus_query(self) -> None:
        self.query_one("#search-query", Input).focus()

    def action_toggle_hit(self) -> None:
        self.listing.toggle()

    def action_toggle_all(self) -> None:
        listing = self.listing
        listing.select_all(not (listing.selected and len(listing.selected) == listing.count))

    def chosen_hits(self) -> list[SearchHit]:
        """The selected hits, or every hit found when none is selected."""
        selected = sorted(self.listing.selected)
        return [self.hits[i] for i in selected] if selected else list(self.hits)

    def action_code(self) -> None:
        from lo_codebook.core.search import code_hits

        hits = self.chosen_hits()
        if not hits:
            self.app.notify(self.app.t("search.nothing_to_code"), severity="warning")
            return
        query = self.result.query if self.result is not None else ""
        with self.app.project.read() as session:
            codes = queries.codebook_tree(session)
        lang = self.app.lang
        title = self.app.t(
            "search.code_selected" if self.listing.selected else "search.code_all",
            hits=count(len(hits), "hit", lang),
        )

        def chosen(result: PickResult | None) -> None:
            if result is None:
                return
            code_id = picked_code(self.app, result)
            if code_id is None:
                return
            done = self.app.run_core(
                code_hits,
                self.app.project,
                hits,
                code_id,
                query=query,
                changed=frozenset({CODINGS}),
            )
            if done is FAILED:
                return
            self.app.remember_code(code_id)
            if done.coded:
                already = self.app.t("search.already", n=done.already) if done.already else ""
                self.app.notify(
                    self.app.t(
                        "search.coded",
                        hits=count(done.coded, "hit", lang),
                        code=repr(done.code),
                        already=already,
                    ),
                    markup=False,
                )
            else:
                self.app.notify(
                    self.app.t("search.all_had_it", code=repr(done.code)),
                    severity="warning",
                    markup=False,
                )
            self.listing.select_all(False)

        self.app.push_screen(
            CodePicker(codes, title=title, recent=self.app.recent_codes, leaves_only=True), chosen
        )

    def action_open(self) -> None:
        index = self.listing.highlighted
        if index is None or not 0 <= index < len(self.hits):
            self.app.notify(self.app.t("search.no_hit_here"), severity="warning")
            return
        hit = self.hits[index]
        self.app.post_message(OpenSpan(hit.document_id, hit.start, hit.end))

    def action_close(self) -> None:
        self.app.pop_screen()


__all__ = ["SearchScreen", "hit_lines"]
