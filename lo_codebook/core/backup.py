"""Backups and restores of SQLite projects: online copies, checked before anything is replaced.

A backup is made with SQLite's online-backup API, so it is consistent even while someone
else is coding (WAL included), and it is written to a temporary file that is checked and
then renamed: a crash never leaves a half-written file under the backup's name.

A restore first proves that the file is a lo-codebook project (SQLite, intact, our tables,
a schema revision this version knows), then backs up the current project, then copies the
file into the project with the same online-backup API, which replaces the database in one
transaction: other processes see either the old project or the restored one, never a mix.
PostgreSQL projects are backed up with the server's own tools (pg_dump / pg_restore).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from lo_codebook.db import files
from lo_codebook.db.engine import (
    BACKUP_SUFFIX,
    BUSY_TIMEOUT_MS,
    make_engine,
    newer_schema_message,
    resolve_url,
    sqlite_path,
)
from lo_codebook.db.files import (
    clean_leftovers,
    connect_readonly,
    remove_with_companions,
)
from lo_codebook.errors import UserError
from lo_codebook.safe_output import RESTORE_SUFFIX, atomic_path, temp_file

SQLITE_MAGIC = b"SQLite format 3\x00"
REQUIRED_TABLES = frozenset(
    {"alembic_version", "document", "code", "coding", "cases", "coder", "audit_entry"}
)


@dataclass(frozen=True)
class ProjectFileInfo:
    """What `check_project_file` learned about a file: its schema revision and counts."""

    path: Path
    revision: str
    documents: int
    codings: int
    size: int


@dataclass(frozen=True)
class RestoreResult:
    """Where the replaced project was saved, and what was restored."""

    restored: ProjectFileInfo
    previous_backup: Path | None


def server_backup_hint(url: str) -> str:
    """The message for projects on a database server: use the server's dump tools."""
    from sqlalchemy.engine import make_url

    shown = make_url(url).set(drivername="postgresql").render_as_string(hide_password=True)
    return (
        "this project lives on a database server, not in a file; back it up with the server's "
        f"tools, e.g. pg_dump -Fc '{shown}' -f project.dump (restore with pg_restore)"
    )


def _project_path(url: str) -> Path:
    path = sqlite_path(url)
    if path is None:
        if url.startswith("sqlite"):
            raise UserError("an in-memory project cannot be backed up or restored")
        raise UserError(server_backup_hint(url))
    return path


def _connect_readonly(path: Path) -> sqlite3.Connection:
    """Open `path` for reading without changing it or creating anything next to it."""
    return connect_readonly(path, BUSY_TIMEOUT_MS / 1000)


def _known_revisions() -> set[str]:
    from lo_codebook.db.engine import known_revisions

    engine = make_engine("sqlite://")
    try:
        return known_revisions(engine)
    finally:
        engine.dispose()


def check_project_file(path: str | os.PathLike[str], *, thorough: bool = True) -> ProjectFileInfo:
    """Prove that `path` is an intact lo-codebook project this version can open; else UserError.

    `thorough` runs `PRAGMA integrity_check` (reads every page and index); otherwise the
    faster `quick_check`.
    """
    path = Path(path)
    if not path.exists():
        raise UserError("file not found", file=path)
    if path.is_dir():
        raise UserError("is a folder, not a project file", file=path)
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            magic = handle.read(len(SQLITE_MAGIC))
    except OSError as exc:
        raise UserError(f"cannot read file ({exc.strerror or exc})", file=path) from None
    if size == 0:
        raise UserError("file is empty, not a lo-codebook project", file=path)
    if magic != SQLITE_MAGIC:
        raise UserError("not a lo-codebook project (not a SQLite database file)", file=path)
    conn = None
    try:
        conn = _connect_readonly(path)
        pragma = "integrity_check" if thorough else "quick_check"
        check = conn.execute(f"PRAGMA {pragma}").fetchall()
        if [row[0] for row in check] != ["ok"]:
            raise UserError(f"the database is damaged (integrity check: {check[0][0]})", file=path)
        tables = {
            row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
        }
        missing = REQUIRED_TABLES - tables
        if missing:
            what = (
                "it has no lo-codebook tables"
                if len(missing) == len(REQUIRED_TABLES)
                else (f"tables missing: {', '.join(sorted(missing))}")
            )
            raise UserError(f"not a lo-codebook project ({what})", file=path)
        revisions = [row[0] for row in conn.execute("SELECT version_num FROM alembic_version")]
        documents = conn.execute("SELECT count(*) FROM document").fetchone()[0]
        codings = conn.execute("SELECT count(*) FROM coding").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        raise UserError(f"not a readable lo-codebook project ({exc})", file=path) from None
    finally:
        if conn is not None:
            conn.close()
    if len(revisions) != 1:
        raise UserError("not a lo-codebook project (no schema revision recorded)", file=path)
    if revisions[0] not in _known_revisions():
        raise UserError(newer_schema_message(revisions[0]), file=path)
    return ProjectFileInfo(path, revisions[0], int(documents), int(codings), size)


