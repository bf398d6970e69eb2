"""A project: one database, the current coder, and units of work (one transaction each).

Every operation that changes data runs inside `Project.write(...)`, which records the row
changes in the audit log; reads use `Project.read()`. Both the CLI and the UI go through here.
"""

from __future__ import annotations

import getpass
import os
import sqlite3
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select, text
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from lo_codebook.core import audit, undo_scope
from lo_codebook.db import files
from lo_codebook.db.engine import (
    BUSY_TIMEOUT_MS,
    SCHEMA_HEAD,
    WRITE_OPTION,
    WRITE_WAIT_STEP_MS,
    is_busy,
    make_engine,
    make_readonly_engine,
    project_revision,
    resolve_url,
    sqlite_path,
    translate_db_errors,
    upgrade,
)
from lo_codebook.db.files import connect_readonly
from lo_codebook.db.lookup import find_coder
from lo_codebook.db.models import AuditEntry, Coder, Setting
from lo_codebook.db.writer_note import WriterNote, put_note, read_note, take_note_away
from lo_codebook.errors import UserError
from lo_codebook.safe_output import check_name

DEFAULT_SETTINGS = {"language": "nl"}
#: How often a writer that waits for another one says it is still waiting.
WAIT_REPORT_SECONDS = 15


def default_coder() -> str:
    """`LO_CODEBOOK_CODER`, else the OS user name."""
    env = os.environ.get("LO_CODEBOOK_CODER")
    if env:
        return env
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no user name in some containers
        return "coder"


@dataclass
class WriteUnit:
    """What an operation gets inside `Project.write`: the session and a place for its summary."""

    session: Session
    coder: Coder
    action: str
    summary: str = ""
    undoable: bool = True
    undoes_id: int | None = None
    extra_changes: list[Any] = field(default_factory=list)

    def serialise(self, kind: str) -> None:
        """Run units of this kind one at a time: a second one waits here until the first has
        committed, then sees its work. SQLite's writers already queue (BEGIN IMMEDIATE); on
        PostgreSQL a transaction-level advisory lock per schema does it, so that everyone
        else's coding and reviewing goes on meanwhile."""
        serialise(self.session, kind)

    def note_bulk_insert(self, table: str, ids: list[int]) -> None:
        """Record rows inserted with Core `insert()` (no ORM events) so undo can remove them."""
        if ids:
            self.extra_changes.append(["I", table, ids])


