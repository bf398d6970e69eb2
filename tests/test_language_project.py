"""The project's language: set with init/settings, detected on the first import, and per document
(mixed-language projects get each answer suggested in its own language)."""

from __future__ import annotations

import csv
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from lo_codebook.core.codebook import import_codebook
from lo_codebook.core.coding import code_span
from lo_codebook.core.importing import import_files, import_survey
from lo_codebook.core.merge import merge_project
from lo_codebook.core.project import Project
from lo_codebook.core.refi_mapping import export_qdpx, import_qdpx
from lo_codebook.core.settings import change_setting, list_settings
from lo_codebook.core.suggest_service import run_suggest
from lo_codebook.db.models import Code, Document, Setting, Suggestion
from lo_codebook.errors import UserError
from lo_codebook.nlp.language import detect_corpus, detect_language, language_votes, stop_words

from .conftest import SAMPLE, run_cli, sibling_project

DUTCH_SURVEY = SAMPLE / "survey" / "lo_enquete_qualtrics.csv"

ENGLISH_ANSWERS = [
    "Staff shortages are the biggest issue for us, and we cannot fill the vacancies we have.",
    "Leadership development, because our managers need to lead teams that work from home.",
    "Hybrid working and the wellbeing of employees who feel the pressure of a high workload.",
    "Digital skills. Many colleagues are not able to work with the new systems yet.",
    "We want more attention for inclusion and diversity in all of our training programmes.",
    "Strategic workforce planning, so that we know which people we will need in five years.",
    "Onboarding of new staff and keeping them with us: too many leave within the first year.",
    "Integrity and a safe working environment are themes that should get more attention.",
    "Workload",
    "Leadership",
    "The new Environment Act asks a lot of our staff, and there is not enough time to learn.",
    "Data and AI: what can they do for our work, and what should we never let them do?",
]
DUTCH_ANSWER = (
    "De grootste problemen voor onze gemeente zijn de personeelstekorten en de werkdruk "
    "van de teams die steeds meer moeten doen met minder mensen."
)
ENGLISH_ANSWER = (
    "The biggest problems for our municipality are staff shortages and the workload of the "
    "teams that have to do more with fewer people."
)


def _write_survey(path: Path, answers: list[str]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["respondent", "answer"])
        for n, answer in enumerate(answers, start=1):
            writer.writerow([f"R{n:03d}", answer])
    return path


def _languages(project: Project) -> dict[str, str | None]:
    with project.read() as session:
        return dict(session.execute(select(Document.name, Document.language)).all())


def _stored_language(project: Project) -> str | None:
    with project.read() as session:
        row = session.get(Setting, "language")
        return row.value if row else None


# -- the detector -----------------------------------------------------------------------------


def test_detector_tells_dutch_from_english_and_short_texts_cannot_tell() -> None:
    assert detect_language(ENGLISH_ANSWER) == "en"
    assert detect_language(DUTCH_ANSWER) == "nl"
    assert detect_language("Werkdruk, leiderschap en vitaliteit") is None  # too few votes
    assert detect_language("Workload") is None
    # words on both lists vote for neither; single letters (D&I, o.a.) neither
    assert language_votes("in is was we over D&I o.a.").total == 0
    words = stop_words()
    assert {"de", "het", "een", "niet"} <= words["nl"] and {"the", "and", "with", "not"} <= words[
        "en"
    ]
    assert not words["nl"] & words["en"]
    # pooled: many short English answers together do tell
    votes = [language_votes(a) for a in ENGLISH_ANSWERS]
    assert detect_corpus(votes) == "en"
    assert detect_corpus([language_votes("Workload")]) is None


def test_the_sample_data_is_never_taken_for_english() -> None:
    with DUTCH_SURVEY.open(encoding="utf-8-sig", newline="") as handle:
        answers = [row["Q4"] for row in list(csv.DictReader(handle))[2:] if row["Q4"].strip()]
    assert {detect_language(a) for a in answers} <= {"nl", None}
    for path in (SAMPLE / "interviews").glob("interview_0*.txt"):
        assert detect_language(path.read_text(encoding="utf-8")) == "nl", path.name


