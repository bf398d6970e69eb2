"""Backups and restores: consistent online copies, and a restore that refuses anything but a project."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from lo_codebook.core.backup import backup_project, check_project_file, restore_project
from lo_codebook.core.project import Project
from lo_codebook.db.engine import alembic_config, make_engine
from lo_codebook.errors import UserError

from .conftest import SAMPLE, pg_schema_url, run_cli
from .helpers import dump

SURVEY = SAMPLE / "survey" / "lo_enquete_qualtrics.csv"


def files(folder: Path) -> set[str]:
    """Everything in a folder except the live project's own -wal/-shm companions."""
    return {p.name for p in folder.iterdir() if not p.name.endswith(("-wal", "-shm"))}


@pytest.fixture
def seeded(tmp_path: Path) -> dict[str, str]:
    env = {"LO_CODEBOOK_DB": str(tmp_path / "studie.db"), "LO_CODEBOOK_CODER": "anna"}
    assert run_cli("codebook", "import", SAMPLE / "codebook.csv", env=env).code == 0
    assert (
        run_cli("import-survey", SURVEY, "--id-col", "ResponseId", "--text-col", "Q4", env=env).code
        == 0
    )
    return env


def _db(env: dict[str, str]) -> Path:
    return Path(env["LO_CODEBOOK_DB"])


def _one_line_error(result, *needles: str) -> None:  # type: ignore[no-untyped-def]
    assert result.code == 1, (result.out, result.err)
    lines = result.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("lo-codebook: error: "), result.err
    assert "Traceback" not in result.err
    for needle in needles:
        assert needle.lower() in lines[0].lower(), (needle, lines[0])


# ----------------------------------------------------------------------------- backup


def test_backup_next_to_the_project_is_a_complete_copy(seeded: dict[str, str]) -> None:
    db = _db(seeded)
    result = run_cli("backup", env=seeded)
    assert result.code == 0, result.err
    backups = [p for p in db.parent.iterdir() if ".bak-" in p.name]
    assert len(backups) == 1 and str(backups[0]) in result.out
    assert dump(backups[0]) == dump(db)
    assert check_project_file(backups[0]).documents == 132
    # A standalone file: no -wal needed, nothing temporary left behind.
    assert not Path(str(backups[0]) + "-wal").exists()
    assert not [p for p in db.parent.iterdir() if p.name.endswith(".partial")]


def test_backup_to_a_file_or_folder_never_overwrites(
    seeded: dict[str, str], tmp_path: Path
) -> None:
    target = tmp_path / "kopie.db"
    assert run_cli("backup", target, env=seeded).code == 0
    assert dump(target) == dump(_db(seeded))
    before = target.read_bytes()
    _one_line_error(run_cli("backup", target, env=seeded), "kopie.db", "already exists")
    assert target.read_bytes() == before
    folder = tmp_path / "backups"
    folder.mkdir()
    assert run_cli("backup", folder, env=seeded).code == 0
    assert len(list(folder.iterdir())) == 1
    _one_line_error(
        run_cli("backup", tmp_path / "nope" / "x.db", env=seeded), "nope", "does not exist"
    )
    _one_line_error(run_cli("backup", _db(seeded), env=seeded), "already exists")