class Project:
    """An open project database and the coder working on it.

    `read_only` says why this project cannot be changed here (None: it can): every
    `write` then refuses with one clear line. `upgraded_from` is set when an older project
    that may not be changed is read through a temporary upgraded copy.
    """

    def __init__(self, engine: Engine, coder: str, url: str, *, read_only: str | None = None):
        self.engine = engine
        self._owned_engine = engine  # what `close` disposes (not an options view of it)
        self.url = url
        self.coder_name = coder
        self.read_only = read_only
        self.upgraded_from: str | None = None
        self._temporary: tempfile.TemporaryDirectory[str] | None = None
        self._read_sessions = sessionmaker(engine, expire_on_commit=False)
        self._write_sessions = sessionmaker(
            engine.execution_options(**{WRITE_OPTION: True}), expire_on_commit=False
        )
        self.backup_path: Path | None = None
        #: Where lines about waiting for another writer go (the CLI: stderr); None: nowhere.
        self.on_wait: Callable[[str], None] | None = None

    @classmethod
    def open(
        cls,
        db: str | os.PathLike[str] | None = None,
        coder: str | None = None,
        *,
        create: bool = True,
    ) -> Project:
        """Open (and create or upgrade) the project; `create=False` refuses a missing SQLite file.

        A SQLite project on a read-only location (media, folder or file not writable) is
        opened for reading only (see `open_readonly`).
        """
        url = resolve_url(db)
        path = sqlite_path(url)
        if path is not None and not create and not path.exists():
            raise UserError(
                "no project here; create one with `lo-codebook init` or import files", file=path
            )
        reason = files.readonly_reason(path) if path is not None and path.parent.is_dir() else None
        if path is not None and reason is not None:
            if not path.exists():
                raise UserError(f"cannot create a project here: {reason}", file=path)
            return cls.open_readonly(url, coder, reason=reason)
        engine = make_engine(url)
        try:
            with translate_db_errors(str(path) if path else None):
                backup = upgrade(engine)
        except BaseException:
            engine.dispose()  # refused: leave no connection (nor -wal/-shm file) behind
            raise
        project = cls(engine, coder or default_coder(), url)
        project.backup_path = backup
        return project

    @classmethod
    def open_readonly(
        cls,
        db: str | os.PathLike[str] | None,
        coder: str | None = None,
        *,
        reason: str = "it is opened for reading only",
    ) -> Project:
        """Open a project for reading only: never upgraded, never written, and nothing is
        created next to a SQLite file (`mode=ro`, or `immutable=1` without a `-wal` file).

        An older SQLite project is read through a temporary upgraded copy in a temporary
        folder (removed by `close`); an older project on a server is refused. A project from
        a newer version is refused either way.
        """
        url = resolve_url(db)
        path = sqlite_path(url)
        coder = coder or default_coder()
        if path is None:
            return cls._open_server_readonly(url, coder, reason)
        if not path.exists():
            raise UserError("file not found", file=path)
        if path.is_dir():
            raise UserError("is a folder, not a project file", file=path)
        engine = make_readonly_engine(path)
        try:
            with translate_db_errors(str(path)):
                revision = project_revision(engine, where=path)
            if revision is None:
                raise UserError("not a lo-codebook project (an empty database)", file=path)
            if revision == SCHEMA_HEAD:
                return cls(engine, coder, url, read_only=reason)
        except BaseException:
            engine.dispose()
            raise
        engine.dispose()
        return cls._open_upgraded_copy(path, url, coder, reason, revision)

    @classmethod
    def _open_upgraded_copy(
        cls, path: Path, url: str, coder: str, reason: str, revision: str
    ) -> Project:
        temporary = tempfile.TemporaryDirectory(prefix="lo-codebook-")
        try:
            copy = Path(temporary.name) / path.name
            source = connect_readonly(path)
            try:
                target = sqlite3.connect(copy)
                try:
                    source.backup(target)
                finally:
                    target.close()
            except sqlite3.Error as exc:
                raise UserError(f"cannot read the project ({exc})", file=path) from None
            finally:
                source.close()
            engine = make_engine(f"sqlite:///{copy}")
            try:
                with translate_db_errors(str(path)):
                    upgrade(engine, backup=False)
            except BaseException:
                engine.dispose()
                raise
        except BaseException:
            temporary.cleanup()
            raise
        project = cls(engine, coder, url, read_only=reason)
        project.upgraded_from = revision
        project._temporary = temporary
        return project

    @classmethod
    def _open_server_readonly(cls, url: str, coder: str, reason: str) -> Project:
        engine = make_engine(url)
        try:
            with translate_db_errors(_shown_url(engine)):
                revision = project_revision(engine)
            if revision is None:
                raise UserError(
                    "not a lo-codebook project (an empty database)", file=_shown_url(engine)
                )
            if revision != SCHEMA_HEAD:
                raise UserError(
                    f"this project has an older schema ({revision}, this version writes "
                    f"{SCHEMA_HEAD}); open it once with this version to upgrade it "
                    "(e.g. `lo-codebook --db URL status`), then try again",
                    file=_shown_url(engine),
                )
        except BaseException:
            engine.dispose()
            raise
        options: dict[str, Any] = (
            {"postgresql_readonly": True} if engine.dialect.name == "postgresql" else {}
        )
        project = cls(engine.execution_options(**options), coder, url, read_only=reason)
        project._owned_engine = engine
        return project

    @property
    def notice(self) -> str | None:
        """The line to tell the user how this project is opened, when that is not the usual way."""
        if self.read_only is None:
            return None
        text = f"note: {self.display_name} is read-only here ({self.read_only}); opened for reading only"
        if self.upgraded_from is not None:
            text += (
                f"; reading a temporary upgraded copy (the file has schema {self.upgraded_from}, "
                f"this version {SCHEMA_HEAD})"
            )
        return text

    def require_writable(self, action: str) -> None:
        """Refuse, in one line, an action that would change a project that is read-only here."""
        if self.read_only is not None:
            raise UserError(
                f"this project is read-only here ({self.read_only}), so {action} cannot change "
                "it; copy the project to a writable folder to work on it",
                file=self.display_name,
            )

    @property
    def path(self) -> Path | None:
        return sqlite_path(self.url)

    @property
    def display_name(self) -> str:
        return str(self.path) if self.path else self.engine.url.render_as_string(hide_password=True)

    def close(self) -> None:
        self._owned_engine.dispose()
        if self._temporary is not None:
            self._temporary.cleanup()
            self._temporary = None

    @contextmanager
    def read(self) -> Iterator[Session]:
        with translate_db_errors(self.display_name), self._read_sessions() as session:
            yield session

    @contextmanager
    def write(
        self, action: str, *, undoable: bool = True, undoes_id: int | None = None
    ) -> Iterator[WriteUnit]:
        """One transaction: commit everything with an audit entry, or roll back everything."""
        self.require_writable(action)
        session = self._write_sessions()
        changes: list[Any] = []
        note: WriterNote | None = None
        try:
            with translate_db_errors(self.display_name):
                note = self._begin_writing(session, action)
                # The coder row is not part of the action: undo must not remove the person.
                coder = self.ensure_coder(session, self.coder_name)
                session.info[audit.RECORD_KEY] = changes
                unit = WriteUnit(
                    session=session,
                    coder=coder,
                    action=action,
                    undoable=undoable,
                    undoes_id=undoes_id,
                )
                yield unit
                session.flush()
                session.info.pop(audit.RECORD_KEY, None)
                session.add(
                    AuditEntry(
                        coder=self.coder_name,
                        action=unit.action,
                        summary=unit.summary,
                        changes=changes + unit.extra_changes if undoable else [],
                        undoable=undoable,
                        undoes_id=unit.undoes_id,
                    )
                )
                session.flush()
                # Taken away while the lock is still ours: a note is never left for a writer
                # that has finished.
                self._end_writing(note)
                note = None
                session.commit()
        except IntegrityError as exc:
            session.rollback()
            raise UserError(f"{action}: conflicting change ({_integrity_reason(exc)})") from exc
        except OperationalError:
            session.rollback()
            raise
        except BaseException:
            session.rollback()
            raise
        finally:
            self._end_writing(note)
            session.close()

    def _begin_writing(self, session: Session, action: str) -> WriterNote | None:
        """Take SQLite's write lock (asked in short steps), saying what we wait for, and put the
        writer note down. Another lo-codebook process that writes (a long import) is waited for
        as long as it runs, with a line now and then; a lock held by something else for longer
        than the busy timeout is one clear error."""
        path = self.path
        if path is None:  # PostgreSQL: writers do not queue for one lock
            return None
        limit = BUSY_TIMEOUT_MS / 1000
        started = time.monotonic()
        unknown_since: float | None = None
        told: tuple[str, float] | None = None  # (holder token, when)
        while True:
            try:
                session.connection()
                break
            except OperationalError as exc:
                if not is_busy(exc):
                    raise
                session.rollback()
            now = time.monotonic()
            holder = read_note(path)
            if holder is not None and holder.alive:
                unknown_since = None
                waited = now - started
                if told is None or told[0] != holder.token:
                    self._tell(f"waiting for another process's {holder.describe()} to finish…")
                    told = (holder.token, now)
                elif now - told[1] >= WAIT_REPORT_SECONDS:
                    self._tell(
                        f"still waiting for {holder.action} (pid {holder.pid}): {waited:.0f} s so far…"
                    )
                    told = (holder.token, now)
                continue
            unknown_since = (
                unknown_since if unknown_since is not None else now - WRITE_WAIT_STEP_MS / 1000
            )
            if now - unknown_since >= limit:
                raise UserError(
                    f"{action}: the project has been locked for more than {limit:.0f} s by another "
                    "program (no lo-codebook write is running: a database browser, a backup or a "
                    "sync tool?); close it and try again",
                    file=path,
                )
        if told is not None:
            self._tell(
                f"the other write has finished; going on with {action} (waited {time.monotonic() - started:.0f} s)"
            )
        return put_note(path, action, self.coder_name)

    def _end_writing(self, note: WriterNote | None) -> None:
        path = self.path
        if note is not None and path is not None:
            take_note_away(path, note)

    def _tell(self, message: str) -> None:
        if self.on_wait is not None:
            self.on_wait(message)

    @staticmethod
    def ensure_coder(session: Session, name: str) -> Coder:
        return coder_named(session, name)

    # settings -----------------------------------------------------------------------------
    def setting(self, key: str) -> str | None:
        with self.read() as session:
            row = session.get(Setting, key)
            return row.value if row else DEFAULT_SETTINGS.get(key)

    def set_setting(self, key: str, value: str) -> None:
        with self.write("setting") as unit:
            row = unit.session.get(Setting, key)
            if row is None:
                unit.session.add(Setting(key=key, value=value))
            else:
                row.value = value
            unit.summary = f"set {key} to {value!r}"

    @property
    def language(self) -> str:
        return self.setting("language") or "nl"

    # undo / redo --------------------------------------------------------------------------
    def undo(
        self, *, redo: bool = False, entry_id: int | None = None, label: str | None = None
    ) -> str:
        """Reverse this coder's last action (or the last undo, for redo), or one given audit
        entry (`unmerge`, `lo-codebook undo --entry N`); returns what happened, in words:
        `undone: added code 'Werkdruk' (#12 code-add)`, `redone: ...` (`unmerged: ...` for `label`
        "unmerge"), always naming the original action, however many undos and redos ago.

        Only what the entry still owns is reversed: when later work (anyone's) builds on it,
        this refuses with a UserError naming that work (`label` starts the message) and
        changes nothing. One coder's undos run one at a time, each seeing the one before.
        """
        with self.write("redo" if redo else "undo") as unit:
            session = unit.session
            # Two undos at once by one coder queue here (SQLite's write lock does this for
            # every writer): the second picks its entry after the first has committed.
            session.execute(
                select(Coder.id).where(Coder.id == unit.coder.id).with_for_update(key_share=True)
            )
            if entry_id is not None:
                target = _locked_entry(session, entry_id)
                if target is None or not target.undoable:
                    raise UserError(f"log entry #{entry_id} does not exist or cannot be undone")
                if target.undone:
                    raise UserError(f"log entry #{entry_id} is already undone")
                target = audit.in_effect_through(session, target)
            else:
                found = audit.last_entry(session, self.coder_name, redo=redo)
                target = _locked_entry(session, audit.require_entry(found, redo=redo).id)
                if target is None or target.undone:  # someone else undid it a moment ago
                    raise UserError("that action was just undone by someone else; try again")
            redo = target.action == "undo"
            unit.action = "redo" if redo else "undo"
            unit.undoes_id = target.id
            # However long the chain of undos and redos, say which action it is about.
            words = audit.in_words(audit.original_action(session, target)[0])
            undo_scope.reverse(session, target, label=label or unit.action)
            audit.mark_reversed(session, target)
            taken_back = not redo  # reversing an undo puts the action back
            unit.summary = f"{'undid' if taken_back else 'redid'} {words}"
        if label == "unmerge" and taken_back:
            return f"unmerged: {words}"
        return f"{'undone' if taken_back else 'redone'}: {words}"


