"""Pilot tests of the coded-segments (Q) and search (/) screens: keys in, screen and database out."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from sqlalchemy import select
from textual.widgets import DataTable, Input, Select, Static

from lo_codebook.db.models import AuditEntry, Code, Coding
from lo_codebook.tui.app import CodebookApp
from lo_codebook.tui.screens.main import MainScreen
from lo_codebook.tui.screens.modals import CodePicker, TextPrompt
from lo_codebook.tui.screens.retrieval import RetrievalScreen
from lo_codebook.tui.screens.search import SearchScreen
from lo_codebook.tui.screens.themes import ThemesScreen
from lo_codebook.tui.widgets.passage_list import PassageList

from .conftest import Sample
from .pilot import settle

SIZE = (160, 48)
pytestmark = pytest.mark.anyio


def rows(listing: PassageList) -> list[str]:
    """Each item's two lines as the list draws them."""
    return [listing.item_text(i) for i in range(listing.count)]


def codings(sample: Sample, code: str) -> list[tuple[str, str]]:
    """(document name, coded text) of every coding of `code`, in document order."""
    names = {v: k for k, v in sample.docs.items()}
    with sample.project.read() as session:
        found = session.execute(
            select(Coding.document_id, Coding.start, Coding.end)
            .where(Coding.code_id == sample.codes[code])
            .order_by(Coding.document_id, Coding.start)
        ).all()
    return [(names[d], sample.text(names[d])[s:e]) for d, s, e in found]


async def open_retrieval(app: CodebookApp, pilot, sample: Sample, code: str) -> RetrievalScreen:  # type: ignore[no-untyped-def]
    await pilot.pause()
    main = app.screen
    assert isinstance(main, MainScreen)
    main.tree.focus()
    main.tree.select_code(sample.codes[code])
    await pilot.pause()
    await pilot.press("Q")
    await settle(app, pilot)
    screen = app.screen
    assert isinstance(screen, RetrievalScreen)
    return screen


async def test_retrieval_lists_uncodes_and_undoes(sample: Sample) -> None:
    app = CodebookApp(sample.project)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_retrieval(app, pilot, sample, "Digitalisering")
        listing = screen.listing
        shown = rows(listing)
        assert len(shown) == 3
        assert shown[0].startswith("interview_a  Gemeente A")
        assert "Vooral digitalisering en de krapte op de arbeidsmarkt." in shown[0]
        assert shown[1].startswith("R_1") and shown[2].startswith("R_3")
        assert "3 segments in 3 documents" in str(
            screen.query_one("#retrieval-caption", Static).render()
        )
        assert screen.focused is listing
        await pilot.press("down", "x")
        await settle(app, pilot)
        assert codings(sample, "Digitalisering") == [
            ("interview_a", "digitalisering"),
            ("R_3", "digitalisering"),
        ]
        assert [r.split()[0] for r in rows(listing)] == ["interview_a", "R_3"]
        await pilot.press("ctrl+z")
        await settle(app, pilot)
        assert [d for d, _ in codings(sample, "Digitalisering")] == ["interview_a", "R_1", "R_3"]
        assert [r.split()[0] for r in rows(listing)] == ["interview_a", "R_1", "R_3"]


async def test_retrieval_recode_filter_export_and_open(sample: Sample) -> None:
    app = CodebookApp(sample.project)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_retrieval(app, pilot, sample, "Digitalisering")
        # recode the third (R_3) as Hybride werken with the picker
        await pilot.press("end", "r")
        await settle(app, pilot)
        assert isinstance(app.screen, CodePicker)
        await pilot.press(*"Hybride", "enter")
        await settle(app, pilot)
        assert app.screen is screen
        assert codings(sample, "Hybride werken") == [("R_3", "digitalisering")]
        assert [r.split()[0] for r in rows(screen.listing)] == ["interview_a", "R_1"]
        with sample.project.read() as session:
            last = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(1)).one()
            assert last.action == "recode" and last.undoable
        # only the cases of size class <20.000 (interview_a and R_1 both are)
        screen.query_one("#retrieval-case", Select).value = ("size_class", "<20.000")
        await settle(app, pilot)
        assert [r.split()[0] for r in rows(screen.listing)] == ["interview_a", "R_1"]
        screen.query_one("#retrieval-case", Select).value = ("size_class", ">100.000")
        await settle(app, pilot)
        assert rows(screen.listing) == []
        screen.query_one("#retrieval-case", Select).clear()
        await settle(app, pilot)
        # export through the same core function as `retrieve`
        screen.listing.focus()
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, TextPrompt)
        app.screen.query_one(Input).value = "digi.csv"
        await pilot.press("enter")
        await settle(app, pilot)
        exported = list(csv.DictReader(io.StringIO(Path("digi.csv").read_text(encoding="utf-8"))))
        assert [(r["document"], r["code"], r["text"]) for r in exported] == [
            ("interview_a", "Digitalisering", "digitalisering"),
            ("R_1", "Digitalisering", "Digitalisering"),
        ]
        assert exported[1]["size_class"] == "<20.000"
        # enter: to the text, the segment selected
        await pilot.press("home", "enter")
        await settle(app, pilot)
        main = app.screen
        assert isinstance(main, MainScreen)
        assert main.view.detail is not None and main.view.detail.name == "interview_a"
        start, end = main.view.selected_span()
        assert sample.text("interview_a")[start:end] == "digitalisering"


