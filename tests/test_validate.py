"""The validation sample: the estimator (pure), its coverage in simulation, and the commands.

The simulation is the acceptance test of the method: 1,000 simulated projects with an
imperfect engine and a random sample of 40; the 95% interval must cover the true count in
93-97% of them.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import func, select

from lo_codebook.analysis.validation import (
    MIN_POSITIVES,
    allocate,
    collapse_empty,
    draw,
    estimate_theme,
    total_interval,
    wilson,
    wilson_fpc,
)
from lo_codebook.core.project import Project
from lo_codebook.core.validation import draw_validation, mark_done, validation_report
from lo_codebook.db.models import Code, Coding, Document, Suggestion, Validation, ValidationDocument

from .conftest import SAMPLE, run_cli

SURVEY = SAMPLE / "survey" / "lo_enquete_qualtrics.csv"
GOLD = SAMPLE / "survey" / "gold.csv"
CODEBOOK = SAMPLE / "codebook.csv"


# the estimator ----------------------------------------------------------------------------------
def test_wilson_matches_the_textbook_values() -> None:
    share, low, high = wilson(5, 10)
    assert (float(share), round(float(low), 4), round(float(high), 4)) == (0.5, 0.2366, 0.7634)
    _, low, high = wilson(0, 20)
    assert float(low) == 0.0 and round(float(high), 4) == 0.1611
    _, low, high = wilson(0, 0)
    assert (float(low), float(high)) == (0.0, 1.0)


def test_finite_population_correction_narrows_and_a_census_is_exact() -> None:
    _, low_inf, high_inf = wilson(6, 20)
    _, low, high = wilson_fpc(6, 20, 40)
    assert low_inf < low < 0.3 < high < high_inf
    share, low, high = wilson_fpc(6, 20, 20)
    assert float(low) == float(high) == float(share) == 0.3
    estimate, low, high = total_interval(np.array([30, 10]), np.array([30, 10]), np.array([3, 8]))
    assert (float(estimate), float(low), float(high)) == (11.0, 11.0, 11.0)


def test_empty_cells_are_merged_over_strata_then_into_one() -> None:
    flagged = np.array([False, True, False, True])  # two strata x (not flagged, flagged)
    size, n, y = collapse_empty(
        np.array([50, 10, 30, 10]), np.array([5, 2, 3, 0]), np.array([1, 2, 0, 0]), flagged
    )
    assert (
        size.tolist() == [80, 20, 0, 0]
        and n.tolist() == [8, 2, 0, 0]
        and y.tolist() == [1, 2, 0, 0]
    )
    size, n, y = collapse_empty(
        np.array([50, 10, 30, 10]), np.array([5, 0, 3, 0]), np.array([1, 0, 0, 0]), flagged
    )
    assert size.tolist() == [100, 0, 0, 0] and n.tolist() == [8, 0, 0, 0]
    untouched = collapse_empty(
        np.array([50, 10]), np.array([5, 2]), np.array([1, 2]), np.array([False, True])
    )
    assert [a.tolist() for a in untouched] == [[50, 10], [5, 2], [1, 2]]


def test_precision_recall_and_estimate_of_one_theme() -> None:
    # 100 documents: 20 flagged by the engine, 80 not; sample 10 flagged (6 right) and 20 not (2 missed)
    result = estimate_theme(
        np.array([80, 20]), np.array([20, 10]), np.array([2, 6]), np.array([False, True])
    )
    assert (result.true_positives, result.flagged_in_sample, result.positives) == (6, 10, 8)
    assert result.precision.value == pytest.approx(0.6) and result.recall.value == pytest.approx(
        0.75
    )
    assert result.total.value == pytest.approx(80 * 2 / 20 + 20 * 6 / 10)  # 8 + 12
    assert result.total.low is not None and result.total.high is not None
    assert 8 <= result.total.low < 20 < result.total.high <= 100 - 22
    assert result.reliable == (MIN_POSITIVES <= 8)


def test_allocation_is_proportional_with_at_least_one_per_group() -> None:
    assert allocate([60, 30, 10], 10) == [6, 3, 1]
    assert allocate([97, 2, 1], 10) == [8, 1, 1]
    assert sum(allocate([13, 40, 22, 7, 3], 40)) == 40
    assert allocate([5, 5], 10) == [5, 5]
    with pytest.raises(ValueError):
        allocate([5, 5, 5], 2)
    with pytest.raises(ValueError):
        allocate([5, 5], 11)


def test_draw_is_reproducible_and_stratified() -> None:
    ids = list(range(1, 201))
    strata = [0] * 120 + [1] * 60 + [2] * 20
    first = draw(ids, strata, 20, seed=11)
    assert first == draw(list(reversed(ids)), list(reversed(strata)), 20, seed=11)  # order-free
    assert first != draw(ids, strata, 20, seed=12)
    assert len(set(first)) == 20
    per = [sum(1 for i in first if strata[i - 1] == g) for g in range(3)]
    assert per == [12, 6, 2]


# the simulation ----------------------------------------------------------------------------------
def simulated(
    seed: int,
    *,
    projects: int = 1000,
    documents: int = 400,
    size: int = 40,
    strata: tuple[int, ...] = (),
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, int]:
    """Simulated projects: truth, engine flags, sample and stratum per document.

    Each project: documents mention the theme with a probability drawn in [0.05, 0.40] (with
    `strata`, a different one per stratum); an engine with recall in [0.4, 0.8] and
    precision in [0.5, 0.9] flags documents; a random sample of `size` (proportional by
    stratum) is coded by hand without error.
    """
    rng = np.random.default_rng(seed)
    shape = (projects, documents)
    prevalence = rng.uniform(0.05, 0.40, (projects, 1))
    recall = rng.uniform(0.4, 0.8, (projects, 1))
    precision = rng.uniform(0.5, 0.9, (projects, 1))
    sizes = np.array(strata or (documents,))
    group = np.repeat(np.arange(len(sizes)), sizes)[None, :].repeat(projects, axis=0)
    level = np.linspace(0.6, 1.8, len(sizes)) if strata else np.ones(1)
    chance = np.clip(prevalence * level[group], 0, 1)
    truth = rng.random(shape) < chance
    false_rate = np.clip(
        recall * prevalence * (1 - precision) / (precision * (1 - prevalence)), 0, 1
    )
    flagged = np.where(truth, rng.random(shape) < recall, rng.random(shape) < false_rate)
    in_sample = np.zeros(shape, dtype=bool)
    order = np.argsort(rng.random(shape) + group, axis=1)  # random order within each stratum
    start = 0
    for n, count in zip(allocate(sizes.tolist(), size), sizes, strict=True):
        np.put_along_axis(in_sample, order[:, start : start + n], True, axis=1)
        start += count
    return truth, flagged, in_sample, group, len(sizes)


def simulate(
    seed: int,
    *,
    projects: int = 1000,
    documents: int = 400,
    size: int = 40,
    strata: tuple[int, ...] = (),
) -> tuple[float, float]:
    """Coverage of the 95% interval over simulated projects (`simulated`), and the mean
    interval width."""
    truth, flagged, in_sample, group, n_strata = simulated(
        seed, projects=projects, documents=documents, size=size, strata=strata
    )
    cells = group * 2 + flagged
    k = 2 * n_strata
    population = np.stack([(cells == c).sum(1) for c in range(k)], axis=-1)
    sampled = np.stack([((cells == c) & in_sample).sum(1) for c in range(k)], axis=-1)
    positives = np.stack([((cells == c) & in_sample & truth).sum(1) for c in range(k)], axis=-1)
    cell_flagged = np.tile(np.array([False, True]), n_strata)
    _, low, high = total_interval(*collapse_empty(population, sampled, positives, cell_flagged))
    true = truth.sum(axis=1)
    return float(((low <= true) & (true <= high)).mean()), float((high - low).mean())


def simulate_groups(seed: int, strata: tuple[int, ...], size: int = 40) -> list[float]:
    """Coverage per stratum of the group estimate `themes --by` shows (each stratum's own
    two cells, as `core.validation` computes them)."""
    truth, flagged, in_sample, group, n_strata = simulated(seed, size=size, strata=strata)
    coverage = []
    for g in range(n_strata):
        mine = group == g
        population = np.stack([((flagged == f) & mine).sum(1) for f in (False, True)], axis=-1)
        sampled = np.stack(
            [((flagged == f) & mine & in_sample).sum(1) for f in (False, True)], axis=-1
        )
        positives = np.stack(
            [((flagged == f) & mine & in_sample & truth).sum(1) for f in (False, True)], axis=-1
        )
        _, low, high = total_interval(
            *collapse_empty(population, sampled, positives, np.array([False, True]))
        )
        true = (truth & mine).sum(axis=1)
        coverage.append(float(((low <= true) & (true <= high)).mean()))
    return coverage


def test_simulation_interval_covers_the_true_count_93_to_97_percent() -> None:
    coverage, width = simulate(20261207)
    print(f"coverage {coverage:.3f}, mean width {width:.1f} documents of 400")
    assert 0.93 <= coverage <= 0.97
    # the engine's flags make the interval narrower than the sample share alone would
    _, plain = simulate_plain(20261207)
    assert width < plain


def simulate_plain(seed: int) -> tuple[float, float]:
    """The same projects estimated from the sample share only (one cell): the comparison."""
    rng = np.random.default_rng(seed)
    projects, documents, size = 1000, 400, 40
    prevalence = rng.uniform(0.05, 0.40, (projects, 1))
    rng.uniform(0.4, 0.8, (projects, 1)), rng.uniform(0.5, 0.9, (projects, 1))  # same stream
    truth = rng.random((projects, documents)) < prevalence
    sample = np.argsort(rng.random((projects, documents)), axis=1)[:, :size]
    found = np.take_along_axis(truth, sample, axis=1).sum(1)
    _, low, high = total_interval(
        np.full((projects, 1), documents), np.full((projects, 1), size), found[:, None]
    )
    true = truth.sum(1)
    return float(((low <= true) & (true <= high)).mean()), float((high - low).mean())


def test_simulation_with_a_stratified_sample_also_covers() -> None:
    coverage, _ = simulate(7, strata=(200, 120, 60, 20))
    print(f"stratified coverage {coverage:.3f}")
    assert 0.93 <= coverage <= 0.97


def test_simulation_group_estimates_cover_in_every_stratum() -> None:
    # 40 documents over strata of 200, 120, 60, 20: 20, 12, 6 and 2 of them in the sample
    coverage = simulate_groups(7, (200, 120, 60, 20))
    print("coverage per group " + ", ".join(f"{c:.3f}" for c in coverage))
    assert all(0.92 <= c <= 0.98 for c in coverage), coverage


# the commands ------------------------------------------------------------------------------------
def gold_pairs() -> list[tuple[str, str]]:
    with GOLD.open(encoding="utf-8") as handle:
        return [(r["respondent_id"], r["code"]) for r in csv.DictReader(handle)]


@pytest.fixture
def survey_env(tmp_path: Path) -> dict[str, str]:
    env = {"LO_CODEBOOK_DB": str(tmp_path / "study.db"), "LO_CODEBOOK_CODER": "anna"}
    for args in (
        ("codebook", "import", CODEBOOK),
        (
            "import-survey",
            SURVEY,
            "--id-col",
            "ResponseId",
            "--text-col",
            "Q4",
            "--attr-col",
            "Q2=size_class",
        ),
        ("suggest",),
    ):
        result = run_cli(*args, env=env)
        assert result.code == 0, result.err
    return env


def table_rows(env: dict[str, str], sql_model: type) -> int:
    project = Project.open(env["LO_CODEBOOK_DB"], "anna")
    try:
        with project.read() as session:
            return int(session.scalar(select(func.count()).select_from(sql_model)) or 0)
    finally:
        project.close()


def test_validate_draw_hand_code_report_and_themes(
    survey_env: dict[str, str], tmp_path: Path
) -> None:
    env = survey_env
    drawn = run_cli("validate", "--size", "40", "--by", "size_class", "--seed", "7", env=env)
    assert drawn.code == 0, drawn.err
    assert (
        "40 documents of 132" in drawn.out
        and "seed 7" in drawn.out
        and "unit: document" in drawn.out
    )
    assert "stratified by size_class" in drawn.out and "G4 1" in drawn.out
    sample = [
        d["document"] for d in json.loads(run_cli("validate", "--format", "json", env=env).out)
    ]
    assert len(sample) == 40 == len(set(sample))

    again = run_cli("validate", "--size", "40", env=env)
    assert again.code == 1 and again.err.count("\n") == 1
    assert "already has a validation sample" in again.err and "--replace" in again.err
    replaced = run_cli(
        "validate", "--size", "40", "--by", "size_class", "--seed", "7", "--replace", env=env
    )
    assert replaced.code == 0 and "replacing" in replaced.out
    assert [
        d["document"] for d in json.loads(run_cli("validate", "--format", "json", env=env).out)
    ] == sample

    not_yet = run_cli("validate", "--report", env=env)
    assert not_yet.code == 1 and "marked done" in not_yet.err

    # the coder codes the sample fully by hand (here: the reference coding) and marks it done
    hand = tmp_path / "hand.csv"
    with hand.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["document", "code"])
        writer.writerows(p for p in gold_pairs() if p[0] in set(sample))
    assert run_cli("import-codings", hand, "--coder", "anna", env=env).code == 0
    marked = run_cli("validate", *[a for name in sample for a in ("--done", name)], env=env)
    assert marked.code == 0, marked.err
    assert "0 of 40 sample documents left" in marked.out

    report = run_cli("validate", "--report", "--format", "json", env=env)
    assert report.code == 0, report.err
    rows = json.loads(report.out)
    assert {"code", "precision", "recall", "estimate", "low", "high"} <= set(rows[0])
    true_counts: dict[str, int] = {}
    for _, code in gold_pairs():
        true_counts[code] = true_counts.get(code, 0) + 1
    assert {r["code"] for r in rows} == set(true_counts)
    covered = [r["code"] for r in rows if r["low"] <= true_counts[r["code"]] <= r["high"]]
    assert len(covered) >= 17, (covered, rows)  # 95% intervals: one or two misses are allowed
    for r in rows:
        assert r["low"] <= r["estimate"] <= r["high"]
        assert (
            r["precision"] is None
            or 0 <= r["precision_low"] <= r["precision"] <= r["precision_high"] <= 1
        )
    text = run_cli("validate", "--report", env=env)
    assert (
        text.code == 0
        and "precision (95%)" in text.out
        and "validation by anna: 40 of 40" in text.out
    )

    # themes: estimates beside the coded counts; uncertain ones are marked against the threshold
    themes = run_cli("themes", "--above", "10", "--format", "json", env=env)
    assert themes.code == 0, themes.err
    table = json.loads(themes.out)
    assert all({"estimate", "low", "high", "uncertain"} <= set(r) for r in table)
    assert "left out by the coded count" in themes.err  # only 40 documents are coded so far
    assert "estimates: validation by anna" in run_cli("themes", "--above", "10", env=env).out
    csv_text = run_cli("themes", "--format", "csv", env=env).out
    assert csv_text.splitlines()[0].endswith("estimate,low,high")


def test_themes_marks_a_theme_whose_interval_straddles_the_threshold(
    survey_env: dict[str, str],
) -> None:
    env = survey_env
    assert run_cli("validate", "--size", "30", "--seed", "5", env=env).code == 0
    assert run_cli("accept", env=env).code == 0  # the sample stays pending (blind)
    project = Project.open(env["LO_CODEBOOK_DB"], "anna")
    try:
        with project.read() as session:
            sample_ids = list(session.scalars(select(ValidationDocument.document_id)))
            pending = session.scalar(
                select(func.count(Suggestion.id)).where(
                    Suggestion.status == "pending", Suggestion.document_id.in_(sample_ids)
                )
            )
            accepted_elsewhere = session.scalar(
                select(func.count(Suggestion.id)).where(Suggestion.status == "accepted")
            )
        assert pending and accepted_elsewhere
        for document_id in sample_ids:
            mark_done(project, document_id)  # hand coding: none, so every theme has 0 positives
        report = validation_report(project)
    finally:
        project.close()
    assert all(r.estimate.positives == 0 for r in report.rows)
    themes = json.loads(run_cli("themes", "--above", "10", "--format", "json", env=env).out)
    marked = [r for r in themes if r["uncertain"]]
    assert marked and all(
        r["note"] == "> 10: uncertain" and r["low"] <= 10 < r["high"] for r in marked
    )
    assert all(not (r["low"] <= 10 < r["high"]) for r in themes if not r["uncertain"])
    text = run_cli("themes", "--above", "10", env=env).out
    assert "> 10: onzeker" in text  # the terminal table speaks the project language (nl)


def test_draw_is_one_undoable_step_and_bad_input_is_one_line(tmp_path: Path) -> None:
    project = Project.open(tmp_path / "p.db", "anna")
    try:
        with pytest.raises(Exception, match="no documents"):
            draw_validation(project, size=5)
    finally:
        project.close()
    env = {"LO_CODEBOOK_DB": str(tmp_path / "p.db"), "LO_CODEBOOK_CODER": "anna"}
    assert (
        run_cli(
            "import-survey",
            SURVEY,
            "--id-col",
            "ResponseId",
            "--text-col",
            "Q4",
            "--attr-col",
            "Q2=size_class",
            env=env,
        ).code
        == 0
    )
    for args, words in (
        (("validate", "--size", "500"), "more than the 132 documents"),
        (("validate", "--size", "3", "--by", "size_class"), "5 groups need a sample of at least 5"),
        (("validate", "--size", "10", "--by", "nope"), "no case attribute 'nope'"),
        (("validate", "--report"), "anna has no validation sample"),
        (("validate", "--seed", "3"), "go with --size"),
    ):
        result = run_cli(*args, env=env)
        assert result.code == 1 and words in result.err and result.err.count("\n") == 1, (
            args,
            result.err,
        )
    assert table_rows(env, Validation) == 0
    assert run_cli("validate", "--size", "10", env=env).code == 0
    assert table_rows(env, ValidationDocument) == 10
    assert run_cli("undo", env=env).code == 0
    assert table_rows(env, Validation) == 0 and table_rows(env, ValidationDocument) == 0
    # without a hand coding the report still works: no theme found, estimates near 0
    assert run_cli("validate", "--size", "10", "--seed", "1", env=env).code == 0
    project = Project.open(tmp_path / "p.db", "anna")
    try:
        with project.read() as session:
            first = session.scalar(
                select(ValidationDocument.document_id).order_by(ValidationDocument.position)
            )
            name = session.scalar(select(Document.name).where(Document.id == first))
        assert first is not None
    finally:
        project.close()
    done = run_cli("validate", "--done", str(name), env=env)
    assert done.code == 0 and "9 of 10 sample documents left" in done.out
    twice = run_cli("validate", "--done", str(name), env=env)
    assert twice.code == 1 and "already marked done" in twice.err
    report = run_cli("validate", "--report", env=env)
    assert report.code == 0 and "9 sample documents are not marked done" in report.err
    assert table_rows(env, Coding) == 0 and table_rows(env, Code) == 0


def test_core_draw_report_and_undo_on_sqlite_and_postgresql(
    project: Project, tmp_path: Path
) -> None:
    from lo_codebook.core import codebook, coding
    from lo_codebook.core.importing import import_survey

    survey = tmp_path / "s.csv"
    rows = [
        f"R_{i},{'klein' if i % 3 else 'groot'},{'werkdruk en ' if i % 2 else ''}antwoord {i}"
        for i in range(30)
    ]
    survey.write_text("ResponseId,Q1,Q4\n" + "\n".join(rows) + "\n", encoding="utf-8")
    book = tmp_path / "c.csv"
    book.write_text("name,parent,description,keywords\nWerkdruk,,,werkdruk\n", encoding="utf-8")
    codebook.import_codebook(project, book)
    import_survey(project, survey, id_col="ResponseId", text_cols=["Q4"], attr_cols=["Q1=size"])
    with project.read() as session:
        docs = dict(session.execute(select(Document.name, Document.id)).all())
        code = session.scalar(select(Code.id))
    assert code is not None
    # an engine that finds "werkdruk" in every other answer that has it (recall 0.5), no false ones
    with project.write("seed", undoable=False) as unit:
        for i in range(1, 30, 4):
            unit.session.add(
                Suggestion(
                    document_id=docs[f"R_{i}"],
                    code_id=code,
                    start=0,
                    end=8,
                    score=90.0,
                    method="keyword",
                    evidence="",
                    pattern="werkdruk",
                    status="pending",
                )
            )
    drawn = draw_validation(project, size=12, by="size", seed=4)
    assert drawn.per_stratum == {"groot": 4, "klein": 8}
    with project.read() as session:
        sampled = list(
            session.scalars(
                select(ValidationDocument.document_id).order_by(ValidationDocument.position)
            )
        )
        names = {v: k for k, v in docs.items()}
    for document_id in sampled:  # hand coding: the truth is "every odd answer"
        if int(names[document_id][2:]) % 2:
            coding.code_span(project, document_id, 0, 8, code)
        mark_done(project, document_id)
    report = validation_report(project)
    (row,) = report.rows
    truth = 15
    assert row.estimate.precision.value == 1.0
    assert row.estimate.total.low is not None and row.estimate.total.high is not None
    assert row.estimate.total.low <= truth <= row.estimate.total.high
    assert row.suggested == 8
    assert project.undo().startswith("undone: validation: marked")
    assert validation_report(project).done == 11


def hand_code_and_mark_done(env: dict[str, str], tmp_path: Path) -> list[str]:
    """The coder codes the whole sample by hand (the reference coding) and marks it done."""
    sample = [
        d["document"] for d in json.loads(run_cli("validate", "--format", "json", env=env).out)
    ]
    hand = tmp_path / "hand.csv"
    with hand.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["document", "code"])
        writer.writerows(p for p in gold_pairs() if p[0] in set(sample))
    assert run_cli("import-codings", hand, "--coder", "anna", env=env).code == 0
    assert run_cli("validate", *[a for name in sample for a in ("--done", name)], env=env).code == 0
    return sample


def test_themes_by_the_stratifying_attribute_estimates_per_group(
    survey_env: dict[str, str], tmp_path: Path
) -> None:
    env = survey_env
    assert (
        run_cli("validate", "--size", "60", "--by", "size_class", "--seed", "3", env=env).code == 0
    )
    hand_code_and_mark_done(env, tmp_path)
    result = run_cli("themes", "--by", "size_class", "--format", "json", env=env)
    assert result.code == 0, result.err
    rows = json.loads(result.out)
    groups = set(rows[0]["by"])
    assert all(set(r["by_estimate"]) == groups for r in rows)
    documents = json.loads(run_cli("documents", "--format", "json", env=env).out)
    group_of = {d["name"]: d["attributes"].get("size_class") for d in documents}
    true: dict[tuple[str, str], int] = {}
    for respondent, code in gold_pairs():
        key = (code, group_of[respondent])
        true[key] = true.get(key, 0) + 1
    checked = covered = 0
    for r in rows:
        parts = r["by_estimate"]
        for group, e in parts.items():
            assert (
                r["by"][group] <= e["high"] and e["low"] <= e["estimate"] <= e["high"]
            )  # coded: a floor
            checked += 1
            covered += e["low"] <= true.get((r["code"], group), 0) <= e["high"]
        # each group is its own stratum: the group estimates add up to at most the documents
        assert sum(e["estimate"] for e in parts.values()) <= 132
    assert checked == len(rows) * len(groups)
    print(f"group intervals covering the true count: {covered} of {checked}")
    assert covered / checked >= 0.9, (covered, checked)
    text = run_cli("themes", "--by", "size_class", env={**env, "LO_CODEBOOK_LANG": "en"}).out
    header = text.splitlines()[2]
    assert all(f"Estimate (95%) {g}" in header for g in groups)
    csv_header = run_cli(
        "themes", "--by", "size_class", "--format", "csv", env=env
    ).out.splitlines()[0]
    assert all(f"size_class={g} estimate" in csv_header for g in groups)
    assert "no estimates per" not in result.err


def test_themes_by_another_attribute_says_why_there_are_no_group_estimates(
    survey_env: dict[str, str], tmp_path: Path
) -> None:
    env = survey_env
    assert run_cli("validate", "--size", "30", "--seed", "3", env=env).code == 0
    hand_code_and_mark_done(env, tmp_path)
    result = run_cli("themes", "--by", "size_class", "--format", "json", env=env)
    assert result.code == 0
    assert all("by_estimate" not in r and "estimate" in r for r in json.loads(result.out))
    lines = [
        line for line in result.err.splitlines() if "no estimates per size_class group" in line
    ]
    assert len(lines) == 1 and "not stratified" in lines[0] and "--by size_class" in lines[0]
