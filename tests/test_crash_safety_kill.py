"""Crash safety: SIGKILL in the middle of a big import, a suggest run, a merge, a backup and a
restore never damages the project and never leaves half an operation behind.

Each test starts the real command in a subprocess, waits until it is demonstrably working
(busy on the CPU, or already writing to the database), kills it at a random moment, makes sure
the kill landed before the command finished, and then checks the project: integrity_check ok,
no foreign-key violations, the operation either complete or absent (documents count is the
before or the after value, never between), and everything committed before still there.

`LO_CODEBOOK_KILL_REPEAT=N` repeats every kill test N times (default once).
"""

from __future__ import annotations

import csv
import os
import random
import re
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from .conftest import SAMPLE, run_cli
from .helpers import dump

REPEAT = max(1, int(os.environ.get("LO_CODEBOOK_KILL_REPEAT", "1") or "1"))
ATTEMPTS = 6  # tries to land a kill before the command finishes on its own
CODER = "anna"
SURVEY_ROWS = 20_000
TRANSCRIPTS = 300
WORDS = (
    "vitaliteit leiderschap digitalisering omgevingswet samenwerken hybride werken duurzame "
    "inzetbaarheid arbeidsmarkt integriteit klantgerichtheid informatieveiligheid privacy "
    "wendbaarheid projectmatig strategische personeelsplanning inclusie diversiteit de het een "
    "we moeten meer aandacht voor opleiding en ontwikkeling van medewerkers in de gemeente"
).split()


# ----------------------------------------------------------------------------- helpers


def sentence(rng: random.Random, low: int = 5, high: int = 40) -> str:
    return " ".join(rng.choices(WORDS, k=rng.randint(low, high))).capitalize() + "."


def standalone_copy(source: Path, target: Path) -> None:
    """A consistent single-file copy (no -wal) of a project."""
    src = sqlite3.connect(source)
    dst = sqlite3.connect(target)
    src.backup(dst)
    dst.execute("PRAGMA journal_mode=DELETE")
    src.close()
    dst.close()


def scalar(db: Path, query: str) -> object:
    conn = sqlite3.connect(db)
    try:
        row = conn.execute(query).fetchone()
        return None if row is None else row[0]
    finally:
        conn.close()


def cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def size(path: Path) -> int:
    try:
        return path.stat().st_size
    except FileNotFoundError:
        return -1


def lo_codebook(db: Path, *args: str | Path) -> list[str]:
    return [sys.executable, "-m", "lo_codebook", "--db", str(db), *map(str, args)]


@dataclass
class Kill:
    """Where a kill landed: after how long, in which phase, and whether it landed at all."""

    seconds: float
    phase: str
    landed: bool
    stderr: str = ""
    returncode: int | None = None


def run_and_kill(
    command: list[str],
    cwd: Path,
    rng: random.Random,
    phases: dict[str, Callable[[int], bool]],
    *,
    max_extra: float = 0.25,
    timeout: float = 300.0,  # a loaded 2-core machine can take minutes
) -> Kill:
    """Start `command`, wait until a randomly chosen phase condition holds (the command is
    demonstrably working; conditions get the pid), wait a random extra moment, SIGKILL it.
    `landed` is False when the command finished on its own first."""
    phase = rng.choice(sorted(phases))
    condition = phases[phase]
    extra = rng.uniform(0, max_extra)
    env = {**os.environ, "LO_CODEBOOK_CODER": CODER}
    env.pop("LO_CODEBOOK_DB", None)
    process = subprocess.Popen(
        command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    started = time.monotonic()
    try:
        while process.poll() is None and not condition(process.pid):
            if time.monotonic() - started > timeout:
                raise AssertionError(f"{phase}: the command never got there in {timeout} s")
            time.sleep(0.002)
        deadline = time.monotonic() + extra
        while process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.002)
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
        process.wait(timeout=120)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    stderr = process.stderr.read().decode("utf-8", "replace") if process.stderr else ""
    if process.stderr:
        process.stderr.close()
    elapsed = time.monotonic() - started
    landed = process.returncode == -signal.SIGKILL
    return Kill(elapsed, phase, landed, stderr, process.returncode)


