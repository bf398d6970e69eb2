"""Coded segments: every segment of a code, in its context, to reread, open, uncode, recode, export.

The list comes from `retrieval.retrieve_segments` (the same as `lo-codebook retrieve`), the
export from `retrieval.export_segments`; uncode and recode are `coding.remove_coding` and
`coding.recode`, each one undoable step. Whose codings and which cases are listed is chosen
above the list (as `--coder` and `--by`).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Footer, Header, Label, Select, Static

from lo_codebook.core import coding, queries
from lo_codebook.errors import UserError
from lo_codebook.i18n import count
from lo_codebook.safe_output import printable
from lo_codebook.tui import keymap
from lo_codebook.tui.changes import CODINGS
from lo_codebook.tui.messages import FAILED, OpenSpan
from lo_codebook.tui.screens.base import CodebookScreen
from lo_codebook.tui.screens.modals import CodePicker, PickResult, TextPrompt, on_code_picked
from lo_codebook.tui.widgets.document_view import _color
from lo_codebook.tui.widgets.passage_list import PassageList, passage_body, passage_header

if TYPE_CHECKING:
    from lo_codebook.core.retrieval import Retrieval, RetrievedSegment

ALL = "all"
EXPORT_HINT = "segments.csv"


def segment_lines(
    segment: RetrievedSegment, *, show_code: bool, current_coder: str
) -> tuple[Text, Text]:
    """Where the segment is (and whose, which code); then the text in its context."""
    header = passage_header(segment.document, segment.case, segment.start, segment.end)
    if segment.coder != current_coder:
        header.append(f"  {printable(segment.coder, newlines=False)}", style="italic")
    if show_code:
        header.append("  ")
        header.append(
            f" {printable(segment.code, newlines=False)} ",
            style=_color(segment.color).name + " reverse",
        )
    body = passage_body(segment.before, segment.text, segment.after, side=40, middle=240)
    return header, body


class RetrievalScreen(CodebookScreen):
    """What did the respondents say about this theme? Every coded segment, in context."""

    SCOPE = keymap.RETRIEVAL
    AUTO_FOCUS = "#retrieval-list"

    def __init__(
        self,
        code_id: int | None = None,
        *,
        by: tuple[str, str] | None = None,
        coder: str | None = None,
    ) -> None:
        super().__init__()
        self.code_id: int | None = None
        self.retrieval: Retrieval | None = None
        self.segments: list[RetrievedSegment] = []
        self._ready = False
        self._loaded: tuple[str, list[tuple[str, str]]] | None = None  # the scope on screen
        self._request: tuple[int | None, tuple[str, str] | None, str | None] | None = None
        self.show(code_id, by=by, coder=coder)

    def show(
        self, code_id: int | None, *, by: tuple[str, str] | None = None, coder: str | None = None
    ) -> None:
        """List this code's segments (None: ask which), in the cases `by`, of `coder` (a name
        or "all"; None: as `themes` counts by default) when the screen shows next. The app
        keeps one of these screens and reopens it this way (opening it again is quick)."""
        self._request = (code_id, by, coder)
        if self.is_attached and self.app.screen is self:
            self._apply_request()

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="retrieval-controls"):
            yield Static("", id="retrieval-code")
            yield Label(self.app.t("themes.coder"), classes="field-label")
            yield Select(
                [(self.app.t("themes.all_coders"), ALL)],
                value=ALL,
                allow_blank=False,
                id="retrieval-coder",
            )
            yield Label(self.app.t("retrieval.cases"), classes="field-label")
            yield Select[tuple[str, str]](
                [], prompt=self.app.t("retrieval.all_cases"), id="retrieval-case"
            )
        yield Static("", id="retrieval-caption")
        yield PassageList(id="retrieval-list")
        yield Footer(compact=True)

    @property
    def listing(self) -> PassageList:
        return self.query_one("#retrieval-list", PassageList)

    def on_screen_resume(self) -> None:
        if self._request is not None:
            self._apply_request()
        elif self._ready:
            self.reload()  # codings may have changed while it was away

    def _apply_request(self) -> None:
        from lo_codebook.core.themes_service import coder_scope

        request, self._request = self._request, None
        assert request is not None
        code_id, by, wanted_coder = request
        with self.app.project.read() as session:
            attributes = queries.attribute_values(session)
            scope = coder_scope(session, None, self.app.project.coder_name)
        coder = self.query_one("#retrieval-coder", Select)
        coder.set_options(
            [
                (self.app.t("themes.all_coders"), ALL),
                *((printable(name, newlines=False), name) for name in scope.available),
            ]
        )
        default = scope.counted[0] if scope.ids is not None and len(scope.counted) == 1 else ALL
        coder.value = wanted_coder if wanted_coder in {ALL, *scope.available} else default
        cases = self.query_one("#retrieval-case", Select)
        options = [
            (printable(f"{key} = {value}", newlines=False), (key, value))
            for key, values in attributes.items()
            for value in values
        ]
        cases.set_options(options)
        if by in {value for _, value in options}:
            cases.value = by
        else:
            cases.clear()
        self._ready = True
        self.code_id = code_id
        self.reload(keep=0)
        self.listing.focus()
        if code_id is None:
            self.action_choose_code()

    # data -------------------------------------------------------------------------------------
    def scope(self) -> tuple[str, list[tuple[str, str]]]:
        coder = self.query_one("#retrieval-coder", Select).value
        case = self.query_one("#retrieval-case", Select).value
        return (ALL if coder is Select.NULL else str(coder)), (
            [] if case is Select.NULL else [case]
        )  # type: ignore[list-item]

    def reload(self, *, keep: int | None = None) -> None:
        """Read the segments again; the cursor stays on the same row number (`keep`).

        Read at once, not in a worker (`app.run_core_worker`): the list draws only what is on
        screen, and the screen opens with its rows. A refusal (the code is gone, say after
        undo) is not `run_core`'s error either: it is said quietly and the screen shows no code.
        """
        from lo_codebook.core.retrieval import retrieve_segments

        caption = self.query_one("#retrieval-caption", Static)
        title = self.query_one("#retrieval-code", Static)
        if self.code_id is None:
            self.retrieval, self.segments = None, []
            title.update(Text(self.app.t("retrieval.no_code"), style="bold"))
            caption.update("")
            self.listing.set_items(0, _nothing)
            return
        coder, by = self._loaded = self.scope()
        try:
            result = retrieve_segments(self.app.project, self.code_id, coder=coder, by=by)
        except UserError as exc:
            self.app.notify(str(exc), severity="error", timeout=8, markup=False)
            self.code_id = None
            self.reload()
            return
        self.retrieval, self.segments = result, result.segments
        self.app.retrieval_settings = {
            "code_id": self.code_id,
            "coder": coder,
            "by": by[0] if by else None,
        }
        lang = self.app.lang
        title.update(
            Text.assemble(
                (self.app.t("retrieval.code"), "dim"),
                (printable(result.code, newlines=False), "bold"),
            )
        )
        notice = printable(
            result.notice(lang, hint=self.app.t("themes.coder_hint")), newlines=False
        )
        documents = count(len({s.document_id for s in result.segments}), "document", lang)
        caption.update(
            Text.assemble(
                (
                    self.app.t(
                        "retrieval.caption",
                        segments=count(len(result.segments), "segment", lang),
                        documents=documents,
                    ),
                    "bold",
                ),
                (notice[0].upper() + notice[1:], "dim"),
            )
        )
        current = self.app.project.coder_name
        segments = result.segments

        def draw(index: int) -> tuple[Text, Text]:
            return segment_lines(segments[index], show_code=result.category, current_coder=current)

        self.listing.set_items(len(segments), draw, keep=keep)

    def project_changed(self, kinds: frozenset[str]) -> None:
        if self.is_mounted and self._ready:
            self.reload()

    @on(Select.Changed)
    def _scope_changed(self) -> None:
        if self._ready and self.scope() != self._loaded:
            self.reload(keep=0)

    @property
    def highlighted(self) -> RetrievedSegment | None:
        index = self.listing.highlighted
        if index is None or not 0 <= index < len(self.segments):
            return None
        return self.segments[index]

    def _highlighted_or_warn(self) -> RetrievedSegment | None:
        segment = self.highlighted
        if segment is None:
            self.app.notify(self.app.t("retrieval.none_here"), severity="warning")
        return segment

    def _codes(self) -> list[Any]:
        with self.app.project.read() as session:
            return queries.codebook_tree(session)

    # actions ----------------------------------------------------------------------------------
    @on(PassageList.Chosen, "#retrieval-list")
    def action_open(self) -> None:
        segment = self._highlighted_or_warn()
        if segment is not None:
            self.app.post_message(OpenSpan(segment.document_id, segment.start, segment.end))

    def action_uncode(self) -> None:
        segment = self._highlighted_or_warn()
        if segment is None:
            return
        self.app.run_core(
            coding.remove_coding,
            self.app.project,
            segment.coding_id,
            changed=frozenset({CODINGS}),
            ok=self.app.t("retrieval.removed", code=repr(segment.code), document=segment.document),
        )

    def action_recode(self) -> None:
        segment = self._highlighted_or_warn()
        if segment is None:
            return

        def chosen(code_id: int) -> None:
            if (
                self.app.run_core(
                    coding.recode,
                    self.app.project,
                    segment.coding_id,
                    code_id,
                    changed=frozenset({CODINGS}),
                    ok=self.app.t("retrieval.recoded"),
                )
                is not FAILED
            ):
                self.app.remember_code(code_id)

        self.app.push_screen(
            CodePicker(
                self._codes(),
                title=self.app.t("retrieval.recode_title", code=repr(segment.code)),
                recent=self.app.recent_codes,
                allow_create=False,
                exclude=[segment.code_id],
                leaves_only=True,
            ),
            on_code_picked(chosen),
        )

    def action_choose_code(self) -> None:
        def chosen(result: PickResult | None) -> None:
            if result is not None and result.code_id is not None:
                self.code_id = result.code_id
                self.reload(keep=0)

        self.app.push_screen(
            CodePicker(
                self._codes(),
                title=self.app.t("retrieval.pick_title"),
                recent=self.app.recent_codes,
                allow_create=False,
            ),
            chosen,
        )

    def action_export(self) -> None:
        from lo_codebook.core.retrieval import export_segments

        retrieval = self.retrieval
        if retrieval is None:
            self.app.notify(self.app.t("retrieval.choose_first"), severity="warning")
            return

        def chosen(path: str | None) -> None:
            if not path or not path.strip():
                return
            target = Path(path.strip()).expanduser()
            if (
                self.app.run_core(export_segments, retrieval, target, lang=self.app.lang)
                is not FAILED
            ):
                segments = count(len(retrieval.segments), "segment", self.app.lang)
                self.app.notify(
                    self.app.t("retrieval.wrote", segments=segments, path=target),
                    title=self.app.t("work.export"),
                )

        self.app.push_screen(TextPrompt(self.app.t("retrieval.export_prompt"), EXPORT_HINT), chosen)

    def action_close(self) -> None:
        self.app.pop_screen()


def _nothing(index: int) -> tuple[Text, Text]:
    return Text(), Text()


__all__ = ["RetrievalScreen", "segment_lines"]
