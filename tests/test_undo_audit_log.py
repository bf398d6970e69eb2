"""The audit log: every kind of change is logged with coder and time, and `lo-codebook undo`
(from the command line) puts the project back exactly as it was; `redo` brings it back."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from lo_codebook.core import codebook as cb
from lo_codebook.core.coding import add_memo, code_span, recode, remove_coding, set_coding_memo
from lo_codebook.core.project import Project

from .conftest import SAMPLE, run_cli

SURVEY = SAMPLE / "survey" / "lo_enquete_qualtrics.csv"
INTERVIEW = SAMPLE / "interviews" / "interview_01_lindewaard.txt"


def state(db: Path) -> list[str]:
    """Every row of every table except the log itself (undo adds entries, by design), sorted:
    a row put back by undo/redo may get another rowid, and so another place in the dump."""
    conn = sqlite3.connect(db)
    try:
        return sorted(
            line for line in conn.iterdump() if not line.startswith('INSERT INTO "audit_entry"')
        )
    finally:
        conn.close()


def sql(db: Path, query: str, *args: object) -> list[tuple]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(query, args).fetchall()
    finally:
        conn.close()


@pytest.fixture
def seeded(tmp_path: Path) -> dict[str, str]:
    """Codebook, survey and one interview imported by anna, one coding, two pending suggestions."""
    env = {"LO_CODEBOOK_DB": str(tmp_path / "audit.db"), "LO_CODEBOOK_CODER": "anna"}
    assert run_cli("codebook", "import", SAMPLE / "codebook.csv", env=env).code == 0
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
    assert run_cli("import", INTERVIEW, "--case", "Lindewaard", env=env).code == 0
    db = Path(env["LO_CODEBOOK_DB"])
    doc_id, text = sql(db, "SELECT id, text FROM document WHERE name='interview_01_lindewaard'")[0]
    leaf_ids = [
        r[0]
        for r in sql(
            db,
            "SELECT id FROM code WHERE id NOT IN (SELECT parent_id FROM code WHERE parent_id IS NOT NULL) ORDER BY id",
        )
    ]
    project = Project.open(db, "anna")
    code_span(project, doc_id, 0, 20, leaf_ids[0])
    project.close()
    conn = sqlite3.connect(db)
    conn.executemany(
        'INSERT INTO suggestion (document_id, code_id, start, "end", score, method, evidence, pattern, status, created) '
        "VALUES (?, ?, ?, ?, ?, 'keyword', '', ?, 'pending', '2024-01-01 00:00:00')",
        [(doc_id, leaf_ids[1], 30, 60, 90.0, "p1"), (doc_id, leaf_ids[2], 70, 99, 50.0, "p2")],
    )
    conn.commit()
    conn.close()
    return env


def _project(env: dict[str, str]) -> Project:
    return Project.open(env["LO_CODEBOOK_DB"], env["LO_CODEBOOK_CODER"])


def _with_project(
    action: Callable[[Project, Path], object],
) -> Callable[[dict[str, str], Path], None]:
    def run(env: dict[str, str], tmp: Path) -> None:
        project = _project(env)
        try:
            action(project, Path(env["LO_CODEBOOK_DB"]))
        finally:
            project.close()

    return run


def _cli(*args: str | Path) -> Callable[[dict[str, str], Path], None]:
    def run(env: dict[str, str], tmp: Path) -> None:
        result = run_cli(*args, env=env)
        assert result.code == 0, result.err

    return run


def _first(db: Path, query: str) -> int:
    return sql(db, query)[0][0]


def _coding_id(db: Path) -> int:
    return _first(db, "SELECT id FROM coding ORDER BY id LIMIT 1")


def _code(db: Path, name: str) -> int:
    return _first(db, f"SELECT id FROM code WHERE name = '{name}'")


def _write(tmp: Path, name: str, text: str) -> Path:
    path = tmp / name
    path.write_text(text, encoding="utf-8")
    return path


def _import_codings(env: dict[str, str], tmp: Path) -> None:
    path = _write(
        tmp,
        "bram.csv",
        "respondent_id,code\nR_bCJ6cNWwZGdNRtT,Digitalisering\nR_g96ZUThLiW9sNji,Leiderschap\n",
    )
    _cli("import-codings", path, "--coder", "bram")(env, tmp)


def _codebook_import(env: dict[str, str], tmp: Path) -> None:
    path = _write(
        tmp,
        "extra.csv",
        "name,parent,description,keywords\nNieuw thema,,iets nieuws,nieuw;anders\nLeiderschap,Organisatie,,leidinggeven\n",
    )
    _cli("codebook", "import", path)(env, tmp)


def _other_project(tmp: Path) -> Path:
    other = tmp / "bram.db"
    env = {"LO_CODEBOOK_DB": str(other), "LO_CODEBOOK_CODER": "bram"}
    assert run_cli("codebook", "import", SAMPLE / "codebook.csv", env=env).code == 0
    assert (
        run_cli("import-survey", SURVEY, "--id-col", "ResponseId", "--text-col", "Q4", env=env).code
        == 0
    )
    path = _write(tmp, "b.csv", "respondent_id,code\nR_bCJ6cNWwZGdNRtT,Digitalisering\n")
    assert run_cli("import-codings", path, "--coder", "bram", env=env).code == 0
    extra = _write(tmp, "b_extra.csv", "name,parent,description,keywords\nThuiswerken,,,thuis\n")
    assert run_cli("codebook", "import", extra, env=env).code == 0
    return other


def _merge_project(env: dict[str, str], tmp: Path) -> None:
    _cli("merge-project", _other_project(tmp))(env, tmp)


def _merge_codebook(env: dict[str, str], tmp: Path) -> None:
    path = _write(
        tmp,
        "cb_bram.csv",
        "name,parent,description,keywords\nDigitaliseren,,,digitaal\nThuiswerken,,,thuis\n",
    )
    _cli("merge-codebook", path)(env, tmp)


def _import_qdpx(env: dict[str, str], tmp: Path) -> None:
    from lo_codebook.interop import RefiProject, RefiSource, write_qdpx
    from lo_codebook.interop.model import new_guid

    path = tmp / "uit_atlas.qdpx"
    write_qdpx(
        RefiProject(
            name="x",
            sources=[
                RefiSource(
                    guid=new_guid(),
                    name="atlas_doc",
                    text="Een tekst uit ATLAS.ti over vitaliteit.",
                )
            ],
        ),
        path,
    )
    _cli("import-qdpx", path)(env, tmp)


# kind -> (expected log action, how to make the change, command it needs or None)
CHANGES: dict[str, tuple[str, Callable[[dict[str, str], Path], None], str | None]] = {
    "import": (
        "import",
        _cli(
            "import",
            SAMPLE / "interviews" / "interview_02_oosterbroek.txt",
            "--attr",
            "size_class=<20.000",
        ),
        None,
    ),
    "import folder": ("import", lambda env, tmp: _cli("import", _folder(tmp))(env, tmp), None),
    "import-survey": (
        "import-survey",
        lambda env, tmp: _cli(
            "import-survey",
            _write(tmp, "s.csv", "id,antwoord,grootte\nX1,Meer vitaliteit,G4\nX2,Leiderschap,G4\n"),
            "--id-col",
            "id",
            "--text-col",
            "antwoord",
            "--attr-col",
            "grootte=size_class",
        )(env, tmp),
        None,
    ),
    "import-codings": ("import-codings", _import_codings, None),
    "coding": (
        "code",
        _with_project(
            lambda p, db: code_span(
                p,
                _first(db, "SELECT id FROM document ORDER BY id LIMIT 1"),
                0,
                5,
                _code(db, "Digitalisering"),
            )
        ),
        None,
    ),
    "uncode": ("uncode", _with_project(lambda p, db: remove_coding(p, _coding_id(db))), None),
    "recode": (
        "recode",
        _with_project(lambda p, db: recode(p, _coding_id(db), _code(db, "Leiderschap"))),
        None,
    ),
    "coding memo": (
        "memo",
        _with_project(lambda p, db: set_coding_memo(p, _coding_id(db), "opvallend")),
        None,
    ),
    "memo": (
        "memo",
        _with_project(lambda p, db: add_memo(p, "Let op deze gemeente", document_id=1)),
        None,
    ),
    "accept": ("accept", _cli("accept"), None),
    "accept filtered": ("accept", _cli("accept", "--min-score", "80"), None),
    "reject": ("reject", _cli("reject"), None),
    "code add": (
        "code-add",
        _with_project(
            lambda p, db: cb.create_code(p, "Thuiswerken", parent="Organisatie", keywords=["thuis"])
        ),
        None,
    ),
    "code rename": (
        "code-rename",
        _with_project(
            lambda p, db: cb.rename_code(p, _code(db, "Digitalisering"), "Digitalisering en data")
        ),
        None,
    ),
    "code move": (
        "code-move",
        _with_project(lambda p, db: cb.move_code(p, _code(db, "Digitalisering"), None)),
        None,
    ),
    "code edit": (
        "code-edit",
        _with_project(
            lambda p, db: cb.update_code(
                p,
                _code(db, "Digitalisering"),
                description="nieuw",
                keywords=["fit", "vitaal"],
                color="#000000",
            )
        ),
        None,
    ),
    "code delete": (
        "code-delete",
        _with_project(
            lambda p, db: cb.delete_code(p, _first(db, "SELECT code_id FROM coding LIMIT 1"))
        ),
        None,
    ),
    "code merge": (
        "code-merge",
        _with_project(
            lambda p, db: cb.merge_codes(
                p, _first(db, "SELECT code_id FROM coding LIMIT 1"), _code(db, "Leiderschap")
            )
        ),
        None,
    ),
    "codebook import": ("codebook-import", _codebook_import, None),
    "names add": (
        "names-add",
        _cli("names", "add", "Marieke de Vries", "--as", "Respondent A"),
        None,
    ),
    "names import": (
        "names-import",
        lambda env, tmp: _cli(
            "names", "import", _write(tmp, "n.csv", "name,pseudonym\nJan Bakker,R1\nKees Smit,\n")
        )(env, tmp),
        None,
    ),
    "merge-codebook": ("merge-codebook", _merge_codebook, "merge-codebook"),
    "merge-project": ("merge-project", _merge_project, "merge-project"),
    "import-qdpx": ("import-qdpx", _import_qdpx, "import-qdpx"),
}


def _folder(tmp: Path) -> Path:
    folder = tmp / "map"
    folder.mkdir()
    (folder / "a.txt").write_text(
        "Interviewer: Vraag?\n\nRespondent: Antwoord over vitaliteit.\n", encoding="utf-8"
    )
    (folder / "b.md").write_text(
        "# Kop\n\nI: Vraag\n\nR: Antwoord over leiderschap\n", encoding="utf-8"
    )
    return folder


@pytest.mark.parametrize("kind", sorted(CHANGES))
def test_every_change_is_logged_and_undone_from_the_cli(
    kind: str, seeded: dict[str, str], tmp_path: Path
) -> None:
    action, change, command = CHANGES[kind]
    if command is not None:
        import click

        from lo_codebook.cli import cli

        if cli.get_command(click.Context(cli), command) is None:
            pytest.skip(f"`lo-codebook {command}` is not there yet")
    db = Path(seeded["LO_CODEBOOK_DB"])
    before = state(db)
    started = datetime.now(UTC) - timedelta(seconds=2)
    change(seeded, tmp_path)
    after = state(db)
    assert after != before, "the change changed nothing"

    log = json.loads(run_cli("log", "--format", "json", "--limit", "1", env=seeded).out)[0]
    assert log["action"] == action and log["coder"] == "anna" and not log["undone"]
    at = datetime.fromisoformat(log["at"])
    at = at if at.tzinfo else at.replace(tzinfo=UTC)
    assert started <= at <= datetime.now(UTC) + timedelta(seconds=2)
    assert log["summary"]

    undone = run_cli("undo", env=seeded)
    assert undone.code == 0, undone.err
    assert f"#{log['id']} {action}" in undone.out
    assert state(db) == before
    log = json.loads(run_cli("log", "--format", "json", "--limit", "2", env=seeded).out)
    assert log[0]["action"] == "undo" and log[1]["undone"]

    redone = run_cli("redo", env=seeded)
    assert redone.code == 0, redone.err
    assert state(db) == after

    fk = sql(db, "PRAGMA foreign_key_check")
    assert fk == []


def test_undo_undoes_only_your_own_last_change(seeded: dict[str, str]) -> None:
    db = Path(seeded["LO_CODEBOOK_DB"])
    before = state(db)
    assert run_cli("names", "add", "Piet Jansen", env=seeded).code == 0
    bram = {**seeded, "LO_CODEBOOK_CODER": "bram"}
    assert run_cli("names", "add", "Kees Smit", env=bram).code == 0
    assert run_cli("undo", env=seeded).code == 0  # anna's, not bram's
    names = [r[0] for r in sql(db, "SELECT name FROM pseudonym_name")]
    assert names == ["Kees Smit"]
    assert run_cli("undo", env=bram).code == 0
    assert sql(db, "SELECT count(*) FROM pseudonym_name") == [(0,)]
    # Only the new coder row remains: people are never removed by undo.
    assert [line for line in state(db) if line not in before] == [
        line for line in state(db) if line.startswith('INSERT INTO "coder"') and "bram" in line
    ]


def test_undo_of_a_given_entry_and_nothing_left(seeded: dict[str, str]) -> None:
    db = Path(seeded["LO_CODEBOOK_DB"])
    entries = json.loads(run_cli("log", "--format", "json", "--limit", "100", env=seeded).out)
    survey = next(e for e in entries if e["action"] == "import-survey")
    result = run_cli("undo", "--entry", str(survey["id"]), env=seeded)
    assert result.code == 0, result.err
    assert sql(db, "SELECT count(*) FROM document WHERE kind='survey'") == [(0,)]
    again = run_cli("undo", "--entry", str(survey["id"]), env=seeded)
    assert again.code == 1 and "already undone" in again.err
    missing = run_cli("undo", "--entry", "99999", env=seeded)
    assert missing.code == 1 and "99999" in missing.err
    fresh = run_cli("--coder", "niemand", "undo", env=seeded)
    assert fresh.code == 1 and "nothing to undo" in fresh.err