def _online_copy(source: Path, target: Path, *, readonly: bool = True) -> None:
    """Copy the SQLite database `source` into `target` with the online-backup API.

    `readonly` reads `source` without creating anything beside it (a file to restore from,
    a project on read-only media); the project itself, where we may write, is read with an
    ordinary connection, which also sees what other coders are committing meanwhile.
    """
    if readonly:
        src = _connect_readonly(source)
    else:
        src = sqlite3.connect(str(source), timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        dest = sqlite3.connect(str(target), timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            src.backup(dest)
        finally:
            dest.close()
    finally:
        src.close()


def _remove_quietly(path: Path) -> None:
    remove_with_companions(path)


def _stamp() -> str:
    return datetime.now().strftime("%Y%m%d-%H%M%S-%f")


def backup_project(
    db: str | os.PathLike[str] | None, target: str | os.PathLike[str] | None = None
) -> Path:
    """Back up the project at `db` (a path or URL); returns the backup file.

    Without `target` the copy goes next to the project as `<file>.bak-<timestamp>`, the name
    the automatic backup before an upgrade gets (`lo_codebook.db.engine.backup_sqlite`). A `target` folder gets such a file in
    it; a `target` file must not exist yet. The copy is checked before it is reported.
    """
    url = resolve_url(db)
    path = _project_path(url)
    if not path.exists():
        raise UserError("no project here to back up", file=path)
    check_project_file(path, thorough=False)
    if files.location_writable(path):
        clean_leftovers(path.parent)  # half-written copies of backups that were killed
    out = Path(target).expanduser() if target is not None else path.parent
    if out.is_dir():
        out = out / f"{path.name}.{BACKUP_SUFFIX}-{_stamp()}"
    if out.exists():
        raise UserError(
            "already exists; choose a new file name (backups never overwrite)", file=out
        )
    if not out.parent.is_dir():
        raise UserError("folder does not exist", file=out.parent)
    if out.resolve() == path.resolve():
        raise UserError("is the project itself; choose another file", file=out)
    return atomic_backup(path, out)


def atomic_backup(path: Path, out: Path) -> Path:
    """Online copy of the project `path` to the new file `out`: written under a temporary
    name in the same folder, checked, then renamed; `out` is never overwritten.

    The temporary name says which process writes it, so leftovers of a killed backup are
    removed by the next one (`lo_codebook.db.files.clean_leftovers`)."""
    clean_leftovers(out.parent)
    try:
        # private (0600) like the copy's data deserves; never replaces a file (`overwrite=False`)
        with atomic_path(out, overwrite=False, mode=0o600) as temp:
            _online_copy(path, temp, readonly=not files.location_writable(path))
            _force_rollback_journal(temp)
            check_project_file(temp, thorough=False)
    except FileExistsError:
        raise UserError(
            "already exists; choose a new file name (backups never overwrite)", file=out
        ) from None
    except UserError:
        raise
    except (sqlite3.Error, OSError) as exc:
        raise UserError(f"backup failed ({exc})", file=out) from None
    return out


def _force_rollback_journal(path: Path) -> None:
    """A standalone backup file should not need -wal/-shm companions to be complete."""
    conn = sqlite3.connect(str(path))
    try:
        conn.execute("PRAGMA journal_mode=DELETE").fetchone()
    finally:
        conn.close()


def restore_project(
    db: str | os.PathLike[str] | None, source: str | os.PathLike[str], *, coder: str | None = None
) -> RestoreResult:
    """Replace the project at `db` with the project file `source`, after backing up the current one.

    Refuses (UserError, nothing changed) unless `source` is an intact lo-codebook project. The
    restored project is upgraded to this version's schema if it is older (with its own backup).
    """
    url = resolve_url(db)
    path = _project_path(url)
    source = Path(source).expanduser()
    if path.exists() and source.exists() and source.resolve() == path.resolve():
        raise UserError("is the project itself; nothing to restore", file=source)
    info = check_project_file(source, thorough=False)
    if not path.parent.is_dir():
        raise UserError("folder does not exist", file=path.parent)

    if not files.location_writable(path):
        raise UserError(
            "the project is on a read-only location (file or folder not writable); "
            "nothing restored",
            file=path,
        )
    # Work on a private, checked copy, so a file that changes under us cannot half-restore.
    clean_leftovers(path.parent)
    try:
        temp = temp_file(path, RESTORE_SUFFIX)
    except (OSError, UserError) as exc:
        raise UserError(
            f"cannot write next to the project ({exc.strerror or exc})", file=path
        ) from None
    previous: Path | None = None
    try:
        try:
            _online_copy(source, temp)
        except sqlite3.Error as exc:
            raise UserError(f"cannot read the project file ({exc})", file=source) from None
        check_project_file(temp)
        if path.exists() and path.stat().st_size > 0:
            previous = _save_current(path)
        _replace_database(temp, path)
    finally:
        _remove_quietly(temp)

    from lo_codebook.core.project import Project

    project = Project.open(url, coder)
    try:
        with project.write("restore", undoable=False) as unit:
            unit.summary = f"restored from {source.name}" + (
                f"; the replaced project is saved as {previous.name}" if previous else ""
            )
    finally:
        project.close()
    return RestoreResult(info, previous)


def _save_current(path: Path) -> Path:
    """Back up the project about to be replaced; refuse to replace what is not a project.

    A damaged project (the usual reason to restore) cannot be copied with the backup API,
    so its files are copied byte for byte instead.
    """
    try:
        check_project_file(path, thorough=False)
    except UserError as exc:
        if "damaged" not in exc.message and "not a readable" not in exc.message:
            raise UserError(
                f"{exc.message}; restore will not overwrite it (give the project with --db)",
                file=path,
            ) from None
        target = path.with_name(f"{path.name}.before-restore-{_stamp()}")
        try:
            for suffix in ("-wal", "-shm", ""):  # the main file last: whole once it is there
                companion = Path(str(path) + suffix)
                if companion.exists():
                    with atomic_path(Path(str(target) + suffix), overwrite=False) as temp:
                        shutil.copy2(companion, temp)
        except OSError as exc:
            raise UserError(
                f"could not save the current project first ({exc}); nothing restored", file=path
            ) from None
        return target
    try:
        return atomic_backup(path, path.with_name(f"{path.name}.before-restore-{_stamp()}"))
    except UserError as exc:
        raise UserError(
            f"could not back up the current project first ({exc.message}); nothing restored",
            file=path,
        ) from None


def _replace_database(source: Path, path: Path) -> None:
    """Copy `source` over the live database `path` in one transaction (online-backup API)."""
    dest = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        try:
            # Wait for other writers to finish (busy timeout) rather than spin in backup().
            dest.execute("BEGIN IMMEDIATE")
            dest.execute("ROLLBACK")
        except sqlite3.OperationalError as exc:
            raise UserError(
                f"the project is busy ({exc}); try again when others stop writing", file=path
            ) from None
        src = sqlite3.connect(str(source))
        try:
            src.backup(dest)
        except sqlite3.Error as exc:
            raise UserError(
                f"restore failed, the project is unchanged ({exc})", file=path
            ) from None
        finally:
            src.close()
    finally:
        dest.close()


__all__ = [
    "ProjectFileInfo",
    "RestoreResult",
    "backup_project",
    "check_project_file",
    "restore_project",
    "server_backup_hint",
]