def kill_until_landed(start: Callable[[random.Random], Kill], seed: int) -> Kill:
    """Retry with fresh random choices until a kill lands mid-work (the command's own failures
    are reported, not retried)."""
    rng = random.Random(seed)
    for _ in range(ATTEMPTS):
        result = start(rng)
        if result.landed:
            return result
        if result.returncode not in (0, None):
            if "internal error" in result.stderr or "Traceback" in result.stderr:
                pytest.xfail(
                    f"the command fails on its own, not a crash-safety problem: {result.stderr.strip()[-400:]}"
                )
            raise AssertionError(f"the command failed by itself: {result.stderr[-2000:]}")
    raise AssertionError(f"could not kill the command before it finished in {ATTEMPTS} attempts")


def assert_intact(db: Path) -> None:
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        conn.close()


def assert_all_or_nothing(db: Path, before: list[str], before_docs: int, after_docs: int) -> str:
    """The project holds the state before, or before plus the whole operation."""
    assert_intact(db)
    documents = scalar(db, "SELECT count(*) FROM document")
    assert documents in (before_docs, after_docs), f"partial import: {documents} documents"
    now = dump(db)
    if documents == before_docs and before_docs != after_docs:
        assert now == before, "the project changed although the operation is not in it"
        return "before"
    missing = set(before) - set(now)
    assert not missing, f"committed rows were lost: {sorted(missing)[:3]}"
    return "after"


def assert_usable(db: Path) -> None:
    """The killed project opens normally with lo-codebook afterwards."""
    result = run_cli("--db", db, "status", "--format", "json")
    assert result.code == 0, result.err


