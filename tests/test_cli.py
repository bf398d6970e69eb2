"""The command line as users and scripts see it: SPEC output shapes, exit codes, help."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest

from .conftest import SAMPLE, run_cli

# The assertions read the English lines of the CLI (see `english_output`).
pytestmark = pytest.mark.usefixtures("english_output")

SURVEY = SAMPLE / "survey" / "lo_enquete_qualtrics.csv"
INTERVIEWS = SAMPLE / "interviews"


def _status(env: dict[str, str]) -> dict[str, int]:
    result = run_cli("status", "--format", "json", env=env)
    assert result.code == 0, result.err
    return json.loads(result.out)


def test_init_status_and_documents_json_shapes(cli_env: dict[str, str]) -> None:
    assert run_cli("init", env=cli_env).code == 0
    assert _status(cli_env) == {
        "cases": 0,
        "documents": 0,
        "codes": 0,
        "codings": 0,
        "suggestions": 0,
        "coders": 0,
    }
    result = run_cli(
        "import",
        INTERVIEWS / "interview_07_dijkhaven.vtt",
        "--case",
        "Dijkhaven",
        "--attr",
        "size_class=G4",
        env=cli_env,
    )
    assert result.code == 0, result.err
    docs = json.loads(run_cli("documents", "--format", "json", env=cli_env).out)
    assert len(docs) == 1
    doc = docs[0]
    assert set(doc) == {"name", "case", "kind", "words", "attributes", "text", "segments"}
    assert doc["case"] == "Dijkhaven" and doc["kind"] == "transcript"
    assert doc["attributes"] == {"size_class": "G4"}
    assert doc["segments"] and set(doc["segments"][0]) == {"speaker", "start", "end", "timestamp"}
    assert all(isinstance(s["timestamp"], float) for s in doc["segments"])
    status = _status(cli_env)
    assert status["documents"] == 1 and status["cases"] == 1


def test_import_survey_qualtrics_one_case_per_respondent(cli_env: dict[str, str]) -> None:
    result = run_cli(
        "import-survey",
        SURVEY,
        "--id-col",
        "ResponseId",
        "--text-col",
        "Q4",
        "--attr-col",
        "Q2=size_class",
        env=cli_env,
    )
    assert result.code == 0, result.err
    assert "Qualtrics" in result.out
    status = _status(cli_env)
    assert status["cases"] == 133
    with SURVEY.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))[2:]
    non_empty = sum(1 for r in rows if r["Q4"].strip())
    assert status["documents"] == non_empty
    docs = json.loads(run_cli("documents", "--format", "json", env=cli_env).out)
    first = next(r for r in rows if r["Q4"].strip())
    doc = next(d for d in docs if d["name"] == first["ResponseId"])
    assert doc["kind"] == "survey" and doc["attributes"]["size_class"] == first["Q2"]
    assert doc["text"] == first["Q4"].replace("\r\n", "\n").strip() or doc["text"] == first["Q4"]


def test_import_is_idempotent_for_identical_files(cli_env: dict[str, str]) -> None:
    folder = INTERVIEWS
    first = run_cli("import", folder, env=cli_env)
    assert first.code == 0, first.err
    before = _status(cli_env)
    assert before["documents"] == len(
        [p for p in folder.iterdir() if p.suffix in {".txt", ".md", ".docx", ".vtt"}]
    )
    again = run_cli("import", folder, env=cli_env)
    assert again.code == 0 and "already in the project" in again.out
    assert _status(cli_env) == before


def test_codebook_csv_round_trip_and_markdown(cli_env: dict[str, str], tmp_path: Path) -> None:
    assert run_cli("codebook", "import", SAMPLE / "codebook.csv", env=cli_env).code == 0
    out_csv = tmp_path / "out.csv"
    assert run_cli("codebook", "export", out_csv, env=cli_env).code == 0
    with out_csv.open(encoding="utf-8") as handle:
        reader = csv.reader(handle)
        assert next(reader) == ["name", "parent", "description", "keywords"]
        exported = {row[0]: row for row in reader}
    with (SAMPLE / "codebook.csv").open(encoding="utf-8") as handle:
        original = {row["name"]: row for row in csv.DictReader(handle)}
    assert set(exported) == set(original)
    for name, row in original.items():
        assert exported[name][1] == row["parent"]
        assert (
            exported[name][3].split(";") == [k for k in row["keywords"].split(";") if k]
            or not row["keywords"]
        )
    env2 = {**cli_env, "LO_CODEBOOK_DB": str(tmp_path / "second.db")}
    assert run_cli("codebook", "import", out_csv, env=env2).code == 0
    assert _status(env2)["codes"] == len(original)
    md = tmp_path / "codebook.md"
    assert run_cli("codebook", "export", md, env=cli_env).code == 0
    text = md.read_text(encoding="utf-8")
    assert "## Context & opgaven" in text and "**Omgevingswet**" in text


def test_import_codings_whole_document_and_spans(cli_env: dict[str, str], tmp_path: Path) -> None:
    run_cli("codebook", "import", SAMPLE / "codebook.csv", env=cli_env)
    run_cli("import-survey", SURVEY, "--id-col", "ResponseId", "--text-col", "Q4", env=cli_env)
    gold = tmp_path / "codings.csv"
    with (SAMPLE / "survey" / "gold.csv").open(encoding="utf-8") as src:
        rows = list(csv.DictReader(src))[:30]
    with gold.open("w", encoding="utf-8", newline="") as dst:
        writer = csv.writer(dst)
        writer.writerow(["respondent_id", "code"])
        writer.writerows((r["respondent_id"], r["code"]) for r in rows)
    result = run_cli("import-codings", gold, "--coder", "bram", env=cli_env)
    assert result.code == 0, result.err
    assert _status(cli_env)["codings"] == 30
    again = run_cli("import-codings", gold, "--coder", "bram", env=cli_env)
    assert again.code == 0 and "30 already present" in again.out
    assert _status(cli_env)["codings"] == 30


@pytest.mark.parametrize(
    "command",
    [
        "init",
        "status",
        "documents",
        "import",
        "import-survey",
        "import-codings",
        "codebook",
        "demo",
        "suggest",
        "suggestions",
        "accept",
        "reject",
        "themes",
        "undo",
        "redo",
        "log",
        "memo",
        "memos",
        "cases",
    ],
)
def test_every_command_has_help_with_an_example(command: str) -> None:
    result = run_cli(command, "--help")
    assert result.code == 0
    assert "Usage:" in result.out
    if command != "codebook":
        assert "Example" in result.out


def test_python_dash_m_entry_point() -> None:
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "lo_codebook", "--version"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0 and "lo-codebook" in done.stdout


def _coded_by_two(cli_env: dict[str, str], tmp_path: Path) -> None:
    """The survey coded by 'tester' (the current coder: the first 60 gold rows) and by 'bram' (all)."""
    assert run_cli("codebook", "import", SAMPLE / "codebook.csv", env=cli_env).code == 0
    assert (
        run_cli(
            "import-survey", SURVEY, "--id-col", "ResponseId", "--text-col", "Q4", env=cli_env
        ).code
        == 0
    )
    with (SAMPLE / "survey" / "gold.csv").open(encoding="utf-8") as src:
        rows = [(r["respondent_id"], r["code"]) for r in csv.DictReader(src)]
    for coder, part in (("tester", rows[:60]), ("bram", rows)):
        path = tmp_path / f"{coder}.csv"
        with path.open("w", encoding="utf-8", newline="") as dst:
            writer = csv.writer(dst)
            writer.writerow(["respondent_id", "code"])
            writer.writerows(part)
        result = run_cli("import-codings", path, "--coder", coder, env=cli_env)
        assert result.code == 0, result.err


def _themes(cli_env: dict[str, str], *args: str) -> tuple[dict[str, int], list[dict], str]:
    result = run_cli("themes", "--format", "json", *args, env=cli_env)
    assert result.code == 0, result.err
    rows = json.loads(result.out)
    assert isinstance(rows, list)  # the SPEC's shape: a list of rows
    return {r["code"]: r["documents"] for r in rows}, rows, result.err


def test_themes_count_the_current_coder_by_default_and_say_which_coders(
    cli_env: dict[str, str], tmp_path: Path
) -> None:
    """Newcomer trial: importing bram's codings silently raised every count."""
    _coded_by_two(cli_env, tmp_path)
    mine, rows, err = _themes(cli_env)
    assert all(r["coders"] == ["tester"] for r in rows)
    assert "tester" in err and "bram" in err and "--coder all" in err
    pooled, pooled_rows, pooled_err = _themes(cli_env, "--coder", "all")
    assert all(r["coders"] == ["bram", "tester"] for r in pooled_rows)
    assert "bram, tester" in pooled_err
    bram, _, _ = _themes(cli_env, "--coder", "bram")
    assert sum(mine.values()) < sum(bram.values())  # tester coded 60 of bram's rows
    assert all(pooled[c] >= max(mine[c], bram[c]) for c in pooled)
    assert _themes(cli_env, "--coder", "tester,bram")[0] == pooled
    assert _themes(cli_env, "--coder", "tester", "--coder", "bram")[0] == pooled
    assert _themes(cli_env, "--coder", "tester")[0] == mine
    # the table says it on its caption line too
    table = run_cli("themes", "--above", "1", env=cli_env)
    assert table.code == 0 and "tester" in table.out.splitlines()[0] and "bram" not in table.out
    unknown = run_cli("themes", "--coder", "nobody", env=cli_env)
    assert unknown.code == 1 and "nobody" in unknown.err and "--coder" in unknown.err