async def test_themes_cell_opens_that_groups_segments(sample: Sample) -> None:
    app = CodebookApp(sample.project)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("T")
        await settle(app, pilot)
        themes = app.screen
        assert isinstance(themes, ThemesScreen)
        themes.query_one("#by", Select).value = "size_class"
        await settle(app, pilot)
        table = themes.query_one("#themes-table", DataTable)
        assert table.cursor_type == "cell"
        row = [str(c) for c in table.get_row_at(0)]
        assert row[0] == "Digitalisering"
        groups = themes.table.groups
        column = 5 + groups.index("20.000-50.000")
        table.focus()
        table.cursor_coordinate = (0, column)  # type: ignore[assignment]
        await pilot.press("enter")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, RetrievalScreen)
        assert screen.query_one("#retrieval-case", Select).value == ("size_class", "20.000-50.000")
        assert [r.split()[0] for r in rows(screen.listing)] == ["R_3"]
        await pilot.press("escape")
        await settle(app, pilot)
        table.cursor_coordinate = (0, 0)  # type: ignore[assignment]
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, RetrievalScreen)
        assert [r.split()[0] for r in rows(app.screen.listing)] == ["interview_a", "R_1", "R_3"]


async def test_search_select_and_code_then_undo(sample: Sample) -> None:
    app = CodebookApp(sample.project)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("slash")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        assert screen.focused is screen.query_one("#search-query", Input)
        await pilot.press(*"leidinggevenden", "enter")
        await settle(app, pilot)
        hits = rows(screen.listing)
        assert [h.split()[0] for h in hits] == ["interview_a", "interview_b"]
        assert hits[0].endswith("dat vraagt veel van leidinggevenden.")
        caption = str(screen.query_one("#search-caption", Static).render())
        assert caption.startswith("2 hits in 2 documents (of 6 searched)")
        # select the second hit only, code it with Leiderschap
        await pilot.press("down", "space")
        await settle(app, pilot)
        assert "1 selected" in str(screen.query_one("#search-caption", Static).render())
        before = codings(sample, "Leiderschap")
        await pilot.press("c")
        await settle(app, pilot)
        picker = app.screen
        assert isinstance(picker, CodePicker)
        assert "Code 1 hit (selected) as" in str(picker.query_one("#dialog-title").render())
        await pilot.press(*"Leiderschap", "enter")
        await settle(app, pilot)
        assert codings(sample, "Leiderschap") == [*before, ("interview_b", "Leidinggevenden")]
        # nothing selected: c codes every hit, as one undoable entry
        await pilot.press("c")
        await settle(app, pilot)
        await pilot.press(*"Leiderschap", "enter")
        await settle(app, pilot)
        assert codings(sample, "Leiderschap") == [
            ("interview_a", "leidinggevenden"),
            ("interview_b", "Leidinggevenden"),
        ]
        await pilot.press("ctrl+z")
        await settle(app, pilot)
        assert codings(sample, "Leiderschap") == [("interview_b", "Leidinggevenden")]
        await pilot.press("ctrl+z")
        await settle(app, pilot)
        assert codings(sample, "Leiderschap") == before == []


async def test_search_lemma_regex_error_and_open(sample: Sample) -> None:
    app = CodebookApp(sample.project)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("slash")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        screen.query_one("#search-mode", Select).value = "regex"
        await pilot.press(*"digitali(", "enter")
        await settle(app, pilot)
        assert "invalid regular expression" in str(
            screen.query_one("#search-caption", Static).render()
        )
        assert rows(screen.listing) == []
        screen.query_one("#search-query", Input).value = "leidinggevende"
        screen.query_one("#search-mode", Select).value = "lemma"
        await settle(app, pilot)
        hits = rows(screen.listing)
        assert [h.split()[0] for h in hits] == ["interview_a", "interview_b"]
        screen.listing.focus()
        await pilot.press("down", "o")
        await settle(app, pilot)
        main = app.screen
        assert isinstance(main, MainScreen)
        assert main.view.detail is not None and main.view.detail.name == "interview_b"
        start, end = main.view.selected_span()
        assert sample.text("interview_b")[start:end] == "Leidinggevenden"
    with sample.project.read() as session:
        assert session.scalar(select(Code.id).where(Code.name == "Leiderschap")) is not None


async def test_palette_offers_both_screens(sample: Sample) -> None:
    """The palette shows each action's key; "/" must not be read as markup (it was: a crash)."""
    app = CodebookApp(sample.project)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p", *"search")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, SearchScreen)
        await pilot.press("escape")
        await settle(app, pilot)
        await pilot.press("ctrl+p", *"coded segm")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(app, pilot)
        # no code highlighted in the codebook: the picker asks which
        assert isinstance(app.screen, CodePicker)
        assert isinstance(app.screen_stack[-2], RetrievalScreen)
        await pilot.press(*"Arbeidsm", "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, RetrievalScreen)
        assert [r.split()[0] for r in rows(app.screen.listing)] == ["interview_a", "R_1"]


async def test_both_screens_speak_dutch(sample: Sample, monkeypatch: pytest.MonkeyPatch) -> None:
    """With a Dutch UI the two screens, their footers and their counts are Dutch."""
    from .test_output_language import ENGLISH, found, screen_text

    monkeypatch.delenv("LO_CODEBOOK_LANG")
    app = CodebookApp(sample.project)
    async with app.run_test(size=SIZE) as pilot:
        await open_retrieval(app, pilot, sample, "Digitalisering")
        text = screen_text(app)
        assert (
            "3 fragmenten in 3 documenten" in text
            and "Andere code" in text
            and "alle codeurs" in text
        )
        assert found(text, ENGLISH) == []
        await pilot.press("escape", "slash", *"digitalisering", "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, SearchScreen)
        text = screen_text(app)
        assert "4 treffers in 4 documenten (van 6 doorzocht)" in text and "Coderen…" in text
        assert found(text, ENGLISH) == []
