"""The built-in thesaurus: a term with a synonym of the domain in place of one of its words."""

from __future__ import annotations

import pytest

from lo_codebook.core.suggest_service import evidence_label
from lo_codebook.nlp.match import DEFAULT_ACCEPT_SCORE, CodeSpec, SuggestionEngine

from .helpers import suggested

NL_CODES = [
    CodeSpec("budget", "Opleidingsbudget", ["opleidingsbudget"]),
    CodeSpec("leiding", "Rol van de leidinggevende", ["leidinggevende"]),
    CodeSpec("druk", "Werkdruk", ["werkdruk"]),
]
EN_CODES = [
    CodeSpec("budget", "Training budget", ["training budget"]),
    CodeSpec("manager", "Support at work", ["line manager support"]),
    CodeSpec("load", "Workload", ["workload"]),
]


@pytest.fixture(scope="module")
def nl() -> SuggestionEngine:
    return SuggestionEngine(NL_CODES, "nl")


@pytest.fixture(scope="module")
def en() -> SuggestionEngine:
    return SuggestionEngine(EN_CODES, "en")


def found(engine: SuggestionEngine, text: str) -> dict:
    return suggested(engine, text, threshold=0.0)


#: The keyword each code is found by, in the evidence label ("keyword: term (words found)").
TERMS = {
    ("nl", "budget"): "opleidingsbudget",
    ("en", "budget"): "training budget",
    ("en", "manager"): "line manager support",
}


@pytest.mark.parametrize(
    ("lang", "code", "text", "words"),
    [
        ("nl", "budget", "Het trainingsbudget is op.", "trainingsbudget"),
        ("nl", "budget", "Het cursusbudget is op.", "cursusbudget"),
        ("nl", "budget", "Het opleidingsgeld is op.", "opleidingsgeld"),
        ("nl", "budget", "Geen geld voor trainingen.", "geld voor trainingen"),
        ("nl", "budget", "Te weinig budget voor cursussen.", "budget voor cursussen"),
        ("en", "budget", "The course budget was cut.", "course budget"),
        ("en", "budget", "No money for courses.", "money for courses"),
        ("en", "manager", "My supervisor support is lacking.", "supervisor support"),
    ],
)
def test_term_with_a_synonym_in_its_context_is_a_coding(
    request: pytest.FixtureRequest, lang: str, code: str, text: str, words: str
) -> None:
    """The term's other words (or compound part) keep its context: a coding."""
    s = found(request.getfixturevalue(lang), text)[code]
    assert s.score >= DEFAULT_ACCEPT_SCORE
    label = evidence_label(s.method, s.pattern, s.evidence).casefold()
    assert label == f"keyword: {TERMS[lang, code]} ({words})"


def test_dutch_lone_synonym_is_a_suggestion_below_the_accept_score(nl: SuggestionEngine) -> None:
    got = found(nl, "Mijn manager steunt mij niet.")
    s = got["leiding"]
    assert 50 <= s.score < DEFAULT_ACCEPT_SCORE
    assert evidence_label(s.method, s.pattern, s.evidence) == "keyword: leidinggevende (manager)"
    assert found(nl, "De drukte op de afdeling is enorm.")["druk"].score < DEFAULT_ACCEPT_SCORE


def test_common_synonym_scores_lower_than_a_rare_one(nl: SuggestionEngine) -> None:
    rare = found(nl, "Mijn teamchef steunt mij niet.")["leiding"].score
    common = found(nl, "Mijn baas steunt mij niet.")["leiding"].score
    assert common < rare < DEFAULT_ACCEPT_SCORE


def test_lone_synonym_used_by_another_code_says_nothing() -> None:
    """'cursus' is the Aanbod code's own word: it is no evidence for the Training code, and
    with training words in two codes, a 'workshop' tells neither apart."""
    engine = SuggestionEngine(
        [
            CodeSpec("training", "Training", ["training"]),
            CodeSpec("aanbod", "Aanbod", ["cursus"]),
        ],
        "nl",
    )
    got = found(engine, "Een cursus over gesprekstechniek zou helpen.")
    assert set(got) == {"aanbod"}
    assert not found(engine, "Een workshop zou helpen.")


def test_english_lone_synonym_is_below_the_accept_score(en: SuggestionEngine) -> None:
    s = found(en, "My caseload has doubled.")["load"]
    assert 50 <= s.score < DEFAULT_ACCEPT_SCORE
    assert (
        evidence_label(s.method, s.pattern, s.evidence).casefold() == "keyword: workload (caseload)"
    )


def test_abbreviation_synonym_is_matched_as_written() -> None:
    """'AI' stands for 'generative AI', but 'ai' is no word of "ain't" (lemma 'have')."""
    engine = SuggestionEngine([CodeSpec("ai", "Generative AI", ["generative AI"])], "en")
    assert "ai" in found(engine, "AI tools write the essays now.")
    assert not found(engine, "It's hard, I have had no time.")
