"""Suggestions in the project: stored once, rejected ones never revived, accept makes codings."""

from __future__ import annotations

import csv
import io
import json

import pytest
from sqlalchemy import func, select

from lo_codebook.core.codebook import import_codebook
from lo_codebook.core.importing import import_survey
from lo_codebook.core.project import Project
from lo_codebook.core.suggest_service import decide, decide_matching, list_suggestions, run_suggest
from lo_codebook.db.models import Coder, Coding, Suggestion

from .conftest import SAMPLE, run_cli

# The assertions read the English lines of the CLI (see `english_output`).
pytestmark = pytest.mark.usefixtures("english_output")

SURVEY = SAMPLE / "survey" / "lo_enquete_qualtrics.csv"


@pytest.fixture
def survey_project(project: Project) -> Project:
    import_codebook(project, SAMPLE / "codebook.csv")
    import_survey(
        project, SURVEY, id_col="ResponseId", text_cols=["Q4"], attr_cols=["Q2=size_class"]
    )
    return project


def _count(project: Project, model, *where) -> int:  # type: ignore[no-untyped-def]
    with project.read() as session:
        return int(session.scalar(select(func.count()).select_from(model).where(*where)) or 0)


def test_rerun_does_not_duplicate_nor_revive_rejected(survey_project: Project) -> None:
    first = run_suggest(survey_project)
    assert first.new > 100 and first.by_method["keyword"] > 0
    total = _count(survey_project, Suggestion)
    with survey_project.read() as session:
        rows = list_suggestions(session, code="Omgevingswet")
    assert rows and all(r.code == "Omgevingswet" for r in rows)
    assert all(
        r.text == r.context[r.start - r.context_start : r.end - r.context_start] for r in rows
    )
    rejected = decide(survey_project, [r.id for r in rows], accept=False)
    assert rejected == len(rows)
    again = run_suggest(survey_project)
    # nothing comes back twice and nothing rejected is revived (a rejected keyword no longer
    # hides another code's evidence under it, so a new suggestion may appear there)
    assert _count(survey_project, Suggestion) == total + again.new
    assert _count(survey_project, Suggestion, Suggestion.status == "rejected") == rejected
    assert (
        _count(survey_project, Suggestion, Suggestion.status == "pending")
        == total - rejected + again.new
    )
    third = run_suggest(survey_project)
    assert third.new == 0


def test_accept_makes_codings_of_the_accepting_coder_and_undo_reverts(
    survey_project: Project,
) -> None:
    run_suggest(survey_project)
    pending = _count(survey_project, Suggestion, Suggestion.status == "pending")
    high = _count(survey_project, Suggestion, Suggestion.score >= 90)
    accepted = decide_matching(survey_project, accept=True, min_score=90)
    assert accepted == high > 0
    with survey_project.read() as session:
        coder_ids = set(session.scalars(select(Coding.coder_id)))
        names = set(session.scalars(select(Coder.name).where(Coder.id.in_(coder_ids))))
        origins = set(session.scalars(select(Coding.origin)))
    assert names == {"tester"} and origins == {"accepted"}
    assert _count(survey_project, Coding) == accepted
    survey_project.undo()
    assert _count(survey_project, Coding) == 0
    assert _count(survey_project, Suggestion, Suggestion.status == "pending") == pending


def test_coded_spans_are_not_suggested_again(survey_project: Project) -> None:
    run_suggest(survey_project)
    decide_matching(survey_project, accept=True)
    with survey_project.write("clear") as unit:
        for row in unit.session.scalars(select(Suggestion)):
            unit.session.delete(row)
    report = run_suggest(survey_project)
    assert report.already_coded > 0
    # learning from the accepted codings may find something new elsewhere, never inside a
    # coding of the same code
    with survey_project.read() as session:
        codings = [
            (c.document_id, c.code_id, c.start, c.end) for c in session.scalars(select(Coding))
        ]
        fresh = list(session.scalars(select(Suggestion)))
    assert len(fresh) == report.new
    assert not [
        s
        for s in fresh
        if any(
            d == s.document_id and c == s.code_id and a <= s.start and s.end <= b
            for d, c, a, b in codings
        )
    ]


