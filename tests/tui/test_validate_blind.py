"""Blind mode: a coder's validation sample shows no suggestions and no other coder's codes
until the coder marks the document done (V); keys first, then the database and the screen."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from textual.widgets import Static

from lo_codebook.core import coding
from lo_codebook.core.project import Project
from lo_codebook.core.validation import draw_validation
from lo_codebook.db.models import Suggestion, ValidationDocument
from lo_codebook.tui.app import CodebookApp
from lo_codebook.tui.screens.main import MainScreen
from lo_codebook.tui.screens.review import ReviewScreen

from .conftest import Sample

SIZE = (160, 48)
pytestmark = pytest.mark.anyio


def done_marks(sample: Sample) -> dict[int, bool]:
    with sample.project.read() as session:
        rows = session.execute(select(ValidationDocument.document_id, ValidationDocument.done_at)).all()
    return {doc: at is not None for doc, at in rows}


def title_text(main: MainScreen) -> str:
    return str(main.query_one("#doc-title", Static).render())


def pending_on(sample: Sample, name: str) -> int:
    with sample.project.read() as session:
        return len(session.scalars(select(Suggestion.id).where(
            Suggestion.document_id == sample.docs[name], Suggestion.status == "pending")).all())


async def test_sample_document_is_blind_until_marked_done(sample: Sample) -> None:
    # another coder's code on the interview: hidden while blind
    bram = Project.open(sample.path, "bram")
    text = sample.text("interview_a")
    start = text.index("Omgevingswet")
    coding.code_span(bram, sample.docs["interview_a"], start, start + len("Omgevingswet"), sample.codes["Omgevingswet"])
    bram.close()
    # every document is in the sample (6 of 6), so interview_a surely is
    draw_validation(sample.project, size=len(sample.docs), seed=3)
    assert set(done_marks(sample).values()) == {False}

    app = CodebookApp(sample.project)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        main = app.screen
        assert isinstance(main, MainScreen)
        main.open_document(sample.docs["interview_a"])
        main.view.focus()
        await pilot.pause()
        assert main.blind
        assert "BLIND" in title_text(main) and "validation sample" in title_text(main)
        assert "pending" not in title_text(main)
        detail = main.view.detail
        assert detail is not None and detail.suggestions == []
        assert {c.coder for c in detail.codings} == {"tester"}  # bram's Omgevingswet hidden

        # `a` on the (hidden) suggestion does nothing: it stays pending
        offset = text.index("hybride") + 1
        main.view.select_span(offset, offset)
        await pilot.pause()
        await pilot.press("a")
        await pilot.pause()
        assert pending_on(sample, "interview_a") == 3

        # the review queue leaves the blind sample out
        await pilot.press("R")
        await pilot.pause()
        review = app.screen
        assert isinstance(review, ReviewScreen)
        assert review.queue == []  # all 6 suggestions sit on sample documents
        await pilot.press("escape")
        await pilot.pause()

        # V: done; suggestions and bram's code show
        main.view.focus()
        await pilot.press("V")
        await pilot.pause()
        assert done_marks(sample)[sample.docs["interview_a"]] is True
        assert not main.blind
        assert "BLIND" not in title_text(main) and "3 pending" in title_text(main)
        detail = main.view.detail
        assert detail is not None and len(detail.suggestions) == 3
        assert "bram" in {c.coder for c in detail.codings}

        # ctrl+z takes the mark back: blind again
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert done_marks(sample)[sample.docs["interview_a"]] is False
        assert main.blind and "BLIND" in title_text(main)


async def test_grid_answer_in_the_sample_is_blind_until_v(sample: Sample) -> None:
    from lo_codebook.core import grid
    from lo_codebook.tui.screens.grid import GridScreen

    draw_validation(sample.project, size=len(sample.docs), seed=3)
    with sample.project.read() as session:
        ids = grid.answer_ids(session, "tester")
    row = ids.index(sample.docs["R_2"])  # the answer with a pending suggestion (Leiderschap)
    app = CodebookApp(sample.project)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("g")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, GridScreen)
        for _ in range(row):
            await pilot.press("down")
        await pilot.pause()
        detail = str(screen.query_one("#grid-detail", Static).render())
        assert "BLIND" in detail and "suggested" not in detail
        assert screen.grid.current_id == sample.docs["R_2"]
        assert screen.grid.current_row is not None and screen.grid.current_row.pending == ()
        await pilot.press("a")  # nothing to accept while blind
        await pilot.pause()
        assert pending_on(sample, "R_2") == 1
        await pilot.press("V")
        await pilot.pause()
        assert done_marks(sample)[sample.docs["R_2"]] is True
        detail = str(screen.query_one("#grid-detail", Static).render())
        assert "BLIND" not in detail and "suggested" in detail and "Leiderschap" in detail


async def test_themes_screen_shows_the_estimates(sample: Sample) -> None:
    from textual.widgets import DataTable

    from lo_codebook.core.validation import mark_done
    from lo_codebook.tui.screens.themes import ThemesScreen

    draw_validation(sample.project, size=len(sample.docs), seed=3)
    for document_id in sample.docs.values():  # a census: the estimates are the exact counts
        mark_done(sample.project, document_id)
    app = CodebookApp(sample.project)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("T")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("ctrl+t", "1")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ThemesScreen)
        table = screen.query_one(DataTable)
        assert [str(c.label) for c in table.columns.values()][-2:] == ["Estimate (95%)", "Validation"]
        rows = {str(table.get_row_at(i)[0]): [str(c) for c in table.get_row_at(i)] for i in range(table.row_count)}
        assert rows["Digitalisering"][-2:] == ["3 (3–3)", ""]
        assert rows["Arbeidsmarkt"][-2:] == ["2 (2–2)", ""]
        assert "estimates: validation by tester (6 of 6 done)" in str(screen.query_one("#themes-caption", Static).render())
