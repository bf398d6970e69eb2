"""Consensus coding on SQLite and PostgreSQL: rules, per-item decisions, turns, undo, themes, CLI.

Anna and Bram code a five-answer survey and a four-turn interview; every expectation below is
written out by hand from the phrases they coded, not computed by the code under test.
"""

from __future__ import annotations

import csv
import json
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import select

from lo_codebook.core import consensus
from lo_codebook.core.codebook import import_codebook
from lo_codebook.core.coding import code_span
from lo_codebook.core.importing import import_files, import_survey
from lo_codebook.core.project import Project
from lo_codebook.core.themes_service import build_theme_table
from lo_codebook.db.models import Code, Coder, Coding, Document, Setting
from lo_codebook.errors import UserError

from .conftest import run_cli

# The assertions read the English lines of the CLI (see `english_output`).
pytestmark = pytest.mark.usefixtures("english_output")

SURVEY = """ResponseId,Q4
R_1,Digitalisering en de arbeidsmarkt vragen veel.
R_2,Leiderschap en hybride werken.
R_3,Digitalisering van processen en de Omgevingswet.
R_4,Alleen de Omgevingswet.
R_5,Niets bijzonders.
"""

INTERVIEW = """Interviewer: Welke thema's spelen er?

Respondent: Vooral digitalisering. En de krapte op de arbeidsmarkt.

Interviewer: En leiderschap?

Respondent: Leidinggevenden werken hybride. De Omgevingswet ook.
"""

CODEBOOK = """name,parent,description,keywords
Context,,,
Organisatie,,,
Digitalisering,Context,,
Arbeidsmarkt,Context,,
Omgevingswet,Context,,
Leiderschap,Organisatie,,
Hybride werken,Organisatie,,
Ongebruikt,Organisatie,,
"""

# (document, phrase, code): the phrase's first occurrence is the coded span.
ANNA = [
    ("R_1", "Digitalisering", "Digitalisering"),
    ("R_1", "arbeidsmarkt", "Arbeidsmarkt"),
    ("R_2", "Leiderschap", "Leiderschap"),
    ("R_3", "Digitalisering", "Digitalisering"),
    ("R_4", "Omgevingswet", "Omgevingswet"),  # Bram did not code R_4: not compared
    ("interview", "digitalisering", "Digitalisering"),
    ("interview", "krapte op de arbeidsmarkt", "Arbeidsmarkt"),
    ("interview", "leiderschap?\n\nRespondent: Leidinggevenden", "Leiderschap"),  # over two turns
]
BRAM = [
    (
        "R_1",
        "Digitalisering en de",
        "Digitalisering",
    ),  # overlaps Anna's: one coding in the consensus
    ("R_2", "Leiderschap", "Leiderschap"),
    ("R_2", "hybride werken", "Hybride werken"),
    ("R_3", "Omgevingswet", "Omgevingswet"),
    ("R_5", "Niets", "Omgevingswet"),  # Anna did not code R_5: not compared
    ("interview", "Vooral digitalisering", "Digitalisering"),
    ("interview", "Leidinggevenden", "Leiderschap"),
    ("interview", "Omgevingswet", "Omgevingswet"),
]


