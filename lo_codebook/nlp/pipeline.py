"""Cached spaCy pipelines: blank language + sentencizer + lookup lemmatizer, never a download.

`get_pipeline("nl")` builds `spacy.blank("nl")` with

* a tokenizer that also splits on hyphens and slashes between letters
  (`Woo-verzoeken` -> `Woo - verzoeken`, `werken/thuiswerken`), so keywords match the parts;
* a sentencizer that also ends a sentence at a line break (survey answers are often lists);
* a lookup lemmatizer (`LookupLemmatizer`, mode "lookup") whose table is spacy-lookups-data's
  `lemma_lookup`, completed with the `lemma_exc` exception tables for words longer than three
  letters that are not stop words (the Dutch lookup table lacks e.g. gemeenten, werd, geleerd).
  Lemmas are looked up lower-cased and cached per word form, so the component costs one
  dictionary look-up per token in a vectorised pass.

A trained pipeline (`model="nl_core_news_sm"` or a path) is loaded only when it is installed
(`spacy.util.is_package`) or the path exists; nothing is ever downloaded.
"""

from __future__ import annotations

import gc
import threading
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import spacy
from spacy.attrs import IS_PUNCT, LEMMA, LOWER, ORTH, SENT_START
from spacy.lang.char_classes import ALPHA
from spacy.language import Language
from spacy.lookups import Lookups
from spacy.pipeline import Lemmatizer, Sentencizer
from spacy.tokens import Doc
from spacy.util import compile_infix_regex, load_language_data, registry
from spacy.vocab import Vocab

__all__ = [
    "LemmaTables",
    "LookupLemmatizer",
    "PipelineError",
    "get_pipeline",
    "lemma_tables",
]

# Parts of speech of the lemma_exc tables, most useful first: a noun reading is preferred
# for "gemeenten", a verb reading for "werd".
_EXC_POS_ORDER = ("noun", "verb", "adj", "adv", "propn", "adp", "det", "pron")
_EXTRA_SENT_ENDS = ["\n", "\n\n", "\n\n\n", " \n", "\n "]
_LOCK = threading.Lock()


class PipelineError(ValueError):
    """The requested trained pipeline is not installed (we never download one)."""


@dataclass(frozen=True)
class LemmaTables:
    """Lower-cased form -> lemma, and the set of words the tables know (for typo checks)."""

    lookup: dict[str, str]
    lexicon: frozenset[str]


def _load_table(lang: str, name: str) -> dict:
    tables = registry.lookups.get(lang) if lang in registry.lookups else {}
    path = tables.get(name)
    if path is None:
        return {}
    return dict(load_language_data(Path(path)))


@lru_cache(maxsize=8)
def lemma_tables(lang: str) -> LemmaTables:
    """spacy-lookups-data's lemma_lookup merged with lemma_exc (see module docstring)."""
    lookup = {k.lower(): v.lower() for k, v in _load_table(lang, "lemma_lookup").items()}
    lemmas = set(lookup.values())
    try:
        stop_words = set(spacy.util.get_lang_class(lang).Defaults.stop_words)
    except Exception:  # pragma: no cover - unknown language code
        stop_words = set()
    exc = _load_table(lang, "lemma_exc")
    for pos in sorted(exc, key=lambda p: _EXC_POS_ORDER.index(p) if p in _EXC_POS_ORDER else 99):
        for form, forms in exc[pos].items():
            form = form.lower()
            if not forms or len(form) <= 3 or form in lookup:
                continue
            lemma = forms[0].lower()
            if form in stop_words:
                # only within the function-word paradigm: werd -> worden, heeft -> hebben;
                # never niet -> nieten
                if pos != "verb" or lemma not in stop_words:
                    continue
            elif form in lemmas and not (
                # a form that is itself a lemma stays one ("werken" stays a verb), except a
                # Dutch past participle that the verb table maps to its infinitive (geleerd)
                lang == "nl" and pos == "verb" and _is_participle(form) and lemma.endswith("en")
            ):
                continue
            lookup[form] = lemma
    # follow chains so that every form of a word ends at the same lemma
    # (leidinggevenden -> leidinggevende -> leidinggevend; geleerde -> geleerd -> leren)
    for form, lemma in lookup.items():
        seen = {form}
        while lemma in lookup and lemma not in seen and lookup[lemma] != lemma:
            seen.add(lemma)
            lemma = lookup[lemma]
        lookup[form] = lemma
    lexicon = frozenset(lookup) | frozenset(lookup.values()) | frozenset(stop_words)
    return LemmaTables(lookup, lexicon)


