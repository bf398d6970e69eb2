"""`discover` finds inductive candidates and adds one to the codebook (undoably)."""

from __future__ import annotations

import json

from .conftest import SAMPLE, run_cli


def test_discover_lists_candidates_and_adds_one(cli_env: dict[str, str]) -> None:
    assert (
        run_cli(
            "import-survey",
            SAMPLE / "survey" / "lo_enquete_qualtrics.csv",
            "--id-col",
            "ResponseId",
            "--text-col",
            "Q4",
            env=cli_env,
        ).code
        == 0
    )
    result = run_cli("discover", "--above", "5", "--format", "json", env=cli_env)
    assert result.code == 0, result.err
    candidates = json.loads(result.out)
    assert candidates and all(c["documents"] > 5 for c in candidates)
    assert candidates == sorted(candidates, key=lambda c: -c["documents"])
    assert any("omgevingswet" in " ".join(c["phrases"]).lower() for c in candidates)
    first = candidates[0]
    added = run_cli("discover", "--above", "5", "--add", "1", env=cli_env)
    assert added.code == 0, added.err
    status = json.loads(run_cli("status", "--format", "json", env=cli_env).out)
    assert status["codes"] == 1
    assert run_cli("undo", env=cli_env).code == 0
    assert json.loads(run_cli("status", "--format", "json", env=cli_env).out)["codes"] == 0
    bad = run_cli("discover", "--add", "9999", env=cli_env)
    assert bad.code == 1 and "--add" in bad.err
    assert first["label"]
