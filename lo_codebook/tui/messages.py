"""Messages that carry results from background workers and requests between screens."""

from __future__ import annotations

from dataclasses import KW_ONLY, dataclass
from typing import Any

from textual.message import Message


@dataclass(eq=False)
class WorkProgress(Message):
    """A worker advanced: `done` of `total` steps of `label`."""

    label: str
    done: int
    total: int


@dataclass(eq=False)
class WorkFinished(Message):
    """A worker ended: `summary` for the user, `changed` tells screens what to reload."""

    label: str
    summary: str
    _: KW_ONLY
    changed: frozenset[str]
    result: Any = None


@dataclass(eq=False)
class WorkFailed(Message):
    """A worker stopped with an error: one the user can fix (a `UserError`) or a bug's."""

    label: str
    error: str


@dataclass(eq=False)
class OpenSpan(Message):
    """Show a span of a document in the main screen (from the review queue, for instance)."""

    document_id: int
    start: int
    end: int


class _Failed:
    """What `CodebookApp.run_core` returns when the core refused (the user saw why)."""

    def __repr__(self) -> str:
        return "FAILED"

    def __bool__(self) -> bool:
        return False


FAILED = _Failed()
