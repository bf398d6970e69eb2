"""Who is writing a SQLite project right now: a small note beside the file.

SQLite lets one transaction write at a time; an import of 50,000 answers holds that turn for
a minute or more. A coder whose one-row write waits behind it should be told what it waits
for ("another process's import-qdpx, pid 4242, coder anna") rather than fail after 30
seconds with "database is locked". The writer puts this note down once it holds the write
lock and takes it away before it lets go, so a note found by a waiting writer names the
holder (or, if its process is gone, a leftover to ignore).
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import socket
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from lo_codebook.db.files import _pid_alive

NOTE_SUFFIX = "-writer"


@dataclass(frozen=True)
class WriterNote:
    pid: int
    host: str
    action: str
    coder: str
    started: float
    token: str

    @property
    def alive(self) -> bool:
        """Still running? (On another computer we cannot tell: assume so.)"""
        return self.host != socket.gethostname() or _pid_alive(self.pid)

    def describe(self) -> str:
        """`import-qdpx (pid 4242, coder anna, started 14:02:11)`."""
        where = "" if self.host == socket.gethostname() else f" on {self.host}"
        started = time.strftime("%H:%M:%S", time.localtime(self.started))
        return f"{self.action} (pid {self.pid}{where}, coder {self.coder}, started {started})"


def note_path(db: Path) -> Path:
    return Path(f"{db}{NOTE_SUFFIX}")


def put_note(db: Path, action: str, coder: str) -> WriterNote | None:
    """Say that this process writes `db` now; None when the note cannot be written (the write
    goes on: the note only helps others wait)."""
    note = WriterNote(
        os.getpid(), socket.gethostname(), action, coder, time.time(), secrets.token_hex(8)
    )
    try:
        note_path(db).write_text(json.dumps(asdict(note)), encoding="utf-8")
    except OSError:
        return None
    return note


def read_note(db: Path) -> WriterNote | None:
    """The note beside `db`, or None (none, unreadable, or half-written)."""
    try:
        data = json.loads(note_path(db).read_text(encoding="utf-8"))
        return WriterNote(**data)
    except (OSError, ValueError, TypeError):
        return None


def take_note_away(db: Path, note: WriterNote | None) -> None:
    """Remove our own note (never one another writer has put down since)."""
    if note is None:
        return
    found = read_note(db)
    if found is not None and found.token == note.token:
        with contextlib.suppress(OSError):
            note_path(db).unlink()
