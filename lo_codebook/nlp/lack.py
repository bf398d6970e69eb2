"""Lack and shortage as one class: "geen tijd" is also "te weinig tijd", "tijdgebrek", "meer tijd".

A codebook term that says something is lacking ("geen tijd", "personeelstekort", "lack of
staff", "staff shortages") is about that thing being short, not about the words the codebook
author chose for the shortage. Respondents phrase a lack in many ways: "gebrek aan tijd",
"te weinig tijd", "onvoldoende tijd", "nooit tijd", "tijd is er niet", "tijd ontbreekt",
"tekort aan personeel", "not enough time", "short of staff", "more time" (a wish). So a lack term is
read as (lack, thing), and any lack expression of the language (`language_data.LACK_*`) next
to the thing, within one sentence, is evidence for the code:

* a lack word before the thing, at most `MAX_GAP_BEFORE` words between ("te weinig vrije
  tijd"), not itself denied ("geen gebrek aan tijd");
* a lack word after it, at most `MAX_GAP_AFTER` words between ("tijd is er te weinig",
  "personeel is schaars"), with no negator or contrast word in between;
* a negator that ends the clause ("tijd is er niet.");
* a compound of the thing and a lack word ("tijdgebrek", "personeelstekort").

The thing is the run of (up to two) content words the term names after or before its lack
words; a thing that never names a theme ("geen idee", "no problem") is not one.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from spacy.language import Language

from .definitions import parse_definition
from .engine_types import CodeId, CodeSpec, Method, TokenBatch
from .language_data import (
    _CONTRAST,
    _DETERMINERS,
    GENERIC_WORDS,
    LACK_AFTER,
    LACK_BEFORE,
    LACK_FINAL,
    LACK_IN_TERMS,
    LACK_IN_TERMS_AFTER,
    LACK_SAME,
    LACK_SUFFIXES,
    LACK_VAGUE,
    LACK_WISH,
    LACK_WISH_WORDS,
)
from .negation import NEGATORS
from .pipeline import lemma_tables, word_forms
from .scores import _DEFINITION_WORDS, _F_CORROBORATE, _S_DEF_PHRASE, _S_DERIVED
from .terms import _analyse_term, _Keywords

#: Words allowed between a lack word and the thing after it ("geen vrije tijd").
MAX_GAP_BEFORE = 1
#: ... between the thing and a lack word after it ("tijd is er echt te weinig").
MAX_GAP_AFTER = 3
#: Words of a thing (a run of content words: "career progression").
MAX_THING = 2
_PUNCT = tuple(".,;:!?()[]/\"'“”‘’…-–—•")
_LINKS = ("", "s", "en", "-")


@dataclass(frozen=True)
class LackTerm:
    """A codebook term that says `thing` (lemmas) is lacking, for `code_id`."""

    code_id: CodeId
    base: str  # the term as written: what the evidence names
    method: Method
    thing: tuple[str, ...]
    generic: bool = False  # the thing is a generic word ("tijd", "time")


# --------------------------------------------------------------------------- terms


def _phrases(items: Iterable[str]) -> list[tuple[str, ...]]:
    """Cue phrases as word tuples, longest first (the longest cue wins)."""
    return sorted({tuple(i.split()) for i in items}, key=len, reverse=True)


def _thing(words: Sequence[str], lemmas: Sequence[str], lang: str, stop: set[str]) -> tuple:
    """The lemmas of the run of content words at the start of `words` (after determiners)."""
    dets = _DETERMINERS.get(lang, set())
    vague = LACK_VAGUE.get(lang, frozenset())
    i = 0
    while i < len(words) and words[i] in dets:
        i += 1
    run: list[str] = []
    while i < len(words) and len(run) < MAX_THING:
        w, m = words[i], lemmas[i]
        if not w.isalpha() or len(w) < 3 or w in stop or m in stop or w in vague or m in vague:
            break
        run.append(m)
        i += 1
    return tuple(run)


def _compound_thing(word: str, lang: str) -> str | None:
    """The lacking part of a compound ("personeelstekort" -> "personeel"), if a known word."""
    tables = lemma_tables(lang)
    for suffix in LACK_SUFFIXES.get(lang, ()):
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            rest = word[: -len(suffix)]
            for link in _LINKS:
                if rest.endswith(link):
                    part = rest[: len(rest) - len(link)]
                    if len(part) >= 3 and part in tables.lexicon:
                        return tables.lookup.get(part, part)
            return None
    return None


def things_of(nlp: Language, lang: str, term: str) -> list[tuple[str, ...]]:
    """What `term` says is lacking: "te weinig tijd" -> [("tijd",)], "staff shortages" ->
    [("staff",)], "personeelstekort" -> [("personeel",)]; [] for a term about no lack."""
    low = term.lower()
    cues = _phrases(LACK_IN_TERMS.get(lang, ()))
    after = _phrases(LACK_IN_TERMS_AFTER.get(lang, ()))
    suffixes = LACK_SUFFIXES.get(lang, ())
    if not any(c in low for c in (*(" ".join(c) for c in cues + after), *suffixes)):
        return []  # most terms: no tokenising
    doc = _analyse_term(nlp, term)
    words = [t.lower_ for t in doc if not t.is_space]
    lemmas = [(t.lemma_ or t.lower_).lower() for t in doc if not t.is_space]
    stop = set(nlp.Defaults.stop_words) | _DEFINITION_WORDS
    vague = LACK_VAGUE.get(lang, frozenset())
    found: list[tuple[str, ...]] = []
    for i in range(len(words)):
        for cue in cues:
            if tuple(words[i : i + len(cue)]) == cue:
                found.append(_thing(words[i + len(cue) :], lemmas[i + len(cue) :], lang, stop))
                break
        for cue in after:
            if tuple(words[i : i + len(cue)]) == cue and i:
                back = _thing(words[:i][::-1], lemmas[:i][::-1], lang, stop)
                found.append(back[::-1])
                break
        part = _compound_thing(words[i], lang) if words[i].isalpha() else None
        if part and part not in stop and part not in vague:
            found.append((part,))
    return list(dict.fromkeys(t for t in found if t))


def _same(lang: str, thing: tuple[str, ...]) -> list[tuple[str, ...]]:
    """`thing` and the words that name the same lacking thing ("personeel": "mensen")."""
    for group in LACK_SAME.get(lang, ()):
        if len(thing) == 1 and thing[0] in group:
            return [thing, *((w,) for w in sorted(group) if w != thing[0])]
    return [thing]


def lack_terms(nlp: Language, lang: str, codes: Iterable[CodeSpec]) -> list[LackTerm]:
    """The lack terms of the codes' names, keywords and descriptions (what they include)."""
    out: list[LackTerm] = []
    for code in codes:
        sources: list[tuple[str, Method]] = [(code.name, "keyword")]
        sources += [(k, "keyword") for k in code.keywords]
        if code.description or code.examples:
            definition = parse_definition(code.description, code.examples, lang)
            sources += [(t, "description") for t in definition.include]
        generic = GENERIC_WORDS.get(lang, frozenset())
        for term, method in sources:
            term = " ".join(term.split())
            for thing in things_of(nlp, lang, term):
                vague = all(w in generic for w in thing)
                for same in _same(lang, thing):
                    out.append(LackTerm(code.id, term, method, same, vague))
    return out


