"""Pilot tests: memos (editor on a document, a code, a coding; the overview) and the case table.

Keys are pressed as a user would; the database and the screen must both agree afterwards.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select
from textual.widgets import DataTable, Static, TextArea

from lo_codebook.core import memos
from lo_codebook.core.memos import MemoTarget
from lo_codebook.db.models import CaseAttribute, Coding, Memo
from lo_codebook.tui.app import CodebookApp
from lo_codebook.tui.screens.cases import CaseTableScreen
from lo_codebook.tui.screens.main import MainScreen
from lo_codebook.tui.screens.memos import MemoEditor, MemosScreen
from lo_codebook.tui.screens.modals import Confirm, TextPrompt

from .conftest import Sample
from .pilot import SIZE, settle

pytestmark = pytest.mark.anyio


def memo_rows(sample: Sample) -> list[tuple[int | None, int | None, int | None, str]]:
    with sample.project.read() as session:
        return [
            (m.document_id, m.code_id, m.case_id, m.text)
            for m in session.scalars(select(Memo).order_by(Memo.id))
        ]


def coding_memo(sample: Sample, document: str, word: str) -> str | None:
    start = sample.text(document).index(word)
    with sample.project.read() as session:
        return session.scalar(
            select(Coding.memo).where(
                Coding.document_id == sample.docs[document], Coding.start == start
            )
        )


def table_column(table: DataTable, column: int) -> list[str]:  # type: ignore[type-arg]
    return [str(table.get_row_at(i)[column]) for i in range(table.row_count)]


async def test_memo_editor_on_document_code_and_coding(sample: Sample) -> None:
    app = CodebookApp(sample.project)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        main = app.screen
        assert isinstance(main, MainScreen)
        # the documents list: m writes a memo on the highlighted document
        await pilot.press("f2", "down")
        doc = main.documents.documents[main.documents.highlighted or 0]
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(app.screen, MemoEditor)
        await pilot.press(*"Lang gesprek", "enter", *"tweede regel", "ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, MainScreen)
        assert memo_rows(sample) == [(doc.id, None, None, "Lang gesprek\ntweede regel")]
        # the codebook tree: N on the highlighted code
        main.tree.select_code(sample.codes["Omgevingswet"])
        await pilot.press("f4")
        await settle(app, pilot)
        assert main.tree.highlighted_code == sample.codes["Omgevingswet"]
        await pilot.press("N")
        await pilot.pause()
        assert isinstance(app.screen, MemoEditor)
        await pilot.press(*"DSO hoort erbij", "ctrl+s")
        await settle(app, pilot)
        assert (None, sample.codes["Omgevingswet"], None, "DSO hoort erbij") in memo_rows(sample)
        # again: the editor shows the memo, and an edit replaces it (one memo per coder)
        await pilot.press("N")
        await pilot.pause()
        editor = app.screen
        assert isinstance(editor, MemoEditor)
        assert editor.query_one(TextArea).text == "DSO hoort erbij"
        await pilot.press(*" (en Ow)", "ctrl+s")
        await settle(app, pilot)
        assert [r[3] for r in memo_rows(sample) if r[1] == sample.codes["Omgevingswet"]] == [
            "DSO hoort erbij (en Ow)"
        ]
        # the document view: m on a coding under the cursor
        main.open_document(sample.docs["interview_a"])
        start = sample.text("interview_a").index("krapte")
        main.view.focus()
        main.view.select_span(start + 2, start + 2)
        await pilot.pause()
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(app.screen, MemoEditor)
        await pilot.press(*"tekort", "ctrl+s")
        await settle(app, pilot)
        assert coding_memo(sample, "interview_a", "krapte") == "tekort"
        assert "memo: tekort" in str(main.query_one("#doc-status", Static).render())
        # esc cancels without a change
        await pilot.press("m")
        await pilot.pause()
        await pilot.press(*"weg", "escape")
        await settle(app, pilot)
        assert coding_memo(sample, "interview_a", "krapte") == "tekort"
        # undo (from the codebook tree, where ctrl+z is the app's) takes the coding memo back
        await pilot.press("f4", "ctrl+z")
        await settle(app, pilot)
        assert coding_memo(sample, "interview_a", "krapte") is None


async def test_memo_overview_lists_every_memo_and_jumps_to_its_target(sample: Sample) -> None:
    project = sample.project
    memos.add_memo(project, memos.PROJECT, "Onderzoeksvraag")
    memos.add_memo(project, MemoTarget("document", sample.docs["interview_b"]), "Over B")
    memos.add_memo(project, MemoTarget("code", sample.codes["Arbeidsmarkt"]), "Krapte telt mee")
    with project.read() as session:
        from lo_codebook.core.cases import list_cases

        case_id = next(c.id for c in list_cases(session) if c.name == "Gemeente A")
    memos.add_memo(project, MemoTarget("case", case_id), "Kleine gemeente")
    with project.read() as session:
        start = sample.text("interview_a").index("krapte")
        coding_id = session.scalar(
            select(Coding.id).where(
                Coding.document_id == sample.docs["interview_a"], Coding.start == start
            )
        )
    memos.add_memo(project, MemoTarget("coding", coding_id), "Twijfel")
    app = CodebookApp(project)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("O")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, MemosScreen)
        table = screen.query_one(DataTable)
        assert table_column(table, 0) == ["project", "document", "code", "case", "coding"]
        assert table_column(table, 1)[1:4] == ["interview_b", "Arbeidsmarkt", "Gemeente A"]
        assert "Onderzoeksvraag" in str(screen.query_one("#memo-detail", Static).render())
        # the coding memo: enter opens the document with the span selected
        await pilot.press("ctrl+end", "enter")
        await settle(app, pilot)
        main = app.screen
        assert isinstance(main, MainScreen)
        assert main.document_id == sample.docs["interview_a"]
        assert main.view.selected_span() == (start, start + len("krapte"))
        # the code memo: o highlights the code in the tree
        await pilot.press("O")
        await settle(app, pilot)
        await pilot.press("ctrl+home", "down", "down", "o")
        await settle(app, pilot)
        assert isinstance(app.screen, MainScreen)
        assert app.screen.tree.highlighted_code == sample.codes["Arbeidsmarkt"]
        # the case memo: the case table with the cursor on that case
        await pilot.press("O")
        await settle(app, pilot)
        await pilot.press("ctrl+home", "down", "down", "down", "enter")
        await settle(app, pilot)
        cases = app.screen
        assert isinstance(cases, CaseTableScreen)
        current, _ = cases.current()
        assert current is not None and current.name == "Gemeente A"
        await pilot.press("escape")
        await settle(app, pilot)
        # edit the document memo, delete the project memo, undo the delete
        await pilot.press("O")
        await settle(app, pilot)
        await pilot.press("ctrl+home", "down", "e")
        await pilot.pause()
        assert isinstance(app.screen, MemoEditor)
        await pilot.press(*" en meer", "ctrl+s")
        await settle(app, pilot)
        assert (sample.docs["interview_b"], None, None, "Over B en meer") in memo_rows(sample)
        table = app.screen.query_one(DataTable)
        assert "Over B en meer" in table_column(table, 3)
        await pilot.press("ctrl+home", "x")
        await pilot.pause()
        assert isinstance(app.screen, Confirm)
        await pilot.press("y")
        await settle(app, pilot)
        assert all(r[3] != "Onderzoeksvraag" for r in memo_rows(sample))
        assert table.row_count == 4 and "project" not in table_column(table, 0)
        await pilot.press("ctrl+z")
        await settle(app, pilot)
        assert any(r[3] == "Onderzoeksvraag" for r in memo_rows(sample))
        assert table_column(app.screen.query_one(DataTable), 0)[0] == "project"


async def test_case_table_edits_a_value_and_undo_takes_it_back(sample: Sample) -> None:
    def attributes() -> dict[str, dict[str, str]]:
        from lo_codebook.core.cases import list_cases

        with sample.project.read() as session:
            return {c.name: c.attributes for c in list_cases(session)}

    app = CodebookApp(sample.project)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("A")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, CaseTableScreen)
        table = screen.query_one(DataTable)
        assert table_column(table, 0) == ["Gemeente A", "Gemeente B", "R_1", "R_2", "R_3", "R_4"]
        assert [str(c.label) for c in table.columns.values()] == ["case", "docs", "size_class"]
        # Gemeente A, column size_class: enter, replace the value
        await pilot.press("ctrl+home", "right", "right", "enter")
        await pilot.pause()
        prompt = app.screen
        assert isinstance(prompt, TextPrompt)
        await pilot.press(*["backspace"] * len("<20.000"), *"20.000-50.000", "enter")
        await settle(app, pilot)
        assert attributes()["Gemeente A"] == {"size_class": "20.000-50.000"}
        assert str(table.get_row_at(0)[2]) == "20.000-50.000"
        # a new attribute on the case under the cursor
        await pilot.press("a")
        await pilot.pause()
        await pilot.press(*"provincie=Utrecht", "enter")
        await settle(app, pilot)
        assert attributes()["Gemeente A"] == {"provincie": "Utrecht", "size_class": "20.000-50.000"}
        table = screen.query_one(DataTable)
        assert [str(c.label) for c in table.columns.values()] == [
            "case",
            "docs",
            "provincie",
            "size_class",
        ]
        # undo both, from the case table
        await pilot.press("ctrl+z")
        await settle(app, pilot)
        await pilot.press("ctrl+z")
        await settle(app, pilot)
        assert attributes()["Gemeente A"] == {"size_class": "<20.000"}
        table = screen.query_one(DataTable)
        assert str(table.get_row_at(0)[2]) == "<20.000"
        with sample.project.read() as session:
            assert (
                session.scalar(select(CaseAttribute.value).where(CaseAttribute.key == "provincie"))
                is None
            )
        # a case memo from the case table
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(app.screen, MemoEditor)
        await pilot.press(*"Grote opgave", "ctrl+s")
        await settle(app, pilot)
        assert [r[3] for r in memo_rows(sample) if r[2] is not None] == ["Grote opgave"]
