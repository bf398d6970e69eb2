"""Memos (project, document, code, case, coding) and the case table, through core and CLI.

Everything runs on a real SQLite project; each change must be undoable and each bad input
one line naming the file and row, exit 1, the project unchanged.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import openpyxl
import pytest

from lo_codebook.core import memos
from lo_codebook.core.cases import export_cases, import_cases, list_cases, set_case_attribute
from lo_codebook.core.codebook import import_codebook
from lo_codebook.core.coding import code_span
from lo_codebook.core.importing import import_files
from lo_codebook.core.project import Project
from lo_codebook.core.refi_mapping import export_qdpx, import_qdpx
from lo_codebook.errors import UserError

from .conftest import run_cli

SAMPLE = Path(__file__).resolve().parent.parent / "transcripts"
TEXT = (
    "Interviewer: Wat speelt er?\n\nRespondent: De Omgevingswet en de krapte op de arbeidsmarkt.\n"
)
CODEBOOK = "name,parent,description,keywords\nContext,,,\nOmgevingswet,Context,,omgevingswet\nArbeidsmarkt,Context,,krapte\n"


@pytest.fixture
def study(tmp_path: Path) -> Path:
    """A project file with one interview (case Lindewaard), a codebook and one coding."""
    (tmp_path / "interview_lindewaard.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "codebook.csv").write_text(CODEBOOK, encoding="utf-8")
    db = tmp_path / "studie.db"
    project = Project.open(db, "anna")
    try:
        import_codebook(project, tmp_path / "codebook.csv")
        import_files(
            project,
            [tmp_path / "interview_lindewaard.txt"],
            case="Lindewaard",
            attributes={"size_class": "<20.000"},
        )
        with project.read() as session:
            from lo_codebook.core.codebook import resolve_code

            code_id = resolve_code(session, "Omgevingswet").id
        start = TEXT.index("Omgevingswet")
        code_span(project, 1, start, start + len("Omgevingswet"), code_id)
    finally:
        project.close()
    return db


def cli(db: Path, *args: str | Path, coder: str = "anna"):  # type: ignore[no-untyped-def]
    return run_cli(*args, env={"LO_CODEBOOK_DB": str(db), "LO_CODEBOOK_CODER": coder})


def memos_json(db: Path) -> list[dict[str, str]]:
    result = cli(db, "memos", "--format", "json")
    assert result.code == 0, result.err
    return json.loads(result.out)


def cases_json(db: Path) -> list[dict[str, object]]:
    result = cli(db, "cases", "--format", "json")
    assert result.code == 0, result.err
    return json.loads(result.out)


# --------------------------------------------------------------------------- memos


def test_memo_on_every_kind_of_target_lists_exactly_as_the_contract_says(study: Path) -> None:
    for args in (
        ["--project", "Onderzoeksvraag: wat speelt er?"],
        ["--document", "interview_lindewaard", "Eerste gesprek"],
        ["--code", "Omgevingswet", "DSO hoort erbij"],
        ["--case", "Lindewaard", "Kleine gemeente"],
        [
            "--document",
            "interview_lindewaard",
            "--code",
            "Omgevingswet",
            "Twijfel over de reikwijdte",
        ],
    ):
        result = cli(study, "memo", "add", *args)
        assert result.code == 0, result.err
    rows = memos_json(study)
    assert all(list(row) == ["target", "kind", "coder", "text"] for row in rows)
    assert {(r["kind"], r["target"], r["coder"], r["text"]) for r in rows} == {
        ("project", "", "anna", "Onderzoeksvraag: wat speelt er?"),
        ("document", "interview_lindewaard", "anna", "Eerste gesprek"),
        ("code", "Omgevingswet", "anna", "DSO hoort erbij"),
        ("case", "Lindewaard", "anna", "Kleine gemeente"),
        (
            "coding",
            f"interview_lindewaard {TEXT.index('Omgevingswet')}-{TEXT.index('Omgevingswet') + 12} (Omgevingswet)",
            "anna",
            "Twijfel over de reikwijdte",
        ),
    }
    table = cli(study, "memos")
    assert table.code == 0 and "Onderzoeksvraag" in table.out and "ref" in table.out.splitlines()[0]


def test_edit_delete_and_undo_of_memos(study: Path) -> None:
    assert cli(study, "memo", "add", "--code", "Omgevingswet", "eerste versie").code == 0
    assert (
        cli(
            study,
            "memo",
            "add",
            "--document",
            "interview_lindewaard",
            "--code",
            "Omgevingswet",
            "op de codering",
        ).code
        == 0
    )
    refs = cli(study, "memos").out
    assert "c1" in refs
    assert cli(study, "memo", "edit", "1", "tweede versie").code == 0
    assert [r["text"] for r in memos_json(study) if r["kind"] == "code"] == ["tweede versie"]
    assert cli(study, "undo").code == 0
    assert [r["text"] for r in memos_json(study) if r["kind"] == "code"] == ["eerste versie"]
    assert cli(study, "memo", "delete", "c1").code == 0
    assert [r["kind"] for r in memos_json(study)] == ["code"]
    assert cli(study, "undo").code == 0
    assert sorted(r["kind"] for r in memos_json(study)) == ["code", "coding"]
    assert cli(study, "memo", "delete", "1").code == 0
    assert cli(study, "undo").code == 0
    assert cli(study, "redo").code == 0
    assert [r["kind"] for r in memos_json(study)] == ["coding"]


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["memo", "add", "tekst"], "--project"),
        (["memo", "add", "--project", "--code", "Omgevingswet", "tekst"], "--project, --code"),
        (["memo", "add", "--document", "bestaat_niet", "tekst"], "bestaat_niet"),
        (["memo", "add", "--code", "Onbekend", "tekst"], "Onbekend"),
        (["memo", "add", "--case", "Nergensdorp", "tekst"], "Nergensdorp"),
        (
            [
                "memo",
                "add",
                "--document",
                "interview_lindewaard",
                "--code",
                "Arbeidsmarkt",
                "tekst",
            ],
            "no coding of 'Arbeidsmarkt'",
        ),
        (["memo", "add", "--project", "   "], "needs some text"),
        (["memo", "edit", "99", "tekst"], "99"),
        (["memo", "delete", "x7"], "x7"),
    ],
)
def test_bad_memo_commands_are_one_line_and_change_nothing(
    study: Path, args: list[str], says: str
) -> None:
    before = memos_json(study)
    result = cli(study, *args)
    assert result.code == 1
    assert len(result.err.strip().splitlines()) == 1 and says in result.err
    assert memos_json(study) == before


def test_a_coding_with_several_spans_asks_for_one(study: Path) -> None:
    project = Project.open(study, "anna")
    try:
        with project.read() as session:
            from lo_codebook.core.codebook import resolve_code

            code_id = resolve_code(session, "Arbeidsmarkt").id
        for word in ("krapte", "arbeidsmarkt"):
            start = TEXT.index(word)
            code_span(project, 1, start, start + len(word), code_id)
    finally:
        project.close()
    result = cli(
        study,
        "memo",
        "add",
        "--document",
        "interview_lindewaard",
        "--code",
        "Arbeidsmarkt",
        "welke?",
    )
    assert result.code == 1 and "--span" in result.err
    start = TEXT.index("krapte")
    ok = cli(
        study,
        "memo",
        "add",
        "--document",
        "interview_lindewaard",
        "--code",
        "Arbeidsmarkt",
        "--span",
        f"{start}-{start + 6}",
        "deze",
    )
    assert ok.code == 0, ok.err
    assert [r["text"] for r in memos_json(study) if r["kind"] == "coding"] == ["deze"]


def test_save_my_memo_creates_replaces_and_removes_in_undoable_steps(study: Path) -> None:
    project = Project.open(study, "anna")
    try:
        target = memos.MemoTarget("document", 1)
        assert memos.save_my_memo(project, target, "eerste") == "saved"
        assert memos.save_my_memo(project, target, "eerste") == "unchanged"
        assert memos.save_my_memo(project, target, "tweede\nregel") == "saved"
        assert [m.text for m in memos.memos_on(project, target)] == ["tweede\nregel"]
        project.undo()
        assert [m.text for m in memos.memos_on(project, target)] == ["eerste"]
        assert memos.save_my_memo(project, target, "  ") == "removed"
        assert memos.memos_on(project, target) == []
        other = Project.open(study, "bram")
        try:
            assert memos.my_memo(other, target) is None  # anna's memos are not bram's to edit
        finally:
            other.close()
    finally:
        project.close()


def test_memos_round_trip_through_qdpx(study: Path, tmp_path: Path) -> None:
    for args in (
        ["--project", "Projectmemo"],
        ["--document", "interview_lindewaard", "Documentmemo"],
        ["--code", "Omgevingswet", "Codememo"],
        ["--case", "Lindewaard", "Casememo"],
        ["--document", "interview_lindewaard", "--code", "Omgevingswet", "Coderingsmemo"],
    ):
        assert cli(study, "memo", "add", *args).code == 0
    before = memos_json(study)
    project = Project.open(study, "anna")
    try:
        export_qdpx(project, tmp_path / "studie.qdpx")
    finally:
        project.close()
    other_db = tmp_path / "other.db"
    other = Project.open(other_db, "bram")
    try:
        import_qdpx(other, tmp_path / "studie.qdpx")
    finally:
        other.close()
    after = memos_json(other_db)
    key = lambda r: (r["kind"], r["target"], r["text"])  # noqa: E731
    assert sorted(after, key=key) == sorted(before, key=key)


def test_export_quotes_carries_memos_and_case_attributes(study: Path, tmp_path: Path) -> None:
    assert (
        cli(
            study,
            "memo",
            "add",
            "--document",
            "interview_lindewaard",
            "--code",
            "Omgevingswet",
            "=HYPERLINK(x)",
        ).code
        == 0
    )
    assert cli(study, "memo", "add", "--code", "Omgevingswet", "over de code").code == 0
    assert (
        cli(study, "memo", "add", "--document", "interview_lindewaard", "over het document").code
        == 0
    )
    out = tmp_path / "q.csv"
    assert cli(study, "export-quotes", out).code == 0
    text = out.read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0]) == [
        "document",
        "case",
        "code",
        "coder",
        "speaker",
        "text",
        "memo",
        "document_memo",
        "code_memo",
        "size_class",
    ]
    assert rows[0]["memo"] == "'=HYPERLINK(x)"  # safe_cell: never a formula
    assert (rows[0]["document_memo"], rows[0]["code_memo"], rows[0]["size_class"]) == (
        "over het document",
        "over de code",
        "<20.000",
    )
    xlsx = tmp_path / "q.xlsx"
    assert cli(study, "export-quotes", xlsx).code == 0
    sheet = openpyxl.load_workbook(xlsx, read_only=True).active
    header, first = list(sheet.iter_rows(values_only=True))[:2]
    assert header[-1] == "size_class" and first[-1] == "<20.000" and first[6] == "'=HYPERLINK(x)"


# --------------------------------------------------------------------------- cases


def test_bundled_cases_csv_imports_and_lists(study: Path) -> None:
    result = cli(study, "cases", "import", SAMPLE / "interviews" / "cases.csv")
    assert result.code == 0, result.err
    assert "6 cases created, 1 updated" in result.out and "file skipped" in result.out
    rows = {r["case"]: r["attributes"] for r in cases_json(study)}
    assert rows["Lindewaard"] == {
        "inwoners": "14850",
        "province": "Gelderland",
        "size_class": "<20.000",
    }
    assert rows["Dijkhaven"] == {
        "inwoners": "587300",
        "province": "Zuid-Holland",
        "size_class": "G4",
    }
    assert all(list(r) == ["case", "attributes"] for r in cases_json(study))
    again = cli(study, "cases", "import", SAMPLE / "interviews" / "cases.csv")
    assert again.code == 0 and "0 cases created, 0 updated, 7 unchanged" in again.out
    assert cli(study, "undo").code == 0  # the unchanged import: nothing
    assert cli(study, "undo").code == 0  # the real one: all of it
    assert cases_json(study) == [{"case": "Lindewaard", "attributes": {"size_class": "<20.000"}}]


def test_case_table_round_trips_through_xlsx_and_csv(study: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "gemeenten.csv"
    sheet.write_text(
        "gemeente;provincie;formule\nLindewaard;Gelderland;=1+1\nNieuwdorp;Utrecht;\n",
        encoding="cp1252",
    )
    assert cli(study, "cases", "import", sheet).code == 0
    before = cases_json(study)
    assert {"case": "Nieuwdorp", "attributes": {"provincie": "Utrecht"}} in before
    for name in ("c.xlsx", "c.csv"):
        out = tmp_path / name
        assert cli(study, "cases", "export", out).code == 0
        fresh = tmp_path / f"fresh_{name}.db"
        assert cli(fresh, "init").code == 0
        assert cli(fresh, "cases", "import", out).code == 0
        assert cases_json(fresh) == before
    exported = (tmp_path / "c.csv").read_text(encoding="utf-8").splitlines()
    assert exported[0] == "case,formule,provincie,size_class"
    assert exported[1] == "Lindewaard,'=1+1,Gelderland,<20.000"


@pytest.mark.parametrize(
    ("content", "args", "where", "says"),
    [
        ("case,size\nA,1\nA,2\n", [], "line 3", "listed twice"),
        ("case,size\n,1\n", [], "line 2", "no case name"),
        (
            "case,size\nLindewaard,1\nOnbekend,2\n",
            ["--update-only"],
            "line 3",
            "unknown case 'Onbekend'",
        ),
        ("case,size,size\nA,1,2\n", [], "line 1", "two columns"),
        ('case,size\nA,"1\n', [], "line 2", "unterminated"),
        ("case,size\nA,1,2,3\n", [], "line 2", "fields"),
    ],
)
def test_bad_case_tables_name_file_and_row_and_change_nothing(
    study: Path, tmp_path: Path, content: str, args: list[str], where: str, says: str
) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(content, encoding="utf-8")
    before = cases_json(study)
    result = cli(study, "cases", "import", bad, *args)
    assert result.code == 1
    line = result.err.strip()
    assert len(line.splitlines()) == 1 and "bad.csv" in line and where in line and says in line, (
        line
    )
    assert cases_json(study) == before


def test_bad_case_files(study: Path, tmp_path: Path) -> None:
    assert "file not found" in cli(study, "cases", "import", tmp_path / "nope.csv").err
    (tmp_path / "x.pdf").write_text("x")
    assert cli(study, "cases", "import", tmp_path / "x.pdf").code == 1
    assert cli(study, "cases", "export", tmp_path / "x.pdf").code == 1
    assert cli(study, "cases", "export", tmp_path / "no_folder" / "x.csv").code == 1


def test_set_case_attribute_is_undoable(study: Path) -> None:
    project = Project.open(study, "anna")
    try:
        with project.read() as session:
            case = list_cases(session)[0]
        set_case_attribute(project, case.id, "size_class", "20.000-50.000")
        set_case_attribute(project, case.id, "provincie", "Gelderland")
        with pytest.raises(UserError):
            set_case_attribute(project, case.id, "provincie", "Gelderland")
        with project.read() as session:
            assert list_cases(session)[0].attributes == {
                "provincie": "Gelderland",
                "size_class": "20.000-50.000",
            }
        project.undo()
        project.undo()
        with project.read() as session:
            assert list_cases(session)[0].attributes == {"size_class": "<20.000"}
        set_case_attribute(project, case.id, "size_class", "")
        with project.read() as session:
            assert list_cases(session)[0].attributes == {}
    finally:
        project.close()


def test_core_import_and_export_directly(study: Path, tmp_path: Path) -> None:
    project = Project.open(study, "anna")
    try:
        report = import_cases(project, SAMPLE / "interviews" / "cases.csv")
        assert (report.created, report.updated) == (6, 1)
        assert export_cases(project, tmp_path / "out.xlsx") == 7
    finally:
        project.close()


def test_memos_and_cases_reach_the_terminal_without_control_characters(
    study: Path, tmp_path: Path
) -> None:
    evil = "\x1b]52;c;ZXZpbA==\x07\u202e"
    assert cli(study, "memo", "add", "--project", f"let op{evil}dit").code == 0
    sheet = tmp_path / "evil.csv"
    sheet.write_text(f"case,notitie\nLindewaard,waarde{evil}\n", encoding="utf-8")
    result = cli(study, "cases", "import", sheet)
    assert result.code == 1 and "control character" in result.err  # refused, one line, visible
    assert "\x1b" not in result.err and "\u202e" not in result.err
    for args in (["memos"], ["cases"], ["memo", "add", "--document", f"x{evil}", "t"]):
        out = cli(study, *args)
        for stream in (out.out, out.err):
            assert "\x1b" not in stream and "\x07" not in stream and "\u202e" not in stream, args
    assert "let op␛]52;c;ZXZpbA==␇" in cli(study, "memos").out
    exact = memos_json(study)[0]["text"]
    assert exact == f"let op{evil}dit"  # JSON keeps the memo exactly


def test_case_names_spelled_two_ways_in_one_file_are_two_cases(study: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "ids.csv"
    sheet.write_text("case,groep\nR_aB1,x\nR_Ab1,y\nLINDEWAARD,z\n", encoding="utf-8")
    result = cli(study, "cases", "import", sheet)
    assert result.code == 0, result.err
    rows = {r["case"]: r["attributes"] for r in cases_json(study)}
    assert rows["R_aB1"] == {"groep": "x"} and rows["R_Ab1"] == {"groep": "y"}
    assert (
        rows["Lindewaard"]["groep"] == "z"
    )  # one spelling: the existing case, in another letter case
