"""Pilot tests: deciding suggestions, in the review queue and in the document view; the database agrees."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from lo_codebook.db.models import Code, Coding, Suggestion
from lo_codebook.tui.screens.main import MainScreen
from lo_codebook.tui.screens.modals import Confirm
from lo_codebook.tui.screens.review import ReviewScreen

from .conftest import Sample
from .pilot import SIZE, codings_of, make_app, move_to, open_document

pytestmark = pytest.mark.anyio


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
