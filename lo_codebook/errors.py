"""One exception type for everything the user can fix: the CLI prints it as one line, exit 1."""

from __future__ import annotations

from pathlib import Path

MAX_MESSAGE = 400


class UserError(Exception):
    """A problem with the user's input or request, never a bug.

    `file` and `where` (e.g. "row 7, column 'Q4'", "line 12") locate the problem so the
    one-line message tells the researcher exactly what to fix.
    """

    def __init__(self, message: str, file: str | Path | None = None, where: str | None = None):
        super().__init__(message)
        self.message = message
        self.file = str(file) if file is not None else None
        self.where = where

    def __str__(self) -> str:
        location = ", ".join(part for part in (self.file, self.where) if part)
        message = self.message
        if len(message) > MAX_MESSAGE:
            # A message may quote the input (a 5 MB "code name"): one line must stay readable.
            message = message[: MAX_MESSAGE - 20] + f"… ({len(message):,} characters)"
        text = f"{location}: {message}" if location else message
        return " ".join(text.split("\n"))
