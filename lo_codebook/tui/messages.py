"""Messages that carry results from background workers and requests between screens."""

from __future__ import annotations

from typing import Any

from textual.message import Message


class WorkProgress(Message):
    """A worker advanced: `done` of `total` steps of `label`."""

    def __init__(self, label: str, done: int, total: int) -> None:
        super().__init__()
        self.label = label
        self.done = done
        self.total = total


class WorkFinished(Message):
    """A worker ended: `summary` for the user, `changed` tells screens what to reload."""

    def __init__(
        self, label: str, summary: str, *, changed: frozenset[str], result: Any = None
    ) -> None:
        super().__init__()
        self.label = label
        self.summary = summary
        self.changed = changed
        self.result = result


class WorkFailed(Message):
    """A worker stopped with an error: one the user can fix (a `UserError`) or a bug's."""

    def __init__(self, label: str, error: str) -> None:
        super().__init__()
        self.label = label
        self.error = error


class OpenSpan(Message):
    """Show a span of a document in the main screen (from the review queue, for instance)."""

    def __init__(self, document_id: int, start: int, end: int) -> None:
        super().__init__()
        self.document_id = document_id
        self.start = start
        self.end = end


class _Failed:
    """What `CodebookApp.run_core` returns when the core refused (the user saw why)."""

    def __repr__(self) -> str:
        return "FAILED"

    def __bool__(self) -> bool:
        return False


FAILED = _Failed()