def _is_participle(form: str) -> bool:
    """Dutch past participle shape: ge- (possibly after a separable prefix), -d/-t/-en."""
    return "ge" in form[:8] and form.endswith(("d", "t", "en"))


class LookupLemmatizer(Lemmatizer):
    """Lookup-mode lemmatizer: lower-cased table look-up, cached per word form, vectorised."""

    def __init__(self, vocab: Vocab, name: str = "lemmatizer", overwrite: bool = True) -> None:
        super().__init__(vocab, None, name, mode="lookup", overwrite=overwrite)
        self._table: dict[str, str] = {}
        self._cache: dict[int, int] = {}

    def initialize(self, get_examples=None, *, nlp=None, lookups=None) -> None:  # noqa: ANN001
        tables = lemma_tables(self.vocab.lang)
        self._table = tables.lookup
        self._cache = {}
        self.lookups = Lookups()
        self.lookups.add_table("lemma_lookup", {})  # the data lives in self._table
        self._validated = True

    def lookup_lemmatize(self, token) -> list[str]:  # noqa: ANN001
        low = token.lower_
        return [self._table.get(low, low)]

    def lemma_of(self, lower_hash: int) -> int:
        """Lemma hash of a lower-cased form hash (cached)."""
        cached = self._cache.get(lower_hash)
        if cached is None:
            strings = self.vocab.strings
            low = strings[lower_hash]
            cached = strings.add(self._table.get(low, low))
            self._cache[lower_hash] = cached
        return cached

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        lowers = doc.to_array(LOWER).tolist()
        cache = self._cache
        try:
            lemmas = [cache[h] for h in lowers]
        except KeyError:
            lemma_of = self.lemma_of
            lemmas = [lemma_of(h) for h in lowers]
        if not self.overwrite:
            old = doc.to_array(LEMMA)
            new = np.asarray(lemmas, dtype="uint64")
            lemmas = np.where(old != 0, old, new)
        doc.from_array([LEMMA], np.asarray(lemmas, dtype="uint64"))
        return doc


@Language.factory(
    "lo_lookup_lemmatizer",
    default_config={"overwrite": True},
)
def make_lookup_lemmatizer(nlp: Language, name: str, overwrite: bool) -> LookupLemmatizer:
    return LookupLemmatizer(nlp.vocab, name=name, overwrite=overwrite)


def _extend_infixes(nlp: Language) -> None:
    """Split hyphens and slashes between letters/digits so compound parts are tokens."""
    extra = [
        rf"(?<=[{ALPHA}0-9])[-\u2010\u2011](?=[{ALPHA}])",
        rf"(?<=[{ALPHA}0-9])/(?=[{ALPHA}0-9])",
    ]
    infixes = list(nlp.Defaults.infixes or []) + extra
    nlp.tokenizer.infix_finditer = compile_infix_regex(infixes).finditer


class _AlphaTokenMatch:
    """`token_match` that keeps a purely alphabetic string whole without running the prefix,
    suffix and infix regexes on it (none of them can split letters-only text; special cases
    are still looked up first). Same tokens, about 3x faster on texts with many rare words,
    which spaCy's tokenizer cache does not keep after a special case in the same text."""

    def __init__(self, original) -> None:  # noqa: ANN001
        self.original = original

    def __call__(self, text: str):  # noqa: ANN204
        if text.isalpha():
            return True
        return self.original(text) if self.original is not None else None


def _speed_up_tokenizer(nlp: Language) -> None:
    nlp.tokenizer.token_match = _AlphaTokenMatch(nlp.tokenizer.token_match)


class FastSentencizer(Sentencizer):
    """spaCy's rule-based sentencizer, vectorised: a sentence starts at the first token that
    is not punctuation after a sentence-final character (same rule, no per-token Python)."""

    def __init__(self, vocab: Vocab, name: str = "sentencizer", punct_chars=None) -> None:  # noqa: ANN001
        super().__init__(name, punct_chars=punct_chars)
        self._punct = np.array(
            sorted({vocab.strings.add(ch) for ch in self.punct_chars}), dtype="uint64"
        )

    def __call__(self, doc: Doc) -> Doc:
        n = len(doc)
        if not n:
            return doc
        arr = doc.to_array([ORTH, IS_PUNCT])
        is_p = np.isin(arr[:, 0], self._punct)  # sentence-final characters
        q = is_p | (arr[:, 1] != 0)  # tokens that do not start a sentence after one
        idx = np.arange(n)
        last_free = np.maximum.accumulate(np.where(~q, idx, -1))
        cum = np.cumsum(is_p)
        prev = last_free[:-1]  # for token i (>= 1): the last free token before it
        before = cum[:-1] - np.where(prev >= 0, cum[np.maximum(prev, 0)], 0)
        starts = np.full(n, -1, dtype="int32")
        starts[0] = 1
        starts[1:][~q[1:] & (before > 0)] = 1
        doc.from_array([SENT_START], starts.astype("uint64").reshape(-1, 1))
        return doc

    def pipe(self, stream, batch_size: int = 128):  # noqa: ANN001
        for doc in stream:
            yield self(doc)


