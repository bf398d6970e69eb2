"""Praise is not a problem: a theme named in a clause that only says it is fine (`polarity`)."""

from __future__ import annotations

import pytest

from lo_codebook.nlp.match import (
    CodeSpec,
    SuggestionEngine,
)
from lo_codebook.nlp.polarity import praise_stance

from .helpers import suggested

NO_PRAISE_NL = (
    "Codeer knelpunten met de leidinggevende. Niet coderen: tevredenheid over de leidinggevende."
)
NO_PRAISE_EN = (
    "Code problems with the manager. Do not code: satisfied statements about the manager."
)


def found(engine: SuggestionEngine, text: str) -> set:
    return set(suggested(engine, text))


@pytest.fixture(scope="module")
def dutch() -> SuggestionEngine:
    return SuggestionEngine(
        [
            CodeSpec("lei", "Rol van de leidinggevende", ["leidinggevende"], None, NO_PRAISE_NL),
            CodeSpec(
                "ibt", "IBT", ["IBT"], None, "Niet coderen: uitspraken dat de IBT goed geregeld is."
            ),
            CodeSpec("ele", "E-learning", ["e-learning"]),  # says nothing about praise
        ]
    )


@pytest.fixture(scope="module")
def english() -> SuggestionEngine:
    return SuggestionEngine(
        [
            CodeSpec("man", "Line manager", ["manager"], None, NO_PRAISE_EN),
            CodeSpec("app", "Appraisal", ["appraisal"], None, "Appraisals, good or bad."),
            CodeSpec(
                "wl", "Workload", ["caseload"], None, "Do not code: statements that it is fine."
            ),
        ],
        lang="en",
    )


@pytest.mark.parametrize(
    "text",
    [
        "Mijn leidinggevende is super, denkt mee en regelt alles.",
        "Geen klachten over de werkdruk. Mijn leidinggevende stimuleert cursussen.",
        "Te weinig tijd, maar mijn leidinggevende is top.",  # praise after a contrast word
    ],
)
def test_dutch_praise_of_a_theme_the_codebook_excludes_is_not_suggested(dutch, text):
    assert "lei" not in found(dutch, text)


@pytest.mark.parametrize(
    "text",
    [
        "Mijn leidinggevende geeft te weinig ruimte.",
        "Mijn leidinggevende is niet goed.",  # a negated evaluation
        "Mijn leidinggevende is goed, maar geeft geen tijd voor cursussen.",  # a concession
        "Mijn leidinggevende is super zolang ik mijn diensten draai.",
        "Het zou fijn zijn als mijn leidinggevende meedenkt.",  # a wish
        "Mijn leidinggevende werkt goed mee, meer daarvan.",
    ],
)
def test_dutch_problems_wishes_and_concessions_stay(dutch, text):
    assert "lei" in found(dutch, text)


def test_a_full_stop_glued_to_a_word_still_ends_the_praising_sentence(dutch):
    # the tokenizer keeps "top." together; the wish in the next sentence is about something else
    text = "IBT prima, trainers zijn top. Wat ik mis is meer aandacht voor verwarde personen."
    assert "ibt" not in found(dutch, text)
    assert "ibt" in found(dutch, "IBT prima, maar te weinig uren.")


def test_praise_counts_only_where_the_codebook_excludes_it(dutch):
    assert "ele" in found(dutch, "Ik vind de e-learning eigenlijk best handig.")


@pytest.mark.parametrize(
    "text",
    [
        "My manager is great and very supportive.",
        "My manager is brilliant and very helpful.",
    ],
)
def test_english_praise_of_a_theme_the_codebook_excludes_is_not_suggested(english, text):
    assert "man" not in found(english, text)


@pytest.mark.parametrize(
    "text",
    [
        "My manager is great, but never has time for my appraisal.",
        "My manager should be more supportive.",
        "My manager is not supportive at all.",
        "There is too little support from my manager.",
    ],
)
def test_english_problems_wishes_and_concessions_stay(english, text):
    assert "man" in found(english, text)


def test_each_clause_is_read_on_its_own(english):
    assert "wl" not in found(english, "Good manager, flexible working, reasonable caseload.")
    assert "wl" in found(english, "Good manager, flexible working, caseload too high.")


def test_a_code_for_good_and_bad_alike_keeps_praise(english):
    assert "app" in found(english, "My appraisal was great and useful.")


@pytest.mark.parametrize(
    ("description", "lang", "stance"),
    [
        (NO_PRAISE_NL, "nl", "excluded"),
        ("Niet coderen: uitspraken dat de werkdruk meevalt.", "nl", "excluded"),
        ("Niet coderen: een gevolgde training zonder verdere behoefte.", "nl", "excluded"),
        ("Do not code: statements that IT is fine.", "en", "excluded"),
        ("Code how the manager supports or blocks them, good or bad.", "en", "included"),
        ("Codeer als de respondent tevreden is over het werk.", "nl", "silent"),  # inclusion
        ("", "nl", "silent"),
    ],
)
def test_praise_stance_of_a_description(description, lang, stance):
    assert praise_stance(description, lang) == stance


@pytest.mark.parametrize(
    ("text", "denied"),
    [
        ("E-learning genoeg hoor.", True),  # the description says nothing about praise
        ("E-learnings krijgen we voldoende, tijd niet.", True),
        ("Niet genoeg e-learning.", False),
        ("Ik zou graag genoeg e-learning willen.", False),  # a wish
        ("E-learning is er genoeg, alleen zijn ze saai.", False),  # a concession
    ],
)
def test_there_being_enough_of_a_theme_denies_it_whatever_the_description(dutch, text, denied):
    assert ("ele" not in found(dutch, text)) is denied


@pytest.mark.parametrize(
    ("text", "denied"),
    [
        ("We get plenty of appraisals.", True),  # even where the codebook codes good and bad
        ("Not enough appraisals.", False),
    ],
)
def test_english_enough_denies_a_lack(english, text, denied):
    assert ("app" not in found(english, text)) is denied