# ----------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A seeded project, a 20,000-answer survey, 300 transcripts, a big project to suggest on
    and another coder's big project to merge (all made once)."""
    folder = tmp_path_factory.mktemp("kill")
    rng = random.Random(20240312)

    seed = folder / "seed_live.db"
    env = {"LO_CODEBOOK_DB": str(seed), "LO_CODEBOOK_CODER": CODER}
    assert run_cli("codebook", "import", SAMPLE / "codebook.csv", env=env).code == 0
    assert (
        run_cli("import", SAMPLE / "interviews" / "interview_01_lindewaard.txt", env=env).code == 0
    )
    codings = folder / "codings.csv"
    codings.write_text(
        "document,code,start,end\ninterview_01_lindewaard,Leiderschap,0,40\n", encoding="utf-8"
    )
    assert run_cli("import-codings", codings, "--coder", CODER, env=env).code == 0
    standalone_copy(seed, folder / "seed.db")

    survey = folder / "survey.csv"
    with survey.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "antwoord", "grootte"])
        for i in range(SURVEY_ROWS):
            writer.writerow(
                [f"R{i:05d}", sentence(rng), rng.choice(["<20.000", "20.000-50.000", "G4"])]
            )

    transcripts = folder / "transcripts"
    transcripts.mkdir()
    for i in range(TRANSCRIPTS):
        turns = []
        for _ in range(rng.randint(20, 40)):
            turns.append(f"Interviewer: {sentence(rng, 5, 15)}")
            turns.append(f"Respondent: {sentence(rng, 20, 80)}")
        (transcripts / f"interview_{i:03d}.txt").write_text(
            "\n\n".join(turns) + "\n", encoding="utf-8"
        )

    # A project big enough that `suggest` works for several seconds.
    suggest_live = folder / "suggest_live.db"
    env_s = {"LO_CODEBOOK_DB": str(suggest_live), "LO_CODEBOOK_CODER": CODER}
    small = folder / "survey_small.csv"
    lines = survey.read_text(encoding="utf-8").splitlines()
    small.write_text("\n".join(lines[:4001]) + "\n", encoding="utf-8")
    assert run_cli("codebook", "import", SAMPLE / "codebook.csv", env=env_s).code == 0
    assert (
        run_cli("import-survey", small, "--id-col", "id", "--text-col", "antwoord", env=env_s).code
        == 0
    )
    standalone_copy(suggest_live, folder / "suggest.db")

    # Another coder's project: the same survey, coded; merged into a copy of the first one.
    other_live = folder / "other_live.db"
    env_o = {"LO_CODEBOOK_DB": str(other_live), "LO_CODEBOOK_CODER": "bram"}
    assert run_cli("codebook", "import", SAMPLE / "codebook.csv", env=env_o).code == 0
    assert (
        run_cli("import-survey", survey, "--id-col", "id", "--text-col", "antwoord", env=env_o).code
        == 0
    )
    bram = folder / "bram_codings.csv"
    codes = ["Leiderschap", "Digitalisering", "Omgevingswet", "Samenwerken", "Integriteit"]
    with bram.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["document", "code"])
        for i in range(SURVEY_ROWS):
            writer.writerow([f"R{i:05d}", codes[i % len(codes)]])
    assert run_cli("import-codings", bram, "--coder", "bram", env=env_o).code == 0
    standalone_copy(other_live, folder / "other.db")
    merge_base_live = folder / "merge_base_live.db"
    env_m = {"LO_CODEBOOK_DB": str(merge_base_live), "LO_CODEBOOK_CODER": CODER}
    assert run_cli("codebook", "import", SAMPLE / "codebook.csv", env=env_m).code == 0
    assert (
        run_cli("import-survey", survey, "--id-col", "id", "--text-col", "antwoord", env=env_m).code
        == 0
    )
    standalone_copy(merge_base_live, folder / "merge_base.db")
    return {
        "seed": folder / "seed.db",
        "survey": survey,
        "transcripts": transcripts,
        "suggest": folder / "suggest.db",
        "other": folder / "other.db",
        "merge_base": folder / "merge_base.db",
    }


def fresh(template: Path, tmp_path: Path, name: str = "project.db") -> Path:
    target = tmp_path / name
    target.write_bytes(template.read_bytes())
    return target


def writing(db: Path) -> Callable[[int], bool]:
    """True once the command's transaction has started spilling pages into the WAL."""
    wal = Path(str(db) + "-wal")
    return lambda _pid: size(wal) > 64 * 1024


def busy(seconds: float) -> Callable[[int], bool]:
    """True once the process has used `seconds` of CPU time (it is working, not starting)."""
    return lambda pid: cpu_seconds(pid) >= seconds


# ----------------------------------------------------------------------------- the tests

runs = pytest.mark.parametrize("run", range(REPEAT))


@pytest.mark.slow
@runs
@pytest.mark.parametrize("what", ["survey", "transcripts"])
def test_kill_during_a_big_import(
    what: str, run: int, corpus: dict[str, Path], tmp_path: Path
) -> None:
    seed_docs = int(scalar(corpus["seed"], "SELECT count(*) FROM document"))  # type: ignore[arg-type]
    if what == "survey":
        args = [
            "import-survey",
            corpus["survey"],
            "--id-col",
            "id",
            "--text-col",
            "antwoord",
            "--attr-col",
            "grootte",
        ]
        after_docs = seed_docs + SURVEY_ROWS
    else:
        args = ["import", corpus["transcripts"]]
        after_docs = seed_docs + TRANSCRIPTS

    def attempt(rng: random.Random) -> Kill:
        db = fresh(corpus["seed"], tmp_path)
        for suffix in ("-wal", "-shm"):
            Path(str(db) + suffix).unlink(missing_ok=True)
        attempt.db = db  # type: ignore[attr-defined]
        attempt.before = dump(db)  # type: ignore[attr-defined]
        return run_and_kill(
            lo_codebook(db, *args), tmp_path, rng, {"parsing": busy(0.6), "writing": writing(db)}
        )

    kill = kill_until_landed(attempt, seed=run * 7919 + (1 if what == "survey" else 2))
    db: Path = attempt.db  # type: ignore[attr-defined]
    outcome = assert_all_or_nothing(db, attempt.before, seed_docs, after_docs)  # type: ignore[attr-defined]
    assert_usable(db)
    print(f"{what}: killed after {kill.seconds:.2f}s while {kill.phase}: project {outcome}")


