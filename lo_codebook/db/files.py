"""A SQLite project on disk: opened read-only without side files, and copies that a killed
process leaves half-written are recognised and cleaned up by the next run (the copies are
written with `safe_output.atomic_path` / `temp_file`, the tool's one way to write a file).

Read-only opening matters twice: a project on read-only media (a USB stick, a mounted
archive, a folder shared read-only) can still be read, and another coder's project that
`merge-project` reads is never changed, not even by the `-wal`/`-shm` companions SQLite
would create next to it.
"""

from __future__ import annotations

import contextlib
import os
import re
import socket
import sqlite3
import time
from importlib import resources
from pathlib import Path
from urllib.parse import quote

from lo_codebook.safe_output import TEMP_NAME, process_alive, temp_owner_gone

#: How long a half-written copy may stay when we cannot tell whether its writer still runs
#: (another computer on a shared folder, or a name without a process id).
STALE_AFTER_SECONDS = 24 * 3600
LEGACY_STALE_AFTER_SECONDS = 3600
COMPANIONS = ("", "-journal", "-wal", "-shm")
CHECKOUT_ROOT = Path(__file__).resolve().parents[2]
"""The folder above the package: in a source checkout, where `migrations/` and `transcripts/` are."""

_WAL_HEADER_OFFSET = 18  # bytes 18 and 19: file format write/read version, 2 = WAL


def readonly_reason(path: Path) -> str | None:
    """Why this process cannot change the project `path` or create `-wal`/`-shm` files beside
    it, in the user's words; None when it can.

    Read-only media count (also for root: access() reports EROFS there), as do a folder
    without write permission and a read-only file. Tests force this to simulate media.
    """
    if not os.access(path.parent, os.W_OK | os.X_OK):
        return "the folder is not writable"
    if path.exists() and not os.access(path, os.W_OK):
        return "the file is not writable"
    return None


def bundled_dir(package: str, marker: str, checkout: str) -> Path | None:
    """Data that ships with the program: the package `package` when installed, else the folder
    `checkout` of a source checkout; whichever holds the file `marker` (None: neither)."""
    try:
        packaged = Path(str(resources.files(package)))
        if (packaged / marker).exists():
            return packaged
    except ModuleNotFoundError:
        pass
    in_checkout = CHECKOUT_ROOT / checkout
    return in_checkout if (in_checkout / marker).exists() else None


def location_writable(path: Path) -> bool:
    return readonly_reason(path) is None


def _host_tag() -> str:
    return re.sub(r"[^A-Za-z0-9]", "_", socket.gethostname() or "host")[:40] or "host"


def is_wal_file(path: Path) -> bool:
    """Does the file's header say WAL mode (then readers need `-shm` unless immutable)?"""
    try:
        with path.open("rb") as handle:
            header = handle.read(_WAL_HEADER_OFFSET + 2)
    except OSError:
        return False
    return len(header) == _WAL_HEADER_OFFSET + 2 and header[_WAL_HEADER_OFFSET] == 2


def readonly_uri(path: Path) -> str:
    """A SQLite URI that reads `path` and creates nothing next to it.

    A WAL file whose `-wal` companion exists may hold committed work that is not in the main
    file yet: it is read with `mode=ro` (which uses the companions that are there). Without a
    `-wal` file everything is in the main file and nobody has it open, so `immutable=1` reads
    it without the `-shm` file that `mode=ro` would create (and could not, on read-only media).
    A rollback-journal file is read with `mode=ro`, which creates nothing.
    """
    target = quote(str(path.resolve()))
    if is_wal_file(path) and not Path(f"{path}-wal").exists():
        return f"file:{target}?immutable=1"
    return f"file:{target}?mode=ro"


def connect_readonly(path: Path, timeout: float = 30.0) -> sqlite3.Connection:
    """A read-only connection to `path` (see `readonly_uri`)."""
    return sqlite3.connect(readonly_uri(path), uri=True, timeout=timeout, check_same_thread=False)


# -- temporary copies that a killed process may leave behind ---------------------------------


# Names written by earlier versions' `temp_sibling` (backups, restores): `.<file>.<host>-<pid>-<hex>`;
# today every temporary file is made by `safe_output.temp_file` (`safe_output.TEMP_NAME`).
_OURS = re.compile(
    r"^\.(?P<base>.+)\.(?P<host>[A-Za-z0-9_]+)-(?P<pid>\d+)-[0-9a-f]{8}"
    r"(?P<suffix>\.partial|\.restore)(?P<companion>-journal|-wal|-shm)?$"
)
# Names written by earlier versions: `.<file>.<timestamp>.partial` (upgrade and merge
# backups) and `.<file>.<8 random characters>.partial|.restore` (backup, restore).
_LEGACY = re.compile(
    r"^\.(?P<base>.+)\.(?:\d{8}-\d{6}-\d{6}|[a-z0-9_]{8})"
    r"(?P<suffix>\.partial|\.restore)(?P<companion>-journal|-wal|-shm)?$"
)


def _pid_alive(pid: int) -> bool:
    """False only when the process is surely gone; cannot tell (not POSIX): the age rule decides."""
    return process_alive(pid) is not False


def _mtime(path: Path, now: float) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return now


def _age(path: Path, now: float) -> float:
    try:
        return now - path.stat().st_mtime
    except OSError:
        return 0.0


def stale_leftovers(folder: Path, *, now: float | None = None) -> list[Path]:
    """Half-written copies in `folder` whose writer is gone (killed backups and restores)."""
    now = time.time() if now is None else now
    try:
        entries = list(folder.iterdir())
    except OSError:
        return []
    stale: list[Path] = []
    for entry in entries:
        name = entry.name
        if not name.startswith("."):
            continue
        current = TEMP_NAME.match(name)
        if current is not None:
            main = entry.with_name(name.removesuffix(current.group("companion") or ""))
            gone = temp_owner_gone(
                name,
                now=now,
                mtime=_mtime(main if main.exists() else entry, now),
                stale_after=STALE_AFTER_SECONDS,
            )
            if gone:
                stale.append(entry)
            continue
        ours = _OURS.match(name)
        if ours is not None:
            main = entry.with_name(name.removesuffix(ours.group("companion") or ""))
            same_host = ours.group("host") == _host_tag()
            gone = same_host and not _pid_alive(int(ours.group("pid")))
            if gone or _age(main if main.exists() else entry, now) > STALE_AFTER_SECONDS:
                stale.append(entry)
            continue
        legacy = _LEGACY.match(name)
        if legacy is not None and _age(entry, now) > LEGACY_STALE_AFTER_SECONDS:
            stale.append(entry)
    return sorted(stale)


def clean_leftovers(folder: Path) -> list[Path]:
    """Remove what `stale_leftovers` finds; returns what was removed (errors are ignored:
    a leftover we may not delete is not worth failing a backup for)."""
    removed: list[Path] = []
    for path in stale_leftovers(folder):
        with contextlib.suppress(OSError):
            path.unlink()
            removed.append(path)
    return removed


def remove_with_companions(path: Path) -> None:
    for suffix in COMPANIONS:
        with contextlib.suppress(OSError):
            Path(str(path) + suffix).unlink()
