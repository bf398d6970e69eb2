"""A long write (an import of many documents, one transaction) and another coder's one-row
write at the same time, in two real processes.

SQLite lets one writer at a time: the second one waits, says what it waits for (the other
process's action, pid and coder), keeps waiting past the busy timeout while that process
runs, and then does its work. A lock held by some other program fails after the busy timeout
with one line that says so. On PostgreSQL the one-row write does not wait at all.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import select

from lo_codebook.core.project import Project
from lo_codebook.db.models import Case, PseudonymName

from .conftest import pg_schema_url

HOLDER = """
import sys, time
from pathlib import Path
from lo_codebook.core.project import Project
from lo_codebook.db.models import Case
db, ready, release = sys.argv[1:4]
project = Project.open(db, "anna")
with project.write("import-qdpx") as unit:
    unit.session.add(Case(name="Gemeente Holder"))
    unit.session.flush()
    Path(ready).touch()
    deadline = time.time() + 90
    while not Path(release).exists() and time.time() < deadline:
        time.sleep(0.05)
    unit.summary = "a long import"
project.close()
"""


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("LO_CODEBOOK_DB", "LO_CODEBOOK_CODER")}
    env.update(extra)
    return env


def _wait_for(condition, seconds: float) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


def _start_holder(db: str, tmp_path: Path) -> tuple[subprocess.Popen[bytes], Path]:
    ready, release = tmp_path / "ready", tmp_path / "release"
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, db, str(ready), str(release)], env=_env(), cwd=tmp_path
    )
    assert _wait_for(ready.exists, 60), "the long write did not start"
    return holder, release


def _one_row_write(db: str, tmp_path: Path, **env: str) -> tuple[subprocess.Popen[bytes], Path]:
    err = tmp_path / "writer.err"
    handle = err.open("wb")
    writer = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "lo_codebook",
            "--db",
            db,
            "--coder",
            "bram",
            "names",
            "add",
            "Jan de Boer",
        ],
        env=_env(**env),
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=handle,
    )
    handle.close()
    return writer, err


def test_a_waiting_writer_says_what_it_waits_for_and_outlasts_the_timeout(tmp_path: Path) -> None:
    db = str(tmp_path / "project.db")
    Project.open(db, "anna").close()
    holder, release = _start_holder(db, tmp_path)
    try:
        writer, err = _one_row_write(db, tmp_path, LO_CODEBOOK_BUSY_TIMEOUT="2")
        expected = (
            f"waiting for another process's import-qdpx (pid {holder.pid}, coder anna, started "
        )
        told = _wait_for(lambda: expected in err.read_text("utf-8"), 20)
        assert told, err.read_text("utf-8")
        time.sleep(4)  # twice the busy timeout: it keeps waiting while the import runs
        assert writer.poll() is None, err.read_text("utf-8")
    finally:
        release.touch()
    assert writer.wait(60) == 0, err.read_text("utf-8")
    assert holder.wait(60) == 0
    lines = err.read_text("utf-8").splitlines()
    assert lines[0].startswith(expected) and lines[0].endswith("to finish…")
    assert "the other write has finished; going on with names-add" in lines[-1]
    project = Project.open(db, "check")
    try:
        with project.read() as session:
            assert session.scalars(select(PseudonymName.name)).all() == ["Jan de Boer"]
            assert session.scalars(select(Case.name)).all() == ["Gemeente Holder"]
    finally:
        project.close()
    assert not Path(db + "-writer").exists()


def test_a_lock_held_by_another_program_is_one_clear_line(tmp_path: Path) -> None:
    db = tmp_path / "project.db"
    Project.open(db, "anna").close()
    # A note left by a lo-codebook process that was killed is not taken for a running one.
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    Path(f"{db}-writer").write_text(
        f'{{"pid": {dead.pid}, "host": "{os.uname().nodename}", "action": "import", "coder": "x", '
        '"started": 0, "token": "t"}',
        encoding="utf-8",
    )
    browser = sqlite3.connect(db, isolation_level=None)
    browser.execute("BEGIN IMMEDIATE")  # a database browser with unsaved changes
    try:
        writer, err = _one_row_write(str(db), tmp_path, LO_CODEBOOK_BUSY_TIMEOUT="2")
        code = writer.wait(30)
    finally:
        browser.execute("ROLLBACK")
        browser.close()
    lines = err.read_text("utf-8").strip().splitlines()
    assert code == 1
    assert len(lines) == 1, lines
    assert "names-add: the project has been locked for more than 2 s by another program" in lines[0]
    assert str(db) in lines[0] and "Traceback" not in lines[0]


@pytest.mark.pg
def test_on_postgresql_the_one_row_write_does_not_wait(tmp_path: Path) -> None:
    with pg_schema_url() as url:
        Project.open(url, "anna").close()
        holder, release = _start_holder(url, tmp_path)
        try:
            writer, err = _one_row_write(url, tmp_path)
            code = writer.wait(60)  # while the long import still holds its transaction
            assert holder.poll() is None
        finally:
            release.touch()
        assert holder.wait(60) == 0
        assert code == 0, err.read_text("utf-8")
        assert "waiting" not in err.read_text("utf-8")
        project = Project.open(url, "check")
        try:
            with project.read() as session:
                assert session.scalars(select(PseudonymName.name)).all() == ["Jan de Boer"]
                assert session.scalars(select(Case.name)).all() == ["Gemeente Holder"]
        finally:
            project.close()
