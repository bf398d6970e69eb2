"""Helpers every pilot test uses: wait until the app is quiet, and the snapshot terminal size.

Plain functions (not fixtures): they take the pilot the test already holds.
"""

from __future__ import annotations

from textual.app import App
from textual.pilot import Pilot
from textual.widgets import Input

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
