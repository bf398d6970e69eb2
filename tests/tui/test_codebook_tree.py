"""Pilot tests: the codebook tree (create, rename, merge, delete, keywords, colour, move) and the database agrees."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from textual.widgets import Input

from lo_codebook.db.models import Code, Coding
from lo_codebook.tui.screens.main import MainScreen
from lo_codebook.tui.screens.modals import CodePicker, Confirm, TextPrompt

from .conftest import Sample
from .pilot import SIZE, make_app

pytestmark = pytest.mark.anyio


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