def test_discover_on_the_sample_study_starts_with_themes_not_filler(
    cli_env: dict[str, str],
) -> None:
    """Newcomer trial: mensen, twee, vijf, drie, eh, lastig, heel ('helen'), lacht, and
    'veranderen' + 'vergaderen' as one candidate."""
    assert run_cli("import", INTERVIEWS, env=cli_env).code == 0
    assert (
        run_cli(
            "import-survey", SURVEY, "--id-col", "ResponseId", "--text-col", "Q4", env=cli_env
        ).code
        == 0
    )
    result = run_cli("discover", "--above", "1", "--limit", "1000", "--format", "json", env=cli_env)
    assert result.code == 0, result.err
    candidates = json.loads(result.out)
    words = {w for c in candidates for p in [c["label"], *c["phrases"]] for w in p.split()}
    filler = {
        "mensen",
        "mens",
        "twee",
        "vijf",
        "drie",
        "eh",
        "lastig",
        "heel",
        "helen",
        "lacht",
        "lachen",
        "iedereen",
        "nou",
    }
    assert not filler & words, sorted(filler & words)
    assert not [c for c in candidates if {"veranderen", "vergaderen"} <= set(c["phrases"])]
    top = [c["label"] for c in candidates[:10]]
    assert "digitalisering" in top and "omgevingswet" in top


