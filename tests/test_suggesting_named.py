"""A code-name word standing alone as what a sentence is about ("Tijd.", "Time, mainly.";
`nlp/named.py`)."""

from __future__ import annotations

import pytest

from lo_codebook.core.suggest_service import STORE_SCORE
from lo_codebook.nlp.engine_types import DEFAULT_ACCEPT_SCORE
from lo_codebook.nlp.match import CodeSpec, SuggestionEngine
from lo_codebook.nlp.named import name_words

from .helpers import suggested


@pytest.fixture(scope="module")
def dutch() -> SuggestionEngine:
    return SuggestionEngine(
        [
            CodeSpec("tw", "Tijd en werkdruk", ["werkdruk", "geen tijd"]),
            CodeSpec("el", "E-learning", ["e-learning"]),
        ]
    )


@pytest.fixture(scope="module")
def english() -> SuggestionEngine:
    return SuggestionEngine(
        [
            CodeSpec("wt", "Workload and time", ["workload", "no time"]),
            CodeSpec("rel", "Relevance of training", ["relevant"]),
        ],
        lang="en",
    )


@pytest.mark.parametrize(
    "text",
    [
        "Tijd.",
        "Tijd, tijd, tijd.",
        "Het grootste probleem is tijd.",
        "Vooral tijd!",
        "Niet genoeg tijd.",  # negated plenty is a lack
        "Meer tijd.",  # a wish, not plenty ("meer" has the lemma "veel")
    ],
)
def test_a_name_word_alone_names_its_code(dutch, text) -> None:
    assert suggested(dutch, text, DEFAULT_ACCEPT_SCORE).keys() == {"tw"}


@pytest.mark.parametrize(
    "text",
    [
        "We beginnen altijd op tijd met de training.",  # other content words: another sense
        "Tijd is bij ons geen probleem.",  # denied
        "Er is geen gebrek aan tijd.",  # a negator in the sentence
        "We hebben veel tijd.",  # plenty
    ],
)
def test_a_name_word_among_other_words_or_denied_is_no_suggestion(dutch, text) -> None:
    assert "tw" not in suggested(dutch, text, STORE_SCORE)


def test_english_name_words(english) -> None:
    assert suggested(english, "Time, mainly.", DEFAULT_ACCEPT_SCORE).keys() == {"wt"}
    assert suggested(english, "Training hasn't kept up.", STORE_SCORE) == {}


def test_name_words_are_conjuncts_of_one_code_only() -> None:
    dutch = [
        CodeSpec("a", "Tijd en werkdruk", []),
        CodeSpec("b", "Tijd of geld", []),
        CodeSpec("d", "Rooster, planning", []),
    ]
    stop = {"of", "en"}
    assert name_words(dutch, "nl", stop) == {  # "tijd" is in two names: it names neither
        "werkdruk": "a",
        "geld": "b",
        "rooster": "d",
        "planning": "d",
    }
    english = [CodeSpec("c", "Relevance of training", []), CodeSpec("e", "Pay or time", [])]
    # "of" joins no conjuncts in English
    assert name_words(english, "en", stop) == {"pay": "e", "time": "e"}
