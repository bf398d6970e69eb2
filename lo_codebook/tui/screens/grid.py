"""The survey grid: every open answer as a row, themes toggled with one key.

Rows: respondent, case attributes, the answer on one line (in full below, for the row under
the cursor), your codes as coloured chips, pending suggestions. Keys 1-9 toggle the
codebook's first nine themes (or the codes you pinned, `p`) on the answer as a whole; `c`
picks any code. Each toggle is `coding.toggle_whole_document_coding` (undoable with ctrl+z),
after which only that row is read again and repainted. Filters (attribute, code, status)
pick the rows once; rows you just coded stay until you change the filters, so working down
"no code yet" does not make the list jump.
"""

from __future__ import annotations

from typing import Any

from rich.style import Style
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Header, Select, Static

from lo_codebook.core import coding, grid, queries, validation
from lo_codebook.core.queries import CodeNode
from lo_codebook.i18n import count as counted
from lo_codebook.i18n import method_name
from lo_codebook.safe_output import printable
from lo_codebook.tui import keymap
from lo_codebook.tui.changes import CODEBOOK, CODINGS, DOCUMENTS, SUGGESTIONS
from lo_codebook.tui.messages import FAILED, OpenSpan
from lo_codebook.tui.screens.base import CodebookScreen
from lo_codebook.tui.screens.modals import (
    CodePicker,
    PickResult,
    code_paths,
    on_code_picked,
    picked_code,
)
from lo_codebook.tui.widgets.answer_grid import AnswerGrid, CodeLook, GridTitles
from lo_codebook.tui.widgets.document_view import _color, span_styles

STATUS_OPTIONS = [grid.ALL, grid.UNCODED, grid.CODED, grid.PENDING]  # labels: "grid.status.*"
KEY_NAME = 11


