"""Work that must grow linearly with the number of documents (REFI-QDA export and import).

Not timed: the test counts the lines of lo-codebook's own code that run (a deterministic
measure of work) for a project of N and of 4N survey answers. Linear work grows about 4x;
the old per-case scan of all documents (export) and per-source rebuild of the archive's
member index (import) grew about 16x.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import Any

import lo_codebook
from lo_codebook.core.codebook import import_codebook
from lo_codebook.core.coding import import_codings
from lo_codebook.core.importing import import_survey
from lo_codebook.core.project import Project
from lo_codebook.core.queries import status_counts
from lo_codebook.core.refi_mapping import export_qdpx, import_qdpx

from .conftest import SAMPLE, pg_schema_url

PACKAGE = str(Path(lo_codebook.__file__).parent)
SMALL, LARGE = 150, 600
#: Linear work grows 4x for 4x the documents; allow fixed costs and noise in the ratio, far
#: below the ~16x of work that is quadratic in documents.
MAX_GROWTH = 4.5


def lines_run(work: Callable[[], Any]) -> int:
    """How many lines of lo_codebook's own code `work()` executes (other code not traced)."""
    count = 0

    def local(frame: FrameType, event: str, arg: Any) -> Any:
        nonlocal count
        if event == "line":
            count += 1
        return local

    def calls(frame: FrameType, event: str, arg: Any) -> Any:
        return local if frame.f_code.co_filename.startswith(PACKAGE) else None

    previous = sys.gettrace()  # a coverage run's tracer: put it back, or later tests go unmeasured
    sys.settrace(calls)
    try:
        work()
    finally:
        sys.settrace(previous)
    return count


def survey_project(project: Project, folder: Path, answers: int) -> None:
    """`answers` respondents (a case each) with one answer and two codings each."""
    folder.mkdir(parents=True, exist_ok=True)
    survey = folder / "survey.csv"
    rows = ["id,antwoord,size_class"] + [
        f"R{n:05d},Digitalisering en leiderschap bij respondent {n} vragen om opleiding,20.000-50.000"
        for n in range(answers)
    ]
    survey.write_text("\n".join(rows) + "\n", encoding="utf-8")
    import_codebook(project, SAMPLE / "codebook.csv")
    import_survey(project, survey, id_col="id", text_cols=["antwoord"], attr_cols=["size_class"])
    codings = folder / "codings.csv"
    lines = ["document,code,start,end"]
    for n in range(answers):
        lines += [f"R{n:05d},Digitalisering,0,8", f"R{n:05d},Leiderschap,12,24"]
    codings.write_text("\n".join(lines) + "\n", encoding="utf-8")
    import_codings(project, codings, coder="anna")


def exchange_work(db_url: str, tmp_path: Path, answers: int) -> tuple[int, int]:
    """Lines run by export-qdpx of a project with `answers` documents, and by importing it."""
    folder = tmp_path / str(answers)
    folder.mkdir(parents=True)
    if db_url.startswith("sqlite"):
        return _exchange(folder / "source.db", folder / "target.db", folder, answers)
    with pg_schema_url() as source_url, pg_schema_url() as target_url:
        return _exchange(source_url, target_url, folder, answers)


def _exchange(
    source_db: str | Path, target_db: str | Path, folder: Path, answers: int
) -> tuple[int, int]:
    source = Project.open(source_db, "tester")
    try:
        survey_project(source, folder, answers)
        qdpx = folder / "study.qdpx"
        exported = lines_run(lambda: export_qdpx(source, qdpx))
    finally:
        source.close()
    target = Project.open(target_db, "importer")
    try:
        imported = lines_run(lambda: import_qdpx(target, qdpx))
        with target.read() as session:
            counts = status_counts(session)
        assert counts["documents"] == answers and counts["codings"] == 2 * answers
    finally:
        target.close()
    return exported, imported


