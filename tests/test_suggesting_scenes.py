"""A definition's scenes: two words of one list item in one sentence, in any order ("taken
van vertrokken collega's erbij" found in "de taken van collega's die vertrokken zijn";
`nlp/cooccur.py`)."""

from __future__ import annotations

import pytest

from lo_codebook.core.suggest_service import STORE_SCORE, evidence_label
from lo_codebook.nlp.cooccur import item_pairs
from lo_codebook.nlp.match import SuggestionEngine

from .helpers import suggested, workload_scene_engine


@pytest.fixture(scope="module")
def dutch() -> SuggestionEngine:
    return workload_scene_engine()


def test_two_words_of_one_item_in_a_sentence_in_any_order_suggest_its_code(dutch) -> None:
    found = suggested(dutch, "De taken van collega's die vertrokken zijn komen nu bij ons.", 0)
    assert set(found) == {"wd"}
    s = found["wd"]
    assert STORE_SCORE <= s.score < 70  # corroborates: stored, not sure
    label = evidence_label(s.method, s.pattern, s.evidence)
    assert label == "description: taken van vertrokken collega's erbij (taken)"


@pytest.mark.parametrize(
    "text",
    [
        "Mijn taken zijn leuk.",  # one word of the pair
        "Collega's zijn vertrokken. De taken blijven liggen.",  # two sentences
    ],
)
def test_one_word_or_two_sentences_suggest_nothing(dutch, text) -> None:
    assert suggested(dutch, text, 0) == {}


def test_a_denied_scene_stays_below_the_storing_score(dutch) -> None:
    text = "De taken van vertrokken collega's komen er niet bij, dat valt mee."
    assert "wd" not in suggested(dutch, text, STORE_SCORE)


def test_a_pair_two_codes_share_is_no_evidence() -> None:
    items = [
        (
            "a",
            "taken van vertrokken collega's",
            ["taken", "van", "vertrokken", "collega's"],
            ["taken", "van", "vertrekken", "collega"],
        ),
        ("b", "vertrokken collega's", ["vertrokken", "collega's"], ["vertrekken", "collega"]),
    ]
    pairs = item_pairs("nl", items, {"van"})
    assert ("collega", "vertrekken") not in pairs
    assert pairs[("taken", "vertrekken")][0] == "a"


def test_common_words_alone_make_no_pair() -> None:
    items = [("a", "werk en mensen", ["werk", "en", "mensen"], ["werk", "en", "mens"])]
    assert item_pairs("nl", items, {"en"}) == {}
