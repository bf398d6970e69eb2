"""The case table: one row per case, one column per attribute; edit a value in place.

Every edit is `core.cases.set_case_attribute` (one undoable entry; ctrl+z takes it back).
The same table goes to and from a spreadsheet with `lo-codebook cases export/import`.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.widgets import DataTable, Footer, Header, Label, Static

from lo_codebook.core.cases import CaseRow, attribute_keys, list_cases, set_case_attribute
from lo_codebook.core.memos import MemoTarget
from lo_codebook.safe_output import printable
from lo_codebook.tui import keymap
from lo_codebook.tui.changes import CASES, DOCUMENTS
from lo_codebook.tui.screens.base import TableScreen
from lo_codebook.tui.screens.modals import TextPrompt

FIXED_COLUMNS = 2  # case, documents


class CaseTableScreen(TableScreen):
    """Cases with their attributes; enter or e edits the value under the cursor."""

    SCOPE = keymap.CASES
    TABLE = "cases-table"

    def __init__(self, *, case_id: int | None = None) -> None:
        super().__init__()
        self.rows: list[CaseRow] = []
        self.keys: list[str] = []
        self.start_case = case_id

    def compose(self) -> ComposeResult:
        yield Header()
        yield Label("Cases", classes="pane-title", id="cases-title")
        yield DataTable(id="cases-table", zebra_stripes=True, cursor_type="cell")
        yield Static("", id="case-detail")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.reload()
        if self.start_case is not None:
            self.show_case(self.start_case)
        self.table.focus()

    def project_changed(self, kinds: frozenset[str]) -> None:
        self.reload()

    def reload(self) -> None:
        with self.app.project.read() as session:
            self.rows = list_cases(session)
        self.keys = attribute_keys(self.rows)
        self.keys.sort(key=str.casefold)
        table = self.table
        row, column = table.cursor_coordinate
        table.clear(columns=True)
        table.add_columns("case", "docs", *(printable(k, newlines=False) for k in self.keys))
        for case in self.rows:
            table.add_row(
                printable(case.name, newlines=False),
                case.documents,
                *(printable(case.attributes.get(k, ""), newlines=False) for k in self.keys),
                key=str(case.id),
            )
        if self.rows:
            table.move_cursor(
                row=min(row, len(self.rows) - 1),
                column=min(column, FIXED_COLUMNS + len(self.keys) - 1),
            )
        self.query_one("#cases-title", Label).update(
            f"Cases ({len(self.rows)}) · {len(self.keys)} attributes  enter/e edit value · a add attribute · m memo"
        )
        self._show_detail()

    def show_case(self, case_id: int) -> None:
        for index, case in enumerate(self.rows):
            if case.id == case_id:
                self.table.move_cursor(row=index, column=FIXED_COLUMNS if self.keys else 0)
                return

    def current(self) -> tuple[CaseRow | None, str | None]:
        """The case under the cursor and the attribute of its column (None on case/docs)."""
        if not self.rows:
            return None, None
        row, column = self.table.cursor_coordinate
        case = self.rows[row] if 0 <= row < len(self.rows) else None
        key = (
            self.keys[column - FIXED_COLUMNS]
            if FIXED_COLUMNS <= column < FIXED_COLUMNS + len(self.keys)
            else None
        )
        return case, key

    @on(DataTable.CellHighlighted, "#cases-table")
    def _highlighted(self) -> None:
        self._show_detail()

    def _show_detail(self) -> None:
        case, key = self.current()
        if case is None:
            text = "No cases yet: import documents or a survey, or `lo-codebook cases import FILE`."
        else:
            text = f"{case.name} · {case.documents} document{'s' if case.documents != 1 else ''}"
            if key is not None:
                text += f" · {key} = {case.attributes.get(key, '(empty)')}"
        self.query_one("#case-detail", Static).update(printable(text, newlines=False))

    @on(DataTable.CellSelected, "#cases-table")
    def _selected(self) -> None:
        self.action_edit_value()

    def action_edit_value(self) -> None:
        case, key = self.current()
        if case is None:
            return
        if key is None:
            self.action_add_attribute()
            return

        def saved(value: str | None) -> None:
            if value is None or value.strip() == case.attributes.get(key, ""):
                return
            self.app.run_core(
                set_case_attribute,
                self.app.project,
                case.id,
                key,
                value,
                changed=frozenset({CASES, DOCUMENTS}),
                ok=f"{case.name}: {key} = {value.strip() or '(removed)'} (ctrl+z undoes)",
            )

        self.app.push_screen(
            TextPrompt(
                f"{key} of case {case.name!r} (empty removes it)",
                printable(case.attributes.get(key, ""), newlines=False),
            ),
            saved,
        )

    def action_add_attribute(self) -> None:
        case, _ = self.current()
        if case is None:
            return

        def check(value: str) -> str | None:
            return (
                None
                if "=" in value and value.partition("=")[0].strip()
                else "type name=value, e.g. province=Utrecht"
            )

        def saved(value: str | None) -> None:
            if value:
                key, _, text = value.partition("=")
                self.app.run_core(
                    set_case_attribute,
                    self.app.project,
                    case.id,
                    key.strip(),
                    text,
                    changed=frozenset({CASES, DOCUMENTS}),
                    ok=f"{case.name}: {key.strip()} = {text.strip()} (ctrl+z undoes)",
                )

        self.app.push_screen(
            TextPrompt(
                f"New attribute of case {case.name!r}", placeholder="name=value", validate=check
            ),
            saved,
        )

    def action_case_memo(self) -> None:
        from lo_codebook.tui.screens.memos import open_memo_editor

        case, _ = self.current()
        if case is not None:
            open_memo_editor(self.app, MemoTarget("case", case.id), f"Memo on case {case.name}")

    def action_close(self) -> None:
        self.app.pop_screen()


__all__ = ["CaseTableScreen"]
