"""Team mode errors that must be invisible retries or clear messages, on SQLite and PostgreSQL:
a new coder created by two writers at once, two `suggest` runs at once, two merges of the
same file at once, and length limits that hold the same on both databases."""

from __future__ import annotations

import multiprocessing as mp
import threading
import time
import traceback
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from lo_codebook.core.codebook import create_code
from lo_codebook.core.importing import import_files
from lo_codebook.core.project import Project
from lo_codebook.db.models import Case, Code, Coder, Coding, Document, Suggestion

from .conftest import SAMPLE, run_cli

INTERVIEW = SAMPLE / "interviews" / "interview_01_lindewaard.txt"
SURVEY = SAMPLE / "survey" / "lo_enquete_qualtrics.csv"


def _count(project: Project, model: Any, *where: Any) -> int:
    with project.read() as session:
        return int(session.scalar(select(func.count()).select_from(model).where(*where)) or 0)


# ------------------------------------------------------------------ a new coder, twice at once


def test_a_new_coder_written_by_two_processes_at_once(db_url: str) -> None:
    """Cees starts on two machines: the first write inserts his coder row (not committed yet)
    when the second one looks for it. The second waits and uses the row, no error."""
    setup = Project.open(db_url, "setup")
    code_id = create_code(setup, "Werkdruk")
    first = Project.open(db_url, "Cees")
    second = Project.open(db_url, "Cees")
    outcome: list[str] = []

    def other_machine() -> None:
        try:
            create_code(second, "Leiderschap")
            outcome.append("ok")
        except BaseException as exc:  # noqa: BLE001 - reported below
            outcome.append(f"{type(exc).__name__}: {exc}")

    with first.write("code-add") as unit:  # inserts the coder row "Cees"
        thread = threading.Thread(target=other_machine)
        thread.start()
        time.sleep(1.0)
        unit.summary = "nothing else"
    thread.join(timeout=60)
    print(db_url.split(":")[0], outcome)
    assert outcome == ["ok"]
    assert _count(setup, Coder, Coder.name == "Cees") == 1
    assert _count(setup, Code, Code.id != code_id) == 1
    for project in (setup, first, second):
        project.close()


# ------------------------------------------------------------------- two suggest runs at once


def _suggest_at_once(url: str, coder: str, barrier: Any, results: Any) -> None:
    """`suggest` in its own process; both have read the project before either writes."""
    try:
        from lo_codebook.core.suggest_service import run_suggest

        project = Project.open(url, coder)
        write = project.write

        def write_after_the_other_read(*args: Any, **kwargs: Any) -> Any:
            barrier.wait(timeout=120)
            return write(*args, **kwargs)

        project.write = write_after_the_other_read  # type: ignore[method-assign]
        report = run_suggest(project, workers=1)
        project.close()
        results.put((coder, report.new, report.already_known, None))
    except BaseException as exc:  # noqa: BLE001
        results.put((coder, -1, -1, f"{type(exc).__name__}: {exc}\n{traceback.format_exc()}"))


def test_two_suggest_runs_at_once_store_each_suggestion_once(db_url: str) -> None:
    project = Project.open(db_url, "setup")
    import_files(project, [INTERVIEW])
    assert run_cli("--db", db_url, "codebook", "import", SAMPLE / "codebook.csv").code == 0
    ctx = mp.get_context("spawn")
    barrier = ctx.Barrier(2)
    results = ctx.Queue()
    processes = [
        ctx.Process(target=_suggest_at_once, args=(db_url, coder, barrier, results))
        for coder in ("Anna", "Bram")
    ]
    for process in processes:
        process.start()
    outcome = [results.get(timeout=600) for _ in processes]
    for process in processes:
        process.join(timeout=60)
    print(
        db_url.split(":")[0],
        [(c, new, known, (err or "").splitlines()[:1]) for c, new, known, err in outcome],
    )
    errors = [err for *_, err in outcome if err]
    assert not errors, errors[0]
    stored = _count(project, Suggestion)
    with project.read() as session:
        keys = session.execute(
            select(Suggestion.document_id, Suggestion.code_id, Suggestion.start, Suggestion.end)
        ).all()
    assert len(set(keys)) == stored > 0
    # Together they stored each suggestion once: one found them new, the other already known.
    news = sorted(new for _, new, _, _ in outcome)
    assert news == [0, stored], outcome
    project.close()


# -------------------------------------------------------------- the same file merged twice at once


