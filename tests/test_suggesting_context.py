"""Weak evidence beside a sure match of another code is context, not topic (`Resolver.explain_away`)."""

from __future__ import annotations

import pytest

from lo_codebook.core.suggest_service import STORE_SCORE
from lo_codebook.nlp.definitions import defers_to_topics
from lo_codebook.nlp.match import CodeSpec, DocumentInput, SuggestionEngine

from .helpers import suggested

FILLER = [
    "Meer tijd voor opleidingen graag.",
    "Goede collega's.",
    "Het rooster is vol.",
    "Ik wil een cursus doen.",
] * 20
FILLER_EN = [
    "More time for courses please.",
    "Good colleagues.",
    "The rota is full.",
    "I would like to do a course.",
] * 20


def stored(engine: SuggestionEngine, texts: list[str], filler: list[str]) -> list[set[str]]:
    """Per text, the codes that would be stored as suggestions (the corpus observed first,
    as `suggest` does, so that a description word's rarity is known)."""
    docs = [DocumentInput(f"d{i}", t, [], "survey") for i, t in enumerate(texts)]
    engine.observe(docs + [DocumentInput(f"f{i}", t, [], "survey") for i, t in enumerate(filler)])
    out: list[set[str]] = [set() for _ in texts]
    for s in engine.suggest(docs):
        if s.score >= STORE_SCORE:
            out[int(s.document_id[1:])].add(s.code_id)
    return out


@pytest.fixture()
def dutch() -> SuggestionEngine:
    return SuggestionEngine(
        [
            CodeSpec("wd", "Werkdruk", ["werkdruk"]),
            CodeSpec(
                "ict",
                "Digitale middelen",
                ["ICT"],
                None,
                "Codeer als de respondent klaagt over laptops, wifi of het intranet.",
            ),
        ]
    )


def test_a_description_word_beside_another_codes_keyword_is_not_suggested(dutch) -> None:
    alone, beside, next_sentence, after_but = stored(
        dutch,
        [
            "De wifi valt steeds weg.",
            "De werkdruk is hoog en de wifi valt steeds weg.",
            "De werkdruk is hoog. De wifi valt steeds weg.",
            "De werkdruk is hoog, maar de wifi valt steeds weg.",
        ],
        FILLER,
    )
    assert alone == {"ict"}
    assert beside == {"wd"}  # the weak word is read as part of the workload complaint
    assert next_sentence == {"wd", "ict"}  # a sentence of its own keeps it
    assert after_but == {"wd", "ict"}  # so does a clause after a contrast word


def test_two_sure_codes_in_one_sentence_both_stay() -> None:
    engine = SuggestionEngine(
        [
            CodeSpec("wl", "Workload", ["workload"]),
            CodeSpec("it", "IT equipment", ["laptop"]),
        ],
        lang="en",
    )
    (both,) = stored(engine, ["The workload is high and my laptop is ancient."], FILLER_EN)
    assert both == {"wl", "it"}


FRAME_EN = (
    "Code when the respondent criticises the training offer in general: budgets, quality of "
    "courses. Do not code: a wish for training on a specific topic in the codebook: code that "
    "topic instead."
)
FRAME_NL = (
    "Codeer bij kritiek op het opleidingsaanbod in het algemeen. Niet coderen: een wens voor "
    "scholing over een specifiek onderwerp: codeer dan dat onderwerp."
)


@pytest.mark.parametrize(
    ("description", "lang", "frame"),
    [
        (FRAME_EN, "en", True),
        (FRAME_NL, "nl", True),
        (
            "Codeer als de respondent het oefenen noemt. Niet coderen: een kenniswens over een "
            "onderwerp met een eigen code; codeer dan alleen dat thema.",
            "nl",
            True,
        ),
        (
            "Code when the respondent wants more training. Do not code: satisfied staff.",
            "en",
            False,
        ),
        # a topic named in the inclusion part is not a hand-over
        ("Code training on a specific topic such as first aid.", "en", False),
    ],
)
def test_a_description_that_hands_topics_to_their_codes_is_read(description, lang, frame) -> None:
    assert defers_to_topics(description, lang) is frame


def test_a_frame_code_yields_to_the_topic_it_is_about() -> None:
    engine = SuggestionEngine(
        [
            CodeSpec("cpd", "Training and CPD", ["training", "course"], None, FRAME_EN),
            CodeSpec("ai", "AI and digital tools", ["AI tools"]),
            CodeSpec("wl", "Workload", ["workload"]),
        ],
        lang="en",
    )
    topic, general, apart, before = stored(
        engine,
        [
            "Would be good to have some training on AI tools.",
            "The training budget was cut again.",
            "AI tools are everywhere. We need a proper training budget.",
            "Less workload, and training that is not online.",
        ],
        FILLER_EN,
    )
    assert topic == {"ai"}
    assert general == {"cpd"}
    assert apart == {"ai", "cpd"}  # separate sentences: two themes
    # a theme named earlier in the clause is not what the training is about
    assert before == {"wl", "cpd"}


def test_an_english_ing_keyword_is_not_its_verb_or_noun_stem() -> None:
    engine = SuggestionEngine(
        [
            CodeSpec("st", "Workload and staffing", ["staffing", "short-staffed"]),
            CodeSpec("pay", "Pay and banding", ["banding"]),
        ],
        lang="en",
    )
    found = [
        set(suggested(engine, text))
        for text in (
            "Staffing is the real problem.",
            "There is no progression for admin staff.",
            "I'm a band 6 nurse.",
            "Banding reviews never happen.",
        )
    ]
    assert found == [{"st"}, set(), set(), {"pay"}]