def test_suggestions_cli_shapes_and_bulk_review(cli_env: dict[str, str]) -> None:
    run_cli("codebook", "import", SAMPLE / "codebook.csv", env=cli_env)
    run_cli("import-survey", SURVEY, "--id-col", "ResponseId", "--text-col", "Q4", env=cli_env)
    result = run_cli("suggest", env=cli_env)
    assert result.code == 0 and "new suggestions" in result.out
    out = run_cli("suggestions", "--format", "csv", env=cli_env).out
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rows and list(rows[0]) == [
        "document",
        "case",
        "code",
        "start",
        "end",
        "score",
        "method",
        "text",
        "evidence",
    ]
    assert all(r["evidence"].startswith(r["method"] + ": ") for r in rows)
    data = json.loads(
        run_cli("suggestions", "--format", "json", "--code", "Wet open overheid", env=cli_env).out
    )
    assert data and {d["code"] for d in data} == {"Wet open overheid"}
    rejected = run_cli("reject", "--code", "Wet open overheid", env=cli_env)
    assert rejected.code == 0 and f"rejected {len(data)}" in rejected.out
    assert json.loads(
        run_cli("suggestions", "--status", "rejected", "--format", "json", env=cli_env).out
    )
    accepted = run_cli("accept", env=cli_env)
    assert accepted.code == 0
    status = json.loads(run_cli("status", "--format", "json", env=cli_env).out)
    assert status["codings"] == int(accepted.out.split()[1])
    assert run_cli("accept", "--code", "Bestaat niet", env=cli_env).code == 1


def test_workers_store_the_same_suggestions_and_report_progress(survey_project: Project) -> None:
    from sqlalchemy import delete

    def stored() -> list[tuple]:
        with survey_project.read() as session:
            return sorted(
                session.execute(
                    select(
                        Suggestion.document_id,
                        Suggestion.code_id,
                        Suggestion.start,
                        Suggestion.end,
                        Suggestion.score,
                        Suggestion.method,
                        Suggestion.evidence,
                        Suggestion.pattern,
                        Suggestion.status,
                    )
                ).all()
            )

    seen: list[tuple[int, int]] = []
    forked = run_suggest(
        survey_project, workers=2, progress=lambda done, total: seen.append((done, total))
    )
    rows = stored()
    assert forked.new == len(rows) > 100
    assert seen and seen[-1][0] == seen[-1][1] == forked.documents
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)
    with survey_project.write("clear") as unit:
        unit.session.execute(delete(Suggestion))
    steps: list[int] = []
    single = run_suggest(survey_project, workers=1, progress=lambda done, total: steps.append(done))
    assert single.new == forked.new and dict(single.by_method) == dict(forked.by_method)
    assert len(set(steps)) >= 10 and steps == sorted(steps) and steps[-1] == single.documents
    assert stored() == rows


def test_suggest_cli_workers_option(cli_env: dict[str, str]) -> None:
    run_cli("codebook", "import", SAMPLE / "codebook.csv", env=cli_env)
    run_cli("import-survey", SURVEY, "--id-col", "ResponseId", "--text-col", "Q4", env=cli_env)
    forked = run_cli("suggest", "--workers", "2", env=cli_env)
    assert forked.code == 0 and "new suggestions" in forked.out
    rows = run_cli("suggestions", "--format", "csv", env=cli_env).out
    bad = run_cli("suggest", "--workers", "-1", env=cli_env)
    assert bad.code == 1 and "--workers" in bad.err
    again = run_cli("suggest", "--workers", "1", env=cli_env)
    assert again.code == 0 and " 0 new suggestions" in again.out
    assert run_cli("suggestions", "--format", "csv", env=cli_env).out == rows


def test_suggestions_order_uncertain_lists_the_least_certain_first(cli_env: dict[str, str]) -> None:
    run_cli("codebook", "import", SAMPLE / "codebook.csv", env=cli_env)
    run_cli("import-survey", SURVEY, "--id-col", "ResponseId", "--text-col", "Q4", env=cli_env)
    assert run_cli("suggest", env=cli_env).code == 0
    rows = json.loads(
        run_cli("suggestions", "--order", "uncertain", "--format", "json", env=cli_env).out
    )
    distances = [abs(r["score"] - 50) for r in rows]
    assert rows and distances == sorted(distances)
    assert all(r["evidence"].split(": ", 1)[0] == r["method"] for r in rows)
    reading = json.loads(run_cli("suggestions", "--format", "json", env=cli_env).out)
    assert sorted(map(json.dumps, reading)) == sorted(map(json.dumps, rows))
    assert run_cli("suggestions", "--order", "random", env=cli_env).code == 1
