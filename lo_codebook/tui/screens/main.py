"""The coding screen: documents (left), the text (centre), the codebook with counts (right).

Every change goes through a core function (`coding.*`, `codebook.*`, `suggest_service.*`) via
`app.run_core`, which turns a `UserError` into a notification and then tells the screens
what to reload. This module holds no SQL and no rules of its own.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from typing import TYPE_CHECKING, Any

from rich.color import Color, ColorParseError
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Header, Label, Select, Static, TextArea, Tree

from lo_codebook.core import codebook, coding, queries, validation
from lo_codebook.core.queries import CodeNode, SpanView
from lo_codebook.i18n import MESSAGES, count, method_name
from lo_codebook.safe_output import printable
from lo_codebook.tui import keymap
from lo_codebook.tui.changes import CASES, CODEBOOK, CODINGS, DOCUMENTS, MEMOS, SUGGESTIONS
from lo_codebook.tui.messages import FAILED
from lo_codebook.tui.screens.base import CodebookScreen
from lo_codebook.tui.screens.modals import (
    CodePicker,
    Confirm,
    PickResult,
    TextPrompt,
    code_paths,
    create_code_path,
    on_code_picked,
    picked_code,
)
from lo_codebook.tui.widgets.codebook_tree import CodebookTree
from lo_codebook.tui.widgets.document_view import DocumentView, _color
from lo_codebook.tui.widgets.panels import DocumentList, LazyDocuments, RecentCodes, WorkStatus

if TYPE_CHECKING:
    from lo_codebook.core.project import Project

BLIND_NOTE = (
    "BLIND · validation sample: code it fully by hand; V marks it done "
    "(then suggestions and other coders' codes show)"
)


def _codebook_tree(project: Project) -> list[CodeNode]:
    """The codebook with this coder's counts."""
    with project.read() as session:
        return queries.codebook_tree(session, coder=project.coder_name)


