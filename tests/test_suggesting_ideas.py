"""The ideas every survey codes, however worded (`nlp/ideas.py`): "op het tandvlees" is workload."""

from __future__ import annotations

import pytest

from lo_codebook.core.suggest_service import evidence_label
from lo_codebook.nlp.idea_phrases import STAFF_IDEA_ANCHORS, STAFF_IDEA_EXPRESSIONS
from lo_codebook.nlp.language_data import (
    IDEA_ANCHORS,
    IDEA_EXPRESSIONS,
    PRESSURE_ANCHORS,
    PRESSURE_EXPRESSIONS,
)
from lo_codebook.nlp.match import CodeSpec, SuggestionEngine
from lo_codebook.nlp.more_phrases import MORE_IDEA_EXPRESSIONS, MORE_PRESSURE_EXPRESSIONS

from .helpers import suggested


@pytest.fixture(scope="module")
def dutch() -> SuggestionEngine:
    return SuggestionEngine(
        [
            CodeSpec("wd", "Werkdruk", ["hoge werkdruk"]),
            CodeSpec("pt", "Personeelstekort", ["vacatures"]),
            CodeSpec("ict", "ICT", ["laptop"]),
        ]
    )


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("We zitten echt op het tandvlees.", "wd"),
        ("Het is de hele dag rennen en vliegen.", "wd"),
        ("Er zijn gewoon te weinig handen op de afdeling.", "pt"),
        ("Door de krappe bezetting kan niemand weg.", "pt"),
    ],
)
def test_dutch_pressure_phrases_find_the_code_that_names_the_idea(dutch, text, code) -> None:
    assert set(suggested(dutch, text)) == {code}


def test_the_evidence_names_the_code_term_and_the_phrase(dutch) -> None:
    s = suggested(dutch, "We zitten echt op het tandvlees.")["wd"]
    assert evidence_label(s.method, s.pattern, s.evidence) == "keyword: Werkdruk (op het tandvlees)"


def test_a_denied_pressure_phrase_is_no_suggestion(dutch) -> None:
    assert "wd" not in suggested(dutch, "Te druk is het hier niet, geen probleem.")


def test_english_no_time_and_understaffing() -> None:
    engine = SuggestionEngine(
        [
            CodeSpec("time", "Protected learning time", ["study leave"]),
            CodeSpec("staff", "Staffing", ["rota"]),
        ],
        lang="en",
    )
    assert set(suggested(engine, "I never get round to the modules.")) == {"time"}
    assert set(suggested(engine, "We run on a skeleton crew most nights.")) == {"staff"}


def test_an_idea_two_codes_name_is_evidence_for_neither() -> None:
    engine = SuggestionEngine(
        [
            CodeSpec("wd", "Werkdruk", []),
            CodeSpec("wl", "Werklast en planning", []),
        ]
    )
    assert suggested(engine, "We zitten echt op het tandvlees.") == {}


def test_a_phrase_another_code_uses_is_left_to_that_code() -> None:
    engine = SuggestionEngine(
        [
            CodeSpec("pt", "Personeelstekort", []),
            CodeSpec("vz", "Verzuim", ["ziekteverzuim"]),
        ]
    )
    assert set(suggested(engine, "Het ziekteverzuim is hoog.")) == {"vz"}


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize(
    ("lists", "ideas", "at_least", "shortest"),
    [
        (PRESSURE_EXPRESSIONS, {"workload", "no_time", "understaffing"}, 25, 1),
        (MORE_PRESSURE_EXPRESSIONS, {"workload", "no_time", "understaffing"}, 100, 2),
        (MORE_IDEA_EXPRESSIONS, {"online", "career"}, 100, 2),
    ],
)
def test_every_idea_has_phrases_and_anchors(lang, lists, ideas, at_least, shortest) -> None:
    assert set(lists[lang]) == ideas
    assert ideas <= set(PRESSURE_ANCHORS[lang]) | set(IDEA_ANCHORS[lang])
    for phrases in lists[lang].values():
        assert len(phrases) >= at_least
        assert all(p == p.strip().lower() and shortest <= len(p.split()) <= 5 for p in phrases)


#: One code per idea the larger lists (`more_phrases`) add wordings to.
_MORE_CODES = {
    "nl": [
        ("wd", "Werkdruk"),
        ("tijd", "Geen tijd om te leren"),
        ("pt", "Bezetting"),
        ("online", "Online leren"),
        ("career", "Loopbaan"),
    ],
    "en": [
        ("wd", "Workload"),
        ("tijd", "Time to learn"),
        ("pt", "Staffing"),
        ("online", "Online learning"),
        ("career", "Career progression"),
    ],
}


@pytest.mark.parametrize(
    ("lang", "text", "code"),
    [
        ("nl", "Ik word geleefd.", "wd"),
        ("nl", "Dat zijn lange dagen, elke week.", "wd"),
        ("nl", "Scholing schiet er altijd bij in.", "tijd"),
        ("nl", "Collega's worden niet vervangen als ze weggaan.", "pt"),
        ("nl", "Weer een uur naar een scherm staren.", "online"),
        ("nl", "Ik zit al tien jaar in dezelfde schaal.", "career"),
        ("en", "Everyone is doing two jobs.", "wd"),
        ("en", "Training always comes last here.", "tijd"),
        ("en", "Our team has halved in two years.", "pt"),
        ("en", "It is all screen based training now.", "online"),
        ("en", "I've been stuck at the same grade for years.", "career"),
    ],
)
def test_more_phrases_find_the_code_that_names_the_idea(lang, text, code) -> None:
    engine = SuggestionEngine([CodeSpec(i, n, []) for i, n in _MORE_CODES[lang]], lang=lang)
    assert set(suggested(engine, text, threshold=50)) == {code}


