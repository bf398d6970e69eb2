"""A project: one database, the current coder, and units of work (one transaction each).

Every operation that changes data runs inside `Project.write(...)`, which records the row
changes in the audit log; reads use `Project.read()`. Both the CLI and the UI go through here.
"""

from __future__ import annotations

import getpass
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from lo_codebook.core import audit, undo_scope
from lo_codebook.db.engine import (
    WRITE_OPTION,
    make_engine,
    resolve_url,
    sqlite_path,
    translate_db_errors,
    upgrade,
)
from lo_codebook.db.models import AuditEntry, Coder, Setting
from lo_codebook.errors import UserError

DEFAULT_SETTINGS = {"language": "nl"}


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

    def note_bulk_insert(self, table: str, ids: list[int]) -> None:
        """Record rows inserted with Core `insert()` (no ORM events) so undo can remove them."""
        if ids:
            self.extra_changes.append(["I", table, ids])


class Project:
    """An open project database and the coder working on it."""

    def __init__(self, engine: Engine, coder: str, url: str):
        self.engine = engine
        self.url = url
        self.coder_name = coder
        self._read_sessions = sessionmaker(engine, expire_on_commit=False)
        self._write_sessions = sessionmaker(
            engine.execution_options(**{WRITE_OPTION: True}), expire_on_commit=False
        )
        self.backup_path: Path | None = None

    @classmethod
    def open(
        cls, db: str | os.PathLike[str] | None = None, coder: str | None = None, *, create: bool = True
    ) -> Project:
        """Open (and create or upgrade) the project; `create=False` refuses a missing SQLite file."""
        url = resolve_url(db)
        path = sqlite_path(url)
        if path is not None and not create and not path.exists():
            raise UserError(
                "no project here; create one with `lo-codebook init` or import files", file=path
            )
        engine = make_engine(url)
        with translate_db_errors(str(path) if path else None):
            backup = upgrade(engine)
        project = cls(engine, coder or default_coder(), url)
        project.backup_path = backup
        return project

    @property
    def path(self) -> Path | None:
        return sqlite_path(self.url)

    @property
    def display_name(self) -> str:
        return str(self.path) if self.path else self.engine.url.render_as_string(hide_password=True)

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def read(self) -> Iterator[Session]:
        with translate_db_errors(self.display_name), self._read_sessions() as session:
            yield session

    @contextmanager
    def write(
        self, action: str, *, undoable: bool = True, undoes_id: int | None = None
    ) -> Iterator[WriteUnit]:
        """One transaction: commit everything with an audit entry, or roll back everything."""
        session = self._write_sessions()
        changes: list[Any] = []
        try:
            with translate_db_errors(self.display_name):
                # The coder row is not part of the action: undo must not remove the person.
                coder = self.ensure_coder(session, self.coder_name)
                session.info[audit.RECORD_KEY] = changes
                unit = WriteUnit(
                    session=session, coder=coder, action=action, undoable=undoable, undoes_id=undoes_id
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
            session.close()

    @staticmethod
    def ensure_coder(session: Session, name: str) -> Coder:
        coder = session.scalar(select(Coder).where(Coder.name == name))
        if coder is None:
            coder = Coder(name=name)
            session.add(coder)
            session.flush()
        return coder

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


def _locked_entry(session: Session, entry_id: int) -> AuditEntry | None:
    """The log entry as committed now, locked until this unit commits (PostgreSQL)."""
    return session.get(AuditEntry, entry_id, with_for_update=True, populate_existing=True)


def _integrity_reason(exc: IntegrityError) -> str:
    text = str(exc.orig).splitlines()[0] if exc.orig else str(exc)
    return text
