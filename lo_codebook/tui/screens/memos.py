"""Memos in the UI: the memo editor (a dialog) and the overview of every memo.

The editor edits the current coder's memo on one target (a document, a code, a case, a
coding, the project); other coders' memos on it are shown above, read-only. Saving goes
through `core.memos.save_my_memo`: one undoable entry, an empty text removes the memo.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Footer, Header, Label, Static, TextArea

from lo_codebook.core import memos
from lo_codebook.core.memos import MemoTarget, MemoView
from lo_codebook.safe_output import printable
from lo_codebook.tui import keymap
from lo_codebook.tui.changes import CODINGS, MEMOS
from lo_codebook.tui.messages import FAILED, OpenSpan
from lo_codebook.tui.screens.base import TableScreen
from lo_codebook.tui.screens.modals import Confirm

if TYPE_CHECKING:
    from lo_codebook.tui.app import CodebookApp

PREVIEW = 90


def one_line(text: str, limit: int = PREVIEW) -> str:
    flat = printable(" ".join(text.split()), newlines=False)
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


class MemoEditor(keymap.LocalizedBindings, ModalScreen[str | None]):
    """Write or change one memo: several lines; ctrl+s saves, esc cancels."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", priority=True),
        Binding("escape", "cancel", "Cancel", priority=True),
    ]

    def __init__(self, title: str, text: str = "", *, others: list[MemoView] | None = None) -> None:
        super().__init__()
        self.title_text = title
        self.text = text
        self.others = others or []

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="memo-dialog"):
            yield Label(printable(self.title_text, newlines=False), id="dialog-title")
            if self.others:
                shown = Text()
                for memo in self.others:
                    shown.append(f"{printable(memo.coder or '?', newlines=False)}: ", style="bold")
                    shown.append(one_line(memo.text, 200) + "\n", style="italic")
                yield Static(shown, id="memo-others")
            yield TextArea(self.text, id="memo-text", soft_wrap=True, show_line_numbers=False)
            yield Static(
                "ctrl+s save · esc cancel · an empty memo is removed", classes="dialog-hint"
            )

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    def action_save(self) -> None:
        self.dismiss(self.query_one(TextArea).text)

    def action_cancel(self) -> None:
        self.dismiss(None)


def open_memo_editor(app: CodebookApp, target: MemoTarget, title: str) -> None:
    """The editor on the current coder's memo on `target`; saving is one undoable change."""
    try:
        existing = memos.memos_on(app.project, target)
    except Exception as exc:  # noqa: BLE001 - a vanished target: say so, keep the session
        app.notify(str(exc), severity="error")
        return
    mine = next(
        (
            m
            for m in existing
            if m.kind == "coding"
            or (m.coder == app.project.coder_name and not m.title.startswith("Set: "))
        ),
        None,
    )
    others = [m for m in existing if m is not mine]

    def saved(text: str | None) -> None:
        if text is None:
            return
        changed = frozenset({MEMOS, CODINGS}) if target.kind == "coding" else frozenset({MEMOS})
        result = app.run_core(memos.save_my_memo, app.project, target, text, changed=changed)
        if result is not FAILED and result != "unchanged":
            app.notify(f"memo {result} (ctrl+z undoes)", timeout=3)

    app.push_screen(MemoEditor(title, mine.text if mine else "", others=others), saved)


