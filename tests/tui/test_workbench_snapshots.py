"""Snapshots of the coded-segments and search screens at 160x48 on the sample project.

Update after an intended change with `pytest tests/tui --snapshot-update` and review the SVGs.
"""

from __future__ import annotations

from textual.pilot import Pilot

from lo_codebook.tui.app import CodebookApp
from lo_codebook.tui.screens.main import MainScreen

from .conftest import Sample
from .pilot import SIZE, steady


def test_retrieval_screen(sample: Sample, snap_compare) -> None:  # type: ignore[no-untyped-def]
    """The segments of a category (its themes' codes shown), the second highlighted."""

    async def run_before(pilot: Pilot) -> None:
        await pilot.pause()
        main = pilot.app.screen
        assert isinstance(main, MainScreen)
        main.tree.focus()
        main.tree.select_code(sample.codes["Context"])
        await pilot.pause()
        await pilot.press("Q")
        await steady(pilot)
        await pilot.press("down")
        await steady(pilot)

    assert snap_compare(CodebookApp(sample.project), terminal_size=SIZE, run_before=run_before)


def test_search_screen(sample: Sample, snap_compare) -> None:  # type: ignore[no-untyped-def]
    """Hits of a word in context, one selected."""

    async def run_before(pilot: Pilot) -> None:
        await pilot.pause()
        await pilot.press("slash", *"digitalisering", "enter")
        await steady(pilot)
        await pilot.press("down", "space")
        await steady(pilot)

    assert snap_compare(CodebookApp(sample.project), terminal_size=SIZE, run_before=run_before)