class Study:
    def __init__(self, project: Project, tmp_path: Path) -> None:
        self.project = project
        data = tmp_path / "data"
        data.mkdir()
        (data / "survey.csv").write_text(SURVEY, encoding="utf-8")
        (data / "interview.txt").write_text(INTERVIEW, encoding="utf-8")
        (data / "codebook.csv").write_text(CODEBOOK, encoding="utf-8")
        import_codebook(project, data / "codebook.csv")
        import_survey(project, data / "survey.csv", id_col="ResponseId", text_cols=["Q4"])
        import_files(project, [data / "interview.txt"])
        with project.read() as session:
            self.docs = {d.name: d.id for d in session.scalars(select(Document))}
            self.texts = {d.name: d.text for d in session.scalars(select(Document))}
            self.codes = {c.name: c.id for c in session.scalars(select(Code))}
            doc = session.get(Document, self.docs["interview"])
            assert doc is not None
            self.turns = [(s.start, s.end) for s in doc.segments]
        for name, codings in (("anna", ANNA), ("bram", BRAM)):
            coder = Project(project.engine, name, project.url)
            for doc_name, phrase, code in codings:
                start, end = self.span(doc_name, phrase)
                code_span(coder, self.docs[doc_name], start, end, self.codes[code])

    def span(self, doc: str, phrase: str) -> tuple[int, int]:
        start = self.texts[doc].index(phrase)
        return start, start + len(phrase)

    def stored(self, coder: str = "consensus") -> set[tuple[str, str, int, int]]:
        with self.project.read() as session:
            rows = session.execute(
                select(Document.name, Code.name, Coding.start, Coding.end, Coding.origin)
                .join(Document, Document.id == Coding.document_id)
                .join(Code, Code.id == Coding.code_id)
                .join(Coder, Coder.id == Coding.coder_id)
                .where(Coder.name == coder)
            ).all()
        assert all(r.origin == "consensus" for r in rows)
        return {(r[0], r[1], r[2], r[3]) for r in rows}

    def stored_raw(self, coder: str) -> list[tuple[int, int]]:
        """Every coding of `coder`, whatever its origin."""
        with self.project.read() as session:
            return list(
                session.execute(
                    select(Coding.start, Coding.end)
                    .join(Coder, Coder.id == Coding.coder_id)
                    .where(Coder.name == coder)
                ).all()
            )


@pytest.fixture
def study(project: Project, tmp_path: Path) -> Study:
    return Study(project, tmp_path)


def expected(study: Study, take: str) -> set[tuple[str, str, int, int]]:
    """The consensus written out by hand, per rule."""
    s = study.span
    t2, t3, t4 = study.turns[1], study.turns[2], study.turns[3]
    leader_anna = s("interview", "leiderschap?\n\nRespondent: Leidinggevenden")
    agreed = {
        (
            "R_1",
            "Digitalisering",
            *s("R_1", "Digitalisering en de"),
        ),  # Anna's inside Bram's: joined
        ("R_2", "Leiderschap", *s("R_2", "Leiderschap")),
        ("interview", "Digitalisering", *s("interview", "Vooral digitalisering")),
        # Turn 4: Anna's coding from the turn's start to the end of "Leidinggevenden", Bram's inside it.
        ("interview", "Leiderschap", t4[0], leader_anna[1]),
    }
    anna_only = {
        ("R_1", "Arbeidsmarkt", *s("R_1", "arbeidsmarkt")),
        ("R_3", "Digitalisering", *s("R_3", "Digitalisering")),
        ("interview", "Arbeidsmarkt", *s("interview", "krapte op de arbeidsmarkt")),
        (
            "interview",
            "Leiderschap",
            leader_anna[0],
            t3[1],
        ),  # her turn-3 part, cut at the turn's end
    }
    bram_only = {
        ("R_2", "Hybride werken", *s("R_2", "hybride werken")),
        ("R_3", "Omgevingswet", *s("R_3", "Omgevingswet")),
        ("interview", "Omgevingswet", *s("interview", "Omgevingswet")),
    }
    assert t2[0] < s("interview", "krapte op de arbeidsmarkt")[0] < t2[1]
    return (
        agreed
        | {"anna": anna_only, "bram": bram_only, "both": anna_only | bram_only, "neither": set()}[
            take
        ]
    )


def test_plan_finds_the_disagreements_in_turns_and_answers(study: Study) -> None:
    plan = consensus.plan_consensus(study.project, ("anna", "bram"))
    assert plan.unit == "segment" and plan.name == "consensus"
    assert plan.documents == ["R_1", "R_2", "R_3", "interview"]  # R_4, R_5: one coder only
    assert plan.n_units == 3 + 4  # three answers, four turns
    assert len(plan.agreed) == 4
    found = [
        (study_doc(study, i.document_id), i.code, plan.coders[i.coded_by])
        for i in plan.disagreements
    ]
    assert found == [
        ("R_1", "Arbeidsmarkt", "anna"),
        ("R_2", "Hybride werken", "bram"),
        ("R_3", "Digitalisering", "anna"),
        ("R_3", "Omgevingswet", "bram"),
        ("interview", "Arbeidsmarkt", "anna"),
        ("interview", "Leiderschap", "anna"),
        ("interview", "Omgevingswet", "bram"),
    ]
    turn3 = plan.disagreements[5]
    assert plan.text(turn3) == "En leiderschap?" and turn3.info.speaker == "Interviewer"
    assert plan.text(plan.disagreements[0]) == "Digitalisering en de arbeidsmarkt vragen veel."
    # The same differences as `agreement --unit segment` lists.
    from lo_codebook.core.agreement_service import compute_agreement

    report = compute_agreement(study.project, ("anna", "bram"), unit="segment")
    assert {(d["document"], d["code"], d["coded_by"]) for d in report.disagreements()} == set(found)


