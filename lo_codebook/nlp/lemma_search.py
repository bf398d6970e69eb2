"""Find a word or phrase by its lemmas: `werken` finds werkt, werkte, gewerkt.

The query and the texts go through the same pipeline as the suggestion engine (blank spaCy
pipeline, lookup lemmatizer, `pipeline.get_pipeline`), so a hit is exactly a run of tokens
whose lemmas are the query's. Only texts that contain some form of every query lemma (a
cheap substring test over the lemma table's forms) are tokenised.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import regex
from spacy.attrs import LEMMA
from spacy.language import Language
from spacy.tokens import Doc

from .pipeline import get_pipeline, lemma_tables, lemmatizer_of

__all__ = ["LemmaQuery", "lemma_query", "lemma_spans"]


@lru_cache(maxsize=4)
def _forms_by_lemma(lang: str) -> dict[str, tuple[str, ...]]:
    """Lemma -> every lower-cased form the lookup table maps to it."""
    out: dict[str, list[str]] = {}
    for form, lemma in lemma_tables(lang).lookup.items():
        out.setdefault(lemma, []).append(form)
    return {lemma: tuple(forms) for lemma, forms in out.items()}


def _tokens(nlp: Language, text: str) -> Doc:
    """Tokens with lemmas: the tokenizer and our lemmatizer only (no sentences needed)."""
    lemmatizer = lemmatizer_of(nlp)
    if lemmatizer is None:  # a trained pipeline with its own lemmatizer
        return nlp(text)
    return lemmatizer(nlp.make_doc(text))


class LemmaQuery:
    """A query's lemmas in one language, and a quick test for texts that may hold it."""

    def __init__(self, query: str, lang: str) -> None:
        self.nlp = get_pipeline(lang)
        doc = _tokens(self.nlp, query)
        words = [t for t in doc if not t.is_space and not t.is_punct] or [
            t for t in doc if not t.is_space
        ]
        self.lemmas: tuple[str, ...] = tuple(t.lemma_.lower() or t.lower_ for t in words)
        self._hashes = [self.nlp.vocab.strings.add(lemma) for lemma in self.lemmas]
        forms = _forms_by_lemma(lang) if lemmatizer_of(self.nlp) is not None else {}
        # one alternation per lemma: a text must contain a form of each
        self._prefilters = [
            regex.compile(
                "|".join(
                    regex.escape(f)
                    for f in sorted(
                        {lemma, *(w.lower_ for w in words), *forms.get(lemma, ())},
                        key=len,
                        reverse=True,
                    )
                ),
                regex.IGNORECASE,
            )
            for lemma in self.lemmas
        ]

    def may_occur(self, text: str) -> bool:
        return all(p.search(text) is not None for p in self._prefilters)

    def spans(self, text: str) -> list[tuple[int, int]]:
        """(start, end) of each run of tokens whose lemmas are the query's, spaces skipped."""
        if not self.lemmas or not self.may_occur(text):
            return []
        doc = _tokens(self.nlp, text)
        lemmas = doc.to_array(LEMMA).tolist() if len(doc) else []
        words = [i for i, token in enumerate(doc) if not token.is_space]
        wanted = self._hashes
        k = len(wanted)
        out: list[tuple[int, int]] = []
        i = 0
        while i + k <= len(words):
            if all(lemmas[words[i + j]] == wanted[j] for j in range(k)):
                first, last = doc[words[i]], doc[words[i + k - 1]]
                out.append((first.idx, last.idx + len(last.text)))
                i += k
            else:
                i += 1
        return out


def lemma_query(query: str, lang: str) -> LemmaQuery:
    return LemmaQuery(query, lang)


def lemma_spans(query: str, texts: Sequence[str], lang: str) -> list[list[tuple[int, int]]]:
    """The spans of `query` (by lemma) in each text."""
    found = LemmaQuery(query, lang)
    return [found.spans(text) for text in texts]