def test_codebook_csv_with_a_name_twice_is_refused_naming_both_lines(
    cli_env: dict[str, str], tmp_path: Path
) -> None:
    """Newcomer trial: the second 'Werkdruk' row silently merged into the first."""
    path = tmp_path / "codeboek.csv"
    path.write_text(
        "name,parent,description,keywords\n"
        "Organisatie,,,\n"
        "Werkdruk,Organisatie,Te veel werk,werkdruk\n"
        "Welzijn,,,\n"
        "werkdruk,Organisatie,Stress,stress\n"
        "Werkdruk,Welzijn,Onder een andere categorie: mag,\n",
        encoding="utf-8",
    )
    result = run_cli("codebook", "import", path, env=cli_env)
    assert result.code == 1
    assert "codeboek.csv" in result.err and "line 3" in result.err and "line 5" in result.err
    assert "Werkdruk" in result.err and len(result.err.strip().splitlines()) == 1
    assert _status(cli_env)["codes"] == 0  # nothing imported


ONE_PLURAL = re.compile(r"(?<![\d.,])\b1 ([a-z]+s)\b")


def test_counts_of_one_are_singular_everywhere(cli_env: dict[str, str], tmp_path: Path) -> None:
    """Newcomer trial: "1 memos". One of everything, through the commands that count things."""
    from lo_codebook.core import coding
    from lo_codebook.core.project import Project

    text = tmp_path / "gesprek.txt"
    text.write_text("Respondent: De werkdruk is hoog.\n", encoding="utf-8")
    book = tmp_path / "codeboek.csv"
    book.write_text("name,parent,description,keywords\nWerkdruk,,,werkdruk\n", encoding="utf-8")
    codings = tmp_path / "codings.csv"
    codings.write_text("document,code\ngesprek,Werkdruk\n", encoding="utf-8")
    outputs = [
        run_cli("import", text, env=cli_env),
        run_cli("codebook", "import", book, env=cli_env),
        run_cli("import-codings", codings, "--coder", "tester", env=cli_env),
    ]
    project = Project.open(cli_env["LO_CODEBOOK_DB"], "tester")
    try:
        coding.add_memo(project, "Een opmerking", document_id=1)
    finally:
        project.close()
    other = {**cli_env, "LO_CODEBOOK_DB": str(tmp_path / "other.db")}
    outputs += [
        run_cli("codebook", "export", tmp_path / "uit.csv", env=cli_env),
        run_cli("themes", "--format", "csv", "-o", tmp_path / "themes.csv", env=cli_env),
        run_cli("export-qdpx", tmp_path / "p.qdpx", env=cli_env),
        run_cli("import-qdpx", tmp_path / "p.qdpx", env=other),
        run_cli("backup", env=cli_env),
        run_cli("suggest", env=cli_env),
        run_cli("accept", env=cli_env),
    ]
    for result in outputs:
        assert result.code == 0, result.err
        said = result.out + result.err
        assert not ONE_PLURAL.findall(said), said


