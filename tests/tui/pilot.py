"""Helpers the pilot tests share: wait until the app is quiet, open a document and move the
cursor, read codings back, and the terminal size of every UI test.

Plain functions (not fixtures): they take the app, pilot or sample the test already holds.
"""

from __future__ import annotations

from textual.app import App
from textual.pilot import Pilot
from textual.widgets import Input

from lo_codebook.core import queries
from lo_codebook.tui.app import CodebookApp
from lo_codebook.tui.screens.main import MainScreen

from .conftest import Sample

SIZE = (160, 48)


async def settle(app: App, pilot: Pilot) -> None:  # type: ignore[type-arg]
    """Let messages start their workers, wait for the workers, let their results land."""
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


async def drain(pilot: Pilot, rounds: int = 3) -> None:  # type: ignore[type-arg]
    """`settle` repeated: the result of one worker can start the next (a select changes, ...)."""
    for _ in range(rounds):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def steady(pilot: Pilot) -> None:  # type: ignore[type-arg]
    """No blinking cursors, finished workers: the same picture every run."""
    await drain(pilot)
    for widget in pilot.app.screen.query(Input):
        widget.cursor_blink = False
    await pilot.pause()


def make_app(sample: Sample) -> CodebookApp:
    return CodebookApp(sample.project)


def codings_of(sample: Sample, document: str) -> list[tuple[int, int, str, str]]:
    """(start, end, code, text) of every coding on a document, read from the database."""
    with sample.project.read() as session:
        detail = queries.document_detail(session, sample.docs[document])
        assert detail is not None
        return [(c.start, c.end, c.code, detail.text[c.start : c.end]) for c in detail.codings]


async def open_document(app: CodebookApp, pilot, sample: Sample, name: str) -> MainScreen:  # type: ignore[no-untyped-def]
    """Show a document in the main screen with the focus in its text."""
    main = app.screen
    assert isinstance(main, MainScreen)
    main.open_document(sample.docs[name])
    main.view.focus()
    await pilot.pause()
    return main


async def move_to(main: MainScreen, pilot, offset: int) -> None:  # type: ignore[no-untyped-def]
    """Put the cursor at a character offset, nothing selected."""
    main.view.select_span(offset, offset)
    await pilot.pause()
