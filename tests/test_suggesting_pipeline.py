"""The cached spaCy pipeline: lookup lemmas, tokenizer, sentencizer, no downloads."""

from __future__ import annotations

import random

import pytest
import spacy
from spacy.pipeline import Sentencizer

from lo_codebook.nlp.pipeline import (
    PipelineError,
    get_pipeline,
    lemma_tables,
    lemmatize_words,
)


@pytest.fixture(scope="module")
def nl():
    return get_pipeline("nl")


def lemmas(nlp, text: str) -> dict[str, str]:
    return {t.text: t.lemma_ for t in nlp(text)}


def test_pipeline_is_cached_and_blank(nl):
    assert get_pipeline("nl") is nl
    assert get_pipeline("NL") is nl
    assert nl.pipe_names == ["sentencizer", "lemmatizer"]
    assert nl.get_pipe("lemmatizer").mode == "lookup"


@pytest.mark.parametrize(
    ("word", "lemma"),
    [
        ("gemeenten", "gemeente"),  # from lemma_exc (noun)
        ("werd", "worden"),  # from lemma_exc (verb), a stop word of the verb paradigm
        ("geleerd", "leren"),  # participle -> infinitive
        ("medewerkers", "medewerker"),  # lemma_lookup
        ("vaardigheden", "vaardigheid"),
        ("Trainingen", "training"),  # looked up lower-cased
    ],
)
def test_dutch_lookup_lemmas(nl, word, lemma):
    assert lemmas(nl, f"De {word} hier")[word] == lemma


def test_all_forms_of_a_word_share_one_lemma(nl):
    # the exception table maps leidinggevenden -> leidinggevende, the lookup table
    # leidinggevende -> leidinggeven: chains are followed, so keywords and text agree
    got = lemmas(nl, "leidinggevenden leidinggevende geleerde geleerd")
    assert got["leidinggevenden"] == got["leidinggevende"]
    assert got["geleerde"] == got["geleerd"] == "leren"


def test_exceptions_do_not_turn_lemmas_or_function_words_into_nonsense(nl):
    got = lemmas(nl, "werken niet veel tegen")
    assert got == {"werken": "werken", "niet": "niet", "veel": "veel", "tegen": "tegen"}


def test_lemma_tables_know_words():
    tables = lemma_tables("nl")
    assert "gemeente" in tables.lexicon and "gemeenten" in tables.lookup
    assert "omgevingwet" not in tables.lexicon


def test_tokenizer_splits_hyphen_and_slash_compounds(nl):
    words = [t.text for t in nl("Woo-verzoeken, AI/ChatGPT en e-learning; https://x.nl/a/b")]
    assert words[:3] == ["Woo", "-", "verzoeken"]
    assert words[4:7] == ["AI", "/", "ChatGPT"]
    assert "https://x.nl/a/b" in words


def test_line_breaks_end_sentences(nl):
    doc = nl("- Omgevingswet\n- Woo\n- informatieveiligheid. Verder niets")
    assert [s.text.strip(" -\n") for s in doc.sents] == [
        "Omgevingswet",
        "Woo",
        "informatieveiligheid.",
        "Verder niets",
    ]


def test_fast_sentencizer_equals_spacy_sentencizer(nl):
    ref = spacy.blank("nl")
    chars = list(Sentencizer.default_punct_chars) + ["\n", "\n\n", "\n\n\n", " \n", "\n "]
    ref.add_pipe("sentencizer", config={"punct_chars": chars})
    rng = random.Random(3)
    vocab = ["a", "b", ".", "!", "?", '"', "-", "(", ")", "\n", "\n\n", "Woo", ",", "..."]
    for _ in range(500):
        text = " ".join(rng.choice(vocab) for _ in range(rng.randint(1, 15)))
        ours = [s.text for s in nl(text).sents]
        theirs = [s.text for s in ref(nl.make_doc(text)).sents]
        assert ours == theirs, text


def test_english_pipeline():
    en = get_pipeline("en")
    got = lemmas(en, "Trainings were given to the managers in training")
    assert got["Trainings"] == got["training"]
    assert got["managers"] == "manager"
    assert got["were"] == "be"


def test_lemmatize_words(nl):
    assert lemmatize_words(nl, ["Gemeenten", "vaardigheden"]) == ["gemeente", "vaardigheid"]


def test_missing_trained_pipeline_is_an_error_never_a_download():
    with pytest.raises(PipelineError, match="not installed"):
        get_pipeline("nl", "nl_core_news_does_not_exist")
