"""Pilot tests: the UI drives the core on a real SQLite project and the database agrees."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from textual.widgets import DataTable, Input, OptionList, Select, Static

from lo_codebook.core import queries
from lo_codebook.db.models import Code, Coding, Memo, Suggestion
from lo_codebook.tui.app import CodebookApp
from lo_codebook.tui.screens.main import MainScreen
from lo_codebook.tui.screens.memos import MemoEditor
from lo_codebook.tui.screens.modals import CodePicker, Confirm, TextPrompt
from lo_codebook.tui.screens.review import ReviewScreen
from lo_codebook.tui.screens.themes import ThemesScreen

from .conftest import CODER, Sample
from .pilot import SIZE, settle

pytestmark = pytest.mark.anyio


def make_app(sample: Sample) -> CodebookApp:
    return CodebookApp(sample.project)


def codings_of(sample: Sample, document: str) -> list[tuple[int, int, str, str]]:
    with sample.project.read() as session:
        detail = queries.document_detail(session, sample.docs[document])
        assert detail is not None
        return [(c.start, c.end, c.code, detail.text[c.start : c.end]) for c in detail.codings]


async def open_document(app: CodebookApp, pilot, sample: Sample, name: str) -> MainScreen:  # type: ignore[no-untyped-def]
    main = app.screen
    assert isinstance(main, MainScreen)
    main.open_document(sample.docs[name])
    main.view.focus()
    await pilot.pause()
    return main


async def move_to(main: MainScreen, pilot, offset: int) -> None:  # type: ignore[no-untyped-def]
    main.view.select_span(offset, offset)
    await pilot.pause()


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


async def test_codebook_tree_create_rename_merge_delete_undo(sample: Sample) -> None:
    app = make_app(sample)
    async with app.run_test(size=SIZE) as pilot:
        main = app.screen
        assert isinstance(main, MainScreen)
        main.tree.focus()
        main.tree.select_code(sample.codes["Leiderschap"])
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        prompt = app.screen.query_one(Input)
        assert prompt.value == "Organisatie/"
        await pilot.press(*"Coaching", "enter")
        await pilot.pause()
        with sample.project.read() as session:
            coaching = session.scalar(select(Code).where(Code.name == "Coaching"))
            assert coaching is not None and coaching.parent.name == "Organisatie"
            coaching_id = coaching.id
        # rename
        main.tree.select_code(coaching_id)
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        app.screen.query_one(Input).value = "Coachend leiderschap"
        await pilot.press("enter")
        await pilot.pause()
        with sample.project.read() as session:
            assert session.get(Code, coaching_id).name == "Coachend leiderschap"  # type: ignore[union-attr]
        # merge Arbeidsmarkt (2 codings) into Digitalisering
        main.tree.select_code(sample.codes["Arbeidsmarkt"])
        await pilot.pause()
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(app.screen, CodePicker)
        await pilot.press(*"Digitalisering", "enter")
        await pilot.pause()
        assert isinstance(app.screen, Confirm)
        await pilot.press("y")
        await pilot.pause()
        with sample.project.read() as session:
            assert session.get(Code, sample.codes["Arbeidsmarkt"]) is None
            n = session.scalar(
                select(func.count())
                .select_from(Coding)
                .where(Coding.code_id == sample.codes["Digitalisering"])
            )
            assert n == 5
        digital = main.codes_by_id[sample.codes["Digitalisering"]]
        assert digital.mentions == 5  # live counts in the tree
        # delete asks first; undo brings code and codings back
        main.tree.select_code(sample.codes["Omgevingswet"])
        await pilot.pause()
        await pilot.press("delete")
        await pilot.pause()
        assert isinstance(app.screen, Confirm)
        await pilot.press("n")
        await pilot.pause()
        with sample.project.read() as session:
            assert session.get(Code, sample.codes["Omgevingswet"]) is not None
        await pilot.press("delete")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        with sample.project.read() as session:
            assert session.get(Code, sample.codes["Omgevingswet"]) is None
        await pilot.press("ctrl+z")
        await pilot.pause()
        with sample.project.read() as session:
            assert session.get(Code, sample.codes["Omgevingswet"]) is not None
            assert (
                session.scalar(
                    select(func.count())
                    .select_from(Coding)
                    .where(Coding.code_id == sample.codes["Omgevingswet"])
                )
                == 1
            )
        assert sample.codes["Omgevingswet"] in main.codes_by_id


async def test_codebook_keywords_colour_and_move(sample: Sample) -> None:
    app = make_app(sample)
    async with app.run_test(size=SIZE) as pilot:
        main = app.screen
        assert isinstance(main, MainScreen)
        main.tree.focus()
        main.tree.select_code(sample.codes["Hybride werken"])
        await pilot.pause()
        await pilot.press("k")
        await pilot.pause()
        app.screen.query_one(Input).value = "hybride; thuiswerken ;  "
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("o")
        await pilot.pause()
        app.screen.query_one(Input).value = "not-a-colour"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, TextPrompt)  # stays open with an error
        app.screen.query_one(Input).value = "#123456"
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("M")
        await pilot.pause()
        await pilot.press(*"Context", "enter")
        await pilot.pause()
        with sample.project.read() as session:
            code = session.get(Code, sample.codes["Hybride werken"])
            assert code is not None
            assert code.keywords == ["hybride", "thuiswerken"]
            assert code.color == "#123456"
            assert code.parent is not None and code.parent.name == "Context"


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
        await pilot.pause()
        assert [d.name for d in main.documents.documents] == ["R_4"]
        await pilot.press("f")
        await pilot.pause()
        assert len(main.documents.documents) == 6
        # choosing a document in the list opens it
        main.documents.focus()
        main.documents.highlighted = 1
        await pilot.press("enter")
        await pilot.pause()
        assert main.view.detail is not None and main.view.detail.name == "interview_b"


def statuses(sample: Sample) -> dict[str, str]:
    with sample.project.read() as session:
        rows = session.execute(
            select(Suggestion.pattern, Suggestion.document_id, Suggestion.status)
        ).all()
    names = {v: k for k, v in sample.docs.items()}
    return {f"{names[d]}:{p}": s for p, d, s in rows}


async def test_review_queue_accept_reject_skip_and_accept_all(sample: Sample) -> None:
    app = make_app(sample)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("R")
        await pilot.pause()
        review = app.screen
        assert isinstance(review, ReviewScreen)
        assert len(review.queue) == 6
        assert "1 of 6" in str(review.query_one("#review-progress").render())
        first = review.current
        await pilot.press("a")
        await pilot.pause()
        second = review.current
        await pilot.press("r")
        await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
        assert "4 of 6" in str(review.query_one("#review-progress").render())
        now = statuses(sample)
        assert now[f"{_doc(sample, first.document_id)}:{first.text.lower()}"] == "accepted"
        assert now[f"{_doc(sample, second.document_id)}:{second.text.lower()}"] == "rejected"
        with sample.project.read() as session:
            coded = session.scalar(
                select(func.count())
                .select_from(Coding)
                .where(
                    Coding.document_id == first.document_id,
                    Coding.start == first.start,
                    Coding.code_id == first.code_id,
                )
            )
        assert coded == 1
        # accept all of this code (asks first)
        code = review.current.code
        await pilot.press("A")
        await pilot.pause()
        assert isinstance(app.screen, Confirm)
        await pilot.press("y")
        await pilot.pause()
        with sample.project.read() as session:
            pending = session.scalar(
                select(func.count())
                .select_from(Suggestion)
                .join(Code)
                .where(Code.name == code, Suggestion.status == "pending")
            )
        assert pending == 0
        # undo puts the last decision back; the queue follows
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert review.current is not None and review.current.code == code
        # o opens the suggestion in the document view
        await pilot.press("o")
        await pilot.pause()
        main = app.screen
        assert isinstance(main, MainScreen)
        assert main.view.selected_span() == (review.current.start, review.current.end)


def _doc(sample: Sample, document_id: int) -> str:
    return {v: k for k, v in sample.docs.items()}[document_id]


async def test_accept_and_dismiss_in_document_view(sample: Sample) -> None:
    app = make_app(sample)
    async with app.run_test(size=SIZE) as pilot:
        main = await open_document(app, pilot, sample, "interview_a")
        text = sample.text("interview_a")
        # pending suggestions are underlined (codings get a background instead)
        row, column = main.view.index.location(text.index("hybride"))
        styles = [sp.style for sp in main.view.get_line(row).spans if sp.start <= column < sp.end]
        assert any(getattr(st, "underline", False) for st in styles)
        await move_to(main, pilot, text.index("hybride") + 2)
        await pilot.press("a")
        await pilot.pause()
        await move_to(main, pilot, text.index("leidinggevenden") + 2)
        await pilot.press("d")
        await pilot.pause()
        now = statuses(sample)
        assert now["interview_a:hybride"] == "accepted"
        assert now["interview_a:leidinggevenden"] == "rejected"
        assert any(c[3] == "hybride" for c in codings_of(sample, "interview_a"))


async def test_themes_threshold_breakdown_and_export(sample: Sample, tmp_path) -> None:  # type: ignore[no-untyped-def]
    app = make_app(sample)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("T")
        await settle(app, pilot)
        themes = app.screen
        assert isinstance(themes, ThemesScreen)
        table = themes.query_one(DataTable)
        assert table.row_count == 5  # every theme, also with 0 documents
        await pilot.press("ctrl+t", "1")
        await settle(app, pilot)
        assert [table.get_row_at(i)[0] for i in range(table.row_count)] == [
            "Digitalisering",
            "Arbeidsmarkt",
        ]
        await pilot.press("backspace", "2")
        await settle(app, pilot)
        assert [table.get_row_at(i)[0] for i in range(table.row_count)] == ["Digitalisering"]
        await pilot.press("backspace", "0")
        await settle(app, pilot)
        assert [table.get_row_at(i)[0] for i in range(table.row_count)] == [
            "Digitalisering",
            "Arbeidsmarkt",
            "Omgevingswet",
        ]
        themes.query_one("#by", Select).value = "size_class"
        await settle(app, pilot)
        groups = [str(c.label) for c in table.columns.values()][5:]
        assert groups == ["<20.000 (n=2)", "20.000-50.000 (n=2)", ">100.000 (n=2)"]
        assert "█" in str(themes.query_one("#themes-chart").render())
        for name in ("out.csv", "out.md", "out.xlsx"):
            # Enter in the path field (a click on Export can land on the previous export's toast).
            path_input = themes.query_one("#export-path", Input)
            path_input.value = name
            path_input.focus()
            await pilot.press("enter")
            await settle(app, pilot)
            assert (tmp_path / name).stat().st_size > 0
        assert "Digitalisering" in (tmp_path / "out.csv").read_text(encoding="utf-8")
        themes.query_one("#export-path", Input).value = "out.doc"
        await pilot.click("#export-go")
        await pilot.pause()
        assert any("unknown export format" in n.message for n in app._notifications)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)


async def test_theme_settings_are_kept_for_the_session(sample: Sample) -> None:
    """Newcomer trial: threshold and breakdown were back to none each time T opened."""
    app = make_app(sample)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("T")
        await settle(app, pilot)
        themes = app.screen
        assert isinstance(themes, ThemesScreen)
        await pilot.press("ctrl+t", "1", "enter")
        themes.query_one("#by", Select).value = "size_class"
        themes.query_one("#unit", Select).value = "mention"
        await settle(app, pilot)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        await pilot.press("T")
        await settle(app, pilot)
        again = app.screen
        assert isinstance(again, ThemesScreen) and again is not themes
        assert again.query_one("#above", Input).value == "1"
        assert again.query_one("#by", Select).value == "size_class"
        assert again.query_one("#unit", Select).value == "mention"
        assert again.table is not None and (
            again.table.above,
            again.table.by,
            again.table.unit,
        ) == (1, "size_class", "mention")
        assert [
            str(again.query_one(DataTable).get_row_at(i)[0])
            for i in range(again.query_one(DataTable).row_count)
        ] == ["Digitalisering", "Arbeidsmarkt"]


async def test_a_breakdown_gets_the_whole_width_for_its_columns(sample: Sample) -> None:
    """Newcomer trial: with --by the table stayed in its left part and cut the group columns."""
    app = make_app(sample)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("T")
        await settle(app, pilot)
        themes = app.screen
        assert isinstance(themes, ThemesScreen)
        table = themes.query_one("#themes-table", DataTable)
        assert table.region.width < SIZE[0] * 0.7  # without a breakdown the chart sits beside it
        themes.query_one("#by", Select).value = "size_class"
        await settle(app, pilot)
        await pilot.pause()
        assert table.region.width >= SIZE[0] - 2
        assert table.max_scroll_x == 0  # every group column in view
        chart = themes.query_one("#themes-chart-box")
        assert (
            chart.region.width >= SIZE[0] - 2 and chart.region.y >= table.region.bottom
        )  # below it
        assert "█" in str(themes.query_one("#themes-chart").render())


@pytest.mark.slow
async def test_themes_png_chart_export(sample: Sample, tmp_path) -> None:  # type: ignore[no-untyped-def]
    app = make_app(sample)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("T")
        await settle(app, pilot)
        themes = app.screen
        themes.query_one("#export-path", Input).value = "chart.png"
        await pilot.click("#export-go")
        await settle(app, pilot)
        assert (tmp_path / "chart.png").read_bytes()[:4] == b"\x89PNG"


async def test_help_palette_and_quit(sample: Sample) -> None:
    app = make_app(sample)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("f1")
        await pilot.pause()
        assert app.screen.__class__.__name__ == "HelpScreen"
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"themes")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, ThemesScreen)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert app.return_code == 0


async def test_user_keymap_remaps_bindings(sample: Sample, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    keymap_file = tmp_path / "keymap.toml"
    keymap_file.write_text(
        '[keymap]\n"doc.code" = "enter"\n"app.themes" = "f9"\n"nope" = "x"\n', encoding="utf-8"
    )
    monkeypatch.setenv("LO_CODEBOOK_KEYMAP", str(keymap_file))
    app = CodebookApp(sample.project)
    async with app.run_test(size=SIZE) as pilot:
        main = await open_document(app, pilot, sample, "interview_a")
        assert any("unknown binding id 'nope'" in n.message for n in app._notifications)
        main.view.select_span(0, 11)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CodePicker)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("f9")
        await settle(app, pilot)
        assert isinstance(app.screen, ThemesScreen)


async def test_remapped_screen_keys_work_as_soon_as_the_screen_opens(
    sample: Sample, tmp_path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """Newcomer trial: a key remapped to a letter worked on the theme table only after the focus
    left the threshold field (which took the letter as input)."""
    keymap_file = tmp_path / "keymap.toml"
    keymap_file.write_text(
        '[keymap]\n"themes.close" = "q"\n"themes.threshold" = "t"\n', encoding="utf-8"
    )
    monkeypatch.setenv("LO_CODEBOOK_KEYMAP", str(keymap_file))
    app = CodebookApp(sample.project)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("T")
        await settle(app, pilot)
        themes = app.screen
        assert isinstance(themes, ThemesScreen)
        assert themes.focused is themes.query_one("#themes-table", DataTable)
        await pilot.press("t", "1", "enter")  # remapped threshold key, a number, back to the table
        await settle(app, pilot)
        assert themes.query_one("#above", Input).value == "1"
        assert themes.focused is themes.query_one("#themes-table", DataTable)
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)


def add_second_coder(sample: Sample) -> None:
    """Codings by 'bob' on two of the documents 'tester' coded: one agreement, one difference."""
    from lo_codebook.core import coding
    from lo_codebook.core.project import Project

    bob = Project.open(sample.path, "bob")
    try:
        for doc, word, code in (
            ("R_1", "Digitalisering", "Digitalisering"),
            ("R_3", "processen", "Omgevingswet"),
        ):
            start = sample.text(doc).index(word)
            coding.code_span(bob, sample.docs[doc], start, start + len(word), sample.codes[code])
    finally:
        bob.close()


async def test_agreement_screen(sample: Sample) -> None:
    from lo_codebook.tui.screens.agreement import AgreementScreen

    add_second_coder(sample)
    app = make_app(sample)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("G")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, AgreementScreen)
        assert screen.report is not None and screen.report.coders == ("tester", "bob")
        codes = screen.query_one("#agreement-codes", DataTable)
        assert codes.row_count >= 3
        diffs = screen.query_one("#agreement-diffs", DataTable)
        assert diffs.row_count == len(screen.rows) > 0
        first = screen.rows[0]
        diffs.focus()
        await pilot.press("enter")
        await pilot.pause()
        main = app.screen
        assert isinstance(main, MainScreen)
        assert main.view.detail is not None and main.view.detail.name == first["document"]


def theme_counts(themes: ThemesScreen) -> dict[str, int]:
    table = themes.query_one("#themes-table", DataTable)
    return {
        str(table.get_row_at(i)[0]): int(str(table.get_row_at(i)[2]))
        for i in range(table.row_count)
    }


async def test_themes_count_this_coder_with_a_visible_notice_and_a_coder_choice(
    sample: Sample,
) -> None:
    """Newcomer trial: a second coder's codings were pooled into the theme table unannounced."""
    add_second_coder(
        sample
    )  # bob: R_1 Digitalisering (as tester), R_3 Omgevingswet (tester: R_4 only)
    app = make_app(sample)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("T")
        await settle(app, pilot)
        themes = app.screen
        assert isinstance(themes, ThemesScreen)
        assert theme_counts(themes)["Omgevingswet"] == 1  # tester's own coding only
        notice = str(themes.query_one("#themes-coders", Static).render())
        assert CODER in notice and "bob" in notice
        assert "tester" in str(themes.query_one("#themes-caption", Static).render())
        coder = themes.query_one("#coder", Select)
        assert coder.value == CODER
        coder.value = "all"
        await settle(app, pilot)
        assert theme_counts(themes)["Omgevingswet"] == 2
        assert "pooled" in str(themes.query_one("#themes-coders", Static).render())
        coder.value = "bob"
        await settle(app, pilot)
        assert theme_counts(themes) == {
            "Digitalisering": 1,
            "Omgevingswet": 1,
            "Arbeidsmarkt": 0,
            "Leiderschap": 0,
            "Hybride werken": 0,
        }


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


async def test_review_queue_orders_least_certain_first_on_u(sample: Sample) -> None:
    app = make_app(sample)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("R")
        await pilot.pause()
        review = app.screen
        assert isinstance(review, ReviewScreen)
        reading = [r.id for r in review.queue]
        await pilot.press("u")
        await pilot.pause()
        assert review.order == "uncertain"
        distances = [abs(r.score - 50) for r in review.queue]
        assert distances == sorted(distances) and sorted(r.id for r in review.queue) == sorted(
            reading
        )
        assert "least certain first" in str(review.query_one("#review-meta").render())
        assert "evidence: " in str(review.query_one("#review-evidence").render())
        assert ": " in str(review.query_one("#review-evidence").render()).removeprefix("evidence: ")
        await pilot.press("u")
        await pilot.pause()
        assert [r.id for r in review.queue] == reading
