"""What kind of project data a change touched: the words `app.project_changed` carries.

A screen that changes something says which kinds (`app.run_core(..., changed={CODINGS})`,
`WorkFinished.changed`); every screen on the stack then reloads only what reads those kinds:

- `CODINGS`: the main screen's highlights and code counts, the grid's cells and detail.
- `CODEBOOK`: the codebook tree and code filter (main), the grid's code columns, discover's
  "already in the codebook" marks, and what `CODINGS` reloads (names and colours show there).
- `DOCUMENTS`: the documents list and case filter (main), the grid's rows and columns.
- `SUGGESTIONS`: the main screen's suggestion highlights and counts, the grid's cells, the
  review queue's statuses.
- `MEMOS`: nothing on the main screen (a memo changes no list and no count there).
- `CASES`: the case filter and the documents list (main).

The memos and case tables, the coded-segments list and the themes and agreement tables
reload on any kind.
`EVERYTHING` is what undo and redo say: they may have reversed any of these (the merge
screen re-plans only then). The members are `str`, so a plain "codings" compares equal.
"""

from __future__ import annotations

from enum import StrEnum


class Change(StrEnum):
    """One kind of project data; see the module docstring for who reloads what."""

    CODINGS = "codings"
    CODEBOOK = "codebook"
    DOCUMENTS = "documents"
    SUGGESTIONS = "suggestions"
    MEMOS = "memos"
    CASES = "cases"


CODINGS = Change.CODINGS
CODEBOOK = Change.CODEBOOK
DOCUMENTS = Change.DOCUMENTS
SUGGESTIONS = Change.SUGGESTIONS
MEMOS = Change.MEMOS
CASES = Change.CASES
EVERYTHING: frozenset[str] = frozenset(Change)

__all__ = [
    "CASES",
    "CODEBOOK",
    "CODINGS",
    "DOCUMENTS",
    "EVERYTHING",
    "MEMOS",
    "SUGGESTIONS",
    "Change",
]
