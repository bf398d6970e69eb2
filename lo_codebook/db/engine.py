"""Engines for any SQLAlchemy URL, SQLite set up for safety (FKs, WAL), Alembic at run time.

Writers on SQLite start with `BEGIN IMMEDIATE` so that two processes coding at once wait
for each other (busy timeout) instead of failing when a reader upgrades to a writer.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DatabaseError, OperationalError
from sqlalchemy.pool import QueuePool

from lo_codebook.db import limits as _limits  # noqa: F401 - registers the length checks
from lo_codebook.db.files import CHECKOUT_ROOT, bundled_dir, clean_leftovers, connect_readonly
from lo_codebook.errors import UserError
from lo_codebook.safe_output import atomic_path

DEFAULT_DB_FILE = "lo_codebook.db"


def _busy_timeout_ms() -> int:
    """How long SQLite waits for a lock: `LO_CODEBOOK_BUSY_TIMEOUT` seconds, default 30."""
    try:
        seconds = float(os.environ.get("LO_CODEBOOK_BUSY_TIMEOUT", "30"))
    except ValueError:
        seconds = 30.0
    return max(100, int(seconds * 1000))


BUSY_TIMEOUT_MS = _busy_timeout_ms()
#: A writer asks for the write lock in steps this long, so that between steps it can say
#: what it waits for (see `Project.write`) instead of waiting mutely and failing.
WRITE_WAIT_STEP_MS = 1_000
#: Backups are `<file>.bak-<timestamp>`: before an upgrade and from `lo-codebook backup` alike.
BACKUP_SUFFIX = "bak"
WRITE_OPTION = "lo_codebook_write"


def resolve_url(db: str | os.PathLike[str] | None = None) -> str:
    """`--db` value, else `LO_CODEBOOK_DB`, else `lo_codebook.db` here; paths become SQLite URLs."""
    value = str(db) if db is not None else os.environ.get("LO_CODEBOOK_DB") or DEFAULT_DB_FILE
    if "://" in value:
        if value.startswith("postgresql://") or value.startswith("postgres://"):
            value = "postgresql+psycopg://" + value.split("://", 1)[1]
        return value
    return "sqlite:///" + str(Path(value).expanduser().resolve())


def sqlite_path(url: str) -> Path | None:
    """The file behind a SQLite URL, or None for other databases and in-memory SQLite."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database:
        return None
    if parsed.database == ":memory:":
        return None
    return Path(parsed.database)


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def make_engine(url: str) -> Engine:
    """Create an engine with the project's connection rules applied."""
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise UserError(f"not a database URL or path: {url!r}") from exc
    if parsed.get_backend_name() == "sqlite":
        path = sqlite_path(url)
        if path is not None and not path.parent.exists():
            raise UserError("folder does not exist", file=path.parent)
        engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
        _configure_sqlite(engine)
        return engine
    try:
        return create_engine(url, pool_pre_ping=True)
    except ModuleNotFoundError as exc:
        raise UserError(
            f"the database driver is not installed ({exc.name}); "
            "install it, e.g. pip install 'lo-codebook[postgres]'"
        ) from exc