def coder_named(session: Session, name: str, guid: str | None = None) -> Coder:
    """The coder row called `name`, added when missing.

    Two processes adding the same new coder at once (team mode on PostgreSQL): the second
    INSERT waits for the first transaction and, when that commits, fails on the unique name;
    the savepoint takes just that INSERT back and the row the other process made is used.
    """
    coder = find_coder(session, name)  # the same person however the name is cased
    if coder is not None:
        return coder
    check_name(name, "coder name")
    try:
        with session.begin_nested():
            coder = Coder(name=name, guid=guid)
            session.add(coder)
    except IntegrityError:
        coder = find_coder(session, name)
        if coder is None:
            raise
    return coder


def serialise(session: Session, kind: str) -> None:
    """See `WriteUnit.serialise`."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(
            text("SELECT pg_advisory_xact_lock(hashtext(coalesce(current_schema(), '') || :key))"),
            {"key": f":lo_codebook:{kind}"},
        )


def _shown_url(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=True)


def _locked_entry(session: Session, entry_id: int) -> AuditEntry | None:
    """The log entry as committed now, locked until this unit commits (PostgreSQL)."""
    return session.get(AuditEntry, entry_id, with_for_update=True, populate_existing=True)


def _integrity_reason(exc: IntegrityError) -> str:
    text = str(exc.orig).splitlines()[0] if exc.orig else str(exc)
    return text
