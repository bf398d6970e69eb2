"""Inductive theme discovery: key phrases by documents, variants grouped."""

from __future__ import annotations

from lo_codebook.nlp.discover import ThemeCandidate, discover
from lo_codebook.nlp.match import DocumentInput

ANSWERS = [
    "Vitaliteit en werkdruk",
    "vitalitiet, hoge werkdruk",
    "Meer aandacht voor Vitaliteit.",
    "De hoge werkdruk bij de buitendienst",
    "Hybride werken",
    "hybride werken en de Omgevingswet",
    "Omgevingswet",
    "samen werken in de regio",
    "Werken, werken, werken.",
    "Daarnaast goed werkgeverschap",
]


def docs() -> list[DocumentInput]:
    return [DocumentInput(f"r{i}", t, [], "survey") for i, t in enumerate(ANSWERS)]


def by_label(cands: list[ThemeCandidate]) -> dict[str, ThemeCandidate]:
    return {c.label: c for c in cands}


def test_discover_groups_spelling_variants_and_longer_phrases():
    cands = by_label(discover(docs()))
    vit = cands["vitaliteit"]
    assert set(vit.phrases) == {"vitaliteit", "vitalitiet"}
    assert vit.documents == 3
    work = next(c for c in cands.values() if "werkdruk" in c.phrases)
    assert "hoog werkdruk" in work.phrases and work.documents == 3
    assert work.examples and all(isinstance(q, str) for q in work.examples)


def test_generic_words_do_not_swallow_phrases():
    cands = discover(docs())
    werken = [c for c in cands if "werken" in c.phrases]
    assert all("hybride werken" not in c.phrases for c in werken)
    assert not any(c.label in {"daarnaast", "goed"} for c in cands)


def test_above_keeps_more_than_n_and_sorts_by_documents():
    cands = discover(docs(), above=2)
    assert cands and all(c.documents > 2 for c in cands)
    assert [c.documents for c in cands] == sorted((c.documents for c in cands), reverse=True)


def test_exclude_keywords_finds_what_the_codebook_lacks():
    labels = {c.label for c in discover(docs(), exclude_keywords=["vitaliteit", "Omgevingswet"])}
    assert "vitaliteit" not in labels and "omgevingswet" not in labels
    assert any("werkdruk" in label for label in labels)


def test_discover_english():
    texts = ["Remote work and leadership", "remote work", "Leadership training", "leadersip"]
    cands = discover([DocumentInput(i, t, [], "survey") for i, t in enumerate(texts)], lang="en")
    lead = next(c for c in cands if "leadership" in c.phrases)
    assert lead.documents == 3


# Newcomer trial: the candidates began with filler, and two different words became one.
FILLER_ANSWERS = [
    "Eh, de mensen vinden de werkdruk heel lastig (lacht).",
    "Twee of drie mensen, eh, over werkdruk. Veranderen is heel lastig.",
    "Vijf mensen noemen werkdruk; vergaderen kost tijd. (lacht)",
    "Eh, heel lastig: veranderen en vergaderen, twee dingen.",
    "Drie keer vergaderen per week, vijf keer veranderen, werkdruk.",
    "Werkdruk, vitaliteit en de mensen. Twintig collega's lachen.",
]


def filler_docs() -> list[DocumentInput]:
    return [DocumentInput(f"f{i}", t, [], "survey") for i, t in enumerate(FILLER_ANSWERS)]


def test_filler_numerals_evaluations_and_people_are_no_candidates():
    cands = discover(filler_docs())
    words = {w for c in cands for p in [c.label, *c.phrases] for w in p.split()}
    for filler in (
        "mensen",
        "mens",
        "twee",
        "drie",
        "vijf",
        "twintig",
        "eh",
        "lastig",
        "heel",
        "helen",
        "lacht",
        "lachen",
        "collega",
        "keer",
        "dingen",
    ):
        assert filler not in words, (filler, [(c.label, c.phrases) for c in cands])
    assert "werkdruk" in {c.label for c in cands}


def test_two_different_dictionary_words_are_never_merged():
    cands = discover(filler_docs())
    groups = [set(c.phrases) for c in cands]
    assert {"veranderen"} in groups and {"vergaderen"} in groups
    # spelling variants and typos still group (vitaliteit / vitalitiet in the first test)


def test_heel_is_not_lemmatised_to_helen():
    from lo_codebook.nlp.discover import discovery_lemma
    from lo_codebook.nlp.pipeline import get_pipeline

    nlp = get_pipeline("nl")
    lemma = discovery_lemma("nl")
    assert [lemma(t) for t in nlp("heel veel geld voor beleid, de mensen en gemeenten")] == [
        "heel",
        "veel",
        "geld",
        "voor",
        "beleid",
        ",",
        "de",
        "mens",
        "en",
        "gemeente",
    ]
