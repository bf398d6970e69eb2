"""`lo-codebook demo --no-tui` on the bundled data reproduces the documented theme counts."""

from __future__ import annotations

import csv
import json
from collections import Counter
from pathlib import Path

from .conftest import SAMPLE, run_cli

# The engine's documented precision on the sample: each survey count within this many
# respondents of the gold count (transcripts/README.md), and the set above 10 exact.
COUNT_TOLERANCE = 2


def gold_counts() -> Counter[str]:
    with (SAMPLE / "survey" / "gold.csv").open(encoding="utf-8") as handle:
        return Counter(row["code"] for row in csv.DictReader(handle))


def test_demo_prints_the_themes_above_ten_matching_the_gold(tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    result = run_cli("--db", db, "demo", "--no-tui", env={"LO_CODEBOOK_CODER": "demo"})
    assert result.code == 0, result.err
    gold = gold_counts()
    above_ten = {code for code, n in gold.items() if n > 10}
    assert len(above_ten) == 15
    survey_part = result.out.split("Interviews:")[0]
    for code in above_ten:
        assert code in survey_part, code

    themes = run_cli("--db", db, "themes", "--kind", "survey", "--above", "10", "--format", "json")
    assert themes.code == 0, themes.err
    rows = json.loads(themes.out)
    assert {r["code"] for r in rows} == above_ten
    for row in rows:
        assert abs(row["documents"] - gold[row["code"]]) <= COUNT_TOLERANCE, row
        assert set(row) >= {"code", "category", "documents", "mentions", "share"}
    assert [r["documents"] for r in rows] == sorted((r["documents"] for r in rows), reverse=True)

    by = json.loads(
        run_cli(
            "--db",
            db,
            "themes",
            "--kind",
            "survey",
            "--above",
            "10",
            "--by",
            "size_class",
            "--format",
            "json",
        ).out
    )
    assert all(sum(r["by"].values()) == r["documents"] for r in by)


def test_demo_refuses_to_overwrite_a_real_project(tmp_path: Path) -> None:
    real = tmp_path / "studie.db"
    assert run_cli("--db", real, "init").code == 0
    assert run_cli("--db", real, "codebook", "import", SAMPLE / "codebook.csv").code == 0
    before = real.read_bytes()
    result = run_cli("--db", real, "demo", "--no-tui")
    assert result.code == 1 and "not a demo" in result.err
    assert real.read_bytes() == before


def test_demo_rebuilds_an_earlier_demo_and_works_from_any_folder(
    tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    assert run_cli("demo", "--no-tui").code == 0
    assert (tmp_path / "demo.db").exists()
    again = run_cli("demo", "--no-tui")
    assert again.code == 0, again.err
    status = json.loads(run_cli("--db", "demo.db", "status", "--format", "json").out)
    assert status["documents"] == 139 and status["cases"] == 140