# --------------------------------------------------------------------------- matching


class LackMatcher:
    """Finds lack expressions next to the things of lack terms in a batch of tokens."""

    def __init__(self, nlp: Language, lang: str, things: Sequence[tuple[tuple[str, ...], int]]):
        """`things`: (thing lemmas, rule id) pairs, one per lack term."""
        strings = nlp.vocab.strings

        def h(word: str) -> int:
            return strings.add(word)

        def cue_hashes(items: Iterable[str]) -> list[tuple[int, ...]]:
            return [tuple(h(w) for w in cue) for cue in _phrases(items)]

        self._before = cue_hashes(LACK_BEFORE.get(lang, ()))
        self._after = cue_hashes(LACK_AFTER.get(lang, ()))
        self._final = cue_hashes(LACK_FINAL.get(lang, ()))
        self._wish = cue_hashes(LACK_WISH.get(lang, ()))
        self._wish_words = frozenset(h(w) for w in LACK_WISH_WORDS.get(lang, ()))
        self._negators = frozenset(h(w) for w in NEGATORS.get(lang, ()))
        self._punct = frozenset(h(p) for p in _PUNCT)
        contrast = {h(w) for w in _CONTRAST.get(lang, ())}
        self._blockers = frozenset(contrast | self._punct)
        self._by_first: dict[int, list[tuple[tuple[int, ...], list[int]]]] = defaultdict(list)
        grouped: dict[tuple[int, ...], list[int]] = defaultdict(list)
        self._compounds: dict[int, list[int]] = defaultdict(list)
        suffixes = LACK_SUFFIXES.get(lang, ())
        forms: dict[str, set[str]] = defaultdict(set)  # lemma -> its word forms
        if suffixes:
            singles = frozenset(t[0] for t, _ in things if len(t) == 1)
            for form, lemmas in word_forms(lang, singles).items():
                for lemma in lemmas:
                    forms[lemma].add(form)
        for thing, rid in things:
            grouped[tuple(h(w) for w in thing)].append(rid)
            if len(thing) == 1:  # tijdgebrek, personeelstekort, lerarentekorten
                for form in forms.get(thing[0], ()):
                    for link in _LINKS:
                        for suffix in suffixes:
                            if rid not in self._compounds[h(form + link + suffix)]:
                                self._compounds[h(form + link + suffix)].append(rid)
        for key, rids in grouped.items():
            self._by_first[key[0]].append((key, rids))
        self._firsts = np.array(sorted(set(self._by_first) | set(self._compounds)), dtype="uint64")
        self._tv: object | None = None
        self._positions: list[int] = []

    def __bool__(self) -> bool:
        return bool(self._by_first)

    def find(self, tv: TokenBatch, base: int, n: int) -> list[tuple[int, int, int]]:
        """(rule id, start, end) of the lack matches in doc tokens base..base+n of `tv`
        (positions relative to `base`)."""
        if not self._by_first:
            return []
        if tv is not self._tv:  # once per batch: where a thing (or compound) may be
            self._tv = tv
            hit = np.isin(tv.lemmas, self._firsts) | np.isin(tv.lowers, self._firsts)
            self._positions = np.flatnonzero(hit).tolist()
        out: list[tuple[int, int, int]] = []
        k = bisect_left(self._positions, base)
        while k < len(self._positions) and self._positions[k] < base + n:
            g = self._positions[k]
            k += 1
            lower, lemma = int(tv.lowers[g]), int(tv.lemmas[g])
            for rid in self._compounds.get(lower, ()):
                out.append((rid, g - base, g - base + 1))
            for thing, rids in self._by_first.get(lemma, []) + self._by_first.get(lower, []):
                end = g + len(thing)
                if end > len(tv.lemmas) or not all(
                    int(tv.lemmas[g + j]) == w or int(tv.lowers[g + j]) == w
                    for j, w in enumerate(thing)
                ):
                    continue
                span = self._cue_around(tv, g, end)
                if span is not None:
                    out.extend((rid, span[0] - base, span[1] - base) for rid in rids)
        return list(dict.fromkeys(out))

    def _at(self, tv: TokenBatch, cue: tuple[int, ...], start: int, limit: int) -> bool:
        if start < 0 or start + len(cue) > limit:
            return False
        return all(int(tv.lowers[start + j]) == w for j, w in enumerate(cue))

    def _clear(self, tv: TokenBatch, a: int, b: int, negators: bool) -> bool:
        """No blocker (punctuation, contrast word; negator when asked) in tokens a..b."""
        for j in range(a, b):
            w = int(tv.lowers[j])
            if w in self._blockers or (negators and w in self._negators):
                return False
        return True

    def _wished(self, tv: TokenBatch, s: int, first: int) -> bool:
        """'Meer tijd' at the start of a clause, or after a wish word ("graag meer tijd")."""
        if s == first or int(tv.lowers[s - 1]) in self._punct:
            return True
        return any(int(tv.lowers[j]) in self._wish_words for j in range(max(first, s - 2), s))

    def _cue_around(self, tv: TokenBatch, start: int, end: int) -> tuple[int, int] | None:
        """The span of thing + a lack expression next to it in its sentence, if any."""
        first, after = tv.sentence(start)
        if end > after:
            return None  # a thing does not run into the next sentence
        for gap in range(MAX_GAP_BEFORE + 1):
            for cue in self._before:
                s = start - gap - len(cue)
                if s < first or not self._at(tv, cue, s, start):
                    continue
                denied = s > first and int(tv.lowers[s - 1]) in self._negators
                if self._clear(tv, start - gap, start, False) and (
                    not denied or cue[0] in self._negators
                ):
                    return s, end
            for cue in self._wish:
                s = start - gap - len(cue)
                if s < first or not self._at(tv, cue, s, start):
                    continue
                if self._clear(tv, start - gap, start, False) and self._wished(tv, s, first):
                    return s, end
        for gap in range(MAX_GAP_AFTER + 1):
            at = end + gap
            if at >= after or not self._clear(tv, end, at, True):
                break
            for cue in self._after:
                if self._at(tv, cue, at, after):
                    return start, at + len(cue)
            for cue in self._final:
                stop = at + len(cue)
                if self._at(tv, cue, at, after) and (
                    stop == after or int(tv.lowers[stop]) in self._punct
                ):
                    return start, stop
        return None


def build_lack_matcher(kw: _Keywords, codes: Iterable[CodeSpec]) -> LackMatcher:
    """The lack terms of `codes` as rules of `kw` (a keyword's lack is found a little less
    surely than the keyword, a description's like one of its phrases) and their matcher."""
    things: list[tuple[tuple[str, ...], int]] = []
    for t in lack_terms(kw.nlp, kw.lang, codes):
        if t.method == "keyword":
            score = _S_DERIVED
        elif t.generic:  # "geen tijd om een cursus te volgen": any lack of time corroborates
            score = _S_DEF_PHRASE * _F_CORROBORATE
        else:
            score = _S_DEF_PHRASE
        pattern = f"{t.base}|lack {' '.join(t.thing)}"
        things.append((t.thing, kw.rule(t.code_id, t.method, score, pattern, t.base)))
    return LackMatcher(kw.nlp, kw.lang, things)
