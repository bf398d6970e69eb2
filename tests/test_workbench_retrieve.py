"""Coded retrieval (`retrieve`): segments of a code with context, by coder and case attribute.

Anna and Bram code a four-answer survey and a two-turn interview; each expectation is
written out from the phrases they coded, not computed by the code under test.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import select

from lo_codebook.core import consensus
from lo_codebook.core.codebook import import_codebook
from lo_codebook.core.coding import code_span
from lo_codebook.core.importing import import_files, import_survey
from lo_codebook.core.passages import context_around, kwic
from lo_codebook.core.project import Project
from lo_codebook.core.retrieval import export_segments, retrieve_segments
from lo_codebook.db.models import Code, Document
from lo_codebook.errors import UserError

from .conftest import run_cli

SURVEY = """ResponseId,Q2,Q4
R_1,G4,Digitalisering en de arbeidsmarkt vragen veel.
R_2,<20.000,De krapte op de arbeidsmarkt is groot.
R_3,G4,=Arbeidsmarkt en leiderschap.
R_4,<20.000,Niets bijzonders.
"""

INTERVIEW = """Interviewer: Welke thema's spelen er?

Respondent: Vooral digitalisering. En de krapte op de arbeidsmarkt, want vacatures blijven lang open.

Interviewer: En leiderschap?