@pytest.mark.slow
@runs
def test_kill_during_suggest(run: int, corpus: dict[str, Path], tmp_path: Path) -> None:
    docs = int(scalar(corpus["suggest"], "SELECT count(*) FROM document"))  # type: ignore[arg-type]

    def attempt(rng: random.Random) -> Kill:
        db = fresh(corpus["suggest"], tmp_path)
        attempt.db = db  # type: ignore[attr-defined]
        attempt.before = dump(db)  # type: ignore[attr-defined]
        return run_and_kill(
            lo_codebook(db, "suggest"),
            tmp_path,
            rng,
            {"matching": busy(1.5), "writing": writing(db)},
            max_extra=1.0,
        )

    kill = kill_until_landed(attempt, seed=run * 104729 + 3)
    db: Path = attempt.db  # type: ignore[attr-defined]
    assert_all_or_nothing(db, attempt.before, docs, docs)  # type: ignore[attr-defined]
    suggestions = scalar(db, "SELECT count(*) FROM suggestion")
    summary = scalar(db, "SELECT summary FROM audit_entry WHERE action = 'suggest'")
    if summary is None:
        assert suggestions == 0 and dump(db) == attempt.before  # type: ignore[attr-defined]
        outcome = "before"
    else:
        match = re.search(r"(\d+) new suggestions", str(summary))
        assert match, summary
        assert suggestions == int(match.group(1)), "only part of the suggestions were stored"
        outcome = "after"
    assert_usable(db)
    print(f"suggest: killed after {kill.seconds:.2f}s while {kill.phase}: project {outcome}")


@pytest.mark.slow
@runs
def test_kill_during_merge_project(run: int, corpus: dict[str, Path], tmp_path: Path) -> None:
    import click

    from lo_codebook.cli import cli

    if cli.get_command(click.Context(cli), "merge-project") is None:
        pytest.skip("`lo-codebook merge-project` is not there yet")
    docs = int(scalar(corpus["merge_base"], "SELECT count(*) FROM document"))  # type: ignore[arg-type]
    other_codings = int(scalar(corpus["other"], "SELECT count(*) FROM coding"))  # type: ignore[arg-type]

    def attempt(rng: random.Random) -> Kill:
        folder = tmp_path / f"try{rng.random():.6f}"
        folder.mkdir()
        db = fresh(corpus["merge_base"], folder)
        other = fresh(corpus["other"], folder, "bram.db")
        attempt.db, attempt.folder, attempt.other = db, folder, other  # type: ignore[attr-defined]
        attempt.before = dump(db)  # type: ignore[attr-defined]
        attempt.other_before = dump(other)  # type: ignore[attr-defined]
        return run_and_kill(
            lo_codebook(db, "merge-project", other),
            folder,
            rng,
            {"planning": busy(1.0), "writing": writing(db)},
            max_extra=0.5,
        )

    kill = kill_until_landed(attempt, seed=run * 15485863 + 4)
    db: Path = attempt.db  # type: ignore[attr-defined]
    assert_all_or_nothing(db, attempt.before, docs, docs)  # type: ignore[attr-defined]
    merged = scalar(db, "SELECT count(*) FROM audit_entry WHERE action = 'merge-project'")
    codings = scalar(db, "SELECT count(*) FROM coding")
    if merged:
        assert codings == other_codings, "only part of the other coder's codings arrived"
        outcome = "after"
    else:
        assert dump(db) == attempt.before  # type: ignore[attr-defined]
        outcome = "before"
    assert dump(attempt.other) == attempt.other_before, "the other project was changed"  # type: ignore[attr-defined]
    assert_usable(db)
    print(f"merge-project: killed after {kill.seconds:.2f}s while {kill.phase}: project {outcome}")


