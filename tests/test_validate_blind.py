"""Blind mode outside the document view: deciding suggestion ids, the `suggestions`,
`documents` and `export-quotes` commands and the core listings never reveal the engine's
suggestions or another coder's codes on a coder's validation sample before it is marked done."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from lo_codebook.core import coding, queries
from lo_codebook.core.project import Project
from lo_codebook.core.suggest_service import decide
from lo_codebook.core.validation import draw_validation, mark_done
from lo_codebook.db.models import AuditEntry, Coding, Suggestion
from lo_codebook.errors import UserError

from .conftest import run_cli
from .tui.conftest import Sample, build_sample


@pytest.fixture
def blind(tmp_path: Path) -> Iterator[tuple[Sample, dict[str, str]]]:
    """The UI tests' project; bram codes interview_a; tester's sample holds every document,
    interview_b marked done, the rest blind."""
    sample = build_sample(tmp_path)
    bram = Project.open(sample.path, "bram")
    text = sample.text("interview_a")
    start = text.index("Omgevingswet")
    coding.code_span(
        bram,
        sample.docs["interview_a"],
        start,
        start + len("Omgevingswet"),
        sample.codes["Omgevingswet"],
    )
    bram.close()
    draw_validation(sample.project, size=len(sample.docs), seed=3)
    mark_done(sample.project, sample.docs["interview_b"])
    yield sample, {"LO_CODEBOOK_DB": str(sample.path), "LO_CODEBOOK_CODER": "tester"}
    sample.project.close()


def suggestion_on(sample: Sample, document: str, code: str) -> int:
    with sample.project.read() as session:
        found = session.scalar(
            select(Suggestion.id).where(
                Suggestion.document_id == sample.docs[document],
                Suggestion.code_id == sample.codes[code],
            )
        )
    assert found is not None
    return found


def state(sample: Sample) -> tuple[int, int, int]:
    """Pending suggestions, codings, log entries: what a refused decision must leave alone."""
    with sample.project.read() as session:
        return (
            int(
                session.scalar(
                    select(func.count(Suggestion.id)).where(Suggestion.status == "pending")
                )
                or 0
            ),
            int(session.scalar(select(func.count(Coding.id))) or 0),
            int(session.scalar(select(func.count(AuditEntry.id))) or 0),
        )


def test_deciding_a_blind_suggestion_by_id_is_refused(blind: tuple[Sample, dict[str, str]]) -> None:
    sample, env = blind
    hidden = suggestion_on(sample, "interview_a", "Hybride werken")
    shown = suggestion_on(sample, "interview_b", "Arbeidsmarkt")
    before = state(sample)
    with pytest.raises(UserError, match="validation sample and not marked done"):
        decide(sample.project, [shown, hidden], accept=True)
    assert state(sample) == before  # not even the suggestion beside it was decided

    for verb in ("accept", "reject"):
        refused = run_cli(verb, str(hidden), env=env)
        assert refused.code == 1 and refused.err.count("\n") == 1, refused.err
        assert f"suggestion {hidden} is on 'interview_a'" in refused.err
        assert "validate --done interview_a" in refused.err
        assert state(sample) == before
    unknown = run_cli("accept", "99999", env=env)
    assert unknown.code == 1 and "no suggestion 99999" in unknown.err and state(sample) == before
    both = run_cli("accept", str(shown), "--code", "Arbeidsmarkt", env=env)
    assert both.code == 1 and "not both" in both.err

    accepted = run_cli(
        "accept", str(shown), env=env
    )  # interview_b is done: its suggestion can be decided
    assert accepted.code == 0 and "accepted 1 suggestion" in accepted.out
    mark_done(sample.project, sample.docs["interview_a"])
    rejected = run_cli("reject", str(hidden), env=env)
    assert rejected.code == 0 and "rejected 1 suggestion" in rejected.out
    again = run_cli("reject", str(hidden), env=env)
    assert again.code == 0 and "rejected 0 suggestions (1 already decided)" in again.out


def test_suggestions_listing_holds_back_the_blind_sample(
    blind: tuple[Sample, dict[str, str]],
) -> None:
    sample, env = blind
    listed = run_cli("suggestions", "--format", "json", env=env)
    assert listed.code == 0, listed.err
    rows = json.loads(listed.out)
    assert {r["document"] for r in rows} == {"interview_b"} and all(
        isinstance(r["id"], int) for r in rows
    )
    assert "4 suggestions on your validation sample held back" in listed.err
    for fmt in ("csv", "table"):
        out = run_cli("suggestions", "--format", fmt, "--status", "all", env=env)
        assert "interview_a" not in out.out and "R_2" not in out.out and "held back" in out.err
    # bram sees everything: the sample is tester's
    everyone = run_cli("suggestions", "--format", "json", env={**env, "LO_CODEBOOK_CODER": "bram"})
    assert len(json.loads(everyone.out)) == 6 and "held back" not in everyone.err
    mark_done(sample.project, sample.docs["R_2"])
    rows = json.loads(run_cli("suggestions", "--format", "json", env=env).out)
    assert {r["document"] for r in rows} == {"interview_b", "R_2"}


def test_documents_mark_the_sample_without_its_suggestions(
    blind: tuple[Sample, dict[str, str]],
) -> None:
    sample, env = blind
    rows = json.loads(run_cli("documents", "--format", "json", env=env).out)
    marks = {r["name"]: r["sample"] for r in rows}
    assert (
        marks["interview_a"] == "blind"
        and marks["interview_b"] == "done"
        and marks["R_2"] == "blind"
    )
    table = run_cli("documents", env={**env, "LO_CODEBOOK_LANG": "en"}).out
    header, _, *lines = table.splitlines()
    assert header.split()[-1] == "sample"
    assert next(line for line in lines if line.startswith("interview_a")).split()[-1] == "blind"
    assert next(line for line in lines if line.startswith("interview_b")).split()[-1] == "done"
    # without a sample the listing is unchanged (no "sample" key or column)
    bram = json.loads(
        run_cli("documents", "--format", "json", env={**env, "LO_CODEBOOK_CODER": "bram"}).out
    )
    assert all("sample" not in r for r in bram)

    with sample.project.read() as session:
        seen = {d.name: d for d in queries.document_summaries(session, coder="tester")}
        plain = {d.name: d for d in queries.document_summaries(session)}
        tree = {c.name: c for c in queries.codebook_tree(session, coder="tester")}
        full = {c.name: c for c in queries.codebook_tree(session)}
    assert (plain["interview_a"].pending, plain["interview_a"].codings) == (3, 3)
    assert (
        seen["interview_a"].pending,
        seen["interview_a"].codings,
        seen["interview_a"].sample,
    ) == (0, 2, "blind")
    assert seen["interview_b"].pending == 2 and seen["R_1"].sample == "blind"
    assert full["Hybride werken"].pending == 1 and tree["Hybride werken"].pending == 0
    assert full["Omgevingswet"].documents == 2 and tree["Omgevingswet"].documents == 1


def test_export_quotes_leaves_out_other_coders_on_the_blind_sample(
    blind: tuple[Sample, dict[str, str]], tmp_path: Path
) -> None:
    sample, env = blind
    out = tmp_path / "quotes.csv"
    result = run_cli("export-quotes", out, env=env)
    assert result.code == 0, result.err
    assert "note: 1 quote of other coders on your validation sample left out" in result.err
    with out.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert "bram" not in {r["coder"] for r in rows} and len(rows) == 6  # tester's own, blind or not
    only_bram = run_cli("export-quotes", out, "--coder", "bram", env=env)
    assert (
        only_bram.code == 0
        and "wrote 0 quotes" in only_bram.out
        and "1 quote of other coders" in only_bram.err
    )
    mark_done(sample.project, sample.docs["interview_a"])
    after = run_cli("export-quotes", out, env=env)
    assert after.code == 0 and "left out" not in after.err
    with out.open(encoding="utf-8") as handle:
        assert "bram" in {r["coder"] for r in csv.DictReader(handle)}