def test_qdpx_export_and_import_grow_linearly_with_documents(db_url: str, tmp_path: Path) -> None:
    small = exchange_work(db_url, tmp_path, SMALL)
    large = exchange_work(db_url, tmp_path, LARGE)
    export_growth, import_growth = large[0] / small[0], large[1] / small[1]
    assert export_growth < MAX_GROWTH, (
        f"export-qdpx work grew {export_growth:.1f}x for 4x the documents"
    )
    assert import_growth < MAX_GROWTH, (
        f"import-qdpx work grew {import_growth:.1f}x for 4x the documents"
    )


def test_log_lists_entries_without_reading_their_change_records(
    db_url: str, tmp_path: Path
) -> None:
    """An import of many answers records one change per row; listing the log must not read them."""
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    from .conftest import run_cli

    project = Project.open(db_url, "tester")
    try:
        survey_project(project, tmp_path / "data", 30)
    finally:
        project.close()
    statements: list[str] = []

    def seen(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement)

    event.listen(Engine, "before_cursor_execute", seen)
    try:
        result = run_cli(
            "--db", db_url, "log", "--format", "json", env={"LO_CODEBOOK_CODER": "tester"}
        )
    finally:
        event.remove(Engine, "before_cursor_execute", seen)
    assert result.code == 0, result.err
    assert "import-survey" in result.out and "import-codings" in result.out
    reads = [s for s in statements if "audit_entry" in s]
    assert reads and not any("changes" in s for s in reads), reads


def _all_suggestions(project: Project) -> list[tuple[Any, ...]]:
    from sqlalchemy import select

    from lo_codebook.db.models import Suggestion

    with project.read() as session:
        return sorted(
            session.execute(
                select(
                    Suggestion.document_id,
                    Suggestion.code_id,
                    Suggestion.start,
                    Suggestion.end,
                    Suggestion.score,
                    Suggestion.method,
                    Suggestion.pattern,
                )
            ).all()
        )


def test_learning_from_many_coded_documents_keeps_memory_bounded_and_results_equal(
    tmp_path: Path, monkeypatch: Any
) -> None:
    """Coded documents are processed in batches and not all kept (200,000 coded answers held
    gigabytes of parsed documents); the suggestions are the same as in one batch."""
    import csv

    from lo_codebook.core.suggest_service import run_suggest
    from lo_codebook.nlp import match

    survey = SAMPLE / "survey" / "lo_enquete_qualtrics.csv"
    with (SAMPLE / "survey" / "gold.csv").open(encoding="utf-8") as handle:
        gold = [(r["respondent_id"], r["code"]) for r in csv.DictReader(handle)][:120]
    codings = tmp_path / "codings.csv"
    codings.write_text(
        "respondent_id,code\n" + "".join(f"{d},{c}\n" for d, c in gold), encoding="utf-8"
    )

    def project_with_codings(name: str) -> Project:
        project = Project.open(tmp_path / name, "anna")
        import_codebook(project, SAMPLE / "codebook.csv")
        import_survey(project, survey, id_col="ResponseId", text_cols=["Q4"])
        import_codings(project, codings, coder="anna")
        return project

    whole = project_with_codings("whole.db")
    run_suggest(whole, workers=1)

    kept: list[int] = []
    original = match.SuggestionEngine.learn

    def learn(self: Any, *args: Any, **kwargs: Any) -> Any:
        result = original(self, *args, **kwargs)
        kept.append(len(self._doc_cache))
        return result

    monkeypatch.setattr(match, "_EVIDENCE_BATCH", 7)
    monkeypatch.setattr(match, "_CACHE_DOCUMENTS", 10)
    monkeypatch.setattr(match.SuggestionEngine, "learn", learn)
    batched = project_with_codings("batched.db")
    run_suggest(batched, workers=1)
    assert kept == [0], "more coded documents than the cache holds: none kept"
    assert _all_suggestions(batched) == _all_suggestions(whole)
    whole.close()
    batched.close()
