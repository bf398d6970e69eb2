"""Lack expressions as one class: "geen tijd" also finds "te weinig tijd", "tijd ontbreekt"."""

from __future__ import annotations

import pytest

from lo_codebook.core.suggest_service import evidence_label
from lo_codebook.nlp.lack import things_of
from lo_codebook.nlp.match import CodeSpec, SuggestionEngine
from lo_codebook.nlp.pipeline import get_pipeline

from .helpers import suggested

NL_CODES = [
    CodeSpec("tijd", "Tijd en bezetting", ["geen tijd"], description="Ook: personeelstekort."),
    CodeSpec("ict", "ICT", ["laptop"]),
]
EN_CODES = [
    CodeSpec("load", "Workload", ["no time"]),
    CodeSpec("rec", "Recruitment", ["staff shortages"]),
]


@pytest.fixture(scope="module")
def nl() -> SuggestionEngine:
    return SuggestionEngine(NL_CODES, "nl")


@pytest.fixture(scope="module")
def en() -> SuggestionEngine:
    return SuggestionEngine(EN_CODES, "en")


found = suggested


@pytest.mark.parametrize(
    ("text", "evidence"),
    [
        ("Gebrek aan tijd en mensen.", "Gebrek aan tijd"),
        ("te weinig tijd", "te weinig tijd"),
        ("Te weinig collega's dus nooit tijd voor de leuke dingen", "nooit tijd"),
        ("Tijd. Meer tijd.", "Meer tijd"),
        ("onvoldoende tijd", "onvoldoende tijd"),
        ("De tijd is er niet.", "tijd is er niet"),
        ("Tijd is schaars bij ons", "Tijd is schaars"),
        ("Chronisch tijdgebrek", "tijdgebrek"),
    ],
)
def test_dutch_lack_of_a_keyword_thing(nl, text, evidence):
    got = found(nl, text)
    assert "tijd" in got
    assert got["tijd"].evidence == evidence
    label = evidence_label(got["tijd"].method, got["tijd"].pattern, got["tijd"].evidence)
    assert label == f"keyword: geen tijd ({evidence})"


@pytest.mark.parametrize(
    "text",
    ["Er is een tekort aan personeel.", "Het personeel ontbreekt.", "Te weinig mensen."],
)
def test_dutch_lack_of_a_description_thing(nl, text):
    got = found(nl, text)
    assert "tijd" in got and got["tijd"].method == "description"


@pytest.mark.parametrize(
    "text",
    [
        "Tijd is geen probleem.",
        "Er is geen gebrek aan tijd.",
        "Tijd is niet schaars.",
        "Ik ben meer tijd kwijt aan vergaderen.",
        "We hebben veel tijd.",
        "Geen. Tijd zat.",
    ],
)
def test_dutch_no_lack(nl, text):
    assert "tijd" not in found(nl, text)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("not enough time", "load"),
        ("Lack of time, mostly.", "load"),
        ("too little time", "load"),
        ("There isn't enough time.", "load"),
        ("More time.", "load"),
        ("We are short of staff", "rec"),
        ("Not enough people on the ward", "rec"),
        ("staff are scarce", "rec"),
    ],
)
def test_english_lack(en, text, code):
    assert code in found(en, text)


@pytest.mark.parametrize(
    "text", ["Time is not a problem.", "There is no shortage of staff.", "I spend more time on it."]
)
def test_english_no_lack(en, text):
    assert not found(en, text)


def test_things_of_terms():
    nlp, en_nlp = get_pipeline("nl"), get_pipeline("en")
    assert things_of(nlp, "nl", "te weinig tijd is om opleidingen te volgen") == [("tijd",)]
    assert things_of(nlp, "nl", "personeelstekort") == [("personeel",)]
    assert things_of(nlp, "nl", "geen idee") == []
    assert things_of(nlp, "nl", "vitaliteit") == []
    assert things_of(en_nlp, "en", "staff shortages") == [("staff",)]
    assert things_of(en_nlp, "en", "lack of career progression") == [("career", "progression")]
    assert things_of(en_nlp, "en", "no problem") == []


def test_a_thing_at_the_very_end_of_the_text(nl):
    """The words after a thing are looked for within its sentence, not past the text."""
    assert "tijd" not in found(nl, "Het gaat om tijd")
    assert "tijd" in found(nl, "Tijd ontbreekt")
