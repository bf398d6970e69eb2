"""The engine learns from the project: imported codings raise recall elsewhere (method `learned`)."""

from __future__ import annotations

import csv
from pathlib import Path

from sqlalchemy import select

from lo_codebook.core.codebook import import_codebook
from lo_codebook.core.coding import import_codings
from lo_codebook.core.importing import import_survey
from lo_codebook.core.project import Project
from lo_codebook.core.suggest_service import STORE_SCORE, run_suggest
from lo_codebook.db.models import Code, Document, Suggestion
from lo_codebook.nlp.match import (
    DEFAULT_ACCEPT_SCORE,
    CodedExample,
    CodeSpec,
    DocumentInput,
    SuggestionEngine,
)

from .conftest import SAMPLE

SURVEY = SAMPLE / "survey" / "lo_enquete_qualtrics.csv"


def _f1(predicted: set[tuple[str, str]], gold: set[tuple[str, str]]) -> float:
    tp = len(predicted & gold)
    precision = tp / len(predicted) if predicted else 0.0
    recall = tp / len(gold) if gold else 0.0
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def _predicted(project: Project, documents: set[str]) -> set[tuple[str, str]]:
    with project.read() as session:
        rows = session.execute(
            select(Document.name, Code.name)
            .join(Suggestion, Suggestion.document_id == Document.id)
            .join(Code, Code.id == Suggestion.code_id)
            .where(Suggestion.score >= STORE_SCORE)
        ).all()
    return {(d, c) for d, c in rows if d in documents}


def test_codings_of_forty_respondents_improve_suggestions_for_the_rest(tmp_path: Path) -> None:
    """Every stored suggestion counts as a prediction (as a reviewer sees them)."""
    # A thin codebook (names only) leaves room to learn; the sample's full one finds nearly all.
    thin = tmp_path / "names_only.csv"
    with (
        (SAMPLE / "codebook.csv").open(encoding="utf-8") as src,
        thin.open("w", encoding="utf-8", newline="") as dst,
    ):
        writer = csv.writer(dst)
        writer.writerow(["name", "parent", "description", "keywords"])
        for row in csv.DictReader(src):
            writer.writerow([row["name"], row["parent"], "", ""])
    with (SAMPLE / "survey" / "gold.csv").open(encoding="utf-8") as handle:
        gold_rows = list(csv.DictReader(handle))
    with SURVEY.open(encoding="utf-8-sig", newline="") as handle:
        order = [r["ResponseId"] for r in list(csv.DictReader(handle))[2:]]
    first40, rest = set(order[:40]), set(order[40:])
    gold_rest = {(r["respondent_id"], r["code"]) for r in gold_rows if r["respondent_id"] in rest}

    def fresh(name: str) -> Project:
        project = Project.open(tmp_path / name, "anna")
        import_codebook(project, thin)
        import_survey(project, SURVEY, id_col="ResponseId", text_cols=["Q4"])
        return project

    cold = fresh("cold.db")
    run_suggest(cold)
    cold_f1 = _f1(_predicted(cold, rest), gold_rest)

    warm = fresh("warm.db")
    codings = tmp_path / "anna_first40.csv"
    with codings.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["respondent_id", "code"])
        writer.writerows(
            (r["respondent_id"], r["code"]) for r in gold_rows if r["respondent_id"] in first40
        )
    import_codings(warm, codings, coder="anna")
    report = run_suggest(warm)
    warm_f1 = _f1(_predicted(warm, rest), gold_rest)
    print(f"names-only codebook, respondents 41-133: cold F1 {cold_f1:.3f}, warm F1 {warm_f1:.3f}")
    assert report.by_method["learned"] > 0
    assert warm_f1 >= cold_f1 + 0.02


def test_phrase_tally_explains_away_and_counts_a_phrase_outside_the_code() -> None:
    """The counting behind learn(), on plain values: support only where the codebook did not
    already explain the coding; "not in C" counts documents that hold the phrase outside C."""
    from lo_codebook.nlp.learning import PhraseTally

    woo, other = ("woo",), ("x",)
    tally = PhraseTally({1, 2})
    # coded 1 and 2; code 2's keyword explains its coding, code 1's coding is unexplained
    tally.add(
        {1: [(0, 10)], 2: [(20, 30)]},
        [(woo, 2, 5), (other, 22, 25)],
        {2: [(20, 30)]},
        [(2, "kw", 21, 24, 95.0), (1, "Bad", 25, 28, 60.0)],
    )
    tally.add({1: [(0, 10)]}, [(woo, 2, 5)], {}, [])
    tally.add({2: [(0, 10)]}, [(woo, 40, 45)], {}, [])

    assert tally.support[1][woo] == 2
    assert other not in tally.support[2]  # explained by code 2's keyword
    assert tally.not_in(1, woo) == 1  # the third answer holds it outside code 1
    assert tally.calibration() == {(2, "kw"): (1, 0), (1, "bad"): (0, 1)}
    learned = tally.patterns(
        lang="nl",
        spread=None,
        factors={},
        min_documents=2,
        min_precision=0.6,
        min_z=-10.0,
        max_per_code=5,
    )
    assert [(p.code_id, p.phrase, p.documents) for p in learned] == [(1, "woo", 2)]