def study_doc(study: Study, doc_id: int) -> str:
    return next(name for name, i in study.docs.items() if i == doc_id)


@pytest.mark.parametrize("take", ["anna", "bram", "both", "neither"])
def test_each_rule_stores_the_hand_computed_consensus(study: Study, take: str) -> None:
    plan = consensus.plan_consensus(study.project, ("anna", "bram"))
    result = consensus.apply_consensus(
        study.project, plan, default=consensus.parse_take(take, plan.coders)
    )
    want = expected(study, take)
    assert study.stored() == want
    assert result.codings == len(want) and result.agreed == 4 and result.disagreements == 7
    assert result.kept == {"anna": 4, "bram": 3, "both": 7, "neither": 0}[take]
    assert result.coder_only == {"anna": 1, "bram": 1}
    # The coders' own codings are untouched.
    assert len(study.stored_raw("anna")) == len(ANNA) and len(study.stored_raw("bram")) == len(BRAM)


def test_decisions_per_disagreement_and_the_default_rule(study: Study) -> None:
    plan = consensus.plan_consensus(study.project, ("anna", "bram"))
    items = plan.disagreements
    with pytest.raises(UserError, match="7 of 7 disagreements are not decided"):
        consensus.apply_consensus(study.project, plan)
    decisions = {
        items[0].key: consensus.NEITHER,
        items[1].key: consensus.BOTH,
        items[3].key: consensus.TAKE_A,
    }
    with pytest.raises(UserError, match="4 of 7 disagreements"):
        consensus.apply_consensus(study.project, plan, decisions)
    assert study.stored() == set()  # nothing stored, not even the coder
    consensus.apply_consensus(study.project, plan, decisions, default=consensus.TAKE_B)
    # R_1 Arbeidsmarkt (anna's) dropped; R_2 Hybride (bram's) kept; R_3 Omgevingswet (bram's)
    # dropped by taking anna's version; the rest by the default: Bram's version.
    want = expected(study, "bram") - {("R_3", "Omgevingswet", *study.span("R_3", "Omgevingswet"))}
    assert study.stored() == want


def test_undo_and_redo_of_the_consensus(study: Study) -> None:
    plan = consensus.plan_consensus(study.project, ("anna", "bram"))
    consensus.apply_consensus(study.project, plan, default=consensus.BOTH)
    assert len(study.stored()) == len(expected(study, "both"))
    with study.project.read() as session:
        assert consensus.consensus_source(session, "consensus") == ("anna", "bram")
    description = study.project.undo()  # the coder who ran it ("tester") undoes it
    assert "consensus of anna and bram" in description
    assert study.stored() == set()
    with study.project.read() as session:
        assert session.scalar(select(Coder).where(Coder.name == "consensus")) is None
        assert session.scalar(select(Setting).where(Setting.key.like("consensus.%"))) is None
    study.project.undo(redo=True)
    assert study.stored() == expected(study, "both")


def test_running_again_replaces_the_earlier_consensus(study: Study) -> None:
    plan = consensus.plan_consensus(study.project, ("anna", "bram"))
    consensus.apply_consensus(study.project, plan, default=consensus.BOTH)
    result = consensus.apply_consensus(study.project, plan, default=consensus.NEITHER)
    assert study.stored() == expected(study, "neither")
    assert result.replaced == len(expected(study, "both"))
    study.project.undo()  # back to the first consensus, exactly
    assert study.stored() == expected(study, "both")