Respondent: Leidinggevenden werken hybride.
"""

CODEBOOK = """name,parent,description,keywords
Context,,,
Organisatie,,,
Digitalisering,Context,,
Arbeidsmarkt,Context,,
Leiderschap,Organisatie,,
"""

# (coder, document, phrase, code): the phrase's first occurrence is the coded span.
CODINGS = [
    ("anna", "R_1", "arbeidsmarkt", "Arbeidsmarkt"),
    ("anna", "R_2", "De krapte op de arbeidsmarkt is groot.", "Arbeidsmarkt"),
    ("anna", "R_3", "=Arbeidsmarkt", "Arbeidsmarkt"),
    ("anna", "R_1", "Digitalisering", "Digitalisering"),
    ("anna", "interview", "En de krapte op de arbeidsmarkt", "Arbeidsmarkt"),
    ("bram", "R_2", "krapte", "Arbeidsmarkt"),
    ("bram", "R_3", "leiderschap", "Leiderschap"),
]


@dataclass
class Study:
    project: Project
    folder: Path

    def text(self, name: str) -> str:
        with self.project.read() as session:
            return session.scalars(select(Document.text).where(Document.name == name)).one()


def build_study(url: str, folder: Path) -> Study:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "survey.csv").write_text(SURVEY, encoding="utf-8")
    (folder / "interview.txt").write_text(INTERVIEW, encoding="utf-8")
    (folder / "codebook.csv").write_text(CODEBOOK, encoding="utf-8")
    project = Project.open(url, "anna")
    import_codebook(project, folder / "codebook.csv")
    import_survey(
        project,
        folder / "survey.csv",
        id_col="ResponseId",
        text_cols=["Q4"],
        attr_cols=["Q2=size_class"],
    )
    import_files(
        project,
        [folder / "interview.txt"],
        case="Dijkhaven",
        attributes={"size_class": "G4", "province": "Zeeland"},
    )
    study = Study(project, folder)
    with project.read() as session:
        docs = dict(session.execute(select(Document.name, Document.id)).all())
        codes = dict(session.execute(select(Code.name, Code.id)).all())
    for coder, doc, phrase, code in CODINGS:
        project.coder_name = coder
        start = study.text(doc).index(phrase)
        code_span(project, docs[doc], start, start + len(phrase), codes[code])
    project.coder_name = "anna"
    return study


@pytest.fixture
def study(db_url: str, tmp_path: Path):  # type: ignore[no-untyped-def]
    built = build_study(db_url, tmp_path / "data")
    yield built
    built.project.close()


def spans(result) -> list[tuple[str, str, str, str]]:  # type: ignore[no-untyped-def]
    return [(s.document, s.coder, s.code, s.text) for s in result.segments]


def test_default_scope_is_the_current_coder_in_document_order(study: Study) -> None:
    result = retrieve_segments(study.project, "Arbeidsmarkt")
    assert spans(result) == [
        ("R_1", "anna", "Arbeidsmarkt", "arbeidsmarkt"),
        ("R_2", "anna", "Arbeidsmarkt", "De krapte op de arbeidsmarkt is groot."),
        ("R_3", "anna", "Arbeidsmarkt", "=Arbeidsmarkt"),
        ("interview", "anna", "Arbeidsmarkt", "En de krapte op de arbeidsmarkt"),
    ]
    assert "counting anna" in result.notice() and "bram" in result.notice()
    first = result.segments[0]
    assert first.attributes == {"size_class": "G4"}
    assert first.case == "R_1"
    assert (first.before, first.after) == ("Digitalisering en de ", " vragen veel.")
    assert result.segments[3].attributes == {"province": "Zeeland", "size_class": "G4"}


def test_coders_all_names_and_pairs(study: Study) -> None:
    assert [
        s[1] for s in spans(retrieve_segments(study.project, "Arbeidsmarkt", coder="bram"))
    ] == ["bram"]
    both = spans(retrieve_segments(study.project, "Arbeidsmarkt", coder="anna,bram"))
    assert both == spans(retrieve_segments(study.project, "Arbeidsmarkt", coder="all"))
    assert [(d, c) for d, c, _, _ in both] == [
        ("R_1", "anna"),
        ("R_2", "anna"),
        ("R_2", "bram"),
        ("R_3", "anna"),
        ("interview", "anna"),
    ]
    with pytest.raises(UserError, match="unknown coder 'carla'") as error:
        retrieve_segments(study.project, "Arbeidsmarkt", coder="carla")
    assert error.value.where == "--coder"


def test_consensus_coder(study: Study) -> None:
    plan = consensus.plan_consensus(study.project, ("anna", "bram"))
    consensus.apply_consensus(
        study.project, plan, default=consensus.parse_take("both", plan.coders)
    )
    result = retrieve_segments(study.project, "Leiderschap", coder="consensus")
    assert [(s.document, s.coder, s.text) for s in result.segments] == [
        ("R_3", "consensus", "leiderschap")
    ]


def test_by_attribute_and_category(study: Study) -> None:
    g4 = retrieve_segments(study.project, "Arbeidsmarkt", by=["size_class=G4"], coder="all")
    assert [s.document for s in g4.segments] == ["R_1", "R_3", "interview"]
    zeeland = retrieve_segments(study.project, "Context", by=["size_class=G4", "province=Zeeland"])
    assert [(s.document, s.code) for s in zeeland.segments] == [("interview", "Arbeidsmarkt")]
    context = retrieve_segments(study.project, "Context")
    assert context.category
    assert [(s.document, s.code) for s in context.segments] == [
        ("R_1", "Digitalisering"),
        ("R_1", "Arbeidsmarkt"),
        ("R_2", "Arbeidsmarkt"),
        ("R_3", "Arbeidsmarkt"),
        ("interview", "Arbeidsmarkt"),
    ]
    with pytest.raises(UserError, match="no case attribute 'sizeclass'"):
        retrieve_segments(study.project, "Arbeidsmarkt", by=["sizeclass=G4"])
    with pytest.raises(UserError, match=r"no case has size_class='G5' \(values: <20.000, G4\)"):
        retrieve_segments(study.project, "Arbeidsmarkt", by=["size_class=G5"])
    with pytest.raises(UserError, match="is not ATTR=VALUE"):
        retrieve_segments(study.project, "Arbeidsmarkt", by=["G4"])
    with pytest.raises(UserError, match="unknown code 'Werkdruk'"):
        retrieve_segments(study.project, "Werkdruk")


def test_context_keeps_words_whole_and_stays_in_the_turn() -> None:
    text = "Interviewer: Vraag?\n\nRespondent: een twee drie vier vijf zes zeven acht negen tien.\n\nVolgende beurt."
    start = text.index("vijf")
    around = context_around(text, start, start + 4, chars=12)
    assert around.before == "drie vier "  # "ee " of "twee" cut off
    assert around.after == " zes zeven"  # "ach" cut off
    whole = context_around(text, start, start + 4, chars=500)
    assert whole.before == "Respondent: een twee drie vier "
    assert whole.after == " zes zeven acht negen tien."
    assert kwic("a  b\n", "x\ny", " z", side=10) == ("a b ", "x y", " z")
    assert (around.cut_before, around.cut_after, whole.cut_before, whole.cut_after) == (
        True,
        True,
        False,
        False,
    )


def test_exports_csv_md_json(study: Study, tmp_path: Path) -> None:
    result = retrieve_segments(study.project, "Arbeidsmarkt", coder="all")
    rows = list(
        csv.DictReader(io.StringIO(export_segments(result, tmp_path / "a.csv").read_text("utf-8")))
    )
    assert [r["document"] for r in rows] == ["R_1", "R_2", "R_2", "R_3", "interview"]
    assert rows[3]["text"] == "'=Arbeidsmarkt"  # a formula-like cell is escaped
    assert rows[4]["province"] == "Zeeland" and rows[4]["size_class"] == "G4"
    assert rows[0]["before"] == "Digitalisering en de "
    md = export_segments(result, tmp_path / "a.md").read_text("utf-8")
    assert md.startswith("# Context/Arbeidsmarkt: 5 segments\n")
    assert "> Digitalisering en de **arbeidsmarkt** vragen veel.\n" in md  # the whole answer: no …
    data = json.loads(export_segments(result, tmp_path / "a.json").read_text("utf-8"))
    assert list(data[0]) == [
        "document",
        "case",
        "code",
        "coder",
        "start",
        "end",
        "text",
        "attributes",
    ]
    with pytest.raises(UserError, match=r"\.csv, \.md or \.json"):
        export_segments(result, tmp_path / "a.xlsx")


# ----------------------------------------------------------------------------------- CLI
@pytest.fixture
def cli_study(tmp_path: Path):  # type: ignore[no-untyped-def]
    built = build_study(f"sqlite:///{tmp_path / 'cli.db'}", tmp_path / "data")
    built.project.close()
    return {"LO_CODEBOOK_DB": str(tmp_path / "cli.db"), "LO_CODEBOOK_CODER": "anna"}


def test_cli_json_shape(cli_study: dict[str, str]) -> None:
    result = run_cli(
        "retrieve",
        "--code",
        "Arbeidsmarkt",
        "--by",
        "size_class=G4",
        "--format",
        "json",
        env=cli_study,
    )
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert data[0] == {
        "document": "R_1",
        "case": "R_1",
        "code": "Arbeidsmarkt",
        "coder": "anna",
        "start": 21,
        "end": 33,
        "text": "arbeidsmarkt",
        "attributes": {"size_class": "G4"},
    }
    assert [r["document"] for r in data] == ["R_1", "R_3", "interview"]
    assert "coders: counting anna only" in result.err


def test_cli_table_md_and_output_file(cli_study: dict[str, str], tmp_path: Path) -> None:
    table = run_cli("retrieve", "--code", "Arbeidsmarkt", "--coder", "bram", env=cli_study)
    assert table.code == 0, table.err
    lines = table.out.splitlines()
    # the project's language is Dutch: so are the table's headers (CSV/JSON field names stay English)
    assert lines[0].split() == [
        "document",
        "casus",
        "code",
        "codeur",
        "begin",
        "eind",
        "tekst",
        "in",
        "context",
    ]
    assert lines[2].endswith("De [krapte] op de arbeidsmarkt is g…")
    target = tmp_path / "out.md"
    written = run_cli(
        "retrieve", "--code", "Arbeidsmarkt", "--format", "md", "-o", target, env=cli_study
    )
    assert written.code == 0 and written.out == ""
    assert f"wrote 4 segments to {target}" in written.err
    assert target.read_text("utf-8").startswith("# Context/Arbeidsmarkt: 4 fragmenten")
    english = run_cli(
        "--lang", "en", "retrieve", "--code", "Arbeidsmarkt", "--format", "md", env=cli_study
    )
    assert english.out.startswith("# Context/Arbeidsmarkt: 4 segments")
    csv_out = run_cli("retrieve", "--code", "Arbeidsmarkt", "--format", "csv", env=cli_study)
    assert (
        csv_out.out.splitlines()[0]
        == "document,case,code,coder,start,end,text,before,after,province,size_class"
    )


def test_cli_errors_are_one_line(cli_study: dict[str, str]) -> None:
    for args, message in (
        (("--code", "Nope"), "lo-codebook: error: --code: unknown code 'Nope'"),
        (
            ("--code", "Arbeidsmarkt", "--by", "size_class=G5"),
            "lo-codebook: error: --by: no case has size_class='G5'",
        ),
        (
            ("--code", "Arbeidsmarkt", "--coder", "carla"),
            "lo-codebook: error: --coder: unknown coder 'carla'",
        ),
    ):
        result = run_cli("retrieve", *args, env=cli_study)
        assert result.code == 1
        assert result.err.startswith(message) and result.err.count("\n") == 1, result.err


def test_cli_control_characters_never_reach_the_terminal(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "codebook.csv").write_text(CODEBOOK, encoding="utf-8")
    (folder / "survey.csv").write_text(
        "ResponseId,Q4\nR_1,De arbeidsmarkt \x1b]52;c;ZXZpbA==\x07 is krap\n", encoding="utf-8"
    )
    env = {"LO_CODEBOOK_DB": str(tmp_path / "x.db"), "LO_CODEBOOK_CODER": "anna"}
    assert run_cli("codebook", "import", folder / "codebook.csv", env=env).code == 0
    assert (
        run_cli(
            "import-survey",
            folder / "survey.csv",
            "--id-col",
            "ResponseId",
            "--text-col",
            "Q4",
            env=env,
        ).code
        == 0
    )
    assert run_cli("import-codings", _codings(folder), "--coder", "anna", env=env).code == 0
    for fmt in ("table", "csv", "md"):
        result = run_cli("retrieve", "--code", "Arbeidsmarkt", "--format", fmt, env=env)
        assert result.code == 0, result.err
        assert "\x1b" not in result.out and "\x07" not in result.out and "␛" in result.out
    raw = run_cli("retrieve", "--code", "Arbeidsmarkt", "--format", "json", env=env)
    assert json.loads(raw.out)[0]["text"].startswith("De arbeidsmarkt \x1b]52")


def _codings(folder: Path) -> Path:
    path = folder / "codings.csv"
    path.write_text("document,code\nR_1,Arbeidsmarkt\n", encoding="utf-8")
    return path