@pytest.mark.slow
@runs
def test_kill_during_backup_and_restore(run: int, corpus: dict[str, Path], tmp_path: Path) -> None:
    """`backup FILE` leaves FILE complete or absent; `restore` leaves the old or the new project."""
    rng = random.Random(run * 31 + 5)
    big = corpus["merge_base"]  # ~15 MB: the copy takes a moment

    def backup_attempt(r: random.Random) -> Kill:
        folder = tmp_path / f"b{r.random():.6f}"
        folder.mkdir()
        db = fresh(big, folder)
        target = folder / "kopie.db"
        backup_attempt.target, backup_attempt.db = target, db  # type: ignore[attr-defined]

        def partial(_pid: int) -> bool:
            return any(p.name.endswith(".partial") and size(p) > 0 for p in folder.iterdir())

        return run_and_kill(
            lo_codebook(db, "backup", target), folder, r, {"copying": partial}, max_extra=0.01
        )

    kill = kill_until_landed(backup_attempt, seed=rng.randrange(10**9))
    target: Path = backup_attempt.target  # type: ignore[attr-defined]
    assert not target.exists() or scalar(target, "PRAGMA integrity_check") == "ok"
    assert_intact(backup_attempt.db)  # type: ignore[attr-defined]
    print(
        f"backup: killed after {kill.seconds:.2f}s, target {'complete' if target.exists() else 'absent'}"
    )

    def restore_attempt(r: random.Random) -> Kill:
        folder = tmp_path / f"r{r.random():.6f}"
        folder.mkdir()
        db = fresh(corpus["seed"], folder)
        restore_attempt.db = db  # type: ignore[attr-defined]
        restore_attempt.before = dump(db)  # type: ignore[attr-defined]

        def copying(_pid: int) -> bool:
            return any(p.name.endswith(".restore") and size(p) > 0 for p in folder.iterdir())

        journal, wal = Path(str(db) + "-journal"), Path(str(db) + "-wal")
        replacing = lambda _pid: size(journal) > 0 or size(wal) > 64 * 1024  # noqa: E731
        return run_and_kill(
            lo_codebook(db, "restore", big),
            folder,
            r,
            {"checking": busy(0.4), "copying": copying, "replacing": replacing},
            max_extra=0.05,
        )

    kill = kill_until_landed(restore_attempt, seed=rng.randrange(10**9))
    db: Path = restore_attempt.db  # type: ignore[attr-defined]
    seed_docs = int(scalar(corpus["seed"], "SELECT count(*) FROM document"))  # type: ignore[arg-type]
    big_docs = int(scalar(big, "SELECT count(*) FROM document"))  # type: ignore[arg-type]
    assert_intact(db)
    documents = scalar(db, "SELECT count(*) FROM document")
    assert documents in (seed_docs, big_docs)
    if documents == seed_docs:
        assert dump(db) == restore_attempt.before  # type: ignore[attr-defined]
    assert_usable(db)
    print(f"restore: killed after {kill.seconds:.2f}s while {kill.phase}: {documents} documents")