def test_refusals_change_nothing(study: Study) -> None:
    with pytest.raises(UserError, match="one of the coders compared"):
        consensus.plan_consensus(study.project, ("anna", "bram"), name="bram")
    plan = consensus.plan_consensus(study.project, ("anna", "bram"))
    # Bram codes one more thing after the plan was read: the plan is stale.
    bram = Project(study.project.engine, "bram", study.project.url)
    start, end = study.span("R_3", "processen")
    code_span(bram, study.docs["R_3"], start, end, study.codes["Digitalisering"])
    with pytest.raises(UserError, match="changed since this consensus was prepared"):
        consensus.apply_consensus(study.project, plan, default=consensus.BOTH)
    # A coder named like the target who coded by hand: their work is not overwritten.
    carol = Project(study.project.engine, "carol", study.project.url)
    start, end = study.span("R_1", "vragen")
    code_span(carol, study.docs["R_1"], start, end, study.codes["Arbeidsmarkt"])
    plan = consensus.plan_consensus(study.project, ("anna", "bram"), name="carol")
    with pytest.raises(UserError, match="has 1 codings of its own"):
        consensus.apply_consensus(study.project, plan, default=consensus.BOTH)
    assert study.stored() == set() and len(study.stored_raw("carol")) == 1
    with pytest.raises(UserError, match="--take must be anna, bram, both or neither"):
        consensus.parse_take("carol", ("anna", "bram"))


def test_document_units(study: Study) -> None:
    plan = consensus.plan_consensus(study.project, ("anna", "bram"), unit="document")
    # Per document, Leiderschap in the interview is agreed (both coded it somewhere in it).
    assert len(plan.disagreements) == 6
    consensus.apply_consensus(study.project, plan, default=consensus.TAKE_B)
    s = study.span
    leader_anna = s("interview", "leiderschap?\n\nRespondent: Leidinggevenden")
    assert study.stored() == {
        ("R_1", "Digitalisering", *s("R_1", "Digitalisering en de")),
        ("R_2", "Leiderschap", *s("R_2", "Leiderschap")),
        ("R_2", "Hybride werken", *s("R_2", "hybride werken")),
        ("R_3", "Omgevingswet", *s("R_3", "Omgevingswet")),
        ("interview", "Digitalisering", *s("interview", "Vooral digitalisering")),
        ("interview", "Leiderschap", *leader_anna),  # whole codings, not cut at turns
        ("interview", "Omgevingswet", *s("interview", "Omgevingswet")),
    }


def hand_theme_counts(codings: set[tuple[str, str, int, int]]) -> dict[str, tuple[int, int]]:
    documents: dict[str, set[str]] = {}
    mentions: Counter[str] = Counter()
    for doc, code, _start, _end in codings:
        documents.setdefault(code, set()).add(doc)
        mentions[code] += 1
    return {code: (len(documents[code]), mentions[code]) for code in documents}


def test_themes_and_quotes_use_the_consensus(study: Study, tmp_path: Path) -> None:
    plan = consensus.plan_consensus(study.project, ("anna", "bram"))
    consensus.apply_consensus(study.project, plan, default=consensus.TAKE_A)
    want = hand_theme_counts(expected(study, "anna"))
    # Written out: Digitalisering R_1, R_3, interview; Arbeidsmarkt R_1, interview;
    # Leiderschap R_2 and the interview (two pieces: turn 3 and turn 4).
    assert want == {"Digitalisering": (3, 3), "Arbeidsmarkt": (2, 2), "Leiderschap": (2, 3)}
    table = build_theme_table(study.project, coder="consensus")
    got = {
        r.code: (int(r.documents), int(r.mentions)) for r in table.rows.itertuples() if r.documents
    }
    assert got == want
    assert table.coder == "consensus (anna + bram)"

    out = run_cli("--db", study.project.url, "themes", "--coder", "consensus", "--format", "json")
    assert out.code == 0, out.err
    rows = {
        r["code"]: (r["documents"], r["mentions"]) for r in json.loads(out.out) if r["documents"]
    }
    assert rows == want
    assert "consensus (anna + bram)" in out.err
    shown = run_cli("--db", study.project.url, "themes", "--coder", "consensus")
    assert "consensus (anna + bram)" in shown.out.splitlines()[0]
    print(shown.out)

    quotes = tmp_path / "quotes.csv"
    out = run_cli("--db", study.project.url, "export-quotes", str(quotes), "--coder", "consensus")
    assert out.code == 0, out.err
    with quotes.open(encoding="utf-8", newline="") as handle:
        records = list(csv.DictReader(handle))
    assert len(records) == len(expected(study, "anna"))
    assert {r["coder"] for r in records} == {"consensus"}
    assert Counter(r["code"] for r in records) == Counter({c: m for c, (_d, m) in want.items()})


