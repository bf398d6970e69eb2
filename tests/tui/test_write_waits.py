"""A coder's write that waits behind another coder's long import: the screen stays live, says
what it waits for (the project's own words, as the CLI prints them), and the coding lands once
the import lets go of the write lock.

The import is played by a second connection in a thread of the test process: it holds
SQLite's write lock inside `Project.write("import-survey")` as coder anna, so the writer note
beside the file names it, until the test releases it.
"""

from __future__ import annotations

import os
import threading
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets._header import HeaderTitle

from lo_codebook.core.project import Project
from lo_codebook.db.models import Case
from lo_codebook.tui.app import CodebookApp
from lo_codebook.tui.screens.main import MainScreen

from .conftest import Sample
from .pilot import SIZE, codings_of, open_document

pytestmark = pytest.mark.anyio

#: The longest the other coder holds the lock if the test never lets go (a UI that blocks its
#: own event loop on the write never gets to release it): the test then fails, not hangs.
HOLD_AT_MOST_SECONDS = 20


class LongImport:
    """Anna's import, holding the project's write lock in its own thread and connection."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.holding = threading.Event()
        self.release = threading.Event()
        self.error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="anna-import")

    def _run(self) -> None:
        project = Project.open(self.path, "anna")
        try:
            with project.write("import-survey") as unit:
                unit.session.add(Case(name="Gemeente Import"))
                unit.session.flush()
                self.holding.set()
                self.release.wait(HOLD_AT_MOST_SECONDS)
                unit.summary = "a long import"
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            self.error = exc
        finally:
            self.holding.set()
            project.close()

    def __enter__(self) -> LongImport:
        self._thread.start()
        assert self.holding.wait(60) and self.error is None, self.error
        return self

    def __exit__(self, *exc: object) -> None:
        self.release.set()
        self._thread.join(60)
        assert self.error is None, self.error


@pytest.fixture
def long_import(sample: Sample) -> Iterator[LongImport]:
    with LongImport(sample.path) as holder:
        yield holder


def header(app: CodebookApp) -> str:
    """The header line as drawn: the app's title and the sub-title beside it."""
    return app.screen.query_one(HeaderTitle).render().plain  # type: ignore[union-attr]


@asynccontextmanager
async def interview_a_open(
    sample: Sample,
) -> AsyncIterator[tuple[CodebookApp, Pilot[None], MainScreen, str]]:
    """The app on interview_a, and its usual header line."""
    app = CodebookApp(sample.project)
    async with app.run_test(size=SIZE) as pilot:
        main = await open_document(app, pilot, sample, "interview_a")
        yield app, pilot, main, header(app)


def select(main: MainScreen, sample: Sample, word: str) -> int:
    """Select `word` in the open interview_a; returns where it starts."""
    start = sample.text("interview_a").index(word)
    main.view.select_span(start, start + len(word))
    return start


async def wait_until(pilot, condition, steps: int = 400) -> bool:  # type: ignore[no-untyped-def]
    """Let the app run (bounded: `steps` pauses of 50 ms) until `condition()` holds."""
    for _ in range(steps):
        if condition():
            return True
        await pilot.pause(0.05)
    return condition()


async def test_a_write_behind_a_long_import_says_what_it_waits_for_and_lands(
    sample: Sample, long_import: LongImport
) -> None:
    async with interview_a_open(sample) as (app, pilot, main, usual):
        assert "coder: tester" in usual
        start = select(main, sample, "grote opgave")
        await pilot.press("1")  # recent code 1: Omgevingswet

        # The screen is live while the write waits, and says what it waits for.
        waiting = "waiting for another process's import-survey"
        assert await wait_until(pilot, lambda: waiting in header(app)), header(app)
        line = header(app)
        assert f"(pid {os.getpid()}, coder anna, started " in line
        assert any(waiting in n.message for n in app._notifications)
        coded = (start, start + 12, "Omgevingswet", "grote opgave")
        assert coded not in codings_of(sample, "interview_a")

        # The import lets go: the coding lands, the header is the usual one again.
        long_import.release.set()
        assert await wait_until(pilot, lambda: header(app) == usual), header(app)
        assert coded in codings_of(sample, "interview_a")
        assert any(
            "the other write has finished; going on with code" in n.message
            for n in app._notifications
        )
        # Every screen reloaded: the open document shows the new coding.
        assert main.view.detail is not None
        assert any((c.start, c.code) == (start, "Omgevingswet") for c in main.view.detail.codings)


async def test_writes_behind_an_import_run_in_order_and_a_refusal_is_one_error(
    sample: Sample, long_import: LongImport
) -> None:
    async with interview_a_open(sample) as (app, pilot, main, usual):
        krapte = select(main, sample, "krapte")
        await pilot.press("2")  # Arbeidsmarkt: already coded on exactly this span
        start = select(main, sample, "grote opgave")
        await pilot.press("1", "ctrl+z")  # code it, then take that back
        assert await wait_until(pilot, lambda: "import-survey" in header(app)), header(app)

        long_import.release.set()
        assert await wait_until(pilot, lambda: header(app) == usual), header(app)
        assert any("already has that code" in n.message for n in app._notifications)
        # The undo ran after the coding it takes back, not before it (on an older coding).
        found = codings_of(sample, "interview_a")
        assert not any(c[0] == start for c in found)
        assert (krapte, krapte + 6, "Arbeidsmarkt", "krapte") in found
        landed = [n.message for n in app._notifications if "done after waiting" in n.message]
        assert len(landed) == 2 and landed[1].startswith(
            "done after waiting for another write: undone: "
        ), landed
