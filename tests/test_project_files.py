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
    assert (
        run_cli("import-survey", SURVEY, "--id-col", "ResponseId", "--text-col", "Q4", env=env).code
        == 0
    )
    return env


# ----------------------------------------------------------------------- 7. a newer project

NEWER_LINE = (
    f"this project was written by a newer lo-codebook (schema {NEWER}, this version knows up to "
    f"{SCHEMA_HEAD}); upgrade lo-codebook"
)


def test_a_project_from_a_newer_version_is_refused_untouched(
    seeded: dict[str, str], tmp_path: Path
) -> None:
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
    done = subprocess.run(
        [sys.executable, "-c", script, *map(str, args)], capture_output=True, text=True
    )
    assert done.returncode == -signal.SIGKILL, done.stderr


def _hidden(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def test_leftovers_of_killed_backups_are_cleaned_on_the_next_run(
    seeded: dict[str, str], tmp_path: Path
) -> None:
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
    backups = [p.name for p in db.parent.iterdir() if ".bak-" in p.name]
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
        dead = subprocess.run(
            [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
        )
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


# ------------------------------------------------ 8. merge-project only reads the other file


def _bram(tmp_path: Path, schema: str) -> Path:
    """Bram's project as a closed file in his own folder: current, older (0002) or newer."""
    build = tmp_path / "build" / "bram.db"
    build.parent.mkdir()
    env = {"LO_CODEBOOK_DB": str(build), "LO_CODEBOOK_CODER": "bram"}
    assert run_cli("codebook", "import", SAMPLE / "codebook.csv", env=env).code == 0
    assert (
        run_cli("import-survey", SURVEY, "--id-col", "ResponseId", "--text-col", "Q4", env=env).code
        == 0
    )
    codings = tmp_path / "build" / "bram.csv"
    codings.write_text("respondent_id,code\nR_bCJ6cNWwZGdNRtT,Vitaliteit\n", encoding="utf-8")
    assert (
        run_cli("import-codings", codings, "--coder", "bram", "--create-codes", env=env).code == 0
    )
    target = standalone_copy(
        env, tmp_path / "bram" / "bram.db", NEWER if schema == "newer" else None
    )
    if schema == "older":
        from alembic import command
        from sqlalchemy import create_engine

        from lo_codebook.db.engine import alembic_config

        # A plain engine: with foreign keys on, the batch table rebuild would cascade-delete
        # the codings of the documents table it replaces.
        engine = create_engine(f"sqlite:///{target}")
        config = alembic_config(engine)
        with engine.begin() as conn:
            config.attributes["connection"] = conn
            command.downgrade(config, "0002")
        engine.dispose()
        conn = sqlite3.connect(target)
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == "0002"
        conn.close()
    assert sorted(p.name for p in target.parent.iterdir()) == ["bram.db"]
    return target


def _merged_codings(env: dict[str, str]) -> int:
    from sqlalchemy import func, select

    from lo_codebook.db.models import Coder, Coding

    project = Project.open(env["LO_CODEBOOK_DB"], "x", create=False)
    try:
        with project.read() as session:
            return int(
                session.scalar(
                    select(func.count()).select_from(Coding).join(Coder).where(Coder.name == "bram")
                )
                or 0
            )
    finally:
        project.close()


@pytest.mark.parametrize("schema", ["current", "older"])
def test_merge_project_never_changes_the_other_coders_file(
    seeded: dict[str, str], tmp_path: Path, schema: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tempfile

    temp = tmp_path / "temp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    bram = _bram(tmp_path, schema)
    before = snapshot(bram.parent)
    result = run_cli("merge-project", bram, env=seeded)
    assert result.code == 0, result.err
    print(schema, "->", result.out.strip())
    after = snapshot(bram.parent)
    assert sorted(after) == sorted(before) == ["bram.db"], sorted(after)
    assert after == before  # byte for byte
    assert _merged_codings(seeded) == 1
    # The temporary upgraded copy of an older file is gone too.
    assert list(temp.iterdir()) == []
    assert run_cli("merge-project", bram, env=seeded).code == 0  # idempotent, still untouched
    assert snapshot(bram.parent) == before


def test_merge_project_reads_a_file_its_coder_has_open(
    seeded: dict[str, str], tmp_path: Path
) -> None:
    """Bram is still working in his project (-wal with committed work not yet in the main
    file): the merge sees that work and leaves his files as they are."""
    bram = _bram(tmp_path, "current")
    his = sqlite3.connect(bram)
    his.execute("PRAGMA wal_autocheckpoint=0")
    his.execute("UPDATE coding SET memo = 'nog in de wal'")
    his.commit()
    wal = Path(f"{bram}-wal")
    assert wal.stat().st_size > 0
    main_before, wal_before = bram.read_bytes(), wal.read_bytes()
    listing = sorted(p.name for p in bram.parent.iterdir())
    try:
        result = run_cli("merge-project", bram, env=seeded)
        assert result.code == 0, result.err
        assert bram.read_bytes() == main_before and wal.read_bytes() == wal_before
        assert sorted(p.name for p in bram.parent.iterdir()) == listing
    finally:
        his.close()
    project = Project.open(seeded["LO_CODEBOOK_DB"], "x", create=False)
    from sqlalchemy import select

    from lo_codebook.db.models import Coding

    with project.read() as session:
        assert "nog in de wal" in set(session.scalars(select(Coding.memo)))
    project.close()


def test_merge_project_refuses_a_newer_file_untouched(
    seeded: dict[str, str], tmp_path: Path
) -> None:
    bram = _bram(tmp_path, "newer")
    before = snapshot(bram.parent)
    ours = Path(seeded["LO_CODEBOOK_DB"])
    ours_before = sorted(p.name for p in ours.parent.iterdir())
    one_error_line(run_cli("merge-project", bram, env=seeded), NEWER_LINE, "bram.db")
    assert snapshot(bram.parent) == before
    assert sorted(p.name for p in ours.parent.iterdir()) == ours_before  # no premerge backup either


# --------------------------------------------------------------- 9. read-only media and folders

READING = [
    ("status", "--format", "json"),
    ("documents", "--format", "json"),
    ("themes",),
    ("themes", "--format", "csv", "-o", "{out}/themes.csv"),
    ("suggestions", "--format", "json"),
    ("agreement", "--coders", "anna,bram"),
    ("log",),
    ("export-qdpx", "{out}/studie.qdpx"),
    ("codebook", "export", "{out}/codebook.csv"),
]
WRITING = [
    ("import", SAMPLE / "interviews" / "interview_01_lindewaard.txt"),
    ("codebook", "import", SAMPLE / "codebook.csv"),
    ("settings", "set", "language", "en"),
    ("undo",),
    ("init",),
]


def _expand(args: tuple[object, ...], out: Path) -> list[str]:
    return [str(a).replace("{out}", str(out)) for a in args]


def _two_coders(env: dict[str, str], folder: Path) -> None:
    codings = folder / "codings.csv"
    codings.write_text("respondent_id,code\nR_bCJ6cNWwZGdNRtT,Omgevingswet\n", encoding="utf-8")
    for coder in ("anna", "bram"):
        assert run_cli("import-codings", codings, "--coder", coder, env=env).code == 0
    codings.unlink()


def _check_read_only_run(
    results: list[tuple[int, str, str]], project_file: Path, older: str | None = None
) -> None:
    for args, (code, out, err) in zip(READING + WRITING, results, strict=True):
        name = " ".join(str(a) for a in args[:2])
        if args in READING:
            assert code == 0, (name, out, err)
            notes = [line for line in err.splitlines() if line.startswith("note: ")]
            assert notes == [
                f"note: {project_file} is read-only here (the folder is not writable); opened for reading only"
                + (
                    f"; reading a temporary upgraded copy (the file has schema {older}, this version {SCHEMA_HEAD})"
                    if older
                    else ""
                )
            ], (name, err)
            assert "error" not in err
        else:
            assert code == 1, (name, out, err)
            lines = err.strip().splitlines()
            assert len(lines) == 1 and lines[0].startswith("lo-codebook: error: "), (name, err)
            assert (
                f"{project_file}: this project is read-only here (the folder is not writable)"
                in lines[0]
            )
        print(f"{name}: exit {code}; {err.strip().splitlines()[-1]}")


def test_a_project_in_a_folder_the_user_cannot_write(
    seeded: dict[str, str], tmp_path: Path
) -> None:
    """A real unprivileged user (root bypasses permissions): the project folder is root's,
    mode 755; the child process runs as `nobody`."""
    import multiprocessing as mp
    import pwd
    import shutil
    import tempfile

    if os.name != "posix" or os.geteuid() != 0:
        pytest.skip("needs root to run a part of the test as another user")
    try:
        nobody = pwd.getpwnam("nobody")
    except KeyError:
        pytest.skip("no user 'nobody' here")
    _two_coders(seeded, tmp_path)
    base = Path(tempfile.mkdtemp(prefix="lo-ro-"))
    try:
        base.chmod(0o755)
        project_file = standalone_copy(seeded, base / "media" / "studie.db")
        project_file.parent.chmod(0o755)
        project_file.chmod(0o644)
        out = base / "out"
        out.mkdir()
        out.chmod(0o777)
        env = {"LO_CODEBOOK_DB": str(project_file), "LO_CODEBOOK_CODER": "anna"}
        calls = [_expand(args, out) for args in READING + WRITING]
        # Load every module the commands use while we may still read them all (as `nobody`
        # the interpreter's own folder may be closed): run them once on a writable copy.
        warm = tmp_path / "warm"
        warm_env = {**env, "LO_CODEBOOK_DB": str(standalone_copy(seeded, warm / "studie.db"))}
        for args in calls:
            run_cli(*[a.replace(str(out), str(warm)) for a in args], env=warm_env)
        before = snapshot(project_file.parent)

        ctx = mp.get_context("fork")
        queue = ctx.Queue()

        def child() -> None:
            os.setgroups([])
            os.setgid(nobody.pw_gid)
            os.setuid(nobody.pw_uid)
            try:
                (project_file.parent / "probe").touch()
                queue.put("the folder is writable for nobody")
                return
            except PermissionError:
                pass
            results = []
            for args in calls:
                r = run_cli(*args, env=env)
                results.append((r.code, r.out, r.err))
            queue.put(results)

        process = ctx.Process(target=child)
        process.start()
        results = queue.get(timeout=600)
        process.join(timeout=60)
        assert not isinstance(results, str), results
        _check_read_only_run(results, project_file)
        assert snapshot(project_file.parent) == before
        assert (out / "themes.csv").exists() and (out / "studie.qdpx").exists()
    finally:
        shutil.rmtree(base, ignore_errors=True)


@pytest.mark.parametrize("schema", ["current", "older"])
def test_a_project_on_read_only_media(
    seeded: dict[str, str], tmp_path: Path, schema: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Media that nobody may write (a mounted archive, a write-protected stick): root cannot
    write there either, which a test cannot arrange without mounting; the detection is forced,
    the database is opened for real with `immutable=1` (no -wal file) or `mode=ro`."""
    import tempfile

    from lo_codebook.db import files

    _two_coders(seeded, tmp_path)
    project_file = standalone_copy(seeded, tmp_path / "media" / "studie.db")
    if schema == "older":
        from alembic import command
        from sqlalchemy import create_engine

        from lo_codebook.db.engine import alembic_config

        engine = create_engine(f"sqlite:///{project_file}")
        config = alembic_config(engine)
        with engine.begin() as conn:
            config.attributes["connection"] = conn
            command.downgrade(config, "0002")
        engine.dispose()
    temp = tmp_path / "temp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    media = project_file.parent
    monkeypatch.setattr(
        files,
        "readonly_reason",
        lambda path: "the folder is not writable" if Path(path).parent == media else None,
        raising=False,  # (so that the test runs, and fails, on versions before the detection)
    )
    out = tmp_path / "out"
    out.mkdir()
    env = {"LO_CODEBOOK_DB": str(project_file), "LO_CODEBOOK_CODER": "anna"}
    before = snapshot(media)
    results = []
    for args in (
        READING + WRITING + [("suggest",), ("merge-project", tmp_path / "studie" / "studie.db")]
    ):
        r = run_cli(*_expand(args, out), env=env)
        results.append((r.code, r.out, r.err))
    _check_read_only_run(
        results[: len(READING + WRITING)], project_file, "0002" if schema == "older" else None
    )
    for code, _out, err in results[len(READING + WRITING) :]:
        assert code == 1 and "is read-only here" in err and len(err.strip().splitlines()) == 1, err
    assert snapshot(media) == before
    import gc

    gc.collect()  # projects the in-process CLI left open: their temporary copies go with them
    assert list(temp.iterdir()) == []
