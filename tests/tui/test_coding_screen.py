"""Pilot tests: coding in the main screen (select, pick a code, recode, undo, documents list); the database agrees."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from textual.widgets import OptionList, Select

from lo_codebook.db.models import Code, Coding, Memo
from lo_codebook.tui.app import CodebookApp
from lo_codebook.tui.screens.main import MainScreen
from lo_codebook.tui.screens.memos import MemoEditor
from lo_codebook.tui.screens.modals import CodePicker

from .conftest import CODER, Sample
from .pilot import SIZE, codings_of, drain, make_app, move_to, open_document, settle

pytestmark = pytest.mark.anyio


async def test_opens_with_first_document_and_counts(sample: Sample) -> None:
    app = make_app(sample)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        main = app.screen
        assert isinstance(main, MainScreen)
        assert main.view.detail is not None and main.view.detail.name == "interview_a"
        assert app.sub_title == f"coder: {CODER}"
        docs = main.documents.documents
        assert [d.name for d in docs][:2] == ["interview_a", "interview_b"]
        interview_a = next(d for d in docs if d.name == "interview_a")
        assert (interview_a.codings, interview_a.pending) == (2, 3)
        digital = main.codes_by_id[sample.codes["Digitalisering"]]
        assert (digital.documents, digital.mentions) == (3, 3)


async def test_keyboard_selection_and_code_picker_store_exact_span(sample: Sample) -> None:
    """shift+right selects code points (emoji, accents); the picker searches as you type."""
    app = make_app(sample)
    async with app.run_test(size=SIZE) as pilot:
        main = await open_document(app, pilot, sample, "interview_b")
        text = sample.text("interview_b")
        start = text.index("Één")
        await move_to(main, pilot, start)
        target = "Één café-gesprek 😀 per"
        await pilot.press(*["shift+right"] * len(target))
        assert main.view.selected_span() == (start, start + len(target))
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, CodePicker)
        await pilot.press(*"digit")
        await pilot.pause()
        options = app.screen.query_one(OptionList)
        assert options.get_option_at_index(0).id == str(sample.codes["Digitalisering"])
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        stored = [c for c in codings_of(sample, "interview_b") if c[2] == "Digitalisering"]
        assert stored == [(start, start + len(target), "Digitalisering", target)]
        # the span is painted in the code colour
        row, column = main.view.index.location(start)
        line = main.view.get_line(row)
        styles = [span.style for span in line.spans if span.start <= column < span.end]
        assert any(getattr(s, "bgcolor", None) is not None for s in styles)


async def test_word_sentence_turn_selection(sample: Sample) -> None:
    app = make_app(sample)
    async with app.run_test(size=SIZE) as pilot:
        main = await open_document(app, pilot, sample, "interview_a")
        text = sample.text("interview_a")
        offset = text.index("krapte") + 2
        await move_to(main, pilot, offset)
        await pilot.press("w")
        assert text[slice(*main.view.selected_span())] == "krapte"
        await pilot.press("w")
        assert text[slice(*main.view.selected_span())] == "krapte op"
        await move_to(main, pilot, offset)
        await pilot.press("s")
        assert (
            text[slice(*main.view.selected_span())]
            == "Vooral digitalisering en de krapte op de arbeidsmarkt."
        )
        await move_to(main, pilot, offset)
        await pilot.press("t")
        assert text[slice(*main.view.selected_span())].startswith("Vooral digitalisering")
        assert text[slice(*main.view.selected_span())].endswith("van leidinggevenden.")


async def test_code_picker_creates_a_code_under_a_category(sample: Sample) -> None:
    app = make_app(sample)
    async with app.run_test(size=SIZE) as pilot:
        main = await open_document(app, pilot, sample, "interview_a")
        text = sample.text("interview_a")
        start = text.index("phishing")
        main.view.select_span(start, start + len("phishing"))
        await pilot.press("c")
        await pilot.pause()
        await pilot.press(*"Context/Informatieveiligheid")
        await pilot.pause()
        options = app.screen.query_one(OptionList)
        assert options.get_option_at_index(options.option_count - 1).id == "create"
        options.highlighted = options.option_count - 1
        await pilot.press("enter")
        await pilot.pause()
        with sample.project.read() as session:
            code = session.scalar(select(Code).where(Code.name == "Informatieveiligheid"))
            assert code is not None and code.parent is not None and code.parent.name == "Context"
        assert (start, start + 8, "Informatieveiligheid", "phishing") in codings_of(
            sample, "interview_a"
        )


def picker_ids(picker: CodePicker) -> list[str | None]:
    options = picker.query_one(OptionList)
    return [options.get_option_at_index(i).id for i in range(options.option_count)]


def highlighted_id(picker: CodePicker) -> str | None:
    options = picker.query_one(OptionList)
    assert options.highlighted is not None
    return options.get_option_at_index(options.highlighted).id


async def test_code_picker_never_offers_a_category_and_creates_a_typed_path(sample: Sample) -> None:
    """Newcomer trial: `Organisatie/Verzuimbeleid` highlighted the category and coded with it."""
    app = make_app(sample)
    categories = {str(sample.codes["Context"]), str(sample.codes["Organisatie"])}
    async with app.run_test(size=SIZE) as pilot:
        main = await open_document(app, pilot, sample, "interview_a")
        text = sample.text("interview_a")
        start = text.index("phishing")
        main.view.select_span(start, start + len("phishing"))
        await pilot.press("c")
        await pilot.pause()
        picker = app.screen
        assert isinstance(picker, CodePicker)
        assert not categories & set(picker_ids(picker))  # not even before typing
        await pilot.press(*"Organisatie")
        await pilot.pause()
        assert not categories & set(picker_ids(picker))
        await pilot.press(*"/Verzuimbeleid")
        await pilot.pause()
        assert not categories & set(picker_ids(picker))
        assert highlighted_id(picker) == "create"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        # an existing leaf typed as a path (any case) is chosen, not created again
        other = text.index("informatieveiligheid")
        main.view.select_span(other, other + len("informatieveiligheid"))
        await pilot.press("c")
        await pilot.pause()
        await pilot.press(*"organisatie/leiderschap")
        await pilot.pause()
        assert highlighted_id(app.screen) == str(sample.codes["Leiderschap"])
        await pilot.press("enter")
        await pilot.pause()
    with sample.project.read() as session:
        code = session.scalar(select(Code).where(Code.name == "Verzuimbeleid"))
        assert code is not None and code.parent is not None and code.parent.name == "Organisatie"
        assert (
            session.scalar(select(func.count()).select_from(Code).where(Code.name == "Leiderschap"))
            == 1
        )
    coded = codings_of(sample, "interview_a")
    assert (start, start + 8, "Verzuimbeleid", "phishing") in coded
    assert (other, other + 20, "Leiderschap", "informatieveiligheid") in coded
    assert not [c for c in coded if c[2] in ("Organisatie", "Context")]


async def test_code_picker_path_with_a_new_parent_creates_both(sample: Sample) -> None:
    app = make_app(sample)
    async with app.run_test(size=SIZE) as pilot:
        main = await open_document(app, pilot, sample, "interview_a")
        text = sample.text("interview_a")
        start = text.index("phishing")
        main.view.select_span(start, start + len("phishing"))
        await pilot.press("c")
        await pilot.pause()
        await pilot.press(*"Veiligheid/Phishing")
        await pilot.pause()
        assert highlighted_id(app.screen) == "create"
        await pilot.press("enter")
        await pilot.pause()
    with sample.project.read() as session:
        code = session.scalar(select(Code).where(Code.name == "Phishing"))
        assert code is not None and code.parent is not None and code.parent.name == "Veiligheid"
        assert code.parent.parent_id is None
    assert (start, start + 8, "Phishing", "phishing") in codings_of(sample, "interview_a")


async def test_number_keys_code_and_recode(sample: Sample) -> None:
    app = make_app(sample)
    async with app.run_test(size=SIZE) as pilot:
        main = await open_document(app, pilot, sample, "interview_a")
        # the recent codes come from this coder's codings in the database (newest first)
        assert app.recent_codes[:3] == [
            sample.codes["Omgevingswet"],
            sample.codes["Arbeidsmarkt"],
            sample.codes["Digitalisering"],
        ]
        text = sample.text("interview_a")
        start = text.index("grote opgave")
        main.view.select_span(start, start + len("grote opgave"))
        await pilot.press("1")
        await pilot.pause()
        assert (start, start + 12, "Omgevingswet", "grote opgave") in codings_of(
            sample, "interview_a"
        )
        # no selection, cursor inside that coding: 3 recodes it to recent code 3
        await move_to(main, pilot, start + 3)
        await pilot.press("3")
        await pilot.pause()
        assert (start, start + 12, "Digitalisering", "grote opgave") in codings_of(
            sample, "interview_a"
        )
        assert (start, start + 12, "Omgevingswet", "grote opgave") not in codings_of(
            sample, "interview_a"
        )
        assert app.recent_codes[0] == sample.codes["Digitalisering"]


async def test_remove_recode_and_memo_under_cursor(sample: Sample) -> None:
    app = make_app(sample)
    async with app.run_test(size=SIZE) as pilot:
        main = await open_document(app, pilot, sample, "interview_a")
        text = sample.text("interview_a")
        krapte = text.index("krapte")
        await move_to(main, pilot, krapte + 1)
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(app.screen, MemoEditor)
        await pilot.press(*"tekort aan mensen", "ctrl+s")
        await pilot.pause()
        with sample.project.read() as session:
            memo = session.scalar(select(Coding.memo).where(Coding.start == krapte))
        assert memo == "tekort aan mensen"
        await pilot.press("r")
        await pilot.pause()
        await pilot.press(*"omgev", "enter")
        await pilot.pause()
        assert (krapte, krapte + 6, "Omgevingswet", "krapte") in codings_of(sample, "interview_a")
        await move_to(main, pilot, krapte + 1)
        await pilot.press("x")
        await pilot.pause()
        assert all(c[0] != krapte for c in codings_of(sample, "interview_a"))
        # memo without a coding under the cursor goes on the document
        await move_to(main, pilot, 0)
        await pilot.press("m")
        await pilot.pause()
        await pilot.press(*"eerste gesprek", "ctrl+s")
        await pilot.pause()
        with sample.project.read() as session:
            assert (
                session.scalar(
                    select(Memo.text).where(Memo.document_id == sample.docs["interview_a"])
                )
                == "eerste gesprek"
            )


async def test_undo_and_redo_restore_codings(sample: Sample) -> None:
    said: dict[str, str] = {}  # read as they come: a notification expires after a few seconds

    def heard(application: object) -> None:
        for n in application._notifications:  # type: ignore[attr-defined]
            said.setdefault(n.identity, n.message)

    app = make_app(sample)
    async with app.run_test(size=SIZE) as pilot:
        main = await open_document(app, pilot, sample, "interview_a")
        text = sample.text("interview_a")
        start = text.index("phishing")
        main.view.select_span(start, start + 8)
        await pilot.press("2")
        await pilot.pause()
        assert (start, start + 8, "Arbeidsmarkt", "phishing") in codings_of(sample, "interview_a")
        await pilot.press("ctrl+z")
        await pilot.pause()
        heard(app)
        assert (start, start + 8, "Arbeidsmarkt", "phishing") not in codings_of(
            sample, "interview_a"
        )
        assert all(s.start != start for s in main.view.detail.codings)  # type: ignore[union-attr]
        await pilot.press("ctrl+y")
        await pilot.pause()
        heard(app)
        assert (start, start + 8, "Arbeidsmarkt", "phishing") in codings_of(sample, "interview_a")
    # undo is backed by the audit log: a new session can undo the last action too
    app2 = make_app(sample)
    async with app2.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+z")
        await pilot.pause()
        heard(app2)
        assert (start, start + 8, "Arbeidsmarkt", "phishing") not in codings_of(
            sample, "interview_a"
        )
    # every message names the coding in words, not the chain of undos and redos before it
    told = [m for m in said.values() if m.startswith(("undone:", "redone:"))]
    coded = "coded “phishing” in interview_a"
    assert len(told) == 3 and all(coded in m and "'Arbeidsmarkt'" in m for m in told), told
    assert not [m for m in told if "undo of" in m or "redo of" in m or " redo: " in m]


async def test_core_errors_become_notifications(sample: Sample) -> None:
    app = make_app(sample)
    async with app.run_test(size=SIZE) as pilot:
        main = await open_document(app, pilot, sample, "interview_a")
        text = sample.text("interview_a")
        start = text.index("krapte")
        main.view.select_span(start, start + 6)
        await pilot.press("2")  # Arbeidsmarkt: already coded on exactly this span
        await pilot.pause()
        assert any("already has that code" in n.message for n in app._notifications)
        await pilot.press("1", "2")  # no selection after a coding? still a selection: both fine
        await pilot.pause()
        assert app.is_running


async def test_documents_filters(sample: Sample) -> None:
    app = make_app(sample)
    async with app.run_test(size=SIZE) as pilot:
        main = app.screen
        assert isinstance(main, MainScreen)
        await pilot.pause()
        assert len(main.documents.documents) == 6
        main.query_one("#case-filter", Select).value = ("size_class", "20.000-50.000")
        await pilot.pause()
        assert [d.name for d in main.documents.documents] == ["R_2", "R_3"]
        main.query_one("#case-filter", Select).clear()
        main.query_one("#code-filter", Select).value = sample.codes["Digitalisering"]
        await pilot.pause()
        assert [d.name for d in main.documents.documents] == ["interview_a", "R_1", "R_3"]
        # f on the codebook tree toggles the same filter
        main.tree.focus()
        main.tree.select_code(sample.codes["Omgevingswet"])
        await pilot.pause()
        await pilot.press("f")
        await drain(pilot)  # the filter's Select change reloads the list
        assert [d.name for d in main.documents.documents] == ["R_4"]
        await pilot.press("f")
        await drain(pilot)
        assert len(main.documents.documents) == 6
        # choosing a document in the list opens it
        main.documents.focus()
        main.documents.highlighted = 1
        await pilot.press("enter")
        await pilot.pause()
        assert main.view.detail is not None and main.view.detail.name == "interview_b"


async def test_mouse_drag_selects_and_codes_exact_text(sample: Sample) -> None:
    app = make_app(sample)
    async with app.run_test(size=SIZE) as pilot:
        main = await open_document(app, pilot, sample, "interview_b")
        view = main.view
        text = sample.text("interview_b")
        start = text.index("café-gesprek")
        end = start + len("café-gesprek 😀 per")
        (row_a, col_a), (row_b, col_b) = view.index.location(start), view.index.location(end)
        region = view.content_region
        origin = (region.x - view.screen.region.x, region.y - view.screen.region.y)

        def cell(row: int, column: int) -> tuple[int, int]:
            line = view.document.get_line(row)
            from rich.cells import cell_len

            return origin[0] + cell_len(line[:column]), origin[1] + row - int(view.scroll_y)

        await pilot.mouse_down(offset=cell(row_a, col_a))
        await pilot.hover(offset=cell(row_b, col_b))
        await pilot.mouse_up(offset=cell(row_b, col_b))
        await pilot.pause()
        assert text[slice(*view.selected_span())] == "café-gesprek 😀 per"
        await pilot.press("1")
        await pilot.pause()
        assert (start, end, "Omgevingswet", "café-gesprek 😀 per") in codings_of(
            sample, "interview_b"
        )


async def test_empty_project_never_crashes(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from lo_codebook.core.project import Project

    monkeypatch.setenv("LO_CODEBOOK_KEYMAP", "/nonexistent/keymap.toml")
    project = Project.open(tmp_path / "empty.db", CODER)
    app = CodebookApp(project)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        for key in (
            "w",
            "s",
            "t",
            "c",
            "1",
            "x",
            "r",
            "m",
            "a",
            "d",
            "right_square_bracket",
            "f4",
            "n",
        ):
            await pilot.press(key)
            await pilot.pause()
            if not isinstance(app.screen, MainScreen):
                await pilot.press("escape")
                await pilot.pause()
        for key in ("R", "T", "G"):
            await pilot.press(key)
            await settle(app, pilot)
            await pilot.press("escape")
            await pilot.pause()
        await pilot.press("S")  # empty codebook: the engine says so, the app stays up
        await settle(app, pilot)
        assert app.is_running
        assert any(n.severity == "error" for n in app._notifications)
    project.close()