def test_backup_takes_only_committed_work(seeded: dict[str, str], tmp_path: Path) -> None:
    """Another coder is in the middle of a transaction: the copy holds what was committed."""
    db = _db(seeded)
    other = sqlite3.connect(db, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    other.execute(
        "INSERT INTO coder (name, name_key, created) VALUES ('halverwege', 'halverwege', '2024-01-01')"
    )
    try:
        target = tmp_path / "tijdens.db"
        assert run_cli("backup", target, env=seeded).code == 0
    finally:
        other.execute("ROLLBACK")
        other.close()
    copy = sqlite3.connect(target)
    assert copy.execute("SELECT count(*) FROM coder WHERE name='halverwege'").fetchone()[0] == 0
    assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    copy.close()


def test_backup_without_a_project(tmp_path: Path) -> None:
    _one_line_error(run_cli("--db", tmp_path / "geen.db", "backup"), "geen.db")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.pg
def test_backup_of_a_server_project_points_at_pg_dump() -> None:
    with pg_schema_url() as url:
        Project.open(url, "anna").close()
        result = run_cli("--db", url, "backup")
        _one_line_error(result, "pg_dump")
        restore = run_cli("--db", url, "restore", "x.db")
        _one_line_error(restore, "pg_dump")
        assert "password" not in result.err.lower()


# ----------------------------------------------------------------------------- restore


def test_restore_brings_back_the_backup_and_saves_the_current_project(
    seeded: dict[str, str], tmp_path: Path
) -> None:
    db = _db(seeded)
    saved = tmp_path / "goed.db"
    assert run_cli("backup", saved, env=seeded).code == 0
    good_state = dump(db)
    assert (
        run_cli("import", SAMPLE / "interviews" / "interview_01_lindewaard.txt", env=seeded).code
        == 0
    )
    changed_state = dump(db)

    result = run_cli("restore", saved, env=seeded)
    assert result.code == 0, result.err
    after = dump(db)
    # Exactly the backup, plus the log entry that says a restore happened.
    extra = [line for line in after if line not in good_state]
    assert len(extra) == 1 and "audit_entry" in extra[0] and "restore" in extra[0]
    assert all(line in after for line in good_state)
    previous = [p for p in tmp_path.iterdir() if ".before-restore-" in p.name]
    assert len(previous) == 1 and dump(previous[0]) == changed_state
    assert not [p for p in tmp_path.iterdir() if p.name.endswith((".restore", ".partial"))]
    assert saved.exists()  # the backup itself is left as it was
    log = run_cli("log", "--limit", "1", env=seeded)
    assert "restore" in log.out and "anna" in log.out


def test_restore_into_a_new_location(seeded: dict[str, str], tmp_path: Path) -> None:
    fresh = tmp_path / "nieuw" / "project.db"
    fresh.parent.mkdir()
    result = run_cli("--db", fresh, "restore", _db(seeded))
    assert result.code == 0, result.err
    assert check_project_file(fresh).documents == 132


def test_restore_an_older_project_upgrades_it(tmp_path: Path) -> None:
    from alembic import command
    from sqlalchemy import text

    old = tmp_path / "oud.db"
    engine = make_engine(f"sqlite:///{old}")
    config = alembic_config(engine)
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0001")
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO coder (name, created) VALUES ('oud', '2025-01-01')"))
    engine.dispose()
    current = tmp_path / "nu.db"
    Project.open(current, "anna").close()
    result = restore_project(current, old, coder="anna")
    assert result.restored.revision == "0001"
    project = Project.open(current, "anna")
    with project.read() as session:
        assert session.execute(text("SELECT name FROM coder WHERE name='oud'")).scalar() == "oud"
        assert session.execute(text("SELECT count(*) FROM pseudonym_name")).scalar() == 0
    project.close()


def _truncated_project(tmp: Path, seeded: dict[str, str]) -> Path:
    copy = tmp / "half.db"
    backup_project(_db(seeded), copy)
    data = copy.read_bytes()
    copy.write_bytes(data[: len(data) // 2])
    return copy


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _other_app(tmp: Path) -> Path:
    path = tmp / "klanten.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE klanten (id INTEGER PRIMARY KEY, naam TEXT)")
    conn.commit()
    conn.close()
    return path


def _newer(tmp: Path, seeded: dict[str, str]) -> Path:
    path = tmp / "toekomst.db"
    backup_project(_db(seeded), path)
    conn = sqlite3.connect(path)
    conn.execute("UPDATE alembic_version SET version_num='9999'")
    conn.commit()
    conn.close()
    return path


def _zeroed(tmp: Path, seeded: dict[str, str]) -> Path:
    path = tmp / "nullen.db"
    backup_project(_db(seeded), path)
    data = bytearray(path.read_bytes())
    data[4096 * 2 : 4096 * 6] = bytes(4096 * 4)  # wipe some pages in the middle
    path.write_bytes(bytes(data))
    return path


REFUSED = {
    "missing file": (lambda t, s: t / "bestaat-niet.db", "not found"),
    "a folder": (lambda t, s: (t / "map.db").mkdir() or t / "map.db", "folder"),
    "empty file": (lambda t, s: (t / "leeg.db").write_bytes(b"") or t / "leeg.db", "empty"),
    "text file": (
        lambda t, s: _write(t / "tekst.db", b"hallo\n" * 100),
        "not a lo-codebook project",
    ),
    "csv export": (
        lambda t, s: _write(t / "export.csv", b"id,antwoord\n1,x\n"),
        "not a lo-codebook project",
    ),
    "another application's database": (lambda t, s: _other_app(t), "not a lo-codebook project"),
    "truncated project": (_truncated_project, "half.db"),
    "damaged pages": (_zeroed, "nullen.db"),
    "newer schema": (_newer, "newer lo-codebook"),
    "the project itself": (lambda t, s: _db(s), "project itself"),
}


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_restore_refuses_what_is_not_a_project(
    case: str, seeded: dict[str, str], tmp_path: Path
) -> None:
    make, needle = REFUSED[case]
    source = make(tmp_path, seeded)
    db = _db(seeded)
    before_dump, before_files = dump(db), files(tmp_path)
    source_bytes = source.read_bytes() if source.is_file() else None
    result = run_cli("restore", source, env=seeded)
    _one_line_error(result, needle, source.name)
    assert dump(db) == before_dump
    assert files(tmp_path) == before_files
    if source_bytes is not None:
        assert source.read_bytes() == source_bytes


def test_restore_never_overwrites_a_database_that_is_not_a_project(
    seeded: dict[str, str], tmp_path: Path
) -> None:
    other = _other_app(tmp_path)
    before = other.read_bytes()
    result = run_cli("--db", other, "restore", _db(seeded))
    _one_line_error(result, "klanten.db", "will not overwrite")
    assert other.read_bytes() == before


def test_restore_over_a_damaged_project_keeps_a_raw_copy(
    seeded: dict[str, str], tmp_path: Path
) -> None:
    good = tmp_path / "goed.db"
    backup_project(_db(seeded), good)
    broken = tmp_path / "kapot" / "project.db"
    broken.parent.mkdir()
    backup_project(_db(seeded), broken)
    data = bytearray(broken.read_bytes())
    data[4096 * 2 : 4096 * 6] = bytes(4096 * 4)
    broken.write_bytes(bytes(data))
    result = run_cli("--db", broken, "restore", good)
    assert result.code == 0, result.err
    kept = [p for p in broken.parent.iterdir() if ".before-restore-" in p.name]
    assert len(kept) == 1 and kept[0].read_bytes() == bytes(data)
    assert check_project_file(broken).documents == 132


def test_restore_waits_for_a_writer_and_others_see_the_restored_project(
    seeded: dict[str, str], tmp_path: Path
) -> None:
    """A reader with the project open before the restore sees the restored data after it."""
    saved = tmp_path / "goed.db"
    backup_project(_db(seeded), saved)
    assert (
        run_cli("import", SAMPLE / "interviews" / "interview_01_lindewaard.txt", env=seeded).code
        == 0
    )
    reader = Project.open(_db(seeded), "bram")
    from lo_codebook.core.queries import status_counts

    with reader.read() as session:
        assert status_counts(session)["documents"] == 133
    restore_project(_db(seeded), saved, coder="anna")
    with reader.read() as session:
        assert status_counts(session)["documents"] == 132
    reader.close()


def test_check_project_file_api(seeded: dict[str, str], tmp_path: Path) -> None:
    info = check_project_file(_db(seeded))
    assert info.documents == 132 and info.codings == 0 and info.size > 0
    with pytest.raises(UserError, match="not a SQLite"):
        check_project_file(SURVEY)


# ----------------------------------------------------------------------------- merges back up first


def test_merge_project_backs_up_the_project_first(seeded: dict[str, str], tmp_path: Path) -> None:
    import click

    from lo_codebook.cli import cli

    if cli.get_command(click.Context(cli), "merge-project") is None:
        pytest.skip("`merge-project` is not there yet (lo_codebook/cli/merge.py)")
    db = _db(seeded)
    other = tmp_path / "bram.db"
    env_b = {"LO_CODEBOOK_DB": str(other), "LO_CODEBOOK_CODER": "bram"}
    assert run_cli("codebook", "import", SAMPLE / "codebook.csv", env=env_b).code == 0
    assert (
        run_cli(
            "import-survey", SURVEY, "--id-col", "ResponseId", "--text-col", "Q4", env=env_b
        ).code
        == 0
    )
    codings = tmp_path / "bram.csv"
    codings.write_text("respondent_id,code\nR_bCJ6cNWwZGdNRtT,Vitaliteit\n", encoding="utf-8")
    imported = run_cli("import-codings", codings, "--coder", "bram", "--create-codes", env=env_b)
    assert imported.code == 0, imported.err
    before = dump(db)
    result = run_cli("merge-project", other, env=seeded)
    assert result.code == 0, result.err
    backups = [p for p in tmp_path.iterdir() if ".premerge-" in p.name]
    assert len(backups) == 1, sorted(p.name for p in tmp_path.iterdir())
    assert dump(backups[0]) == before
    assert dump(db) != before