def test_undo_and_redo_say_in_words_what_they_reversed(
    cli_env: dict[str, str], tmp_path: Path
) -> None:
    """Newcomer trial: `undone: #30 redo: redo of #29 undo: undo of #28 ...`."""
    assert run_cli("import", INTERVIEWS / "interview_07_dijkhaven.vtt", env=cli_env).code == 0
    book = tmp_path / "codeboek.csv"
    book.write_text("name,parent,description,keywords\nWerkdruk,,,werkdruk\n", encoding="utf-8")
    assert run_cli("codebook", "import", book, env=cli_env).code == 0
    log = json.loads(run_cli("log", "--format", "json", env=cli_env).out)
    action = log[0]
    messages = [
        run_cli(command, env=cli_env) for command in ("undo", "redo", "undo", "redo", "undo")
    ]
    assert all(m.code == 0 for m in messages), [m.err for m in messages]
    said = [m.out.strip() for m in messages]
    words = f"{action['summary']} (#{action['id']} {action['action']})"
    assert said == [
        f"undone: {words}",
        f"redone: {words}",
        f"undone: {words}",
        f"redone: {words}",
        f"undone: {words}",
    ]
    assert "1 code added" in words
    summaries = [
        e["summary"] for e in json.loads(run_cli("log", "--format", "json", env=cli_env).out)
    ]
    assert not [
        s for s in summaries if "undo of" in s or "redo of" in s or " redo: " in s or " undo: " in s
    ]
    assert summaries[0] == f"undid {words}"
    assert _status(cli_env)["codes"] == 0


def test_backup_files_are_named_as_the_readme_says(cli_env: dict[str, str]) -> None:
    """Newcomer trial: `backup` wrote `.backup-…` files, the README promised `.bak-…`."""
    readme = (SAMPLE.parent / "README.md").read_text(encoding="utf-8")
    assert "`<file>.bak-<timestamp>`" in readme and ".backup-" not in readme
    assert run_cli("init", env=cli_env).code == 0
    result = run_cli("backup", env=cli_env)
    assert result.code == 0, result.err
    db = Path(cli_env["LO_CODEBOOK_DB"])
    made = [p.name for p in db.parent.iterdir() if p.name.startswith(db.name + ".")]
    assert len(made) == 1 and re.fullmatch(
        re.escape(db.name) + r"\.bak-\d{8}-\d{6}-\d{6}", made[0]
    ), made
    assert made[0] in result.out