def _bram_file(tmp_path: Path) -> Path:
    bram = tmp_path / "bram.db"
    env = {"LO_CODEBOOK_DB": str(bram), "LO_CODEBOOK_CODER": "bram"}
    assert run_cli("import", INTERVIEW, env=env).code == 0
    for name in ("Werkdruk", "Thuiswerken", "Samenwerking"):
        assert run_cli("codebook", "import", _one_code_csv(tmp_path, name), env=env).code == 0
    project = Project.open(bram, "bram")
    with project.read() as session:
        doc_id = session.scalar(select(Document.id))
        code_ids = list(session.scalars(select(Code.id)))
    from lo_codebook.core.coding import code_span

    for k, code_id in enumerate(code_ids):
        code_span(project, doc_id, 10 * k, 10 * k + 5, code_id)
    project.close()
    return bram


def _one_code_csv(tmp_path: Path, name: str) -> Path:
    path = tmp_path / f"{name}.csv"
    path.write_text(f"name,parent,description,keywords\n{name},,,\n", encoding="utf-8")
    return path


def test_the_same_file_merged_twice_at_once(db_url: str, tmp_path: Path) -> None:
    """Two coders merge Bram's file at the same moment: one merges, the other finds it all
    there already; nobody is told that a code 'was just created by someone else'."""
    from lo_codebook.core.merge import merge_project

    bram = _bram_file(tmp_path)
    setup = Project.open(db_url, "setup")
    import_files(setup, [INTERVIEW])
    projects = [Project.open(db_url, coder) for coder in ("Anna", "Cees")]
    barrier = threading.Barrier(2)
    outcome: list[str] = [""] * 2

    def merge(index: int, project: Project) -> None:
        write = project.write

        def together(*args: Any, **kwargs: Any) -> Any:
            barrier.wait(timeout=60)
            return write(*args, **kwargs)

        project.write = together  # type: ignore[method-assign]
        try:
            outcome[index] = "ok: " + merge_project(project, bram, backup=False).summary()
        except BaseException as exc:  # noqa: BLE001
            outcome[index] = f"{type(exc).__name__}: {exc}"

    threads = [threading.Thread(target=merge, args=(i, p)) for i, p in enumerate(projects)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    print(db_url.split(":")[0], outcome)
    assert all(text.startswith("ok: ") for text in outcome), outcome
    assert _count(setup, Code) == 3
    assert _count(setup, Coding) == 3
    for project in (setup, *projects):
        project.close()


# -------------------------------------------------------------------------------- limits


def _long_id_survey(tmp_path: Path, length: int) -> Path:
    path = tmp_path / "survey.csv"
    path.write_text(
        "ResponseId,Q4\nR_1,Werkdruk is hoog\n"
        + "R_"
        + "x" * (length - 2)
        + ",Te veel vergaderen\n",
        encoding="utf-8",
    )
    return path


def test_a_respondent_id_beyond_the_limit_is_one_clear_error_on_both(
    db_url: str, tmp_path: Path
) -> None:
    env = {"LO_CODEBOOK_DB": db_url, "LO_CODEBOOK_CODER": "anna"}
    result = run_cli(
        "import-survey",
        _long_id_survey(tmp_path, 10_000),
        "--id-col",
        "ResponseId",
        "--text-col",
        "Q4",
        env=env,
    )
    print(db_url.split(":")[0], result.code, result.err.strip()[:300])
    assert result.code == 1, (result.out, result.err)
    lines = result.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("lo-codebook: error: "), result.err
    assert "survey.csv, line 3, column 'ResponseId'" in lines[0]
    assert "at most 300 characters (10,000 given)" in lines[0]
    assert "INSERT" not in lines[0] and "internal error" not in lines[0]
    project = Project.open(db_url, "anna")
    assert _count(project, Case) == 0 and _count(project, Document) == 0
    project.close()
    # At the limit it is accepted, on both.
    ok = run_cli(
        "import-survey",
        _long_id_survey(tmp_path, 300),
        "--id-col",
        "ResponseId",
        "--text-col",
        "Q4",
        env=env,
    )
    assert ok.code == 0, ok.err


LIMITS = {
    "case name": (
        ("import", INTERVIEW, "--case", "c" * 400),
        "a case name (respondent id) can have at most 300 characters (400 given)",
    ),
    "attribute name": (
        ("import", INTERVIEW, "--attr", "k" * 250 + "=v"),
        "an attribute name can have at most 200 characters (250 given)",
    ),
    "coder name": (
        ("--coder", "n" * 250, "codebook", "import", SAMPLE / "codebook.csv"),
        "a coder name can have at most 200 characters (250 given)",
    ),
}


@pytest.mark.parametrize("what", sorted(LIMITS))
def test_every_length_limit_is_checked_before_writing_on_both(db_url: str, what: str) -> None:
    args, message = LIMITS[what]
    env = {"LO_CODEBOOK_DB": db_url, "LO_CODEBOOK_CODER": "anna"}
    result = run_cli(*args, env=env)
    print(db_url.split(":")[0], what, result.code, result.err.strip()[:200])
    assert result.code == 1, (result.out, result.err)
    lines = result.err.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], result.err
    assert "INSERT" not in lines[0] and "internal error" not in lines[0]