class MemosScreen(TableScreen):
    """Every memo with what it is about; enter goes there, e edits, x deletes."""

    SCOPE = keymap.MEMOS
    TABLE = "memos-table"

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[MemoView] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Label(
            "Memos  (enter: go to · e edit · x delete · n project memo)",
            classes="pane-title",
            id="memos-title",
        )
        yield DataTable(id="memos-table", zebra_stripes=True, cursor_type="row")
        yield Static("", id="memo-detail")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.table.add_columns("kind", "about", "coder", "memo")
        self.reload()
        self.table.focus()

    def project_changed(self, kinds: frozenset[str]) -> None:
        self.reload()

    def reload(self) -> None:
        with self.app.project.read() as session:
            self.rows = memos.list_memos(session)
        table = self.table
        keep = table.cursor_row
        table.clear()
        for memo in self.rows:
            about = "(project)" if memo.kind == "project" else memo.target
            table.add_row(
                memo.kind,
                one_line(about, 60),
                printable(memo.coder, newlines=False),
                one_line(memo.text),
                key=memo.ref,
            )
        if self.rows:
            table.move_cursor(row=min(keep, len(self.rows) - 1))
        title = f"Memos ({len(self.rows)})  enter: go to · e edit · x delete · n project memo"
        self.query_one("#memos-title", Label).update(title)
        self._show_detail()

    def current(self) -> MemoView | None:
        if not self.rows:
            return None
        row = self.table.cursor_row
        return self.rows[row] if 0 <= row < len(self.rows) else None

    @on(DataTable.RowHighlighted, "#memos-table")
    def _highlighted(self) -> None:
        self._show_detail()

    def _show_detail(self) -> None:
        memo = self.current()
        detail = Text()
        if memo is None:
            detail.append(
                "No memos yet. Write one with m on a document or coding, N on a code, n here for the project.",
                style="dim",
            )
        else:
            about = "the project" if memo.kind == "project" else f"{memo.kind} {memo.target}"
            detail.append(
                printable(f"{about} · {memo.coder or 'no coder'} · ref {memo.ref}", newlines=False),
                style="bold",
            )
            detail.append("\n" + printable(memo.text))
        self.query_one("#memo-detail", Static).update(detail)

    @on(DataTable.RowSelected, "#memos-table")
    def _selected(self) -> None:
        self.action_open_target()

    def action_open_target(self) -> None:
        memo = self.current()
        if memo is None:
            return
        if memo.kind == "coding" and memo.document_id is not None:
            self.app.post_message(OpenSpan(memo.document_id, memo.start or 0, memo.end or 0))
        elif memo.kind == "document" and memo.document_id is not None:
            self.app.post_message(OpenSpan(memo.document_id, 0, 0))
        elif memo.kind == "code" and memo.code_id is not None:
            self.app.show_code(memo.code_id)
        elif memo.kind == "case" and memo.case_id is not None:
            self.app.show_case(memo.case_id)
        else:
            self.app.notify("a project memo is about the whole project: e edits it", timeout=3)

    def action_edit(self) -> None:
        memo = self.current()
        if memo is None:
            return
        if memo.kind != "coding" and memo.coder != self.app.project.coder_name:
            self.app.notify(
                f"that memo is {memo.coder or 'someone else'}'s: this writes yours on the same target",
                timeout=4,
            )
        target = _target(memo)
        about = "the project" if memo.kind == "project" else f"{memo.kind} {memo.target}"
        open_memo_editor(self.app, target, f"Memo on {about}")

    def action_delete(self) -> None:
        memo = self.current()
        if memo is None:
            return
        self.app.confirm_then_run(
            Confirm(
                "Delete memo",
                f"Delete this memo by {memo.coder or 'no coder'}?\n{one_line(memo.text, 200)}",
            ),
            memos.delete_memo,
            self.app.project,
            memo.ref,
            changed=frozenset({MEMOS, CODINGS}),
            ok="memo deleted (ctrl+z undoes)",
        )

    def action_project_memo(self) -> None:
        open_memo_editor(self.app, memos.PROJECT, "Memo on the project")

    def action_close(self) -> None:
        self.app.pop_screen()


def _target(memo: MemoView) -> MemoTarget:
    if memo.kind == "coding":
        return MemoTarget("coding", int(memo.ref.removeprefix(memos.CODING_PREFIX)))
    ident = {"document": memo.document_id, "code": memo.code_id, "case": memo.case_id}.get(
        memo.kind
    )
    return MemoTarget(memo.kind, ident)