@pytest.mark.parametrize(
    "text", ["Er is geen tekort aan collega's.", "Het is niet te druk, eerlijk gezegd."]
)
def test_a_negator_right_before_a_pressure_phrase_vetoes_it(dutch, text) -> None:
    assert suggested(dutch, text, threshold=50) == {}


def test_money_career_and_online_learning_are_found_however_worded() -> None:
    dutch = SuggestionEngine(
        [
            CodeSpec("geld", "Opleidingsbudget", ["budget"]),
            CodeSpec("loop", "Loopbaan", ["loopbaanbeleid"]),
        ]
    )
    assert set(suggested(dutch, "Die cursus is gewoon te duur.")) == {"geld"}
    assert set(suggested(dutch, "Ik zou graag willen doorstromen.")) == {"loop"}
    english = SuggestionEngine(
        [
            CodeSpec("cost", "Funding for training", ["training budget"]),
            CodeSpec("ol", "Online learning", ["webinar"]),
        ],
        lang="en",
    )
    assert set(suggested(english, "The courses I want are too expensive.")) == {"cost"}
    found = suggested(english, "Endless online modules on the intranet.", threshold=50)
    assert set(found) == {"ol"}


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_other_ideas_have_phrases_and_anchors(lang) -> None:
    assert set(IDEA_EXPRESSIONS[lang]) == set(IDEA_ANCHORS[lang]) == {"cost", "career", "online"}
    for phrases in IDEA_EXPRESSIONS[lang].values():
        assert len(phrases) >= 20
        assert all(p == p.strip().lower() and 1 <= len(p.split()) <= 5 for p in phrases)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Ik loop op mijn laatste benen, ik slaap er slecht van.", "welzijn"),
        ("Een bedankje kan er niet af bij ons.", "waardering"),
        ("Als nieuwe collega werd ik in het diepe gegooid.", "inwerken"),
        ("Ik werd vorige week weer uitgescholden aan de balie.", "agressie"),
        ("Het is alweer een reorganisatie dit jaar.", "reorg"),
    ],
)
def test_dutch_staff_ideas_find_the_code_that_names_them(text, code) -> None:
    engine = SuggestionEngine(
        [
            CodeSpec("welzijn", "Welzijn en stress", ["burn-out"]),
            CodeSpec("waardering", "Waardering", ["erkenning"]),
            CodeSpec("inwerken", "Inwerken", ["inwerkprogramma"]),
            CodeSpec("agressie", "Agressie", ["geweld"]),
            CodeSpec("reorg", "Reorganisatie", ["fusie"]),
        ]
    )
    assert set(suggested(engine, text)) == {code}


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Honestly I'm running on empty most weeks.", "wellbeing"),
        ("Nobody says thank you, ever.", "recognition"),
        ("There's a pay freeze again this year.", "pay"),
        ("I'd love more job shadowing with other teams.", "peers"),
        ("It's a revolving door, nobody stays.", "retention"),
    ],
)
def test_english_staff_ideas_find_the_code_that_names_them(text, code) -> None:
    engine = SuggestionEngine(
        [
            CodeSpec("wellbeing", "Staff wellbeing", ["burnout"]),
            CodeSpec("recognition", "Recognition", ["valued"]),
            CodeSpec("pay", "Pay", ["salary"]),
            CodeSpec("peers", "Peer learning", ["mentoring"]),
            CodeSpec("retention", "Retention", ["turnover"]),
        ],
        lang="en",
    )
    assert set(suggested(engine, text)) == {code}


def test_a_staff_idea_no_code_names_finds_nothing() -> None:
    engine = SuggestionEngine([CodeSpec("ict", "ICT en systemen", ["laptop"])])
    assert suggested(engine, "Ik werd vorige week weer uitgescholden aan de balie.") == {}


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_staff_ideas_have_anchors_and_no_phrase_in_two_lists(lang) -> None:
    assert set(STAFF_IDEA_EXPRESSIONS[lang]) == set(STAFF_IDEA_ANCHORS[lang])
    seen: set[str] = set()
    sources = (
        PRESSURE_EXPRESSIONS,
        MORE_PRESSURE_EXPRESSIONS,
        IDEA_EXPRESSIONS,
        MORE_IDEA_EXPRESSIONS,
        STAFF_IDEA_EXPRESSIONS,
    )
    for source in sources:
        for phrases in source[lang].values():
            assert all(p == p.strip().lower() and 1 <= len(p.split()) <= 7 for p in phrases)
            assert not seen & set(phrases)
            seen |= set(phrases)
    anchors = [a for group in STAFF_IDEA_ANCHORS[lang].values() for a in group]
    assert len(anchors) == len(set(anchors))