def test_a_weak_learned_phrase_is_offered_only_for_a_bare_code_name() -> None:
    """Below the accept score a learned phrase is a guess: worth showing where the codebook
    gives nothing but a name, not beside a code's own keywords and description."""
    rota = ["Het dienstrooster klopt nooit.", "Weer een fout in het dienstrooster."]
    rota += ["Dienstrooster is chaos.", "Het dienstrooster wisselt steeds."]
    filler = [f"De werkdruk is hoog, team {i}." for i in range(20)]
    filler += [f"Ik wil een cursus, locatie {i}." for i in range(20)]
    texts = {f"c{i}": t for i, t in enumerate(rota + filler)}
    documents = {k: DocumentInput(k, t, [], "survey") for k, t in texts.items()}

    def score_after_learning(rota_code: CodeSpec) -> float:
        engine = SuggestionEngine(
            [
                CodeSpec("wd", "Werkdruk", ["werkdruk"]),
                rota_code,
                CodeSpec("cu", "Cursussen", ["cursus"]),
            ]
        )
        marker = {"ro": "ienstrooster", "wd": "erkdruk", "cu": "ursus"}
        engine.learn(
            [
                CodedExample(k, code, 0, len(t))
                for k, t in texts.items()
                for code, part in marker.items()
                if part in t
            ],
            documents,
        )
        new = DocumentInput("n1", "Het dienstrooster is weer fout.", [], "survey")
        return max((s.score for s in engine.suggest([new]) if s.code_id == "ro"), default=0.0)

    assert DEFAULT_ACCEPT_SCORE > score_after_learning(CodeSpec("ro", "Indeling")) >= STORE_SCORE
    assert score_after_learning(CodeSpec("ro", "Indeling", ["planning"])) < STORE_SCORE


def test_a_term_right_in_one_coded_document_keeps_its_score_two_raise_it() -> None:
    """Calibration on the coded documents: one document coded with the code is co-occurrence
    and does not raise a term ("sergeant" in an answer coded for the line manager); two do.
    One document coded without the code already lowers it."""
    codes = [CodeSpec("tl", "Leiding", ["teamleider"]), CodeSpec("wd", "Werkdruk", ["werkdruk"])]
    new = DocumentInput("n", "Het teamleidersoverleg was kort.", [], "survey")

    def score_after(coded_as: list[str]) -> float:
        engine = SuggestionEngine(codes)
        texts = {
            f"r{i}": f"Het teamleidersoverleg ging over niets, week {i}."
            for i in range(len(coded_as))
        }
        texts.update({f"f{i}": f"De werkdruk is hoog, team {i}." for i in range(20)})
        documents = {k: DocumentInput(k, t, [], "survey") for k, t in texts.items()}
        code_of = {f"r{i}": c for i, c in enumerate(coded_as)}
        engine.learn(
            [CodedExample(k, code_of.get(k, "wd"), 0, len(t)) for k, t in texts.items()],
            documents,
        )
        return next(s.score for s in engine.suggest([new]) if s.code_id == "tl")

    cold = next(s.score for s in SuggestionEngine(codes).suggest([new]) if s.code_id == "tl")
    assert score_after(["tl"]) == cold
    assert score_after(["tl", "tl"]) > cold
    assert score_after(["wd"]) < cold


def test_a_term_too_weak_to_stand_alone_is_not_raised_by_the_coded_documents() -> None:
    """A term below the storing score survives only beside other evidence, so the coded
    documents saw it where that evidence carried it: being right there does not raise it.
    Being wrong still lowers it."""
    engine = SuggestionEngine([CodeSpec("tl", "Leiding", ["teamleider"])])
    engine._calibration = {("tl", "sergeant"): (5, 0), ("tl", "chef"): (0, 5)}
    assert engine._calibrated("tl", "sergeant", 40.0) == 40.0
    assert engine._calibrated("tl", "sergeant", 60.0) > 60.0
    assert engine._calibrated("tl", "chef", 40.0) < 40.0