class GridScreen(CodebookScreen):
    """Code survey answers fast: one row each, number keys toggle themes, filters above."""

    SCOPE = keymap.GRID

    def __init__(self) -> None:
        super().__init__()
        self.filter = grid.GridFilter()
        self.codes: list[CodeNode] = []
        self.codes_by_id: dict[int, CodeNode] = {}
        self.paths: dict[int, str] = {}
        self.keys: list[int] = []
        self.pinned = False
        self.total = 0
        self._updating = False
        self._detail_for: grid.AnswerRow | None = None  # the row the detail pane shows
        self._mounted_once = False
        self._detail_due = False
        self._left: int | None = None  # the log's newest entry when this screen was left
        self._options: dict[str, list[tuple[str, Any]]] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="grid-filters"):
            yield Select[tuple[str, str]](
                [], prompt=self.app.t("grid.every_case"), id="grid-attribute"
            )
            yield Select[int]([], prompt=self.app.t("grid.any_code"), id="grid-code")
            yield Select(
                [(self.app.t(f"grid.status.{status}"), status) for status in STATUS_OPTIONS],
                value=grid.ALL,
                allow_blank=False,
                id="grid-status",
            )
            yield Static("", id="grid-count")
        yield Static("", id="grid-keys")
        yield AnswerGrid(self._load_rows, id="grid", titles=self._titles())
        with VerticalScroll(id="grid-detail-box"):
            yield Static("", id="grid-detail")
        yield Static("", id="grid-message")
        yield Footer(compact=True)

    def _titles(self) -> GridTitles:
        """The grid's column titles and its "+N more" in the UI language."""
        return GridTitles(
            name=self.app.t("grid.col.respondent"),
            answer=self.app.t("grid.col.answer"),
            codes=self.app.t("grid.col.codes"),
            pending=self.app.t("grid.col.pending"),
            more=self.app.t("grid.more"),
        )

    @property
    def grid(self) -> AnswerGrid:
        return self.query_one(AnswerGrid)

    def on_mount(self) -> None:
        self._updating = True
        self.reload_codes()
        self.reload_shape()
        self.refilter()
        self.call_after_refresh(self._filters_done)
        self.grid.focus()
        self._mounted_once = True

    def on_screen_resume(self) -> None:
        """Shown again (the app keeps this screen): catch up on what changed meanwhile, if
        anything did (the log says)."""
        if self._mounted_once and self._left is not None:
            seen, self._left = self._left, None
            if self._change_mark() != seen:
                self.project_changed(frozenset({CODEBOOK, DOCUMENTS, CODINGS, SUGGESTIONS}))

    def on_screen_suspend(self) -> None:
        # Under a dialog (code picker) this screen still hears every change; it only misses
        # changes once it is off the stack or under another full screen.
        if not isinstance(self.app.screen, ModalScreen):
            self._left = self._change_mark()

    def _change_mark(self) -> int:
        with self.app.project.read() as session:
            return grid.change_mark(session)

    # data -------------------------------------------------------------------------------------
    def _load_rows(self, ids: Any) -> dict[int, grid.AnswerRow]:
        with self.app.project.read() as session:
            return grid.answer_rows(session, ids, self.app.project.coder_name)

    def reload_codes(self) -> None:
        """Codebook, number keys and chips' looks; the code filter's options."""
        with self.app.project.read() as session:
            self.codes = queries.codebook_tree(session, coder=self.app.project.coder_name)
            self.keys, self.pinned = grid.key_codes(
                session, self.app.project.coder_name, self.codes
            )
        self.codes_by_id = {c.id: c for c in self.codes}
        self.paths = code_paths(self.codes)
        key_of = {code_id: n for n, code_id in enumerate(self.keys, 1)}
        self.grid.set_looks(
            {c.id: CodeLook.of(c.name, c.color, key_of.get(c.id)) for c in self.codes}
        )
        if self.filter.code_id is not None and self.filter.code_id not in self.codes_by_id:
            self.filter = grid.GridFilter(self.filter.attribute, None, self.filter.status)
        self._set_options(
            "#grid-code", [(self.paths[c.id], c.id) for c in self.codes], self.filter.code_id
        )
        self._show_keys()

    def reload_shape(self) -> None:
        """Attribute columns and their values (the attribute filter's options)."""
        with self.app.project.read() as session:
            shape = grid.grid_shape(session)
            attributes = queries.attribute_values(session)
        self.total = shape.total
        self.grid.set_shape(shape.attributes, shape.name_width)
        options = [
            (f"{key} = {value}", (key, value))
            for key in shape.attributes
            for value in attributes.get(key, [])
        ]
        if self.filter.attribute is not None and self.filter.attribute not in {
            v for _, v in options
        }:
            self.filter = grid.GridFilter(None, self.filter.code_id, self.filter.status)
        self._set_options("#grid-attribute", options, self.filter.attribute)

    def _set_options(self, selector: str, options: list[tuple[str, Any]], value: Any) -> None:
        """New filter choices (unchanged ones are left alone: each change costs a layout pass)."""
        select = self.query_one(selector, Select)
        if self._options.get(selector) == options and select.value == (
            Select.NULL if value is None else value
        ):
            return
        self._options[selector] = options
        was, self._updating = self._updating, True
        select.set_options(options)
        if value is not None:
            select.value = value
        if not was:
            self.call_after_refresh(self._filters_done)

    def _filters_done(self) -> None:
        self._updating = False

    def refilter(self, *, sticky: bool = False) -> None:
        """Pick the rows for the filters; `sticky` keeps the rows shown now that still exist."""
        coder = self.app.project.coder_name
        with self.app.project.read() as session:
            if sticky and self.grid.ids:
                ids = grid.sticky_ids(session, coder, self.filter, self.grid.ids)
            else:
                ids = grid.answer_ids(session, coder, self.filter)
        self.grid.set_ids(ids, keep=self.grid.current_id)
        self._show_count()

    def project_changed(self, kinds: frozenset[str]) -> None:
        """After undo, an import, a codebook edit or a coding elsewhere: read what it touched."""
        if CODEBOOK in kinds:
            self.reload_codes()
        if DOCUMENTS in kinds:
            self.reload_shape()
            self.refilter(sticky=True)
        if kinds & {CODINGS, SUGGESTIONS, CODEBOOK, DOCUMENTS}:
            self.grid.invalidate()
            self._detail_for = None
            self.detail_soon()

    # display ----------------------------------------------------------------------------------
    def _show_count(self) -> None:
        shown = len(self.grid.ids)
        text = Text(no_wrap=True, overflow="ellipsis")
        if self.filter.active or shown != self.total:
            text.append(self.app.t("grid.shown", shown=shown, total=self.total), style="bold")
            text.append(self.app.t("grid.ctrl_r"), style="dim")
        else:
            text.append(counted(self.total, "answer", self.app.lang, thousands=False), style="bold")
        self.query_one("#grid-count", Static).update(text, layout=False)

    def _show_keys(self) -> None:
        text = Text(no_wrap=True, overflow="ellipsis")
        if not self.keys:
            text.append(self.app.t("grid.empty_codebook"), style="dim")
        for n, code_id in enumerate(self.keys, 1):
            code = self.codes_by_id[code_id]
            name = code.name if len(code.name) <= KEY_NAME else code.name[: KEY_NAME - 1] + "…"
            text.append(f" {n} ", style=_chip(code.color) + Style(bold=True))
            text.append(f" {printable(name, newlines=False)} ")
        if self.keys:
            text.append(self.app.t("grid.pinned" if self.pinned else "grid.p_pins"), style="dim")
        self.query_one("#grid-keys", Static).update(text, layout=False)

    def _message(self, text: Text | str) -> None:
        self.query_one("#grid-message", Static).update(text, layout=False)

    @on(AnswerGrid.CursorMoved)
    def _cursor_moved(self, event: AnswerGrid.CursorMoved) -> None:
        self.detail_soon()

    def detail_soon(self) -> None:
        """Update the detail pane after the grid has painted (its layout pass costs more than
        the row); several moves before that paint update it once."""
        if not self._detail_due:
            self._detail_due = True
            self.call_after_refresh(self.show_detail)

    def show_detail(self) -> None:
        """The answer under the cursor in full: attributes, text, everyone's codes, suggestions."""
        self._detail_due = False
        widget = self.query_one("#grid-detail", Static)
        row = self.grid.current_row
        if row is None:
            if not self.total:
                message = self.app.t("grid.no_answers")
            else:
                message = self.app.t("grid.no_match")
            widget.update(Text(message, style="dim"))
            self._detail_for = None
            return
        if self._detail_for is row:  # a row re-read after a change is a new object
            return
        self._detail_for = row
        me = self.app.project.coder_name
        with self.app.project.read() as session:
            blind = validation.is_blind(session, me, row.id)
            detail = queries.document_detail(
                session, row.id, coder=me if blind else None, blind=blind
            )
        if detail is None:
            widget.update(Text(self.app.t("grid.gone"), style="dim"))
            return
        text = Text()
        if blind:
            text.append(self.app.t("main.blind") + "\n", style="bold reverse")
        text.append(printable(row.name, newlines=False), style="bold")
        if row.case and row.case != row.name:
            text.append(
                printable(self.app.t("review.case", case=row.case), newlines=False), style="dim"
            )
        for attr_key, value in row.attributes.items():
            text.append(printable(f"  {attr_key} ", newlines=False), style="dim")
            text.append(printable(str(value), newlines=False))
        text.append(self.app.t("grid.words", n=row.words), style="dim")
        if row.question:
            text.append("\n" + printable(str(row.question)), style="dim italic")
        text.append("\n")
        text.append(printable(detail.text.strip()))
        text.append("\n")
        mine = [c for c in detail.codings if c.coder == me]
        others = [c for c in detail.codings if c.coder != me]
        text.append(self.app.t("grid.your_codes"), style="dim")
        if not mine:
            text.append(self.app.t("grid.none_yet"), style="dim italic")
        seen: set[int] = set()
        for span in mine:
            if span.code_id in seen:
                continue
            seen.add(span.code_id)
            text.append(f" {printable(span.code, newlines=False)} ", style=_chip(span.color))
            whole = span.start == 0 and span.end >= len(detail.text.rstrip())
            if not whole:
                text.append(f" {span.start}–{span.end}", style="dim")
            text.append(" ")
        if others:
            by_coder: dict[str, list[str]] = {}
            for span in others:
                names = by_coder.setdefault(span.coder or "?", [])
                if span.code not in names:
                    names.append(span.code)
            text.append(self.app.t("grid.other_coders"), style="dim")
            text.append(
                printable(
                    "; ".join(
                        f"{who}: {', '.join(names)}" for who, names in sorted(by_coder.items())
                    ),
                    newlines=False,
                ),
                style="dim",
            )
        if detail.suggestions:
            text.append(self.app.t("grid.suggested"), style="dim")
            for i, span in enumerate(detail.suggestions):
                if i:
                    text.append(" · ", style="dim")
                text.append(
                    printable(span.code, newlines=False),
                    style="underline " + _color(span.color).name,
                )
                text.append(
                    printable(
                        f" {span.score:.0f} {method_name(span.method, self.app.lang)} «{detail.text[span.start : span.end]}»",
                        newlines=False,
                    ),
                    style="dim",
                )
        widget.update(text)
        self.query_one("#grid-detail-box", VerticalScroll).scroll_home(animate=False)

    # coding -----------------------------------------------------------------------------------
    def _current_or_warn(self) -> int | None:
        document_id = self.grid.current_id
        if document_id is None:
            self.app.notify(self.app.t("grid.no_answer_here"), severity="warning")
        return document_id

    def toggle(self, code_id: int) -> None:
        """Toggle `code_id` on the answer under the cursor; repaint only that row."""
        document_id = self._current_or_warn()
        if document_id is None:
            return
        result = self.app.run_core(
            coding.toggle_whole_document_coding, self.app.project, document_id, code_id
        )
        if result is FAILED:
            return
        self.grid.update_row(document_id)
        self._detail_for = None
        self.detail_soon()
        message = Text(no_wrap=True, overflow="ellipsis")
        if result.coded:
            self.app.remember_code(code_id)
            message.append(
                f" {result.code} ",
                style=_chip(
                    self.codes_by_id[code_id].color if code_id in self.codes_by_id else None
                ),
            )
            message.append(self.app.t("grid.added", document=result.document), style="")
        else:
            message.append(f"{result.code}", style="bold")
            message.append(
                self.app.t("grid.taken_off", document=result.document)
                + (
                    self.app.t("grid.removed_codings", n=result.removed)
                    if result.removed > 1
                    else ""
                )
            )
        message.append("  " + self.app.t("common.undoes"), style="dim")
        self._message(message)
        self.app.project_changed({CODINGS}, exclude=self)

    def action_toggle_key(self, n: int) -> None:
        if len(self.keys) < n:
            self.app.notify(
                self.app.t("grid.no_theme_key", n=n, keys=len(self.keys)), severity="warning"
            )
            return
        self.toggle(self.keys[n - 1])

    def action_code(self) -> None:
        if self._current_or_warn() is None:
            return

        def chosen(result: PickResult | None) -> None:
            if result is None:
                return
            code_id = picked_code(self.app, result, make_parents=False)
            if code_id is not None:
                self.toggle(code_id)

        row = self.grid.current_row
        title = self.app.t("grid.toggle_on", name=row.name) if row else self.app.t("grid.toggle")
        self.app.push_screen(
            CodePicker(self.codes, title=title, recent=self.app.recent_codes), chosen
        )

    def action_accept(self) -> None:
        document_id = self._current_or_warn()
        if document_id is None:
            return
        with self.app.project.read() as session:
            blind = validation.is_blind(session, self.app.project.coder_name, document_id)
            _, suggestions = queries.document_spans(
                session, document_id, coder=self.app.project.coder_name, blind=blind
            )
        if blind:
            self.app.notify(self.app.t("grid.blind"), severity="warning")
            return
        if not suggestions:
            self.app.notify(self.app.t("grid.no_pending"), severity="warning")
            return
        service = self.app.suggest_service()
        if service is None:
            return
        count = self.app.run_core(
            service.decide, self.app.project, [s.id for s in suggestions], accept=True
        )
        if count is FAILED:
            return
        for span in suggestions:
            self.app.remember_code(span.code_id)
        self.grid.update_row(document_id)
        self._detail_for = None
        self.detail_soon()
        accepted = self.app.t(
            "grid.accepted",
            suggestions=counted(count, "suggestion", self.app.lang, thousands=False),
        )
        self._message(
            Text.assemble(
                (accepted, ""),
                (", ".join(s.code for s in suggestions), "bold"),
                ("  " + self.app.t("common.undoes"), "dim"),
            )
        )
        self.app.project_changed({CODINGS, SUGGESTIONS}, exclude=self)

    # pins -------------------------------------------------------------------------------------
    def action_pin(self) -> None:
        pinned = list(self.keys) if self.pinned else []

        def chosen(code_id: int) -> None:
            pins = [c for c in pinned if c != code_id] if code_id in pinned else [*pinned, code_id]
            if self.app.run_core(grid.set_pinned_codes, self.app.project, pins) is not FAILED:
                self.reload_codes()
                name = (
                    self.codes_by_id[code_id].name
                    if code_id in self.codes_by_id
                    else self.app.t("grid.code")
                )
                self._message(
                    self.app.t("grid.unpinned", name=name)
                    if code_id in pinned
                    else self.app.t("grid.pinned_to", name=name, n=len(pins))
                )

        title = self.app.t("grid.pin_title")
        self.app.push_screen(
            CodePicker(self.codes, title=title, recent=pinned, allow_create=False),
            on_code_picked(chosen),
        )

    def action_unpin_all(self) -> None:
        if self.app.run_core(grid.set_pinned_codes, self.app.project, []) is not FAILED:
            self.reload_codes()
            self._message(self.app.t("grid.unpinned_all"))

    # filters ----------------------------------------------------------------------------------
    @on(Select.Changed)
    def _filter_changed(self, event: Select.Changed) -> None:
        if self._updating:
            return
        attribute = self.query_one("#grid-attribute", Select).value
        code = self.query_one("#grid-code", Select).value
        status = self.query_one("#grid-status", Select).value
        new = grid.GridFilter(
            attribute=None if attribute is Select.NULL else attribute,  # type: ignore[arg-type]
            code_id=None if code is Select.NULL else int(code),  # type: ignore[arg-type]
            status=grid.ALL if status is Select.NULL else str(status),
        )
        if new != self.filter:
            self.filter = new
            self.refilter()
        focused = self.focused
        if focused is not None and (focused is event.select or event.select in focused.ancestors):
            self.call_after_refresh(self.grid.focus)  # chosen: back to the rows

    def action_filter_status(self, status: str) -> None:
        select = self.query_one("#grid-status", Select)
        select.value = grid.ALL if self.filter.status == status else status

    def action_focus_filters(self) -> None:
        self.query_one("#grid-attribute", Select).focus()

    def action_clear_filters(self) -> None:
        self.query_one("#grid-attribute", Select).clear()
        self.query_one("#grid-code", Select).clear()
        self.query_one("#grid-status", Select).value = grid.ALL
        self.grid.focus()

    # elsewhere --------------------------------------------------------------------------------
    def action_validation_done(self) -> None:
        """Mark the answer under the cursor done in your validation sample (ctrl+z undoes)."""
        document_id = self._current_or_warn()
        if document_id is None:
            return
        said = self.app.run_core(
            validation.mark_done, self.app.project, document_id, changed=frozenset({SUGGESTIONS})
        )
        if said is FAILED:
            return
        self.grid.update_row(document_id)
        self._detail_for = None
        self.detail_soon()
        self._message(Text(printable(said, newlines=False)))

    def action_open(self) -> None:
        document_id = self._current_or_warn()
        if document_id is not None:
            self.app.post_message(OpenSpan(document_id, 0, 0))

    def action_close(self) -> None:
        self.app.pop_screen()


def _chip(color: str | None) -> Style:
    return span_styles(color).coding


__all__ = ["GridScreen"]
