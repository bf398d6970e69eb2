"""Alembic is the only way the schema changes: upgrade head must equal the models exactly."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

from lo_codebook.core.project import Project
from lo_codebook.db.engine import SCHEMA_HEAD, alembic_config, head_revision, make_engine, upgrade
from lo_codebook.db.models import Base


def test_upgrade_head_on_empty_database_equals_models(db_url: str) -> None:
    engine = make_engine(db_url)
    upgrade(engine)
    with engine.connect() as conn:
        diff = compare_metadata(
            MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata
        )
    assert diff == []
    assert set(inspect(engine).get_table_names()) >= {t.name for t in Base.metadata.sorted_tables}
    engine.dispose()


def test_sqlite_connection_rules(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'p.db'}")
    upgrade(engine)  # WAL is switched on once the file is known to be a project
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() == 30000
    engine.dispose()


def test_opening_an_older_project_backs_it_up_and_keeps_its_data(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    engine = make_engine(f"sqlite:///{path}")
    config = alembic_config(engine)
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0001")
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO coder (name, created) VALUES ('oud', '2025-01-01')"))
    engine.dispose()

    project = Project.open(path, "tester")
    assert project.backup_path is not None and project.backup_path.exists()
    with project.read() as session:
        assert session.execute(text("SELECT name FROM coder")).scalar() == "oud"
        assert session.execute(
            text("SELECT version_num FROM alembic_version")
        ).scalar() == head_revision(project.engine)
    project.close()
    backup = sqlite3.connect(project.backup_path)
    assert backup.execute("SELECT version_num FROM alembic_version").fetchone()[0] == "0001"
    assert backup.execute("SELECT name FROM coder").fetchone()[0] == "oud"
    backup.close()


def test_a_current_project_is_not_backed_up_again(tmp_path: Path) -> None:
    Project.open(tmp_path / "p.db", "a").close()
    project = Project.open(tmp_path / "p.db", "a")
    assert project.backup_path is None
    project.close()
    assert [p.name for p in tmp_path.iterdir() if ".bak-" in p.name] == []


def test_schema_head_constant_is_the_newest_migration(tmp_path: Path) -> None:
    """Opening a current project skips Alembic by comparing with SCHEMA_HEAD: it must not drift."""
    engine = make_engine(f"sqlite:///{tmp_path / 'p.db'}")
    try:
        assert head_revision(engine) == SCHEMA_HEAD
    finally:
        engine.dispose()


def test_a_current_project_opens_without_importing_alembic(tmp_path: Path) -> None:
    import subprocess
    import sys

    Project.open(tmp_path / "p.db", "anna").close()
    code = (
        "import sys; from lo_codebook.core.project import Project; "
        f"Project.open({str(tmp_path / 'p.db')!r}, 'anna', create=False).close(); "
        "print('alembic' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_upgrading_an_older_project_keeps_codings_that_point_at_rebuilt_tables(
    tmp_path: Path,
) -> None:
    """SQLite alters a table by rebuilding it (copy, drop, rename): with foreign keys
    enforced during the upgrade, dropping `code` failed or cascaded into the codings."""
    path = tmp_path / "old.db"
    engine = make_engine(f"sqlite:///{path}")
    config = alembic_config(engine)
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0003")
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO coder (id, name, created) VALUES (1, 'oud', '2025-01-01')"))
        conn.execute(
            text(
                "INSERT INTO code (id, name, description, keywords, position, created) VALUES (1, 'Werkdruk', '', '[]', 0, '2025-01-01')"
            )
        )
        doc_columns = {c["name"] for c in inspect(conn).get_columns("document")}
        values = {
            "id": 1,
            "name": "R1",
            "kind": "survey",
            "text": "te veel werk",
            "words": 3,
            "content_hash": "h",
            "created": "2025-01-01",
            "position": 0,
            "source": "",
            "source_format": "csv",
        }
        row = {k: v for k, v in values.items() if k in doc_columns}
        conn.execute(
            text(
                f"INSERT INTO document ({', '.join(row)}) VALUES ({', '.join(':' + k for k in row)})"
            ),
            row,
        )
        conn.execute(
            text(
                "INSERT INTO coding (document_id, code_id, coder_id, start, \"end\", created, origin) VALUES (1, 1, 1, 0, 12, '2025-01-01', 'manual')"
            )
        )
    engine.dispose()

    project = Project.open(path, "tester")
    with project.read() as session:
        assert session.execute(text("SELECT count(*) FROM coding")).scalar() == 1
        assert session.execute(text("SELECT name_key FROM code")).scalar() == "werkdruk"
        assert session.execute(text("PRAGMA foreign_keys")).scalar() == 1
    project.close()