def test_detector_loads_neither_spacy_nor_the_database_nor_the_ui() -> None:
    code = (
        "import sys\n"
        "from lo_codebook.nlp.language import detect_language\n"
        f"assert detect_language({ENGLISH_ANSWER!r}) == 'en'\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('spacy', 'sqlalchemy', 'textual')"
        " or m.startswith(('lo_codebook.core', 'lo_codebook.db', 'lo_codebook.tui'))]\n"
        "assert not bad, bad\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


# -- init and settings on the command line ----------------------------------------------------


def test_init_language_and_settings_cli(db_url: str) -> None:
    result = run_cli("--db", db_url, "init", "--language", "en")
    assert result.code == 0, result.err
    assert result.out.splitlines()[-1] == "language: en"
    listed = run_cli("--db", db_url, "settings", "--format", "json")
    assert listed.code == 0 and json.loads(listed.out) == {"language": "en", "ui_language": "en"}
    table = run_cli("--db", db_url, "settings")
    assert table.code == 0 and re.search(r"^language +en +set ", table.out, re.M), table.out

    changed = run_cli("--db", db_url, "settings", "set", "language", "nl")
    assert changed.code == 0 and changed.out.strip() == "language: nl"
    assert json.loads(run_cli("--db", db_url, "settings", "--format", "json").out) == {
        "language": "nl",
        "ui_language": "nl",
    }

    for args, needle in [
        (
            ("settings", "set", "colour", "red"),
            "unknown setting 'colour'; known settings: language, ui_language",
        ),
        (("settings", "set", "language", "de"), "language must be one of nl, en, not 'de'"),
        (("init", "--language", "de"), "'de' is not one of 'nl', 'en'"),
    ]:
        bad = run_cli("--db", db_url, *args)
        assert bad.code == 1, bad
        assert bad.err.count("\n") == 1 and needle in bad.err and "Traceback" not in bad.err
        assert bad.out == ""
    assert json.loads(run_cli("--db", db_url, "settings", "--format", "json").out) == {
        "language": "nl",
        "ui_language": "nl",
    }


def test_settings_of_a_new_project_are_the_defaults(project: Project) -> None:
    value, ui = list_settings(project)
    assert (value.key, value.value, value.source) == ("language", "nl", "default")
    assert (ui.key, ui.value, ui.source) == ("ui_language", "nl", "default")  # follows language
    assert _stored_language(project) is None
    with pytest.raises(UserError, match="language must be one of nl, en"):
        change_setting(project, "language", "fr")
    assert change_setting(project, "language", " EN ") == "en"
    assert [(v.value, v.source) for v in list_settings(project)] == [
        ("en", "set"),
        ("en", "default"),
    ]
    project.undo()
    assert [(v.value, v.source) for v in list_settings(project)] == [
        ("nl", "default"),
        ("nl", "default"),
    ]


# -- detection on the first import ------------------------------------------------------------


def test_first_import_of_an_english_survey_detects_english(db_url: str, tmp_path: Path) -> None:
    survey = _write_survey(tmp_path / "english.csv", ENGLISH_ANSWERS)
    result = run_cli(
        "--db", db_url, "import-survey", survey, "--id-col", "respondent", "--text-col", "answer"
    )
    assert result.code == 0, result.err
    assert result.out.splitlines()[-1] == (
        "language: en (detected from 12 answers; change with `lo-codebook settings set language nl`)"
    )
    assert (
        json.loads(run_cli("--db", db_url, "settings", "--format", "json").out)["language"] == "en"
    )
    project = Project.open(db_url, "tester")
    try:
        assert project.language == "en"
        languages = _languages(project)
        assert languages["R001"] == "en"  # long enough to tell
        assert languages["R009"] is None  # "Workload": follows the project
        assert set(languages.values()) <= {"en", None}
    finally:
        project.close()
    # detected once: a later (Dutch) import neither changes it nor says anything about it
    again = run_cli(
        "--db", db_url, "import-survey", DUTCH_SURVEY, "--id-col", "ResponseId", "--text-col", "Q4"
    )
    assert again.code == 0, again.err
    assert "language:" not in again.out
    assert (
        json.loads(run_cli("--db", db_url, "settings", "--format", "json").out)["language"] == "en"
    )


def test_first_import_of_the_dutch_survey_detects_dutch(project: Project) -> None:
    report = import_survey(project, DUTCH_SURVEY, id_col="ResponseId", text_cols=["Q4"])
    assert report.language is not None
    assert report.language.message() == (
        "language: nl (detected from 132 answers; change with `lo-codebook settings set language en`)"
    )
    assert _stored_language(project) == "nl"
    assert set(_languages(project).values()) == {"nl", None}


def test_transcripts_are_documents_and_undo_forgets_the_detection(project: Project) -> None:
    report = import_files(project, [SAMPLE / "interviews" / "interview_01_lindewaard.txt"])
    assert report.language is not None
    assert report.language.message() == (
        "language: nl (detected from 1 document; change with `lo-codebook settings set language en`)"
    )
    assert list(_languages(project).values()) == ["nl"]
    project.undo()
    assert _stored_language(project) is None and _languages(project) == {}


def test_an_explicit_language_is_never_overwritten(db_url: str, tmp_path: Path) -> None:
    assert run_cli("--db", db_url, "init", "--language", "nl").code == 0
    survey = _write_survey(tmp_path / "english.csv", ENGLISH_ANSWERS)
    result = run_cli(
        "--db", db_url, "import-survey", survey, "--id-col", "respondent", "--text-col", "answer"
    )
    assert result.code == 0, result.err
    assert "language:" not in result.out
    assert json.loads(run_cli("--db", db_url, "settings", "--format", "json").out) == {
        "language": "nl",
        "ui_language": "nl",
    }
    project = Project.open(db_url, "tester")
    try:
        assert project.language == "nl"
        assert _languages(project)["R001"] == "en"  # the document still knows its own
    finally:
        project.close()


def test_too_little_text_keeps_the_default_until_an_import_can_tell(
    project: Project, tmp_path: Path
) -> None:
    first = import_survey(
        project,
        _write_survey(tmp_path / "a.csv", ["Workload"]),
        id_col="respondent",
        text_cols=["answer"],
    )
    assert first.language is not None and not first.language.detected
    assert first.language.message() == (
        "language: nl (the default; too little text to tell; set it with `lo-codebook settings set language en`)"
    )
    assert _stored_language(project) is None and project.language == "nl"
    answers = ["Workload", *ENGLISH_ANSWERS[:8]]
    second = import_survey(
        project,
        _write_survey(tmp_path / "b.csv", answers),
        id_col="respondent",
        text_cols=["answer"],
    )
    # R001 ("Workload") is already there; 8 new answers tell
    assert second.language is not None and second.language.detected
    assert second.language.message().startswith("language: en (detected from 8 answers;")
    assert _stored_language(project) == "en"


# -- mixed-language projects: one engine per language -----------------------------------------


@pytest.fixture
def mixed_codebook(tmp_path: Path) -> Path:
    path = tmp_path / "codebook.csv"
    path.write_text(
        "name,parent,description,keywords\n"
        "Personeel,,,\n"
        "Personeelstekort,Personeel,,staff shortage;personeelstekort\n"
        "Werkdruk,Personeel,,workload;werkdruk\n",
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize("project_language", ["nl", "en"])
def test_mixed_project_suggests_each_answer_in_its_own_language(
    project: Project, tmp_path: Path, mixed_codebook: Path, project_language: str
) -> None:
    change_setting(project, "language", project_language)
    import_codebook(project, mixed_codebook)
    survey = _write_survey(tmp_path / "mixed.csv", [ENGLISH_ANSWER, DUTCH_ANSWER, "Workload"])
    import_survey(project, survey, id_col="respondent", text_cols=["answer"])
    assert _languages(project) == {"R001": "en", "R002": "nl", "R003": None}

    steps: list[tuple[int, int]] = []
    report = run_suggest(
        project, workers=1, progress=lambda done, total: steps.append((done, total))
    )
    assert report.documents == 3
    assert steps[-1] == (3, 3) and all(t == 3 for _, t in steps)
    assert [d for d, _ in steps] == sorted(d for d, _ in steps)

    with project.read() as session:
        rows = session.execute(
            select(
                Document.name, Code.name, Suggestion.method, Suggestion.pattern, Suggestion.score
            )
            .join(Document, Document.id == Suggestion.document_id)
            .join(Code, Code.id == Suggestion.code_id)
        ).all()
    found = {(doc, code): (method, pattern, score) for doc, code, method, pattern, score in rows}
    # English: "staff shortages" is the lemma of the keyword "staff shortage" (the Dutch
    # pipeline would only see an inflected variant, 'staff shortage|shortages')
    assert found[("R001", "Personeelstekort")][:2] == ("keyword", "staff shortage")
    # Dutch: "personeelstekorten" is the lemma of "personeelstekort" (English: a fuzzy match)
    assert found[("R002", "Personeelstekort")][:2] == ("keyword", "Personeelstekort")
    assert found[("R002", "Werkdruk")][0] == "keyword"
    # a short answer follows the project's language, whichever that is
    assert found[("R003", "Werkdruk")][0] == "keyword"

    # coders' codings are learning examples for every language's engine; re-running adds nothing
    with project.read() as session:
        doc_id = session.scalar(select(Document.id).where(Document.name == "R001"))
        code_id = session.scalar(select(Code.id).where(Code.name == "Werkdruk"))
    assert doc_id is not None and code_id is not None
    code_span(project, doc_id, 0, len(ENGLISH_ANSWER), code_id)
    assert run_suggest(project, workers=1).new == 0


def test_qdpx_import_brings_document_languages_and_detects_the_project_language(
    project: Project, tmp_path: Path, mixed_codebook: Path
) -> None:
    import_codebook(project, mixed_codebook)
    import_survey(
        project,
        _write_survey(tmp_path / "en.csv", ENGLISH_ANSWERS),
        id_col="respondent",
        text_cols=["answer"],
    )
    export_qdpx(project, tmp_path / "english.qdpx")
    with sibling_project(project, tmp_path, "other") as other:
        report = import_qdpx(other, tmp_path / "english.qdpx")
        assert report.language is not None
        assert report.language.message().startswith("language: en (detected from 12 documents;")
        assert other.language == "en"
        assert _languages(other)["R001"] == "en" and _languages(other)["R009"] is None


def test_merge_project_brings_document_languages_and_detects_the_project_language(
    project: Project, tmp_path: Path, mixed_codebook: Path
) -> None:
    import_codebook(project, mixed_codebook)
    with sibling_project(project, tmp_path, "bram") as bram:
        import_codebook(bram, mixed_codebook)
        survey = _write_survey(tmp_path / "en.csv", ENGLISH_ANSWERS)
        import_survey(bram, survey, id_col="respondent", text_cols=["answer"])
        report = merge_project(project, bram.url)
    assert report.language is not None
    assert report.language.message().startswith("language: en (detected from 12 answers;")
    assert project.language == "en"
    assert _languages(project)["R001"] == "en" and _languages(project)["R009"] is None