@Language.factory("lo_sentencizer", default_config={"punct_chars": None})
def make_fast_sentencizer(nlp: Language, name: str, punct_chars) -> FastSentencizer:  # noqa: ANN001
    return FastSentencizer(nlp.vocab, name=name, punct_chars=punct_chars)


def _add_sentencizer(nlp: Language) -> None:
    chars = list(Sentencizer.default_punct_chars) + _EXTRA_SENT_ENDS
    nlp.add_pipe("lo_sentencizer", name="sentencizer", config={"punct_chars": chars}, first=True)


def _blank(lang: str) -> Language:
    nlp = spacy.blank(lang)
    _extend_infixes(nlp)
    _speed_up_tokenizer(nlp)
    _add_sentencizer(nlp)
    lem = nlp.add_pipe("lo_lookup_lemmatizer", name="lemmatizer")
    lem.initialize()
    return nlp


def _trained(model: str) -> Language:
    if not (spacy.util.is_package(model) or Path(model).expanduser().is_dir()):
        raise PipelineError(
            f"spaCy pipeline {model!r} is not installed; install it yourself or leave the "
            "model unset to use the built-in blank pipeline (nothing is downloaded)"
        )
    nlp = spacy.load(Path(model).expanduser() if Path(model).expanduser().is_dir() else model)
    if not ({"parser", "senter", "sentencizer"} & set(nlp.pipe_names)):
        _add_sentencizer(nlp)
    if "lemmatizer" not in nlp.pipe_names:
        lem = nlp.add_pipe("lo_lookup_lemmatizer", name="lemmatizer", last=True)
        lem.initialize()
    return nlp


# spaCy's 1M-character guard protects parser/NER memory; the blank pipeline needs a few bytes
# per token, and imports accept texts up to 50 MB, so long transcripts must not be refused.
BLANK_MAX_LENGTH = 60_000_000


@lru_cache(maxsize=16)
def _cached(lang: str, model: str | None) -> Language:
    if model:
        nlp = _trained(model)
    else:
        nlp = _blank(lang)
        nlp.max_length = max(nlp.max_length, BLANK_MAX_LENGTH)
    # The lemma tables are a few hundred thousand long-lived objects: move them (and what
    # else is alive now) out of the cyclic collector's sight, or every full collection
    # during a long run walks them again. Reference counting still frees what is dropped.
    gc.freeze()
    return nlp


def get_pipeline(lang: str = "nl", model: str | None = None) -> Language:
    """The pipeline for `lang` (or the installed trained `model`), built once per process."""
    lang = (lang or "nl").lower()
    with _LOCK:
        return _cached(lang, model or None)


def lemmatizer_of(nlp: Language) -> LookupLemmatizer | None:
    """Our lemmatizer in `nlp`, if it has one (trained pipelines may bring their own)."""
    if "lemmatizer" in nlp.pipe_names:
        pipe = nlp.get_pipe("lemmatizer")
        if isinstance(pipe, LookupLemmatizer):
            return pipe
    return None


def lemmatize_words(nlp: Language, words: Iterable[str]) -> list[str]:
    """Lemma of each (lower-cased) word, as the pipeline would give it in running text."""
    lem = lemmatizer_of(nlp)
    out = []
    for w in words:
        low = w.lower()
        if lem is not None:
            out.append(lem._table.get(low, low))
        else:
            out.append(nlp(w)[0].lemma_.lower() if w.strip() else low)
    return out


@lru_cache(maxsize=8)
def word_forms(lang: str, lemmas: frozenset[str]) -> dict[str, set[str]]:
    """Lower-case word forms -> the wanted lemmas they are forms of (the lemma itself too),
    from the lookup table: how learning and lack compounds find a lemma's inflections."""
    out: dict[str, set[str]] = defaultdict(set)
    for lemma in lemmas:
        out[lemma].add(lemma)
    for form, lemma in lemma_tables(lang).lookup.items():
        if lemma in lemmas:
            out[form].add(lemma)
    return dict(out)
