"""A small real project for the UI tests: two interviews, a four-answer survey, a codebook.

Built through the core API (imports, codebook import, codings) on a SQLite file in tmp_path.
Pending suggestions are seeded as rows so the review tests do not depend on the NLP engine.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from lo_codebook.core import codebook, coding, queries
from lo_codebook.core.importing import import_files, import_survey
from lo_codebook.core.project import Project
from lo_codebook.db.models import Suggestion

CODER = "tester"

INTERVIEW_A = """Interviewer: Welke thema's spelen er bij jullie?

Respondent: Vooral digitalisering en de krapte op de arbeidsmarkt. We werken nu hybride, dat vraagt veel van leidinggevenden.

Interviewer: En de Omgevingswet?

Respondent: Ja, de Omgevingswet is een grote opgave. Ook informatieveiligheid, want phishing blijft lastig.
"""

INTERVIEW_B = """Interviewer: Hoe gaat het met het opleidingsplan?

Respondent: Één café-gesprek 😀 per maand over digitalisering. Naïef misschien, maar het werkt.

Interviewer: En leiderschap?

Respondent: Leidinggevenden volgen een traject. De krapte merken we overal.
"""

SURVEY = """ResponseId,Q1,Q4
R_1,<20.000,Digitalisering en de arbeidsmarkt
R_2,20.000-50.000,Leiderschap en hybride werken
R_3,20.000-50.000,digitalisering van processen
R_4,>100.000,Omgevingswet
"""

CODEBOOK = """name,parent,description,keywords
Context,,Ontwikkelingen van buiten,
Organisatie,,Hoe de organisatie werkt,
Digitalisering,Context,Digitale transformatie,digitalisering;digitaliseren
Arbeidsmarkt,Context,Krapte en werving,arbeidsmarkt;krapte
Omgevingswet,Context,De Omgevingswet,omgevingswet
Leiderschap,Organisatie,Leidinggevenden,leiderschap;leidinggevende
Hybride werken,Organisatie,Thuis en op kantoor,hybride
"""


@dataclass
class Sample:
    project: Project
    path: Path
    docs: dict[str, int]
    codes: dict[str, int]

    def text(self, name: str) -> str:
        with self.project.read() as session:
            detail = queries.document_detail(session, self.docs[name])
            assert detail is not None
            return detail.text


def build_sample(tmp_path: Path, *, codings: bool = True, suggestions: bool = True) -> Sample:
    data = tmp_path / "data"
    data.mkdir()
    (data / "interview_a.txt").write_text(INTERVIEW_A, encoding="utf-8")
    (data / "interview_b.txt").write_text(INTERVIEW_B, encoding="utf-8")
    (data / "survey.csv").write_text(SURVEY, encoding="utf-8")
    (data / "codebook.csv").write_text(CODEBOOK, encoding="utf-8")
    project = Project.open(tmp_path / "study.db", CODER)
    codebook.import_codebook(project, data / "codebook.csv")
    import_files(
        project, [data / "interview_a.txt"], case="Gemeente A", attributes={"size_class": "<20.000"}
    )
    import_files(
        project,
        [data / "interview_b.txt"],
        case="Gemeente B",
        attributes={"size_class": ">100.000"},
    )
    import_survey(
        project,
        data / "survey.csv",
        id_col="ResponseId",
        text_cols=["Q4"],
        attr_cols=["Q1=size_class"],
    )
    with project.read() as session:
        docs = {d.name: d.id for d in queries.document_summaries(session)}
        codes = {c.name: c.id for c in queries.codebook_tree(session)}
    sample = Sample(project, tmp_path / "study.db", docs, codes)
    if codings:
        for doc, word, code in (
            ("R_1", "Digitalisering", "Digitalisering"),
            ("R_3", "digitalisering", "Digitalisering"),
            ("interview_a", "digitalisering", "Digitalisering"),
            ("R_1", "arbeidsmarkt", "Arbeidsmarkt"),
            ("interview_a", "krapte", "Arbeidsmarkt"),
            ("R_4", "Omgevingswet", "Omgevingswet"),
        ):
            start = sample.text(doc).index(word)
            coding.code_span(project, docs[doc], start, start + len(word), codes[code])
    if suggestions:
        seed_suggestions(sample)
    return sample


def seed_suggestions(sample: Sample) -> None:
    """Pending suggestions on keyword hits (what the engine would store), in one unit of work."""
    hits = [
        ("interview_a", "hybride", "Hybride werken", 91.0, "keyword"),
        ("interview_a", "leidinggevenden", "Leiderschap", 84.0, "keyword"),
        ("interview_a", "Omgevingswet", "Omgevingswet", 97.0, "keyword"),
        ("interview_b", "Leidinggevenden", "Leiderschap", 88.0, "keyword"),
        ("interview_b", "krapte", "Arbeidsmarkt", 79.0, "fuzzy"),
        ("R_2", "Leiderschap", "Leiderschap", 99.0, "keyword"),
    ]
    with sample.project.write("seed-suggestions", undoable=False) as unit:
        for doc, word, code, score, method in hits:
            start = sample.text(doc).index(word)
            unit.session.add(
                Suggestion(
                    document_id=sample.docs[doc],
                    code_id=sample.codes[code],
                    start=start,
                    end=start + len(word),
                    score=score,
                    method=method,
                    evidence=f"keyword '{word.lower()}'",
                    pattern=word.lower(),
                    status="pending",
                )
            )


def add_second_coder(sample: Sample) -> None:
    """Codings by 'bob' on two of the documents 'tester' coded: one agreement, one difference."""
    bob = Project.open(sample.path, "bob")
    try:
        for doc, word, code in (
            ("R_1", "Digitalisering", "Digitalisering"),
            ("R_3", "processen", "Omgevingswet"),
        ):
            start = sample.text(doc).index(word)
            coding.code_span(bob, sample.docs[doc], start, start + len(word), sample.codes[code])
    finally:
        bob.close()


@pytest.fixture
def sample(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Sample]:
    # A fixed path that does not exist: no user keymap, and the same help text every run.
    monkeypatch.setenv("LO_CODEBOOK_KEYMAP", "/nonexistent/lo-codebook/keymap.toml")
    monkeypatch.chdir(tmp_path)
    built = build_sample(tmp_path)
    yield built
    built.project.close()


@pytest.fixture
def anyio_backend() -> str:
    """Pilot tests are async: run them on asyncio through anyio's pytest plugin."""
    return "asyncio"


@pytest.fixture(autouse=True)
def english_ui(monkeypatch: pytest.MonkeyPatch) -> None:
    """The UI tests read English screens (the sample texts are Dutch, so the UI would follow
    them into Dutch); tests of the Dutch UI take this away (`monkeypatch.delenv`)."""
    monkeypatch.setenv("LO_CODEBOOK_LANG", "en")


@pytest.fixture(autouse=True)
def notifications_outlive_a_busy_machine(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pilot tests read `app._notifications` after an action; a toast lives 3-10 s, and on a
    loaded machine the assertion can come later than that. Outside snapshot tests (where a
    lingering toast would change the picture) notifications stay for an hour."""
    if "snap_compare" in request.fixturenames:
        return
    from textual.app import App

    original = App.notify

    def notify(
        self: App,
        message: str,
        *,
        title: str = "",
        severity: str = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        original(self, message, title=title, severity=severity, timeout=3600, markup=markup)  # type: ignore[arg-type]

    monkeypatch.setattr(App, "notify", notify)
