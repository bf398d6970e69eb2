"""Tell Dutch from English text without a model: count spaCy's stop words of each language.

Function words are the most frequent words of any text and differ between Dutch and English
(*de het een en van niet ook* against *the and to that with not also*), so the share of each
language's stop words among the words of a text is a reliable vote once there are a handful of
them. Words on both lists (*in is was we over*) vote for neither. A text with too few votes,
or votes too evenly split, is "cannot tell" (None): the caller falls back to the project's
language.

The word lists are spaCy's own (`spacy/lang/{nl,en}/stop_words.py`), read as text so that
detecting a language at import time does not load spaCy; no other dependency.
"""

from __future__ import annotations

import ast
import importlib.util
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

__all__ = [
    "LANGUAGES",
    "LanguageVotes",
    "detect_corpus",
    "detect_language",
    "language_votes",
    "stop_words",
]

LANGUAGES = ("nl", "en")

# One text (a document) must have at least this many stop-word votes, and the winner this
# share of them, before we say which language it is; short answers ("Werkdruk.") cannot tell.
MIN_VOTES = 6
MIN_SHARE = 0.8
# A whole import (the project's language) pools its texts' votes; the majority decides.
MIN_CORPUS_VOTES = 6
MIN_CORPUS_SHARE = 0.6

# Words of two letters or more: single letters are initials and abbreviations (D&I, o.a.).
_WORD = re.compile(r"[^\W\d_]{2,}")


def _read_stop_words(lang: str) -> frozenset[str]:
    """The word list of spacy/lang/<lang>/stop_words.py: its first string literal, parsed
    (not executed) so spaCy is not imported; the module itself if the file looks different."""
    spec = importlib.util.find_spec("spacy")
    if spec is not None and spec.submodule_search_locations:
        path = Path(next(iter(spec.submodule_search_locations))) / "lang" / lang / "stop_words.py"
        try:
            tree = ast.parse(path.read_text(encoding="utf-8"))
        except (OSError, SyntaxError, ValueError):
            tree = None
        if tree is not None:
            for node in ast.walk(tree):
                if isinstance(node, ast.Constant) and isinstance(node.value, str):
                    words = node.value.split()
                    if len(words) > 100:
                        return frozenset(w.lower() for w in words)
    module = importlib.import_module(f"spacy.lang.{lang}.stop_words")  # pragma: no cover
    return frozenset(w.lower() for w in module.STOP_WORDS)  # pragma: no cover


@lru_cache(maxsize=1)
def stop_words() -> dict[str, frozenset[str]]:
    """Per language, its stop words that are not also a stop word of the other language."""
    lists = {lang: _read_stop_words(lang) for lang in LANGUAGES}
    shared = frozenset.intersection(*lists.values())
    return {lang: words - shared for lang, words in lists.items()}


@dataclass(frozen=True)
class LanguageVotes:
    """Stop-word votes per language (words that are a stop word of only that language)."""

    nl: int = 0
    en: int = 0

    def __add__(self, other: LanguageVotes) -> LanguageVotes:
        return LanguageVotes(self.nl + other.nl, self.en + other.en)

    @property
    def total(self) -> int:
        return self.nl + self.en

    def winner(self, min_votes: int = MIN_VOTES, min_share: float = MIN_SHARE) -> str | None:
        """The language with at least `min_share` of at least `min_votes` votes, else None."""
        if self.total < min_votes or self.nl == self.en:
            return None
        lang, votes = ("nl", self.nl) if self.nl > self.en else ("en", self.en)
        return lang if votes >= min_share * self.total else None


def language_votes(text: str) -> LanguageVotes:
    """Count the words of `text` that are a stop word of Dutch only, and of English only."""
    words = stop_words()
    found = _WORD.findall(text.lower())
    # the two lists share no word (see `stop_words`), so each word votes at most once
    nl = sum(map(words["nl"].__contains__, found))
    en = sum(map(words["en"].__contains__, found))
    return LanguageVotes(nl, en)


def detect_language(text: str) -> str | None:
    """ "nl" or "en" for a text long enough to tell, else None."""
    return language_votes(text).winner()


def detect_corpus(votes: Iterable[LanguageVotes]) -> str | None:
    """The language of a collection (pooled votes, majority), or None with too little text."""
    pooled = sum(votes, LanguageVotes())
    return pooled.winner(MIN_CORPUS_VOTES, MIN_CORPUS_SHARE)