@pytest.mark.slow
def test_kill_during_the_pre_merge_backup_leaves_no_empty_backup(
    corpus: dict[str, Path], tmp_path: Path
) -> None:
    import click

    from lo_codebook.cli import cli

    if cli.get_command(click.Context(cli), "merge-project") is None:
        pytest.skip("`lo-codebook merge-project` is not there yet")
    db = fresh(corpus["merge_base"], tmp_path)
    other = fresh(corpus["other"], tmp_path, "bram.db")
    before = dump(db)
    copying = lambda _pid: any(".premerge-" in p.name and size(p) > 0 for p in tmp_path.iterdir())  # noqa: E731
    kill = kill_until_landed(
        lambda rng: run_and_kill(
            lo_codebook(db, "merge-project", other),
            tmp_path,
            rng,
            {"backing up": copying},
            max_extra=0.0,
        ),
        seed=11,
    )
    assert kill.landed
    assert dump(db) == before  # the project itself is always fine
    # a backup is either there whole or not at all; what a killed copy leaves is a hidden
    # temporary file (never a backup), removed by the next run
    for backup in tmp_path.glob("*.premerge-*"):
        if backup.name.startswith("."):
            continue
        if backup.name.endswith(("-journal", "-wal", "-shm")):
            raise AssertionError(f"a hot journal next to a backup: {backup.name}")
        assert scalar(backup, "SELECT count(*) FROM document") == scalar(
            db, "SELECT count(*) FROM document"
        )
    env = {**os.environ, "LO_CODEBOOK_CODER": CODER}
    env.pop("LO_CODEBOOK_DB", None)
    again = subprocess.run(
        lo_codebook(db, "merge-project", other),
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert again.returncode == 0, again.stderr
    leftovers = [
        p.name for p in tmp_path.iterdir() if p.name.startswith(".") and ".partial" in p.name
    ]
    assert leftovers == [], f"a killed backup's temporary copy was not cleaned: {leftovers}"


def child_pids(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def running(pid: int) -> bool:
    try:
        return "\nState:\tZ" not in Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forked workers are Linux-only")
@pytest.mark.parametrize("how", ["interrupt", "kill"])
def test_stopping_a_forked_suggest_leaves_no_worker_and_no_rows(
    how: str, corpus: dict[str, Path], tmp_path: Path
) -> None:
    """Ctrl+C (to the process group, as a terminal sends it) or SIGKILL of the parent while a
    forked worker is busy: no suggestion stored, no worker left running. On a loaded machine
    the command may finish before the signal is sent: then it is tried again on a fresh copy
    (a finished run says nothing about stopping one)."""
    env = {**os.environ, "LO_CODEBOOK_CODER": CODER}
    env.pop("LO_CODEBOOK_DB", None)
    for attempt in range(ATTEMPTS):
        folder = tmp_path / f"try{attempt}"
        folder.mkdir()
        db = fresh(corpus["other"], folder)
        before = dump(db)
        process = subprocess.Popen(
            lo_codebook(db, "suggest", "--workers", "2"),
            cwd=folder,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        started = time.monotonic()
        while process.poll() is None and not child_pids(process.pid):
            assert time.monotonic() - started < 300, "suggest never forked a worker"
            time.sleep(0.005)
        workers = child_pids(process.pid)
        # stop it once the worker demonstrably works (not in the fork itself)
        while process.poll() is None and workers and cpu_seconds(workers[0]) < 0.1:
            assert time.monotonic() - started < 300, "the worker never started working"
            time.sleep(0.005)
        if process.poll() is not None or not workers:
            process.communicate(timeout=600)
            continue  # finished first: nothing was stopped, try again
        if how == "interrupt":
            os.killpg(process.pid, signal.SIGINT)
        else:
            process.send_signal(signal.SIGKILL)
        _, err = process.communicate(timeout=600)
        break
    else:
        pytest.fail(f"suggest finished before it could be stopped in {ATTEMPTS} attempts")
    if how == "interrupt":
        assert process.returncode not in (0, None), (
            f"Ctrl+C was lost: exit {process.returncode}; {err}"
        )
        assert "Traceback" not in err and err.strip().splitlines() == ["lo-codebook: aborted"], err
    else:
        assert process.returncode == -signal.SIGKILL
    deadline = time.monotonic() + 10
    while any(running(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(running(w) for w in workers), "a forked worker outlived its parent"
    assert_intact(db)
    assert dump(db) == before
