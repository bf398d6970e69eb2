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
from .pilot import drain

SIZE = (160, 48)
pytestmark = pytest.mark.anyio


def done_marks(sample: Sample) -> dict[int, bool]:
    with sample.project.read() as session:
        rows = session.execute(
            select(ValidationDocument.document_id, ValidationDocument.done_at)
        ).all()
    return {doc: at is not None for doc, at in rows}


def title_text(main: MainScreen) -> str:
    return str(main.query_one("#doc-title", Static).render())


def pending_on(sample: Sample, name: str) -> int:
    with sample.project.read() as session:
        return len(
            session.scalars(
                select(Suggestion.id).where(
                    Suggestion.document_id == sample.docs[name], Suggestion.status == "pending"
                )
            ).all()
        )


async def test_sample_document_is_blind_until_marked_done(sample: Sample) -> None:
    # another coder's code on the interview: hidden while blind
    bram = Project.open(sample.path, "bram")
    text = sample.text("interview_a")
    start = text.index("Omgevingswet")
    coding.code_span(
        bram,
        sample.docs["interview_a"],
        start,
        start + len("Omgevingswet"),
        sample.codes["Omgevingswet"],
    )
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
        assert [str(c.label) for c in table.columns.values()][-2:] == [
            "Estimate (95%)",
            "Validation",
        ]
        rows = {
            str(table.get_row_at(i)[0]): [str(c) for c in table.get_row_at(i)]
            for i in range(table.row_count)
        }
        assert rows["Digitalisering"][-2:] == ["3 (3–3)", ""]
        assert rows["Arbeidsmarkt"][-2:] == ["2 (2–2)", ""]
        assert "estimates: validation by tester (6 of 6 done)" in str(
            screen.query_one("#themes-caption", Static).render()
        )


async def test_lists_tree_and_grid_filter_hide_the_blind_sample(sample: Sample) -> None:
    """Around the document view too: the codebook tree's counts, the documents list and the
    grid's "pending" filter say nothing of suggestions or other coders' codes on blind
    documents; the documents list marks the sample."""
    from lo_codebook.core import grid
    from lo_codebook.core.validation import mark_done
    from lo_codebook.tui.screens.grid import GridScreen
    from lo_codebook.tui.widgets.panels import document_prompt

    bram = Project.open(sample.path, "bram")
    text = sample.text("interview_a")
    start = text.index("Omgevingswet")
    coding.code_span(
        bram,
        sample.docs["interview_a"],
        start,
        start + len("Omgevingswet"),
        sample.codes["Omgevingswet"],
    )
    bram.close()
    draw_validation(sample.project, size=len(sample.docs), seed=3)
    mark_done(sample.project, sample.docs["interview_b"])  # the others stay blind

    app = CodebookApp(sample.project)
    async with app.run_test(size=SIZE) as pilot:
        await drain(pilot)  # the lists load and filter in workers
        main = app.screen
        assert isinstance(main, MainScreen)
        codes = main.codes_by_id
        # pending: only interview_b's (Leiderschap, Arbeidsmarkt); interview_a's and R_2's are hidden
        assert {
            sample.codes[n]: codes[sample.codes[n]].pending
            for n in ("Leiderschap", "Arbeidsmarkt", "Hybride werken", "Omgevingswet")
        } == {
            sample.codes["Leiderschap"]: 1,
            sample.codes["Arbeidsmarkt"]: 1,
            sample.codes["Hybride werken"]: 0,
            sample.codes["Omgevingswet"]: 0,
        }
        assert (
            codes[sample.codes["Omgevingswet"]].documents == 1
        )  # bram's coding on interview_a hidden
        tree_labels = [str(node.label) for node in main.tree._tree_nodes_by_code().values()]
        assert not any("Hybride werken" in label and "+" in label for label in tree_labels)

        docs = {d.name: d for d in main.documents.documents}
        assert docs["interview_a"].sample == "blind" and docs["interview_a"].pending == 0
        assert docs["interview_a"].codings == 2  # the tester's own two, not bram's
        assert docs["interview_b"].sample == "done" and docs["interview_b"].pending == 2
        prompt = str(document_prompt(docs["interview_a"], lang=app.lang))
        assert "blind" in prompt and "open" not in prompt and "pending" not in prompt

        # the code filter on Omgevingswet: interview_a only has bram's, so it is not listed
        main.tree.focus()
        main.tree.select_code(sample.codes["Omgevingswet"])
        await pilot.press("f")
        await drain(pilot)
        assert [d.name for d in main.documents.documents] == ["R_4"]
        await pilot.press("f")
        await drain(pilot)

        # the grid's "pending" filter: R_2 (the one answer with a suggestion) is blind
        await pilot.press("g")
        await drain(pilot)
        screen = app.screen
        assert isinstance(screen, GridScreen)
        await pilot.press("s")
        await drain(pilot)
        assert screen.filter.status == grid.PENDING and screen.grid.ids == []
    with sample.project.read() as session:  # the same filter once R_2 is done: listed
        assert grid.answer_ids(session, "tester", grid.GridFilter(status=grid.PENDING)) == []
    mark_done(sample.project, sample.docs["R_2"])
    with sample.project.read() as session:
        assert grid.answer_ids(session, "tester", grid.GridFilter(status=grid.PENDING)) == [
            sample.docs["R_2"]
        ]


async def test_themes_screen_by_the_stratifying_attribute_shows_group_estimates(
    sample: Sample,
) -> None:
    from textual.widgets import DataTable, Select

    from lo_codebook.core.validation import mark_done
    from lo_codebook.tui.screens.themes import ThemesScreen

    draw_validation(sample.project, size=len(sample.docs), by="size_class", seed=3)
    for document_id in sample.docs.values():  # a census: every group's estimate is exact
        mark_done(sample.project, document_id)
    app = CodebookApp(sample.project)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("T")
        await pilot.pause()
        await app.workers.wait_for_complete()
        screen = app.screen
        assert isinstance(screen, ThemesScreen)
        screen.query_one("#by", Select).value = "size_class"
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        table = screen.query_one(DataTable)
        titles = [str(c.label) for c in table.columns.values()]
        estimate = next(t for t in titles if t.endswith("(95%)"))
        assert f"{estimate} <20.000" in titles and f"{estimate} >100.000" in titles
        rows = {
            str(table.get_row_at(i)[0]): [str(c) for c in table.get_row_at(i)]
            for i in range(table.row_count)
        }
        column = titles.index(f"{estimate} <20.000")
        assert rows["Digitalisering"][column] == "2 (2–2)"  # R_1 and interview_a
        assert rows["Arbeidsmarkt"][column] == "2 (2–2)"
