"""Lemma n-grams of content words: what learning counts."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from spacy.attrs import IS_PUNCT, IS_SPACE, IS_STOP
from spacy.language import Language
from spacy.tokens import Doc, Token

from .language_data import _WORDLIKE

# --------------------------------------------------------------------------- n-grams


def content_ngrams(
    sdoc: Doc, nlp: Language, max_n: int = 3, lemma_of: Callable[[Token], str] | None = None
) -> Iterator[tuple[tuple[str, ...], int, int]]:
    """Lemma 1..max_n-grams of consecutive content words (no stop words, punctuation, numbers),
    never across a sentence boundary: (lemmas, start char, end char) in `sdoc`. `lemma_of`
    replaces the pipeline's lemma (discovery corrects a few)."""
    if not len(sdoc):
        return
    arr = sdoc.to_array([IS_STOP, IS_PUNCT, IS_SPACE])
    run: list[tuple[str, int, int]] = []
    for i, tok in enumerate(sdoc):
        stop, punct, space = arr[i]
        lemma = lemma_of(tok) if lemma_of is not None else (tok.lemma_ or tok.lower_).lower()
        good = (
            not (stop or punct or space)
            and _WORDLIKE.match(lemma) is not None
            and lemma not in nlp.Defaults.stop_words
        )
        if tok.is_sent_start and run:
            yield from _grams(run, max_n)
            run = []
        if good:
            run.append((lemma, tok.idx, tok.idx + len(tok.text)))
        elif run:
            yield from _grams(run, max_n)
            run = []
    if run:
        yield from _grams(run, max_n)


def _grams(
    run: list[tuple[str, int, int]], max_n: int
) -> Iterator[tuple[tuple[str, ...], int, int]]:
    for n in range(1, max_n + 1):
        for i in range(len(run) - n + 1):
            part = run[i : i + n]
            yield tuple(p[0] for p in part), part[0][1], part[-1][2]
