"""Project files: a project from a newer version, read-only media, another coder's file that
`merge-project` reads, and what killed backups leave behind. Real SQLite files throughout."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from lo_codebook.core.project import Project
from lo_codebook.db.engine import SCHEMA_HEAD
from lo_codebook.errors import UserError

from .conftest import SAMPLE, run_cli

SURVEY = SAMPLE / "survey" / "lo_enquete_qualtrics.csv"
NEWER = "0099"


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file in a folder with its bytes: "untouched" means this is equal afterwards."""
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def one_error_line(result, *needles: str) -> str:  # type: ignore[no-untyped-def]
    assert result.code == 1, (result.code, result.out, result.err)
    lines = result.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("lo-codebook: error: "), result.err
    for needle in needles:
        assert needle in lines[0], (needle, lines[0])
    return lines[0]


def set_revision(path: Path, revision: str) -> None:
    conn = sqlite3.connect(path)
    conn.execute("UPDATE alembic_version SET version_num = ?", (revision,))
    conn.commit()
    conn.close()


def standalone_copy(env: dict[str, str], target: Path, revision: str | None = None) -> Path:
    """A closed WAL project file as a coder has it on disk (no -wal/-shm, nobody using it)."""
    from lo_codebook.core.backup import backup_project

    target.parent.mkdir(exist_ok=True)
    backup_project(env["LO_CODEBOOK_DB"], target)
    conn = sqlite3.connect(target)
    assert conn.execute("PRAGMA journal_mode=WAL").fetchone()[0] == "wal"
    if revision is not None:
        conn.execute("UPDATE alembic_version SET version_num = ?", (revision,))
        conn.commit()
    conn.close()
    assert sorted(p.name for p in target.parent.iterdir()) == [target.name]
    return target


@pytest.fixture
def seeded(tmp_path: Path) -> dict[str, str]:
    folder = tmp_path / "studie"
    folder.mkdir()
    env = {"LO_CODEBOOK_DB": str(folder / "studie.db"), "LO_CODEBOOK_CODER": "anna"}
    assert run_cli("codebook", "import", SAMPLE / "codebook.csv", env=env).code == 0
    assert run_cli("import-survey", SURVEY, "--id-col", "ResponseId", "--text-col", "Q4", env=env).code == 0
    return env


# ----------------------------------------------------------------------- 7. a newer project

NEWER_LINE = (
    f"this project was written by a newer lo-codebook (schema {NEWER}, this version knows up to "
    f"{SCHEMA_HEAD}); upgrade lo-codebook"
)


def test_a_project_from_a_newer_version_is_refused_untouched(seeded: dict[str, str], tmp_path: Path) -> None:
    db = standalone_copy(seeded, tmp_path / "toekomst" / "studie.db", NEWER)
    seeded = {**seeded, "LO_CODEBOOK_DB": str(db)}
    before = snapshot(db.parent)
    commands = [
        ("status",),
        ("documents", "--format", "json"),
        ("themes",),
        ("log",),
        ("init",),
        ("import", SAMPLE / "interviews" / "interview_01_lindewaard.txt"),
        ("suggest",),
        ("backup",),
    ]
    for args in commands:
        result = run_cli(*args, env=seeded)
        line = one_error_line(result, NEWER_LINE, str(db))
        print(f"{args[0]}: {line}")
    # No backup copy, no -wal/-shm left, the file byte for byte as it was.
    assert snapshot(db.parent) == before


def test_a_newer_project_is_refused_on_any_database(db_url: str) -> None:
    Project.open(db_url, "anna").close()
    from sqlalchemy import text

    from lo_codebook.db.engine import make_engine

    engine = make_engine(db_url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": NEWER})
    with pytest.raises(UserError) as caught:
        Project.open(db_url, "anna")
    assert NEWER_LINE in str(caught.value)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == NEWER
    engine.dispose()


# ----------------------------------------------------------------- 12. killed backups' leftovers

KILL_DURING_BACKUP = textwrap.dedent(
    """
    import os, signal, sys
    from lo_codebook.core import backup

    def killed(path):  # the copy is written; the process dies before it is checked and named
        os.kill(os.getpid(), signal.SIGKILL)

    backup._force_rollback_journal = killed
    backup.backup_project(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else None)
    """
)

KILL_DURING_UPGRADE_BACKUP = textwrap.dedent(
    """
    import os, signal, sys
    from pathlib import Path

    def killed(self, target):
        os.kill(os.getpid(), signal.SIGKILL)

    Path.replace = killed
    from lo_codebook.db.engine import backup_sqlite
    backup_sqlite(Path(sys.argv[1]), "premerge")
    """
)


def _killed(script: str, *args: str | Path) -> None:
    done = subprocess.run([sys.executable, "-c", script, *map(str, args)], capture_output=True, text=True)
    assert done.returncode == -signal.SIGKILL, done.stderr


def _hidden(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def test_leftovers_of_killed_backups_are_cleaned_on_the_next_run(seeded: dict[str, str], tmp_path: Path) -> None:
    db = Path(seeded["LO_CODEBOOK_DB"])
    elsewhere = tmp_path / "backups"
    elsewhere.mkdir()
    _killed(KILL_DURING_BACKUP, db)
    first = _hidden(db.parent)
    print("left by a killed backup:", first)
    assert len(first) == 1 and first[0].endswith(".partial"), first
    # A hidden copy of the data.
    assert (db.parent / first[0]).stat().st_size > 100_000
    _killed(KILL_DURING_BACKUP, db, elsewhere / "kopie.db")
    assert len(_hidden(elsewhere)) == 1
    # The next run (itself killed) removes the first leftover; only its own remains.
    _killed(KILL_DURING_UPGRADE_BACKUP, db)
    second = _hidden(db.parent)
    print("after a second killed backup:", second)
    assert len(second) == 1 and ".premerge-" in second[0], second

    result = run_cli("backup", env=seeded)
    assert result.code == 0, result.err
    result = run_cli("backup", elsewhere, env=seeded)
    assert result.code == 0, result.err
    assert _hidden(db.parent) == [] and _hidden(elsewhere) == []
    backups = [p.name for p in db.parent.iterdir() if ".backup-" in p.name]
    assert len(backups) == 1 and len(list(elsewhere.iterdir())) == 1


def test_a_backup_still_being_written_is_left_alone(seeded: dict[str, str]) -> None:
    """Another process's copy in progress (its process is alive) is not a leftover."""
    from lo_codebook.db import files

    db = Path(seeded["LO_CODEBOOK_DB"])
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        host = files._host_tag()
        running = db.parent / f".{db.name}.backup-x.{host}-{sleeper.pid}-0123abcd.partial"
        running.write_bytes(b"in progress")
        dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
        gone = db.parent / f".{db.name}.backup-y.{host}-{int(dead.stdout)}-4567cdef.partial"
        gone.write_bytes(b"left behind")
        legacy = db.parent / f".{db.name}.20240101-101010-000000.partial"
        legacy.write_bytes(b"left by an older version")
        two_hours_ago = time.time() - 7200
        os.utime(legacy, (two_hours_ago, two_hours_ago))
        recent_legacy = db.parent / f".{db.name}.abcd_123.partial"
        recent_legacy.write_bytes(b"maybe an older version's backup running now")
        assert run_cli("backup", env=seeded).code == 0
        assert running.exists() and recent_legacy.exists()
        assert not gone.exists() and not legacy.exists()
    finally:
        sleeper.kill()
        sleeper.wait()