def make_readonly_engine(path: Path) -> Engine:
    """An engine that reads the SQLite file `path` and can neither change it nor create
    anything beside it (`mode=ro`, or `immutable=1` when no `-wal` file exists)."""
    engine = create_engine(
        "sqlite://",
        creator=lambda: connect_readonly(path, BUSY_TIMEOUT_MS / 1000),
        poolclass=QueuePool,
    )
    _configure_sqlite(engine)
    return engine


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
        # Let SQLAlchemy's "begin" event decide how transactions start (see below).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn) -> None:  # type: ignore[no-untyped-def]
        immediate = conn.get_execution_options().get(WRITE_OPTION, False)
        if not immediate:
            conn.exec_driver_sql("BEGIN")
            return
        conn.exec_driver_sql(f"PRAGMA busy_timeout={min(WRITE_WAIT_STEP_MS, BUSY_TIMEOUT_MS)}")
        try:
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        finally:
            conn.exec_driver_sql(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")


def is_busy(exc: BaseException) -> bool:
    """Is this SQLite's "database is locked" (another connection holds the lock)?"""
    orig = getattr(exc, "orig", exc)
    return isinstance(orig, sqlite3.OperationalError) and (
        "locked" in str(orig) or "busy" in str(orig)
    )


def enable_wal(engine: Engine) -> None:
    """Switch a project file to WAL (persistent in the file), only once we know it is ours:
    another application's database must not be changed by merely opening it."""
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()
    finally:
        raw.close()


def migrations_dir() -> Path:
    """Where Alembic's env.py lives: inside the installed package, or `migrations/` in a checkout."""
    return bundled_dir("lo_codebook.migrations", "env.py", "migrations") or (
        CHECKOUT_ROOT / "migrations"
    )


def alembic_config(engine: Engine):  # type: ignore[no-untyped-def]
    """An Alembic Config built in code, so no alembic.ini is needed where the user runs us."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    # `%` must be doubled for configparser (URLs carry %-escapes, e.g. search_path options).
    url = engine.url.render_as_string(hide_password=False).replace("%", "%%")
    config.set_main_option("sqlalchemy.url", url)
    return config


#: The newest migration. Opening an up-to-date project compares against this constant, so
#: everyday commands do not import Alembic at all (tests keep it equal to the scripts' head).
SCHEMA_HEAD = "0005_validation"


def _stored_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()


def head_revision(engine: Engine) -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config(engine)).get_current_head()
    assert head is not None, "migrations/versions has no revision"
    return head


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def backup_sqlite(path: Path, reason: str = BACKUP_SUFFIX) -> Path:
    """Copy a SQLite project with the online-backup API (safe with WAL) to a timestamped file.

    The copy is written under a hidden temporary name and renamed when complete; leftovers
    of copies whose process was killed are removed first. It keeps the project's permissions.
    """
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    target = path.with_name(f"{path.name}.{reason}-{stamp}")
    clean_leftovers(path.parent)
    # A backup either exists whole or not at all, even if we are killed half-way.
    with atomic_path(target, mode=path.stat().st_mode & 0o777) as partial:
        source = sqlite3.connect(str(path))
        try:
            dest = sqlite3.connect(str(partial))
            try:
                source.backup(dest)
            finally:
                dest.close()
        finally:
            source.close()
    return target


def newer_schema_message(revision: str) -> str:
    """The one line for a project that a newer lo-codebook wrote."""
    return (
        f"this project was written by a newer lo-codebook (schema {revision}, this version "
        f"knows up to {SCHEMA_HEAD}); upgrade lo-codebook"
    )


def known_revisions(engine: Engine) -> set[str]:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config(engine))
    return {rev.revision for rev in script.walk_revisions()}


def _where(engine: Engine, fallback: str | os.PathLike[str] | None = None) -> str | Path:
    if fallback is not None:
        return Path(fallback)
    return (
        sqlite_path(engine.url.render_as_string(hide_password=False))
        or engine.url.render_as_string()
    )


def project_revision(engine: Engine, where: str | os.PathLike[str] | None = None) -> str | None:
    """The schema revision of the project behind `engine` (None: an empty database).

    Refuses, with one clear line and before anything is written, a database that is not a
    lo-codebook project and a project that a newer lo-codebook wrote.
    """
    try:
        tables = set(inspect(engine).get_table_names())
    except DatabaseError as exc:
        raise UserError(
            f"cannot open the project database: {_first_line(exc)}", file=_where(engine, where)
        ) from exc
    if not tables:
        return None
    if "alembic_version" not in tables:
        raise UserError(
            "this database is not a lo-codebook project (it has other tables); use another --db",
            file=_where(engine, where),
        )
    stored = _stored_revision(engine)
    if stored == SCHEMA_HEAD:
        return stored
    if stored is None:
        raise UserError(
            "not a lo-codebook project (no schema revision recorded)", file=_where(engine, where)
        )
    if stored not in known_revisions(engine):
        raise UserError(newer_schema_message(stored), file=_where(engine, where))
    return stored


def upgrade(engine: Engine, *, backup: bool = True) -> Path | None:
    """Bring the schema to head; back up an older SQLite project first. Returns the backup path.

    A project from a newer lo-codebook is refused before anything is touched (no backup, no
    journal-mode change).
    """
    current = project_revision(engine)
    if is_sqlite(engine) and current is not None:
        enable_wal(engine)
    if current == SCHEMA_HEAD:
        return None
    saved: Path | None = None
    path = sqlite_path(engine.url.render_as_string(hide_password=False))
    if backup and current is not None and path is not None and path.exists():
        saved = backup_sqlite(path, BACKUP_SUFFIX)
    from alembic import command

    config = alembic_config(engine)
    with engine.connect() as conn:
        raw = conn.connection.dbapi_connection if is_sqlite(engine) else None
        if raw is not None:
            # SQLite rebuilds a table to alter it (copy, drop, rename): with foreign keys
            # enforced, dropping the old table fails or cascades into the rows that point
            # at it. Off for the migration (outside the transaction, where the pragma
            # works); every reference is checked before the upgrade commits.
            raw.execute("PRAGMA foreign_keys=OFF")
        try:
            with conn.begin():
                config.attributes["connection"] = conn
                command.upgrade(config, "head")
                if raw is not None:
                    broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        raise RuntimeError(
                            f"the upgrade left {len(broken)} broken references; nothing was changed"
                        )
        finally:
            if raw is not None:
                raw.execute("PRAGMA foreign_keys=ON")
    if is_sqlite(engine) and current is None:
        enable_wal(engine)
    return saved


def _first_line(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", exc)) or exc.__class__.__name__
    return text.splitlines()[0]


@contextmanager
def translate_db_errors(where: str | None = None) -> Iterator[None]:
    """Turn connection failures into one-line user errors (wrong URL, server down, locked file)."""
    try:
        yield
    except OperationalError as exc:
        raise UserError(f"database error: {_first_line(exc)}", file=where) from exc
