"""Text search (`search`): words, lemmas, regular expressions, and coding every hit in one step.

The texts are written here; every expected hit is counted by hand from them.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from lo_codebook.core.codebook import import_codebook
from lo_codebook.core.importing import import_files, import_survey
from lo_codebook.core.project import Project
from lo_codebook.core.search import code_hits, search_documents
from lo_codebook.db.models import AuditEntry, Coder, Coding
from lo_codebook.errors import UserError

from .conftest import run_cli

SURVEY = """ResponseId,Q2,Q4
R_1,G4,De werkdruk is hoog. WERKDRUK overal.
R_2,<20.000,"Wij werkten hard; het werk
druk gemaakt."
R_3,G4,Hybride   werken gaat goed. Ze werkt thuis.
R_4,<20.000,aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab
"""

INTERVIEW = """Interviewer: Hoe is de werkdruk?

Respondent: De gemeenten merken het. Eén gemeente heeft gewerkt aan hybride werken.
"""

CODEBOOK = """name,parent,description,keywords
Context,,,
Werkdruk,Context,,
Hybride werken,Context,,
"""


def build(url: str, folder: Path, coder: str = "anna") -> Project:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "survey.csv").write_text(SURVEY, encoding="utf-8")
    (folder / "interview.txt").write_text(INTERVIEW, encoding="utf-8")
    (folder / "codebook.csv").write_text(CODEBOOK, encoding="utf-8")
    project = Project.open(url, coder)
    project.set_setting("language", "nl")
    import_codebook(project, folder / "codebook.csv")
    import_survey(
        project,
        folder / "survey.csv",
        id_col="ResponseId",
        text_cols=["Q4"],
        attr_cols=["Q2=size_class"],
    )
    import_files(
        project, [folder / "interview.txt"], case="Dijkhaven", attributes={"size_class": "G4"}
    )
    return project


@pytest.fixture
def project(db_url: str, tmp_path: Path):  # type: ignore[no-untyped-def, override]
    built = build(db_url, tmp_path / "data")
    yield built
    built.close()


def found(result) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    return [(h.document, h.text) for h in result.hits]


def test_words_any_case_any_whitespace(project: Project) -> None:
    result = search_documents(project, "werkdruk")
    assert found(result) == [("R_1", "werkdruk"), ("R_1", "WERKDRUK"), ("interview", "werkdruk")]
    assert result.documents == 5
    assert found(search_documents(project, "hybride werken")) == [
        ("R_3", "Hybride   werken"),
        ("interview", "hybride werken"),
    ]
    assert found(search_documents(project, "werk druk")) == [("R_2", "werk\ndruk")]
    hit = search_documents(project, "hoog").hits[0]
    assert (hit.start, hit.end, hit.before, hit.after) == (
        15,
        19,
        "De werkdruk is ",
        ". WERKDRUK overal.",
    )
    assert found(search_documents(project, "werkdruk", by=["size_class=<20.000"])) == []
    assert [
        h.document for h in search_documents(project, "werkdruk", by=["size_class=G4"]).hits
    ] == ["R_1", "R_1", "interview"]


def test_lemma_finds_every_form(project: Project) -> None:
    werken = search_documents(project, "werken", mode="lemma")
    assert found(werken) == [
        ("R_2", "werkten"),
        ("R_3", "werken"),
        ("R_3", "werkt"),
        ("interview", "gewerkt"),
        ("interview", "werken"),
    ]
    gemeente = search_documents(project, "gemeente", mode="lemma")
    assert found(gemeente) == [("interview", "gemeenten"), ("interview", "gemeente")]
    phrase = search_documents(project, "hybride werkte", mode="lemma")
    assert found(phrase) == [("R_3", "Hybride   werken"), ("interview", "hybride werken")]


def test_regex_and_its_errors(project: Project) -> None:
    result = search_documents(project, r"werk(druk|ten)\b", mode="regex")
    assert found(result) == [
        ("R_1", "werkdruk"),
        ("R_1", "WERKDRUK"),
        ("R_2", "werkten"),
        ("interview", "werkdruk"),
    ]
    assert found(search_documents(project, r"x*", mode="regex")) == []  # empty matches are no hits
    with pytest.raises(
        UserError, match=r"invalid regular expression 'werk\(druk': missing \)"
    ) as error:
        search_documents(project, "werk(druk", mode="regex")
    assert error.value.where == "QUERY"
    with pytest.raises(UserError, match="took more than 0.2 s; make it simpler"):
        search_documents(project, r"(a|aa)+$", mode="regex", timeout=0.2)
    with pytest.raises(UserError, match="the search text is empty"):
        search_documents(project, "  ")


def test_code_hits_is_one_undoable_entry(project: Project) -> None:
    hits = search_documents(project, "werkdruk").hits
    before = _codings(project)
    done = code_hits(project, hits, "Werkdruk", query="werkdruk")
    assert (done.coded, done.already) == (3, 0)
    after = _codings(project)
    assert len(after) == len(before) + 3
    assert sorted((d, s, e) for d, s, e, _ in after) == sorted(
        (h.document_id, h.start, h.end) for h in hits
    )
    with project.read() as session:
        entry = session.get(AuditEntry, done.entry_id)
        assert entry is not None and entry.action == "search-code"
        assert entry.summary == "coded 3 search hits of 'werkdruk' as 'Werkdruk'"
    # again: nothing new, no entry
    again = code_hits(project, hits, "Werkdruk")
    assert (again.coded, again.already, again.entry_id) == (0, 3, None)
    # one more hit coded by hand after the search; undo takes back exactly the three
    more = search_documents(project, "hybride werken").hits
    code_hits(project, more[:1], "Hybride werken")
    project.undo()  # the hybride coding
    assert len(_codings(project)) == 3
    said = project.undo()
    assert "coded 3 search hits" in said
    assert _codings(project) == before == []


def _codings(project: Project) -> list[tuple[int, int, int, str]]:
    with project.read() as session:
        return [
            tuple(r)
            for r in session.execute(
                select(Coding.document_id, Coding.start, Coding.end, Coder.name)
                .join(Coder, Coder.id == Coding.coder_id)
                .order_by(Coding.document_id, Coding.start)
            )
        ]  # type: ignore[misc]


# ----------------------------------------------------------------------------------- CLI
@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    build(f"sqlite:///{tmp_path / 'cli.db'}", tmp_path / "data").close()
    return {"LO_CODEBOOK_DB": str(tmp_path / "cli.db"), "LO_CODEBOOK_CODER": "anna"}


def test_cli_json_and_csv(env: dict[str, str]) -> None:
    result = run_cli("search", "werkdruk", "--format", "json", env=env)
    assert result.code == 0, result.err
    assert json.loads(result.out) == [
        {"document": "R_1", "case": "R_1", "start": 3, "end": 11, "text": "werkdruk"},
        {"document": "R_1", "case": "R_1", "start": 21, "end": 29, "text": "WERKDRUK"},
        {"document": "interview", "case": "Dijkhaven", "start": 23, "end": 31, "text": "werkdruk"},
    ]
    assert "3 hits in 2 documents (of 5 searched)" in result.err
    lemma = run_cli("search", "gemeente", "--lemma", "--format", "csv", env=env)
    assert lemma.out.splitlines() == [
        "document,case,start,end,text",
        "interview,Dijkhaven,49,58,gemeenten",
        "interview,Dijkhaven,75,83,gemeente",
    ]
    table = run_cli("search", "hoog", env=env)
    assert "De werkdruk is [hoog]. WERKDRUK overal." in table.out


def test_cli_code_and_undo(env: dict[str, str]) -> None:
    coded = run_cli(
        "search", "werk(druk|ten)", "--regex", "--code", "Werkdruk", "--format", "json", env=env
    )
    assert coded.code == 0, coded.err
    assert len(json.loads(coded.out)) == 4
    assert "coded 4 hits as 'Werkdruk'; one log entry (#" in coded.err
    status = json.loads(run_cli("status", "--format", "json", env=env).out)
    assert status["codings"] == 4
    undone = run_cli("undo", env=env)
    assert undone.code == 0 and "coded 4 search hits" in undone.out
    assert json.loads(run_cli("status", "--format", "json", env=env).out)["codings"] == 0


def test_cli_errors(env: dict[str, str]) -> None:
    for args, message in (
        (
            ("werk(druk", "--regex"),
            "lo-codebook: error: QUERY: invalid regular expression 'werk(druk': missing )",
        ),
        (
            ("werk", "--regex", "--lemma"),
            "lo-codebook: error: --lemma: choose --regex or --lemma, not both",
        ),
        (("werk", "--code", "Nope"), "lo-codebook: error: --code: unknown code 'Nope'"),
        (("werk", "--by", "size=G4"), "lo-codebook: error: --by: no case attribute 'size'"),
    ):
        result = run_cli("search", *args, env=env)
        assert result.code == 1, (args, result.out)
        assert result.err.startswith(message) and result.err.count("\n") == 1, result.err
    assert json.loads(run_cli("status", "--format", "json", env=env).out)["codings"] == 0
    project = Project.open(env["LO_CODEBOOK_DB"], "anna")
    try:
        with project.read() as session:
            assert (
                session.scalar(
                    select(func.count())
                    .select_from(AuditEntry)
                    .where(AuditEntry.action == "search-code")
                )
                == 0
            )
    finally:
        project.close()


def test_workbench_core_imports_without_textual() -> None:
    """Retrieval and search live in the core: the CLI uses them without the UI."""
    import subprocess
    import sys

    code = (
        "import sys\nsys.modules['textual'] = None\nsys.modules['rich'] = None\n"
        "import lo_codebook.core.retrieval, lo_codebook.core.search, lo_codebook.nlp.lemma_search"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
