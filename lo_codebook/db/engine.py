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
from importlib import resources
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DatabaseError, OperationalError

from lo_codebook.errors import UserError

DEFAULT_DB_FILE = "lo_codebook.db"
BUSY_TIMEOUT_MS = 30_000
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
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


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
    try:
        packaged = Path(str(resources.files("lo_codebook.migrations")))
        if (packaged / "env.py").exists():
            return packaged
    except ModuleNotFoundError:
        pass
    return Path(__file__).resolve().parents[2] / "migrations"


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
SCHEMA_HEAD = "0003"


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
    """Copy a SQLite project with the online-backup API (safe with WAL) to a timestamped file."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    target = path.with_name(f"{path.name}.{reason}-{stamp}")
    partial = path.with_name(f".{path.name}.{stamp}.partial")
    source = sqlite3.connect(str(path))
    try:
        dest = sqlite3.connect(str(partial))
        try:
            source.backup(dest)
        finally:
            dest.close()
        # A backup either exists whole or not at all, even if we are killed half-way.
        partial.replace(target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    finally:
        source.close()
    return target


def upgrade(engine: Engine) -> Path | None:
    """Bring the schema to head; back up an older SQLite project first. Returns the backup path."""
    try:
        tables = set(inspect(engine).get_table_names())
    except DatabaseError as exc:
        where = sqlite_path(engine.url.render_as_string(hide_password=False))
        raise UserError(f"cannot open the project database: {_first_line(exc)}", file=where) from exc
    if tables and "alembic_version" not in tables:
        raise UserError(
            "this database is not a lo-codebook project (it has other tables); "
            "use another --db",
            file=sqlite_path(str(engine.url)) or engine.url.render_as_string(),
        )
    if is_sqlite(engine):
        enable_wal(engine)
    if tables and _stored_revision(engine) == SCHEMA_HEAD:
        return None
    current = current_revision(engine) if tables else None
    head = head_revision(engine)
    if current == head:
        return None
    backup: Path | None = None
    path = sqlite_path(engine.url.render_as_string(hide_password=False))
    if current is not None and path is not None and path.exists():
        backup = backup_sqlite(path, BACKUP_SUFFIX)
    from alembic import command

    config = alembic_config(engine)
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "head")
    return backup


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