class MainScreen(CodebookScreen):
    """Read, select, code; the codebook tree beside the text keeps live counts."""

    SCOPE = keymap.MAIN

    def __init__(self) -> None:
        super().__init__()
        self.document_id: int | None = None
        self.blind = False  # the open document is in my validation sample, not done yet
        self.codes: list[CodeNode] = []
        self.codes_by_id: dict[int, CodeNode] = {}
        self.paths: dict[int, str] = {}
        self.case_filter: tuple[str, str] | None = None
        self.code_filter: int | None = None
        self._updating_filters = False
        self._stale: frozenset[str] = frozenset()

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="panes"):
            with Vertical(id="left-pane"):
                yield Label(
                    self.app.t("main.documents"), classes="pane-title", id="documents-title"
                )
                yield Select[tuple[str, str]](
                    [], prompt=self.app.t("main.all_cases"), id="case-filter"
                )
                yield Select[int]([], prompt=self.app.t("main.any_code"), id="code-filter")
                yield DocumentList(id="documents")
            with Vertical(id="centre-pane"):
                yield Static("", id="doc-title")
                yield DocumentView(id="document")
                yield Static("", id="doc-status")
                yield RecentCodes("", id="recent-codes")
            with Vertical(id="right-pane"):
                yield Label(self.app.t("main.codebook_title"), classes="pane-title")
                yield CodebookTree(id="codebook")
                yield Static("", id="code-info")
        yield WorkStatus(id="work")
        yield Footer(compact=True)

    # widgets ----------------------------------------------------------------------------------
    @property
    def view(self) -> DocumentView:
        return self.query_one(DocumentView)

    @property
    def tree(self) -> CodebookTree:
        return self.query_one(CodebookTree)

    @property
    def documents(self) -> DocumentList:
        return self.query_one(DocumentList)

    def palette_targets(self) -> dict[str, Any]:
        return {keymap.MAIN: self, keymap.DOCUMENT: self.view, keymap.CODEBOOK: self.tree}

    def on_mount(self) -> None:
        self.reload_codebook()
        self.reload_filters()
        self.reload_documents()
        if self.documents.documents:
            self.documents.highlighted = 0
            self.open_document(self.documents.documents[0].id)
        self.view.focus()

    # data -------------------------------------------------------------------------------------
    def project_changed(self, kinds: frozenset[str]) -> None:
        """Reload what a change touched; the text view first, lists right after.

        Under another full screen (the grid, the review queue) only a changed codebook is read
        at once (other screens and dialogs use `codes`); counts, the documents list and the
        text wait until this screen shows again: coding 10,000 answers in the grid must not
        re-list them after every key.
        """
        if self._covered():
            if CODEBOOK in kinds:
                self.reload_codebook()
            self._stale |= kinds
            return
        if kinds & {CODINGS, SUGGESTIONS, DOCUMENTS, CODEBOOK}:
            self.reload_spans()
        if CODEBOOK in kinds:
            self.call_after_refresh(self.reload_codebook)
        elif kinds & {CODINGS, SUGGESTIONS}:
            self._count_codes()  # the same tree, new counts: read beside the UI, not in its way
        if kinds & {DOCUMENTS, CODEBOOK, CASES}:
            self.call_after_refresh(self.reload_filters)
        if not kinds - {MEMOS}:
            return  # a memo changes no list and no count here
        if (
            kinds & {DOCUMENTS, CASES}
            or self.case_filter is not None
            or self.code_filter is not None
        ):
            self.call_after_refresh(self.reload_documents)
        else:  # the same rows: their counts are read again when drawn
            self.call_after_refresh(self.refresh_document_counts)

    def _covered(self) -> bool:
        stack = self.app.screen_stack
        if self not in stack:
            return False
        above = stack[stack.index(self) + 1 :]
        return any(not isinstance(screen, ModalScreen) for screen in above)

    def on_screen_resume(self) -> None:
        if self._stale:
            kinds, self._stale = self._stale, frozenset()
            self.project_changed(kinds)

    def reload_codebook(self) -> None:
        self._show_codes(_codebook_tree(self.app.project))

    def _count_codes(self) -> None:
        """The codebook's counts after a coding: a count over every coding (a second on a
        project with millions) runs in a thread; the tree is updated when it is done."""
        job = partial(_codebook_tree, self.app.project)
        self.app.run_core_worker(self, job, group="code-counts", done=self._show_codes)

    def _show_codes(self, codes: list[queries.CodeNode]) -> None:
        self.codes = codes
        self.codes_by_id = {c.id: c for c in self.codes}
        self.paths = code_paths(self.codes)
        self.app.recent_codes = [c for c in self.app.recent_codes if c in self.codes_by_id]
        self.tree.filtered_code = self.code_filter
        self.tree.set_codes(self.codes)
        self.query_one(RecentCodes).show(self.app.recent_codes, self.codes_by_id)
        self._show_code_info(self.tree.highlighted_code)

    def reload_filters(self) -> None:
        with self.app.project.read() as session:
            attributes = queries.attribute_values(session)
        case_options = [
            (printable(f"{key} = {value}", newlines=False), (key, value))
            for key, values in attributes.items()
            for value in values
        ]
        code_options = [(printable(self.paths[c.id], newlines=False), c.id) for c in self.codes]
        self._updating_filters = True
        try:
            case_select = self.query_one("#case-filter", Select)
            case_select.set_options(case_options)
            if self.case_filter in {value for _, value in case_options}:
                case_select.value = self.case_filter
            else:
                self.case_filter = None
            code_select = self.query_one("#code-filter", Select)
            code_select.set_options(code_options)
            if self.code_filter in self.codes_by_id:
                code_select.value = self.code_filter
            else:
                self.code_filter = None
        finally:
            self.call_after_refresh(self._filters_done)

    def _filters_done(self) -> None:
        self._updating_filters = False

    def reload_documents(self) -> None:
        """The list's ids, in order; the rows on screen are read when drawn (`_summaries`)."""
        with self.app.project.read() as session:
            ids = queries.document_ids(
                session,
                attribute=self.case_filter,
                code_id=self.code_filter,
                coder=self.app.project.coder_name,
            )
            total = len(ids) if self.case_filter is None and self.code_filter is None else None
            if total is None:
                total = queries.document_count(session)
        docs = LazyDocuments(ids, self._summaries)
        self.documents.set_documents(docs, keep=self.document_id)
        shown = (
            self.app.t("main.of", n=len(docs), total=total) if len(docs) != total else str(total)
        )
        title = self.app.t("main.documents_count", shown=shown)
        label = self.query_one("#documents-title", Label)
        if str(label.render()) != title:
            label.update(title, layout=False)

    def refresh_document_counts(self) -> None:
        self.documents.set_documents(self.documents.documents.refreshed())

    def _summaries(self, ids: Sequence[int]) -> list[queries.DocumentSummary]:
        with self.app.project.read() as session:
            return queries.document_summaries(session, ids=ids, coder=self.app.project.coder_name)

    def reload_spans(self) -> None:
        """Re-read the open document's codings and suggestions (the text does not change)."""
        if self.document_id is None:
            return
        me = self.app.project.coder_name
        with self.app.project.read() as session:
            self.blind = validation.is_blind(session, me, self.document_id)
            codings, suggestions = queries.document_spans(
                session, self.document_id, coder=me if self.blind else None, blind=self.blind
            )
        self.view.set_spans(codings, suggestions)
        self._show_title()
        self._show_status()

    def open_document(self, document_id: int, *, select: tuple[int, int] | None = None) -> None:
        me = self.app.project.coder_name
        with self.app.project.read() as session:
            blind = validation.is_blind(session, me, document_id)
            detail = queries.document_detail(
                session, document_id, coder=me if blind else None, blind=blind
            )
        if detail is None:
            self.app.notify(self.app.t("main.gone"), severity="warning")
            return
        self.document_id = document_id
        self.blind = blind
        self.view.show_document(detail)
        self._show_title()
        if select is not None:
            self.call_after_refresh(self.view.select_span, *select)
        self._show_status()

    def _show_title(self) -> None:
        detail = self.view.detail
        title = Text(no_wrap=True, overflow="ellipsis")
        if detail is not None:
            title.append(printable(detail.name, newlines=False), style="bold")
            if detail.case and detail.case != detail.name:
                title.append(
                    "  " + self.app.t("main.case", case=printable(detail.case, newlines=False)),
                    style="dim",
                )
            lang = self.app.lang
            kind = (
                self.app.t(f"kind.{detail.kind}")
                if detail.kind in ("transcript", "survey", "text")
                else detail.kind
            )
            if self.blind:
                title.append(
                    f"  {kind} · {count(len(detail.codings), 'coding', lang)}  ", style="dim"
                )
                title.append(self.app.t("main.blind"), style="bold reverse")
            else:
                title.append(
                    "  "
                    + self.app.t(
                        "main.doc_counts",
                        kind=kind,
                        codings=count(len(detail.codings), "coding", lang),
                        pending=len(detail.suggestions),
                    ),
                    style="dim",
                )
        self.query_one("#doc-title", Static).update(title, layout=False)

    # events -----------------------------------------------------------------------------------
    @on(DocumentList.Chosen, "#documents")
    def _document_chosen(self, event: DocumentList.Chosen) -> None:
        self.open_document(event.document_id)
        self.view.focus()

    @on(Select.Changed, "#case-filter")
    def _case_filter(self, event: Select.Changed) -> None:
        if self._updating_filters:
            return
        value = event.value
        self.case_filter = None if value is Select.NULL else value  # type: ignore[assignment]
        self.reload_documents()

    @on(Select.Changed, "#code-filter")
    def _code_filter(self, event: Select.Changed) -> None:
        if self._updating_filters:
            return
        value = event.value
        self.code_filter = None if value is Select.NULL else int(value)  # type: ignore[arg-type]
        self.tree.filtered_code = self.code_filter
        self.tree.set_codes(self.codes)
        self.reload_documents()

    def action_validation_done(self) -> None:
        """Mark the open document done in your validation sample (ctrl+z undoes)."""
        if self.document_id is None:
            self.app.notify(self.app.t("main.open_first"), severity="warning")
            return
        said = self.app.run_core(
            validation.mark_done,
            self.app.project,
            self.document_id,
            changed=frozenset({SUGGESTIONS}),
        )
        if said is not FAILED:
            self.app.notify(said, timeout=4, markup=False)

    def action_clear_filters(self) -> None:
        self.query_one("#case-filter", Select).clear()
        self.query_one("#code-filter", Select).clear()

    def action_focus(self, target: str) -> None:
        widget = {"documents": self.documents, "document": self.view, "codebook": self.tree}[target]
        widget.focus()

    @on(TextArea.SelectionChanged, "#document")
    def _selection_changed(self) -> None:
        self._show_status()

    @on(Tree.NodeHighlighted, "#codebook")
    def _code_highlighted(self, event: Tree.NodeHighlighted[int]) -> None:
        self._show_code_info(event.node.data)

    def _show_status(self) -> None:
        view = self.view
        status = Text(no_wrap=True, overflow="ellipsis")
        if view.detail is None:
            status.append(self.app.t("main.no_document"), style="dim")
            self.query_one("#doc-status", Static).update(status, layout=False)
            return
        start, end = view.selected_span()
        segment = view.segment_at(end)
        if segment and segment[2]:
            status.append(f"{printable(segment[2], newlines=False)} ", style="bold")
        if end > start:
            chars = count(end - start, "character", self.app.lang)
            status.append(self.app.t("main.selected", start=start, end=end, chars=chars), style="")
        else:
            status.append(self.app.t("main.at", end=end), style="dim")
        codings, suggestions = view.spans_at()
        for span in codings:
            status.append("  ")
            status.append(
                f" {printable(span.code, newlines=False)} ",
                style=_color(span.color).name + " reverse",
            )
            if span.coder and span.coder != self.app.project.coder_name:
                status.append(f" ({printable(span.coder, newlines=False)})", style="dim")
            if span.memo:
                status.append(
                    self.app.t("main.memo", memo=printable(span.memo, newlines=False)),
                    style="italic",
                )
        for span in suggestions:
            status.append(self.app.t("main.suggested"), style="dim")
            status.append(
                printable(span.code, newlines=False), style="underline " + _color(span.color).name
            )
            status.append(
                self.app.t(
                    "main.suggested_keys",
                    score=f"{span.score:.0f}",
                    method=method_name(span.method, self.app.lang),
                ),
                style="dim",
            )
        self.query_one("#doc-status", Static).update(status, layout=False)

    def _show_code_info(self, code_id: int | None) -> None:
        info = Text()
        widget = self.query_one("#code-info", Static)
        code = self.codes_by_id.get(code_id) if code_id is not None else None
        if code is None:
            if not self.codes:
                info.append(self.app.t("main.empty_codebook"), style="dim")
            self._set_code_info(widget, info)
            return
        info.append(printable(self.paths.get(code.id, code.name), newlines=False), style="bold")
        lang = self.app.lang
        info.append(
            "\n"
            + self.app.t(
                "main.code_counts",
                documents=count(code.documents, "document", lang),
                mentions=count(code.mentions, "mention", lang),
                pending=code.pending,
            )
        )
        if code.description:
            info.append(f"\n{printable(code.description)}", style="italic")
        if code.keywords:
            info.append(self.app.t("main.keywords"), style="dim")
            info.append(printable("; ".join(code.keywords), newlines=False))
        self._set_code_info(widget, info)

    def _set_code_info(self, widget: Static, info: Text) -> None:
        if getattr(widget, "_shown", None) != info.markup:
            widget._shown = info.markup  # type: ignore[attr-defined]
            widget.update(info)

    # coding -----------------------------------------------------------------------------------
    def _selection_or_warn(self) -> tuple[int, int] | None:
        if self.document_id is None:
            self.app.notify(self.app.t("main.open_first"), severity="warning")
            return None
        start, end = self.view.selected_span()
        if end <= start:
            self.app.notify(
                self.app.t("main.select_first"),
                severity="warning",
            )
            return None
        return start, end

    def _is_category(self, code_id: int) -> bool:
        """A code with children groups themes; text is coded with the themes, not with it."""
        if any(c.parent_id == code_id for c in self.codes):
            name = (
                self.codes_by_id[code_id].name
                if code_id in self.codes_by_id
                else self.app.t("edit.this_code")
            )
            self.app.notify(
                self.app.t("edit.category", code=repr(name), name=name),
                severity="warning",
                markup=False,
            )
            return True
        return False

    def _code(self, start: int, end: int, code_id: int) -> None:
        assert self.document_id is not None
        if self._is_category(code_id):
            return
        result = self.app.run_core(
            coding.code_span,
            self.app.project,
            self.document_id,
            start,
            end,
            code_id,
            changed=frozenset({CODINGS}),
        )
        if result is not FAILED:
            self.app.remember_code(code_id)
            self.query_one(RecentCodes).show(self.app.recent_codes, self.codes_by_id)

    def action_code_selection(self) -> None:
        span = self._selection_or_warn()
        if span is None:
            return

        def chosen(result: PickResult | None) -> None:
            if result is None:
                return
            code_id = picked_code(self.app, result)
            if code_id is not None:
                self._code(*span, code_id)

        self.app.push_screen(
            CodePicker(self.codes, recent=self.app.recent_codes, leaves_only=True), chosen
        )

    def code_with(self, code_id: int) -> None:
        span = self._selection_or_warn()
        if span is not None:
            self._code(*span, code_id)

    def action_code_with_highlighted(self) -> None:
        code_id = self.tree.highlighted_code
        if code_id is not None:
            self.code_with(code_id)

    def action_quick_code(self, n: int) -> None:
        recent = [c for c in self.app.recent_codes if c in self.codes_by_id]
        if len(recent) < n:
            self.app.notify(self.app.t("edit.no_recent", n=n), severity="warning")
            return
        code_id = recent[n - 1]
        if self._is_category(code_id):
            return
        start, end = self.view.selected_span()
        if end > start:
            self._code(start, end, code_id)
            return
        codings, _ = self.view.spans_at()
        mine = [s for s in codings if s.coder == self.app.project.coder_name] or codings
        if mine:
            if (
                self.app.run_core(
                    coding.recode,
                    self.app.project,
                    mine[-1].id,
                    code_id,
                    changed=frozenset({CODINGS}),
                )
                is not FAILED
            ):
                self.app.remember_code(code_id)
                self.query_one(RecentCodes).show(self.app.recent_codes, self.codes_by_id)
            return
        self._selection_or_warn()

    def _with_coding(self, verb: str, then: Callable[[SpanView], None]) -> None:
        """Run `then` on the coding under the cursor, asking which one when several overlap."""
        codings, _ = self.view.spans_at()
        if not codings:
            self.app.notify(self.app.t("edit.no_coding", verb=self._verb(verb)), severity="warning")
            return
        if len(codings) == 1:
            then(codings[0])
            return
        by_code = {c.code_id: c for c in codings}
        choices = [self.codes_by_id[c] for c in by_code if c in self.codes_by_id]

        def chosen(result: PickResult | None) -> None:
            if result is not None and result.code_id in by_code:
                then(by_code[result.code_id])

        self.app.push_screen(
            CodePicker(
                choices, title=self.app.t("edit.which", verb=self._verb(verb)), allow_create=False
            ),
            chosen,
        )

    def _verb(self, verb: str) -> str:
        """`remove`, `recode`, `annotate` in the UI language (another verb as it is)."""
        return self.app.t(f"edit.verb.{verb}") if f"edit.verb.{verb}" in MESSAGES else verb

    def action_uncode(self) -> None:
        self._with_coding(
            "remove",
            lambda span: self.app.run_core(
                coding.remove_coding,
                self.app.project,
                span.id,
                changed=frozenset({CODINGS}),
                ok=self.app.t("edit.removed", code=span.code),
            ),
        )

    def action_recode(self) -> None:
        def recode(span: SpanView) -> None:
            def chosen(result: PickResult | None) -> None:
                if result is None:
                    return
                code_id = picked_code(self.app, result)
                if (
                    code_id is not None
                    and self.app.run_core(
                        coding.recode,
                        self.app.project,
                        span.id,
                        code_id,
                        changed=frozenset({CODINGS}),
                    )
                    is not FAILED
                ):
                    self.app.remember_code(code_id)

            self.app.push_screen(
                CodePicker(
                    self.codes,
                    title=self.app.t("edit.recode_as", code=repr(span.code)),
                    recent=self.app.recent_codes,
                    exclude=[span.code_id],
                    leaves_only=True,
                ),
                chosen,
            )

        self._with_coding("recode", recode)

    def action_memo(self) -> None:
        """The memo editor on the coding under the cursor; with none there, on the document."""
        from lo_codebook.core.memos import MemoTarget
        from lo_codebook.tui.screens.memos import open_memo_editor

        codings, _ = self.view.spans_at()
        if not codings:
            self.action_document_memo(self.document_id)
            return
        self._with_coding(
            "annotate",
            lambda span: open_memo_editor(
                self.app,
                MemoTarget("coding", span.id),
                self.app.t("edit.memo_on", code=repr(span.code), start=span.start, end=span.end),
            ),
        )

    def action_document_memo(self, document_id: int | None = None) -> None:
        """The memo editor on a document (default: the one highlighted in the list)."""
        from lo_codebook.core.memos import MemoTarget
        from lo_codebook.tui.screens.memos import open_memo_editor

        if document_id is None:
            index = self.documents.highlighted
            docs = self.documents.documents
            document_id = docs[index].id if index is not None and 0 <= index < len(docs) else None
        if document_id is None:
            self.app.notify(self.app.t("memo.no_document"), severity="warning")
            return
        name = next((d.name for d in self.documents.documents if d.id == document_id), "")
        open_memo_editor(
            self.app, MemoTarget("document", document_id), self.app.t("memo.on_document", name=name)
        )

    def action_code_memo(self) -> None:
        from lo_codebook.core.memos import MemoTarget
        from lo_codebook.tui.screens.memos import open_memo_editor

        code = self._highlighted()
        if code is not None:
            open_memo_editor(
                self.app,
                MemoTarget("code", code.id),
                self.app.t("memo.on_code", name=self.paths.get(code.id, code.name)),
            )

    def _decide_here(self, accept: bool) -> None:
        service = self.app.suggest_service()
        if service is None:
            return
        _, suggestions = self.view.spans_at()
        if not suggestions:
            self.app.notify(self.app.t("edit.no_suggestion"), severity="warning")
            return
        verb = "edit.accepted" if accept else "edit.rejected"
        count = self.app.decide_suggestions(service, [s.id for s in suggestions], accept=accept)
        if count is FAILED:
            return
        if count == 0:
            self.app.notify(self.app.t("edit.someone_else"), severity="warning")
            return
        self.app.notify(self.app.t(verb, codes=", ".join(s.code for s in suggestions)), timeout=3)
        if accept:
            for span in suggestions:
                self.app.remember_code(span.code_id)

    def action_accept_here(self) -> None:
        self._decide_here(True)

    def action_dismiss_here(self) -> None:
        self._decide_here(False)

    # codebook ---------------------------------------------------------------------------------
    def _highlighted(self) -> CodeNode | None:
        code_id = self.tree.highlighted_code
        code = self.codes_by_id.get(code_id) if code_id is not None else None
        if code is None:
            self.app.notify(self.app.t("edit.highlight_first"), severity="warning")
        return code

    def action_new_code(self) -> None:
        prefix = ""
        code_id = self.tree.highlighted_code
        code = self.codes_by_id.get(code_id) if code_id is not None else None
        if code is not None:
            has_children = any(c.parent_id == code.id for c in self.codes)
            parent_id = code.id if has_children else code.parent_id
            if parent_id is not None:
                prefix = self.paths[parent_id] + "/"

        def created(name: str | None) -> None:
            if name and name.strip().strip("/"):
                new_id = create_code_path(self.app, name.strip().strip("/"))
                if new_id is not None:
                    self.app.notify(self.app.t("edit.added", name=repr(name.strip())))
                    self.call_after_refresh(self.tree.select_code, new_id)

        self.app.push_screen(
            TextPrompt(
                self.app.t("edit.new_code"),
                prefix,
                placeholder=self.app.t("edit.new_code_placeholder"),
            ),
            created,
        )

    def action_rename_code(self) -> None:
        code = self._highlighted()
        if code is None:
            return

        def renamed(name: str | None) -> None:
            if name and name.strip() != code.name:
                self.app.run_core(
                    codebook.rename_code,
                    self.app.project,
                    code.id,
                    name,
                    changed=frozenset({CODEBOOK}),
                )

        self.app.push_screen(
            TextPrompt(
                self.app.t("edit.rename", code=repr(code.name)),
                printable(code.name, newlines=False),
            ),
            renamed,
        )

    def _descendants(self, code_id: int) -> set[int]:
        out = {code_id}
        changed = True
        while changed:
            changed = False
            for c in self.codes:
                if c.parent_id in out and c.id not in out:
                    out.add(c.id)
                    changed = True
        return out

    def action_move_code(self) -> None:
        code = self._highlighted()
        if code is None:
            return

        def moved(result: PickResult | None) -> None:
            if result is None:
                return
            parent = None if result.top_level else result.code_id
            self.app.run_core(
                codebook.move_code,
                self.app.project,
                code.id,
                parent,
                changed=frozenset({CODEBOOK}),
                ok=self.app.t("edit.moved", code=repr(code.name)),
            )

        self.app.push_screen(
            CodePicker(
                self.codes,
                title=self.app.t("edit.move_under", code=repr(code.name)),
                allow_create=False,
                exclude=sorted(self._descendants(code.id)),
                top_level_option=code.parent_id is not None,
            ),
            moved,
        )

    def action_merge_code(self) -> None:
        source = self._highlighted()
        if source is None:
            return

        def target_chosen(code_id: int) -> None:
            target = self.codes_by_id[code_id]

            def confirmed(yes: bool | None) -> None:
                if yes:
                    self.app.run_core(
                        codebook.merge_codes,
                        self.app.project,
                        source.id,
                        target.id,
                        changed=frozenset({CODEBOOK, CODINGS}),
                        ok=self.app.t(
                            "edit.merged", source=repr(source.name), target=repr(target.name)
                        ),
                    )
                    self.call_after_refresh(self.tree.select_code, target.id)

            self.app.push_screen(
                Confirm(
                    self.app.t("edit.merge_title"),
                    self.app.t(
                        "edit.merge_message",
                        source=repr(self.paths[source.id]),
                        target=repr(self.paths[target.id]),
                        codings=count(source.mentions, "coding", self.app.lang, thousands=False),
                        documents=count(
                            source.documents, "document", self.app.lang, thousands=False
                        ),
                        name=repr(source.name),
                    ),
                    yes=self.app.t("edit.merge_yes"),
                    danger=False,
                ),
                confirmed,
            )

        self.app.push_screen(
            CodePicker(
                self.codes,
                title=self.app.t("edit.merge_into", code=repr(source.name)),
                allow_create=False,
                exclude=sorted(self._descendants(source.id)),
            ),
            on_code_picked(target_chosen),
        )

    def action_delete_code(self) -> None:
        code = self._highlighted()
        if code is None:
            return
        below = self._descendants(code.id) - {code.id}
        mentions = sum(self.codes_by_id[c].mentions for c in below) + code.mentions
        message = self.app.t(
            "edit.delete_message",
            path=repr(self.paths[code.id]),
            below=self.app.t(
                "edit.delete_below",
                subcodes=count(len(below), "sub_code", self.app.lang, thousands=False),
            )
            if below
            else "",
            codings=count(mentions, "coding", self.app.lang, thousands=False),
        )
        self.app.confirm_then_run(
            Confirm(self.app.t("edit.delete_title"), message, yes=self.app.t("edit.delete_yes")),
            codebook.delete_code,
            self.app.project,
            code.id,
            changed=frozenset({CODEBOOK, CODINGS}),
            ok=self.app.t("edit.deleted", code=repr(code.name)),
        )

    def action_edit_keywords(self) -> None:
        code = self._highlighted()
        if code is None:
            return

        def saved(value: str | None) -> None:
            if value is not None:
                keywords = [k.strip() for k in value.split(";") if k.strip()]
                self.app.run_core(
                    codebook.update_code,
                    self.app.project,
                    code.id,
                    keywords=keywords,
                    changed=frozenset({CODEBOOK}),
                    ok=self.app.t(
                        "edit.keywords_for",
                        keywords=count(len(keywords), "keyword", self.app.lang, thousands=False),
                        code=repr(code.name),
                    ),
                )

        self.app.push_screen(
            TextPrompt(
                self.app.t("edit.keywords_of", code=repr(code.name)),
                printable("; ".join(code.keywords), newlines=False),
                placeholder=self.app.t("edit.keywords_placeholder"),
            ),
            saved,
        )

    def action_edit_color(self) -> None:
        code = self._highlighted()
        if code is None:
            return

        def check(value: str) -> str | None:
            try:
                Color.parse(value.strip())
            except ColorParseError:
                return self.app.t("edit.not_colour")
            return None

        def saved(value: str | None) -> None:
            if value:
                color = Color.parse(value.strip()).get_truecolor().hex
                self.app.run_core(
                    codebook.update_code,
                    self.app.project,
                    code.id,
                    color=color,
                    changed=frozenset({CODEBOOK, CODINGS}),
                )

        self.app.push_screen(
            TextPrompt(
                self.app.t("edit.colour_of", code=repr(code.name)),
                code.color or "",
                placeholder="#e6194b",
                validate=check,
            ),
            saved,
        )

    def action_edit_description(self) -> None:
        code = self._highlighted()
        if code is None:
            return

        def saved(value: str | None) -> None:
            if value is not None:
                self.app.run_core(
                    codebook.update_code,
                    self.app.project,
                    code.id,
                    description=value.strip(),
                    changed=frozenset({CODEBOOK}),
                )

        self.app.push_screen(
            TextPrompt(
                self.app.t("edit.description_of", code=repr(code.name)), printable(code.description)
            ),
            saved,
        )

    def action_filter_by_code(self) -> None:
        code = self._highlighted()
        if code is None:
            return
        select = self.query_one("#code-filter", Select)
        if self.code_filter == code.id:
            select.clear()
        else:
            select.value = code.id

    # other screens ----------------------------------------------------------------------------
    def show_code(self, code_id: int) -> None:
        """Highlight a code in the codebook tree and focus it (from the memo overview)."""
        self.tree.select_code(code_id)
        self.tree.focus()

    def show_span(self, document_id: int, start: int, end: int) -> None:
        self.open_document(document_id, select=(start, end))
        self.documents.set_documents(self.documents.documents.refreshed(), keep=document_id)
        self.view.focus()