def test_once_a_consensus_exists_themes_and_quotes_use_it_by_default(
    study: Study, tmp_path: Path
) -> None:
    plan = consensus.plan_consensus(study.project, ("anna", "bram"))
    consensus.apply_consensus(study.project, plan, default=consensus.TAKE_A)
    want = hand_theme_counts(expected(study, "anna"))
    out = run_cli("--db", study.project.url, "themes", "--format", "json")  # no --coder
    assert out.code == 0, out.err
    rows = {
        r["code"]: (r["documents"], r["mentions"]) for r in json.loads(out.out) if r["documents"]
    }
    assert rows == want and "consensus (anna + bram)" in out.err

    quotes = tmp_path / "quotes.csv"
    out = run_cli("--db", study.project.url, "export-quotes", str(quotes))
    assert out.code == 0, out.err
    assert "consensus (anna + bram)" in out.err
    with quotes.open(encoding="utf-8", newline="") as handle:
        assert {r["coder"] for r in csv.DictReader(handle)} == {"consensus"}
    out = run_cli("--db", study.project.url, "export-quotes", str(quotes), "--coder", "all")
    assert out.code == 0, out.err
    with quotes.open(encoding="utf-8", newline="") as handle:
        assert {r["coder"] for r in csv.DictReader(handle)} == {"anna", "bram", "consensus"}


def test_cli(study: Study) -> None:
    db = study.project.url
    env = {"LO_CODEBOOK_CODER": "tester"}
    missing = run_cli("--db", db, "consensus", "--coders", "anna,bram", env=env)
    assert missing.code == 1 and missing.err.count("\n") == 1
    assert (
        "7 of 7 disagreements are not decided" in missing.err
        and "--take anna|bram|both|neither" in missing.err
    )
    dry = run_cli(
        "--db",
        db,
        "consensus",
        "--coders",
        "anna,bram",
        "--take",
        "both",
        "--dry-run",
        "--format",
        "json",
        env=env,
    )
    assert dry.code == 0, dry.err
    data = json.loads(dry.out)
    assert (data["agreed"], data["disagreements"], data["codings"], data["stored"]) == (
        4,
        7,
        len(expected(study, "both")),
        False,
    )
    assert study.stored() == set()
    out = run_cli("--db", db, "consensus", "--coders", "anna,bram", "--take", "anna", env=env)
    assert out.code == 0, out.err
    print(out.out)
    assert (
        "stored as coder 'consensus'" in out.out
        and "7 disagreements resolved (4 kept, 3 dropped" in out.out
    )
    assert "1 only anna, 1 only bram" in out.out
    assert study.stored() == expected(study, "anna")
    final = run_cli(
        "--db",
        db,
        "consensus",
        "--coders",
        "anna,bram",
        "--take",
        "bram",
        "--as",
        "final",
        "--format",
        "json",
        env=env,
    )
    assert final.code == 0, final.err
    assert json.loads(final.out)["coder"] == "final" and study.stored("final") == expected(
        study, "bram"
    )
    assert run_cli("--db", db, "undo", env=env).code == 0
    assert study.stored("final") == set() and study.stored() == expected(study, "anna")
    bad = run_cli(
        "--db", db, "consensus", "--coders", "anna,bram", "--take", "anna", "--as", "anna", env=env
    )
    assert bad.code == 1 and "one of the coders compared" in bad.err and "Traceback" not in bad.err
    none = run_cli("--db", db, "themes", "--coder", "nobody")
    assert none.code == 1


def test_core_consensus_works_without_textual(tmp_path: Path) -> None:
    """The CLI and the UI share the core; the core never needs the UI toolkit."""
    import subprocess
    import sys

    code = "\n".join(
        [
            "import sys",
            "sys.modules['textual'] = None",
            "import lo_codebook.core.consensus, lo_codebook.cli.teams",
            "from lo_codebook.core.project import Project",
            "from lo_codebook.core import consensus",
            f"p = Project.open({str(tmp_path / 'x.db')!r}, 'tester')",
            "try:",
            "    consensus.plan_consensus(p, ('anna', 'bram'))",
            "except Exception as exc:",
            "    print(type(exc).__name__, exc)",
        ]
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("UserError") and "unknown coder 'anna'" in result.stdout
