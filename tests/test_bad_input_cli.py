"""Bad input: exit 1, one line naming the file and place, and the project exactly as it was."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from .conftest import SAMPLE, run_cli
from .helpers import dump

SURVEY = SAMPLE / "survey" / "lo_enquete_qualtrics.csv"


@pytest.fixture
def seeded(cli_env: dict[str, str]) -> dict[str, str]:
    """A project with a codebook, a survey and an interview, so 'unchanged' means something."""
    assert run_cli("codebook", "import", SAMPLE / "codebook.csv", env=cli_env).code == 0
    assert (
        run_cli(
            "import-survey", SURVEY, "--id-col", "ResponseId", "--text-col", "Q4", env=cli_env
        ).code
        == 0
    )
    assert (
        run_cli("import", SAMPLE / "interviews" / "interview_01_lindewaard.txt", env=cli_env).code
        == 0
    )
    return cli_env


def _write(path: Path, data: bytes | str) -> Path:
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    return path


def _survey_csv(tmp: Path, text: str, name: str = "survey.csv") -> Path:
    return _write(tmp / name, text)


CASES: dict[str, tuple[Callable[[Path], list[str]], str]] = {
    "missing file": (lambda t: ["import", str(t / "nope.txt")], "not found"),
    "unsupported extension": (lambda t: ["import", str(_write(t / "notes.rtf", "x"))], ".rtf"),
    "empty file": (lambda t: ["import", str(_write(t / "leeg.txt", b""))], "empty"),
    "binary file": (
        lambda t: ["import", str(_write(t / "bin.txt", bytes(range(256)) * 20))],
        "binary",
    ),
    "corrupt docx": (
        lambda t: ["import", str(_write(t / "kapot.docx", "dit is geen docx"))],
        "docx",
    ),
    "malformed vtt": (
        lambda t: ["import", str(_write(t / "kapot.vtt", "geen webvtt\n\n00:00 --> x\n"))],
        "vtt",
    ),
    "fake xlsx": (
        lambda t: [
            "import-survey",
            str(_write(t / "nep.xlsx", "id,antwoord\n1,x\n")),
            "--id-col",
            "id",
            "--text-col",
            "antwoord",
        ],
        "xlsx",
    ),
    "csv without the named column": (
        lambda t: [
            "import-survey",
            str(_survey_csv(t, "id,antwoord\n1,hallo\n")),
            "--id-col",
            "id",
            "--text-col",
            "Q4",
        ],
        "columns are: id, antwoord",
    ),
    "ragged csv": (
        lambda t: [
            "import-survey",
            str(_survey_csv(t, "id,antwoord\n1,hallo\n2,a,b,c\n")),
            "--id-col",
            "id",
            "--text-col",
            "antwoord",
        ],
        "line 3",
    ),
    "unterminated quote": (
        lambda t: [
            "import-survey",
            str(_survey_csv(t, 'id,antwoord\n1,"hallo\n2,x\n')),
            "--id-col",
            "id",
            "--text-col",
            "antwoord",
        ],
        "quote",
    ),
    "duplicate respondent ids": (
        lambda t: [
            "import-survey",
            str(_survey_csv(t, "id,antwoord\nR1,a\nR2,b\nR1,c\n")),
            "--id-col",
            "id",
            "--text-col",
            "antwoord",
        ],
        "R1",
    ),
    "unknown code in import-codings": (
        lambda t: [
            "import-codings",
            str(_write(t / "c.csv", "document,code\ninterview_01_lindewaard,Bestaat Niet\n")),
            "--coder",
            "x",
        ],
        "line 2",
    ),
    "unknown document in import-codings": (
        lambda t: [
            "import-codings",
            str(_write(t / "c.csv", "document,code\nonbekend,Omgevingswet\n")),
            "--coder",
            "x",
        ],
        "onbekend",
    ),
    "span outside the document": (
        lambda t: [
            "import-codings",
            str(
                _write(
                    t / "c.csv",
                    "document,code,start,end\ninterview_01_lindewaard,Omgevingswet,0,99999999\n",
                )
            ),
            "--coder",
            "x",
        ],
        "outside",
    ),
    "codebook csv without name column": (
        lambda t: ["codebook", "import", str(_write(t / "cb.csv", "naam,ouder\nA,\n"))],
        "no column 'name'",
    ),
    "codebook with unknown parent": (
        lambda t: [
            "codebook",
            "import",
            str(_write(t / "cb.csv", "name,parent,description,keywords\nA,Nergens,,\n")),
        ],
        "Nergens",
    ),
    "nonsense option value": (lambda t: ["themes", "--above", "minus-one"], "minus-one"),
    "malformed --attr": (
        lambda t: [
            "import",
            str(SAMPLE / "interviews" / "interview_02_oosterbroek.txt"),
            "--attr",
            "geen-is-teken",
        ],
        "KEY=VALUE",
    ),
    "one bad file in a folder imports nothing": (
        lambda t: ["import", str(_folder_with_one_bad_file(t))],
        "kapot.docx",
    ),
}


# Errors about an option, not a file: the message names the option instead.
OPTION_ERRORS = {"malformed --attr", "nonsense option value"}


def _folder_with_one_bad_file(tmp: Path) -> Path:
    folder = tmp / "map"
    folder.mkdir()
    _write(folder / "a_goed.txt", "Interviewer: Vraag?\n\nRespondent: Antwoord over de Woo.\n")
    _write(folder / "kapot.docx", "geen zip")
    return folder


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_input_is_one_line_exit_1_and_changes_nothing(
    case: str, seeded: dict[str, str], tmp_path: Path
) -> None:
    make_args, expected = CASES[case]
    args = make_args(tmp_path)
    db = Path(seeded["LO_CODEBOOK_DB"])
    before = dump(db)
    result = run_cli(*args, env=seeded)
    assert result.code == 1, (result.out, result.err)
    lines = result.err.strip().splitlines()
    assert len(lines) == 1, result.err
    assert lines[0].startswith("lo-codebook: error: ")
    assert "Traceback" not in result.err
    assert expected.lower() in lines[0].lower()
    file_args = [a for a in args if ("/" in a and not a.startswith("--"))]
    if file_args and case not in OPTION_ERRORS:
        assert Path(file_args[0]).name in lines[0] or file_args[0] in lines[0]
    assert dump(db) == before


def test_status_on_a_missing_project_says_how_to_create_one(tmp_path: Path) -> None:
    result = run_cli("--db", tmp_path / "none.db", "status")
    assert result.code == 1 and "lo-codebook init" in result.err
    assert not (tmp_path / "none.db").exists()


def test_a_file_that_is_not_a_database(tmp_path: Path) -> None:
    fake = _write(tmp_path / "fake.db", "this is text, not SQLite" * 100)
    result = run_cli("--db", fake, "status")
    assert (
        result.code == 1 and "fake.db" in result.err and len(result.err.strip().splitlines()) == 1
    )
    assert fake.read_text() == "this is text, not SQLite" * 100


def test_a_sqlite_database_of_another_application(tmp_path: Path) -> None:
    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE klanten (id INTEGER)")
    conn.commit()
    conn.close()
    result = run_cli(
        "--db", other, "import", SAMPLE / "interviews" / "interview_02_oosterbroek.txt"
    )
    assert result.code == 1 and "not a lo-codebook project" in result.err
