"""A write that waits for another writer must not freeze the screen.

SQLite lets one transaction write at a time. While another process (or this app's own import
worker) holds the write lock, with its note beside the file (`db.writer_note`), a coder's
one-row write would wait on the UI thread for as long as that import runs, with nothing on
screen. `CodebookApp.run_core` hands such writes to `WaitingWrites` instead: one thread runs
them in the order they came, the project's waiting lines (`Project.on_wait`, the words the CLI
prints) reach the screen as `WriteWaits` messages, and the outcome as `WriteDone`.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from textual.message import Message

from lo_codebook.core.project import WAIT_REPORT_SECONDS, Project
from lo_codebook.db.writer_note import read_note

#: How long the UI thread waits for a handed-over call before letting it finish on its own: a
#: call that needs no lock or gets it at once still returns its result to the screen that asked.
GRACE_SECONDS = 0.3
#: How long each waiting line stays as a notification (the header keeps the latest one).
WAIT_NOTE_SECONDS = 8
#: How long the header keeps a waiting line that nothing has followed: a little longer than
#: the project takes between its "still waiting" lines.
WAIT_LINE_SECONDS = WAIT_REPORT_SECONDS + 5


class WriteWaits(Message):
    """A line from the project about the write lock it waits for (posted from any thread)."""

    def __init__(self, line: str) -> None:
        super().__init__()
        self.line = line


class WriteDone(Message):
    """A handed-over call that outlived the grace period has finished or failed."""

    def __init__(self, future: Future[Any], ok: str | None) -> None:
        super().__init__()
        self.future = future
        self.ok = ok


def another_writer(project: Project) -> bool:
    """Is a lo-codebook write running on this SQLite project now (its live note is there)?"""
    path = project.path
    if path is None:  # PostgreSQL: a one-row write does not queue behind an import
        return False
    note = read_note(path)
    return note is not None and note.alive


class WaitingWrites:
    """Calls handed over from the UI thread, run one at a time in the order they came, so a
    coding and its undo never swap places. `pending` is only touched on the UI thread."""

    def __init__(self) -> None:
        self._pool: ThreadPoolExecutor | None = None
        self.pending = 0

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        if self._pool is None:
            self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="lo-codebook-write")
        self.pending += 1
        return self._pool.submit(fn, *args, **kwargs)

    def finished(self) -> None:
        self.pending -= 1

    def shutdown(self) -> None:
        """Take no more; a write already handed over still lands (or fails) on its own."""
        if self._pool is not None:
            self._pool.shutdown(wait=False)
