"""Suggest codes for texts: codebook keywords (lemma, compounds, abbreviations), typos, learning.

The engine is pure: it gets plain dataclasses and returns plain dataclasses; the core layer
loads them from and stores them in the database.

How a code is found (one `nlp.pipe` pass over whole texts; work per distinct word form, not per
token; token-level matching by spaCy's `PhraseMatcher` and a vectorised hash look-up):

* **keyword** — every codebook keyword and the code's own name, lower-cased (`LOWER`, score
  100) and as a lemma sequence (`LEMMA`, 95: *leidinggevenden* finds *leidinggevende*).
  Variants: `X en Y` = `Y en X` = `X & Y` = `X/Y` and the initials `X&Y` (`D&I`); the parts of
  a code name `X en Y`; joined/split compounds (`samen werken` / `samenwerken`, `samen te
  werken`, `ontwikkeling van leiderschap`); Dutch derivations `-ing` <-> `-en`, `-isering` <->
  `-isatie`; regular Dutch inflections the lookup table lacks. Abbreviations (`Woo`, `AVG`,
  `SPP`, `D&I`, `Ow`) only as whole tokens or hyphen/slash parts (`Woo-verzoeken`,
  `AI/ChatGPT`), in their own case, upper case, `A.V.G.`, or lower case when that is not a
  Dutch word (`avg` yes, `bio` no).
* **compounds** (method `keyword`) — a keyword of >= 5 letters inside a longer word of the
  corpus; the rest must look like a word (known to the lemma tables or seen alone in the
  corpus, after a linking -s-/-e-/-en-), a modifier needs >= 4 letters (not *bio*diversiteit).
  As modifier the keyword keeps the topic (*omgevingswettraining*, 0.88 x); as head it may not
  (*werkklimaat*, *timemanagement*), so head compounds score below the accept score (0.72 x).
  A word that is itself a keyword of another code is not read as a compound.
* **fuzzy** — typos: new word forms of the corpus against keyword words in one
  `rapidfuzz.process.cdist` (OSA edit distance) per batch: 1 edit for words of 6-9 letters,
  2 from 10 letters, none below 6; same first letter; a form the lemma tables know as a word
  is not a typo. A typo inside a multi-word keyword is found too (*hyrbide werken*).
* **learned** — `learn()` turns the coder's codings into lemma 1-3-gram patterns distinctive
  for a code (see `SuggestionEngine.learn`); they are matched like keywords, compounds and
  typos included.

Scores are 0-100; `DEFAULT_ACCEPT_SCORE` (70) is where a suggestion counts as a coding.
Past decisions scale a pattern's score by (accepted + 1) / (accepted + rejected + 1). A match
inside a longer match of another code is dropped (*duurzame inzetbaarheid* is not
*duurzaamheid*); a keyword in a `van`-complement of another code's keyword is lowered
(*digitalisering van de dienstverlening*); so is a match in a sentence that says the theme is
not, or no longer, an issue (*is geen issue meer*, *geen behoefte*, *goed geregeld*), up to a
contrast word (*maar*, *wel*).
"""

from __future__ import annotations

import ctypes
import math
import multiprocessing
import os
import re
import signal
import sys
import threading
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal

import numpy as np
from rapidfuzz.distance import OSA
from rapidfuzz.process import cdist
from spacy.attrs import IDX, IS_PUNCT, IS_SPACE, IS_STOP, LEMMA, LENGTH, LOWER, SENT_START
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Token

from .definitions import parse_definition
from .frequency import zipf
from .pipeline import get_pipeline, lemma_tables

__all__ = [
    "DEFAULT_ACCEPT_SCORE",
    "DEFAULT_INTERVIEWER_LABELS",
    "CodeSpec",
    "CodedExample",
    "Decision",
    "DocumentInput",
    "LearnedPattern",
    "Suggestion",
    "SuggestionEngine",
    "is_interviewer",
    "respondent_units",
]

CodeId = Hashable
DocId = Hashable
Method = Literal["keyword", "fuzzy", "learned", "description", "exclude"]
SpanMode = Literal["sentence", "match", "turn"]

#: A suggestion with at least this score counts as a coding (document-level prediction).
DEFAULT_ACCEPT_SCORE = 70.0

DEFAULT_INTERVIEWER_LABELS: tuple[str, ...] = (
    "interviewer",
    "interviewster",
    "interviewers",
    "i",
    "int",
    "iv",
    "onderzoeker",
    "onderzoekster",
    "researcher",
    "q",
    "vraag",
    "moderator",
    "gespreksleider",
    "gespreksleidster",
    "facilitator",
    "host",
)

# Base scores of the ways a keyword is found.
_S_LOWER = 100.0
_S_LEMMA = 95.0
_S_VARIANT = 90.0  # permuted conjunction, joined/split compound, inflection, case variant
_S_PART = 90.0  # a conjunct of a code name "X en Y"
_S_DERIVED = 85.0  # Dutch derivation (-ing <-> -en, -isering <-> -isatie), head van modifier
_S_ACRONYM = 85.0  # initials of "X en Y" (D&I)
_S_ABBR_LOWER = 80.0  # an abbreviation written in lower case
_F_INFLECTED = 0.95  # keyword + inflection ending the lookup table lacks
_F_COMPOUND = 0.88  # keyword inside a compound whose other part is a word
_F_COMPOUND_WEAK = 0.76  # ... whose other part is unknown but long enough
_F_HEAD = 0.72  # keyword as head of a compound: suggested, but below the accept score
_F_FUZZY1 = 0.86  # one edit
_F_FUZZY2 = 0.76  # two edits
_F_NEGATED = 0.55  # "is geen issue meer"
_F_COMPLEMENT = 0.6  # "digitalisering van de dienstverlening"
_LEARNED_MAX = 90.0
#: Pseudo-documents of the prior (the rule's own score) when coded documents re-score a
#: term: (right + k * prior) / (right + wrong + k).
_CALIBRATION_PRIOR = 4.0
_METHOD_RANK = {"keyword": 3, "description": 2, "fuzzy": 1, "learned": 0, "exclude": -1}
# Terms read from a code's description (see `definitions`): weaker than its keywords, and
# weighed by how specific they are to the code (codebook) and how rare (corpus).
_S_DEF_PHRASE = 82.0  # a multi-word term of the description, on lemmas
_S_DEF_ABBR = 85.0  # an acronym or its spelled-out form
_S_DEF_WORD = 66.0  # a one- or two-word item of a description's list
_S_DEF_WORD_PROSE = 52.0  # a word of a longer stretch of the description
_ZIPF_COMMON = 4.8  # a word this common in the language (wordfreq Zipf) proves nothing
_ZIPF_LEARN = 5.3  # a learned word must be rarer than this ("werk", "year" are not)
_ZIPF_USUAL = 4.3  # ... this common, a little
_DEF_MAX_CODES = 2  # a word in more codes' definitions proves nothing
_DEF_RARE = 0.04  # a word in at most this share of the corpus's units is fully specific
_DEF_COMMON = 0.12  # ... in more than this share, it proves nothing
#: Words every code definition uses ("Codeer als de respondent ... noemt").
_DEFINITION_WORDS = frozenset(
    """codeer coderen gecodeerd code codes coded coding respondent respondenten respondents
    noemt noemen benoemt beschrijft beschrijven aangeeft aangeven geeft spreekt vraagt
    mention mentions mentioned describes describe says refers refer asks names named
    thema theme themes onderwerp topic antwoord answer ook also alleen only""".split()
)
_WORD_RE = re.compile(r"[^\W\d_]+")
_WORDLIKE = re.compile(r"^[^\W\d_](?:[\w&'’-]*[^\W_])?$")

_NL_INFLECTIONS = ("e", "en", "n", "s", "'s", "’s", "es", "er", "ere", "ers", "st", "ste")
_EN_INFLECTIONS = ("s", "es", "'s", "’s", "ed", "d", "ing", "er", "ers")
_LINKERS = ("s", "e", "en", "-")
_CONJ = {"nl": ("en", "&", "/"), "en": ("and", "&", "/")}
_DETERMINERS = {
    "nl": {"de", "het", "een", "ons", "onze", "hun", "haar", "zijn", "deze", "die", "dit", "dat"},
    "en": {"the", "a", "an", "our", "their", "its", "this", "that", "these", "those"},
}
_OF = {"nl": "van", "en": "of"}
# "this theme is not (or no longer) an issue": lemma sequences
_NEGATION_CUES = {
    "nl": [
        "geen issue",
        "geen behoefte",
        "geen probleem",
        "geen prioriteit",
        "geen thema",
        "geen onderwerp",
        "geen aandachtspunt",
        "geen speerpunt",
        "geen noodzaak",
        "geen punt",
        "geen rol",
        "niet nodig",
        "niet relevant",
        "niet van toepassing",
        "niet meer nodig",
        "niet meer relevant",
        "geen vraag",
        "goed geregeld",
        "prima geregeld",
        "al geregeld",
        "geen zorgen",
        "goed geland",
        "al geland",
        "niks meer aan",
        "niets meer aan",
        "achter de rug",
        "al afgerond",
    ],
    "en": [
        "not an issue",
        "no issue",
        "no longer an issue",
        "no need",
        "not a priority",
        "not relevant",
        "not needed",
        "no longer needed",
        "not a problem",
    ],
}
#: Words that are not stop words but never name a theme on their own (discourse words,
#: evaluations, light verbs): key phrases may not start or end with one.
GENERIC_WORDS: dict[str, frozenset[str]] = {
    "nl": frozenset(
        str.split(
            """
        daarnaast verder vooral echt goed goede beter best belangrijk belangrijke belangrijkst
        groot grote klein kleine nieuw nieuwe veel meerdere diverse divers verschillend
        thema onderwerp punt ding zaak kwestie manier vorm deel stuk soort keer jaar moment
        tijd gebied rol
        komen gaan maken zien denken vinden merken willen staan liggen zitten krijgen houden
        blijven vragen zeggen noemen spelen lopen nemen brengen zetten laten kijken doen
        gebruiken
        natuurlijk eigenlijk gewoon zeker vaak altijd steeds nog heel erg zeer echt vanzelf
        o.a. bijv. enz. etc. e.d. nvt n.v.t. geen idee
        """
        )
    ),
    "en": frozenset(
        str.split(
            """
        also really good better best important new big small many various different theme
        topic issue thing way kind part time year area role come go make see think find want
        get keep stay ask say take bring put look do use
        """
        )
    ),
}

_CONTRAST = {
    "nl": {"maar", "wel", "echter", "daarentegen", "behalve", "terwijl", "wél"},
    "en": {"but", "however", "whereas", "while", "except"},
}


# --------------------------------------------------------------------------- dataclasses


@dataclass(frozen=True)
class CodeSpec:
    """A code of the codebook as the engine sees it."""

    id: CodeId
    name: str
    keywords: list[str] = field(default_factory=list)
    parent: CodeId | None = None
    description: str = ""  # read for evidence for and against the code (see definitions)
    examples: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class DocumentInput:
    """A document: its text and its segments (start, end, speaker) as str offsets."""

    id: DocId
    text: str
    segments: list[tuple[int, int, str | None]] = field(default_factory=list)
    kind: str = "text"  # "transcript", "text" or "survey"


@dataclass(frozen=True)
class Suggestion:
    """A proposed coding. `pattern` names what matched, for decisions (accept/reject)."""

    document_id: DocId
    code_id: CodeId
    start: int
    end: int
    score: float
    method: Method
    evidence: str
    pattern: str


@dataclass(frozen=True)
class CodedExample:
    """A manual or accepted coding: evidence for learning."""

    document_id: DocId
    code_id: CodeId
    start: int
    end: int


@dataclass(frozen=True)
class Decision:
    """A past accept/reject of a suggestion with this code and pattern."""

    code_id: CodeId
    pattern: str
    accepted: bool


@dataclass(frozen=True)
class LearnedPattern:
    """A phrase `learn()` found distinctive for a code, with its statistics."""

    code_id: CodeId
    phrase: str  # lemmas joined by spaces
    documents: int  # coded documents of the code that contain it
    others: int  # coded documents without the code (or outside its spans) that contain it
    z: float
    score: float


# --------------------------------------------------------------------------- respondent units


def _norm_label(speaker: str) -> str:
    s = speaker.strip().lower()
    s = re.sub(r"[\s._:\-()\[\]0-9]+$", "", s)
    s = re.sub(r"[\s._:\-]+\d*$", "", s)
    return s.strip()


@lru_cache(maxsize=64)
def _wanted_labels(labels: tuple[str, ...]) -> frozenset[str]:
    return frozenset(_norm_label(x) for x in labels)


def is_interviewer(speaker: str | None, labels: Iterable[str] = DEFAULT_INTERVIEWER_LABELS) -> bool:
    """True when `speaker` is an interviewer label (`Interviewer`, `I`, `Int.`, `Q 2`...)."""
    if not speaker:
        return False
    return _is_interviewer(speaker, tuple(labels))


@lru_cache(maxsize=4096)
def _is_interviewer(speaker: str, labels: tuple[str, ...]) -> bool:
    norm = _norm_label(speaker)
    wanted = _wanted_labels(labels)
    if norm in wanted:
        return True
    first = re.split(r"[\s(:]+", norm, maxsplit=1)[0]
    return first in wanted and len(first) > 2


def _question_speaker(text: str, segments: Sequence[tuple[int, int, str | None]]) -> str | None:
    """With no interviewer label: the speaker who mostly asks questions, if one clearly does."""
    turns: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for s, e, sp in segments:
        if sp is None:
            continue
        t = turns[sp]
        t[0] += 1
        t[1] += "?" in text[s:e]
    if len(turns) < 2:
        return None
    ratios = sorted(((q / n, sp) for sp, (n, q) in turns.items() if n >= 2), reverse=True)
    if not ratios:
        return None
    best, speaker = ratios[0]
    runner_up = ratios[1][0] if len(ratios) > 1 else 0.0
    if best >= 0.5 and best - runner_up >= 0.3:
        return speaker
    return None


def respondent_units(
    doc: DocumentInput,
    respondent_only: bool = True,
    labels: Iterable[str] = DEFAULT_INTERVIEWER_LABELS,
) -> list[tuple[int, int]]:
    """The (start, end) ranges of `doc` the engine reads: respondent turns, or the whole text.

    Survey answers and texts without turns are always read whole. In a transcript, turns of a
    known interviewer label are skipped; when no turn carries such a label, the one speaker who
    mostly asks questions (>= 50 % of turns, 30 points more than anyone else) is taken for the
    interviewer (Teams transcripts name people, not roles).
    """
    n = len(doc.text)
    segs = [(max(0, s), min(n, e), sp) for s, e, sp in doc.segments if e > s]
    if not segs or doc.kind == "survey":
        return [(0, n)] if doc.text.strip() else []
    if respondent_only:
        labels = tuple(labels)
        skip = {sp for _, _, sp in segs if sp is not None and is_interviewer(sp, labels)}
        if not skip:
            q = _question_speaker(doc.text, segs)
            if q is not None:
                skip = {q}
        segs = [x for x in segs if x[2] not in skip]
    return [(s, e) for s, e, _ in segs if doc.text[s:e].strip()]


# --------------------------------------------------------------------------- rules


@dataclass
class _Rule:
    code_id: CodeId
    method: Method
    score: float
    pattern: str  # what a decision refers to
    base: str  # the keyword / learned phrase it derives from
    part: bool = False  # found inside a longer word (compound)


@dataclass
class _Target:
    """A single word a compound or typo can be built on."""

    lower: str
    lemma: str
    code_id: CodeId
    method: Method
    score: float
    base: str
    term_lemmas: tuple[str, ...]  # the whole term (for multi-word substitution)
    position: int  # index of this word in the term


_BULLETS = " \t\r\n-–—•*·>"


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in _BULLETS:
        start += 1
    while end > start and text[end - 1] in _BULLETS:
        end -= 1
    return start, end


def _alpha_len(word: str) -> int:
    return sum(ch.isalpha() for ch in word)


def _dutch_inflections(word: str) -> set[str]:
    """Regular Dutch inflected forms of a word (plural, -e, open-syllable vowel reduction)."""
    out = {word + suf for suf in _NL_INFLECTIONS}
    m = re.match(r"^(.*[^aeiou])(aa|ee|oo|uu)([^aeiouy])$", word)
    if m:  # duurzaam -> duurzame, vervulbaar -> vervulbare
        stem = m.group(1) + m.group(2)[0] + m.group(3)
        out |= {stem + "e", stem + "en"}
    m = re.match(r"^(.*[^aeiou][aeiou])([bdfgklmnprt])$", word)
    if m and len(word) >= 4:  # doubled consonant after a short vowel: integer -> integere
        out |= {word + m.group(2) + "en", word + m.group(2) + "e"}
    if word.endswith("ie"):  # organisatie -> organisaties
        out.add(word + "s")
    if word.endswith(("f", "s")):  # f -> v, s -> z before -en/-e
        voiced = word[:-1] + ("v" if word.endswith("f") else "z")
        out |= {voiced + "en", voiced + "e"}
    return out


def _analyse_term(nlp: Language, term: str) -> Doc:
    """`nlp(term)` without the sentencizer: a codebook term needs tokens and lemmas only, and
    the engine analyses a few hundred of them each time it is built."""
    doc = nlp.make_doc(term)
    for name, proc in nlp.pipeline:
        if name != "sentencizer":
            doc = proc(doc)
    return doc


class _Keywords:
    """Compiles codes (+ learned patterns) into phrase patterns and word targets."""

    def __init__(self, nlp: Language, lang: str) -> None:
        self.nlp = nlp
        self.lang = lang
        self.tables = lemma_tables(lang)
        self.stop = set(nlp.Defaults.stop_words)
        self.rules: list[_Rule] = []
        self._rule_index: dict[tuple, int] = {}
        # (attr, tuple of strings) -> rule ids
        self.phrases: dict[tuple[str, tuple[str, ...]], list[int]] = defaultdict(list)
        self.targets: list[_Target] = []
        self._target_ids: dict[tuple[str, CodeId, tuple[str, ...]], int] = {}
        self.inflected: dict[str, list[int]] = defaultdict(list)  # form -> target ids

    # -- rules
    def rule(
        self,
        code_id: CodeId,
        method: Method,
        score: float,
        pattern: str,
        base: str,
        part: bool = False,
        tier: str = "",
    ) -> int:
        key = (code_id, method, pattern, tier)
        idx = self._rule_index.get(key)
        if idx is None:
            idx = len(self.rules)
            self.rules.append(_Rule(code_id, method, score, pattern, base, part))
            self._rule_index[key] = idx
        elif self.rules[idx].score < score:
            self.rules[idx].score = score
        return idx

    def add_phrase(self, attr: str, words: Sequence[str], rule_id: int) -> None:
        key = (attr, tuple(words))
        if rule_id not in self.phrases[key]:
            self.phrases[key].append(rule_id)

    # -- analysis of a term
    def _tokens(self, term: str) -> tuple[list[str], list[str]]:
        doc = _analyse_term(self.nlp, term)
        words = [t.text for t in doc if not t.is_space]
        lemmas = [(t.lemma_ or t.lower_).lower() for t in doc if not t.is_space]
        return words, lemmas

    def _known(self, word: str) -> bool:
        return word in self.tables.lexicon

    def is_abbreviation(self, word: str) -> bool:
        letters = _alpha_len(word)
        if "&" in word:
            return True
        upper = sum(ch.isupper() for ch in word)
        if upper >= 2 and upper >= letters - 1:
            return True
        if any(ch.isdigit() for ch in word) and letters:
            return True
        return letters <= 4 and word[:1].isupper() and not self._known(word.lower())

    def add_term(
        self,
        code_id: CodeId,
        term: str,
        score: float = _S_LEMMA,
        method: Method = "keyword",
        base: str | None = None,
        *,
        name: bool = False,
    ) -> None:
        term = " ".join(term.split())
        if not any(ch.isalnum() for ch in term):
            return  # "-", "&": nothing to look for
        base = base or term
        words, lemmas = self._tokens(term)
        if not words:
            return
        top = score + (_S_LOWER - _S_LEMMA)
        if len(words) == 1 and self.is_abbreviation(words[0]):
            self._add_abbreviation(code_id, words[0], method, min(score, _S_LEMMA), base)
            return
        lowers = [w.lower() for w in words]
        r_exact = self.rule(code_id, method, min(100.0, top), base, base)
        r_lemma = self.rule(code_id, method, score, base, base, tier="lemma")
        self.add_phrase("LOWER", lowers, r_exact)
        self.add_phrase("LEMMA", lemmas, r_lemma)
        variant = min(score, _S_VARIANT)
        # conjunctions: X en Y = Y en X = X & Y = X / Y; initials X&Y
        conj = _CONJ.get(self.lang, ("and", "&", "/"))
        idx = [i for i, w in enumerate(lowers) if w in conj and 0 < i < len(lowers) - 1]
        if len(idx) == 1:
            i = idx[0]
            left, right = lemmas[:i], lemmas[i + 1 :]
            for c in conj:
                for a, b in ((left, right), (right, left)):
                    self.add_phrase(
                        "LEMMA",
                        [*a, c, *b],
                        self.rule(
                            code_id, method, variant, f"{base}|{' '.join([*a, c, *b])}", base
                        ),
                    )
            lw, rw = words[:i], words[i + 1 :]
            if len(lw) == 1 and len(rw) == 1 and lw[0][:1].isalpha() and rw[0][:1].isalpha():
                for a, b in ((lw[0], rw[0]), (rw[0], lw[0])):
                    acro = f"{a[0].upper()}&{b[0].upper()}"
                    self.add_phrase(
                        "ORTH",
                        [acro],
                        self.rule(code_id, method, min(score, _S_ACRONYM), f"{base}|{acro}", base),
                    )
            if name:  # the parts of a code name "Inclusie en diversiteit"
                for part_words in (words[:i], words[i + 1 :]):
                    part = " ".join(part_words)
                    if (
                        len(part_words) > 1
                        or (_alpha_len(part) >= 6 and part.lower() not in self.stop)
                        or self.is_abbreviation(part)
                    ):
                        self.add_term(code_id, part, min(score, _S_PART), method, part)
        # separable verb: "samen werken" -> "samen te werken"
        if self.lang == "nl" and len(lemmas) == 2 and lemmas[1].endswith("en"):
            self.add_phrase(
                "LEMMA",
                [lemmas[0], "te", lemmas[1]],
                self.rule(code_id, method, variant, f"{base}|{lemmas[0]} te {lemmas[1]}", base),
            )
        alpha_words = [w for w in lowers if w not in ("-", "/")]
        if len(words) > 1 and all(w.isalpha() for w in alpha_words):
            joined = "".join(alpha_words)  # "samen werken" / "e-learning" -> one word
            if _alpha_len(joined) >= 6:
                self.add_phrase(
                    "LOWER", [joined], self.rule(code_id, method, variant, f"{base}|{joined}", base)
                )
        if len(words) == 1 and lowers[0].isalpha():
            self._single_word(code_id, lowers[0], lemmas[0], score, method, base, (lemmas[0],))
        # every longer word of a multi-word term can carry a typo or be a compound
        if len(words) > 1:
            for pos, (lw, lm) in enumerate(zip(lowers, lemmas, strict=True)):
                if lw.isalpha() and len(lw) >= 6 and lw not in self.stop:
                    self._target(lw, lm, code_id, method, score, base, tuple(lemmas), pos)

    def _add_abbreviation(
        self, code_id: CodeId, word: str, method: Method, score: float, base: str
    ) -> None:
        forms = {word: score}
        if _alpha_len(word) >= 2:
            forms.setdefault(word.upper(), min(score, _S_VARIANT))
            if _alpha_len(word) >= 3:
                forms.setdefault(word[0].upper() + word[1:].lower(), min(score, _S_VARIANT))
                low = word.lower()
                if low.isalpha() and not self._known(low) and low not in self.stop:
                    forms.setdefault(low, min(score, _S_ABBR_LOWER))
        if word.isupper() and word.isalpha() and 2 <= len(word) <= 5:
            forms.setdefault(".".join(word) + ".", min(score, _S_VARIANT))  # A.V.G.
        for form, s in forms.items():
            for suffix in ("", "'s", "’s", "'en", "’en"):
                pattern = base if form == word and not suffix else f"{base}|{form}{suffix}"
                self.add_phrase(
                    "ORTH", [form + suffix], self.rule(code_id, method, s, pattern, base)
                )

    def _single_word(
        self,
        code_id: CodeId,
        lower: str,
        lemma: str,
        score: float,
        method: Method,
        base: str,
        term_lemmas: tuple[str, ...],
    ) -> None:
        """Derivations, split compound and the word itself as compound/typo target."""
        variant = min(score, _S_VARIANT)
        derived = min(score, _S_DERIVED)
        self._target(lower, lemma, code_id, method, score, base, term_lemmas, 0)
        if lemma != lower:
            self._target(lemma, lemma, code_id, method, score, base, term_lemmas, 0)
        if self.lang != "nl":
            return
        known = self.tables.lexicon
        forms: set[str] = set()
        if lemma.endswith("ing") and len(lemma) >= 8:
            forms.add(lemma[:-3] + "en")  # digitalisering -> digitaliseren
        if lemma.endswith("en") and len(lemma) >= 7:
            forms.add(lemma[:-2] + "ing")  # samenwerken -> samenwerking
        # (no "-heid" -> adjective, no noun -> verb: openbaar(heid), duurzaam(heid) and
        # behoud(en) are everyday words; a verbal noun and its verb are not)
        if lemma.endswith("isering") and len(lemma) >= 10:  # digitalisering -> digitalisatie
            forms.add(lemma[:-7] + "isatie")
        if lemma.endswith("isatie") and len(lemma) >= 9:
            forms.add(lemma[:-6] + "isering")
        for form in forms:
            if (form in known or form.endswith(("isatie", "isering"))) and form != lemma:
                r = self.rule(code_id, method, derived, f"{base}|{form}", base)
                self.add_phrase("LEMMA", [form], r)
                self.add_phrase("LOWER", [form], r)
                if len(form) >= 6:
                    self._target(form, form, code_id, method, derived, f"{base}", (form,), 0)
        # split compound: samenwerken -> samen werken, samen-werken, thuis werkt
        if len(lower) >= 8:
            for i in range(3, len(lower) - 2):
                a, b = lower[:i], lower[i:]
                # the lookup tables list inflecting words only: an adverb such as "thuis" is
                # missing, so a modifier of 4+ letters counts when the head is a known word
                a_ok = a in known or (len(a) >= 4 and a.isalpha())
                if a_ok and b in known and len(b) >= 4 and a not in self.stop:
                    r = self.rule(code_id, method, variant, f"{base}|{a} {b}", base)
                    self.add_phrase("LOWER", [a, b], r)
                    self.add_phrase("LOWER", [a, "-", b], r)
                    self.add_phrase("LEMMA", [a, self.tables.lookup.get(b, b)], r)
                    # a verb's stem as a compound's first part: thuiswerken -> thuiswerkbeleid
                    if b.endswith("en") and b[:-2] in known and len(b) >= 5:
                        stem = a + b[:-2]
                        self.add_phrase("LOWER", [stem], r)
                        self._target(stem, stem, code_id, method, variant, base, (stem,), 0)
                    # the head with the modifier as van-complement:
                    # leiderschapsontwikkeling = ontwikkeling van (het) leiderschap
                    mod = a if a in known else a[:-1]
                    if len(mod) >= 4 and len(b) >= 5:
                        r = self.rule(code_id, method, derived, f"{base}|{b} van {mod}", base)
                        for det in ((), ("de",), ("het",)):
                            self.add_phrase("LEMMA", [b, "van", *det, mod], r)

    def _target(
        self,
        lower: str,
        lemma: str,
        code_id: CodeId,
        method: Method,
        score: float,
        base: str,
        term_lemmas: tuple[str, ...],
        position: int,
    ) -> None:
        if len(lower) < 5 or not lower.isalpha():
            return
        key = (lower, code_id, term_lemmas)
        existing = self._target_ids.get(key)
        if existing is not None:
            target = self.targets[existing]
            target.score = max(target.score, score)
            return
        self.targets.append(
            _Target(lower, lemma, code_id, method, score, base, term_lemmas, position)
        )
        tid = len(self.targets) - 1
        self._target_ids[key] = tid
        if self.lang == "nl":
            for form in _dutch_inflections(lower):
                if form != lower:
                    self.inflected[form].append(tid)


# --------------------------------------------------------------------------- vocabulary


def _trie_regex(words: Iterable[str]) -> str:
    """An alternation of `words` as a prefix trie (fast first-character dispatch; at every
    node the longer continuation is tried first, so the longest word wins)."""
    trie: dict = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict) -> str:
        end = "" in node
        branches = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if end:
            return "(?:" + body + ")?"
        return body

    return build(trie)


class _VocabularyIndex:
    """Per distinct word form of the corpus: which targets it is a compound or typo of."""

    def __init__(self, kw: _Keywords) -> None:
        self.kw = kw
        self.seen: set[int] = set()  # lower hashes already analysed
        targets = sorted(kw.targets, key=lambda t: -len(t.lower))
        self._by_lower: dict[str, list[int]] = defaultdict(list)
        for i, t in enumerate(kw.targets):
            self._by_lower[t.lower].append(i)
        alts = sorted({t.lower for t in targets}, key=len, reverse=True)
        self._infix = re.compile("(?=(" + _trie_regex(alts) + "))") if alts else None
        fuzzy = sorted({t.lower for t in targets if len(t.lower) >= 6})
        self._fuzzy_choices = fuzzy
        self._fuzzy_allowed = np.array([1 if len(w) < 10 else 2 for w in fuzzy], dtype=np.int32)
        self.inflections = set(_NL_INFLECTIONS if kw.lang == "nl" else _EN_INFLECTIONS)

    def _is_word(self, part: str) -> bool:
        # Only the static lexicon: words seen earlier in the corpus would make a document's
        # scores depend on what was processed before it (not reproducible).
        return part in self.kw.tables.lexicon

    def _word_part(self, part: str, trailing: bool) -> str | None:
        """`part` (or it without a linking s/e/en/-) if it is a word; trailing = part is left."""
        if self._is_word(part):
            return part
        for link in _LINKERS:
            if trailing and part.endswith(link) and self._is_word(part[: -len(link)]):
                return part[: -len(link)]
            if not trailing and part.startswith(link) and self._is_word(part[len(link) :]):
                return part[len(link) :]
        return None

    def analyse(self, forms: list[str]) -> list[tuple[str, int, float, Method, str]]:
        """New word forms -> (form, target id, factor, method, kind) hits."""
        kw = self.kw
        hits: list[tuple[str, int, float, Method, str]] = []
        cand = [
            f
            for f in forms
            if len(f) >= 5 and f.isalpha() and f not in kw.stop and f not in self._by_lower
        ]
        for f in cand:
            for tid in kw.inflected.get(f, ()):
                hits.append((f, tid, _F_INFLECTED, "keyword", "inflected"))
        if self._infix is not None and cand:
            # one regex pass over all new forms joined by newlines (no target has one)
            joined = "\n".join(cand)
            offsets = np.cumsum([0] + [len(f) + 1 for f in cand[:-1]]).tolist()
            found: dict[int, list[tuple[int, int, str]]] = defaultdict(list)
            for m in self._infix.finditer(joined):
                t = m.group(1)
                fi = bisect_right(offsets, m.start()) - 1
                local = m.start() - offsets[fi]
                found[fi].append((local, local + len(t), t))
            for fi, spans in found.items():
                f = cand[fi]
                # drop a hit contained in a longer hit (veiligheid inside informatieveiligheid)
                spans = [
                    x
                    for x in spans
                    if not any(o != x and o[0] <= x[0] and x[1] <= o[1] for o in spans)
                ]
                for start, end, t in spans:
                    factor = self._compound_factor(f[:start], f[end:])
                    if factor:
                        for tid in self._by_lower[t]:
                            hits.append((f, tid, factor, "keyword", "compound"))
        # typos: one cdist over the new forms that are not words of the lemma tables
        typo = [f for f in cand if len(f) >= 5 and f not in kw.tables.lexicon]
        if typo and self._fuzzy_choices:
            dist = cdist(
                typo,
                self._fuzzy_choices,
                scorer=OSA.distance,
                score_cutoff=2,
                dtype=np.int32,
                workers=1,
            )
            rows, cols = np.nonzero(dist <= self._fuzzy_allowed[None, :])
            best: dict[str, int] = {}
            for r, c in zip(rows.tolist(), cols.tolist(), strict=True):
                f = typo[r]
                d = int(dist[r, c])
                if d == 0:
                    continue
                if best.get(f, 99) >= d:
                    best[f] = d
            for r, c in zip(rows.tolist(), cols.tolist(), strict=True):
                f, t = typo[r], self._fuzzy_choices[c]
                d = int(dist[r, c])
                if d == 0 or d != best[f] or f[0] != t[0]:
                    continue
                factor = _F_FUZZY1 if d == 1 else _F_FUZZY2
                for tid in self._by_lower[t]:
                    hits.append((f, tid, factor, "fuzzy", "fuzzy"))
        return hits

    def _compound_factor(self, left: str, right: str) -> float:
        if not left and not right:
            return 0.0
        if not left and right in self.inflections:
            return _F_INFLECTED
        if left and right in self.inflections:
            right = ""  # head of a compound, inflected: klimaatrisico's
        parts_ok = True
        weak_ok = True
        if left:
            if len(left) < 4:
                return 0.0
            parts_ok &= self._word_part(left, trailing=True) is not None
            weak_ok &= len(left) >= 4
        if right:
            r = right
            if len(r) < 3:
                return 0.0
            parts_ok &= (
                self._word_part(r, trailing=False) is not None
                or (r[-2:] in ("en", "es") and self._word_part(r[:-2], False) is not None)
                or (r[-1:] in ("s", "e", "n") and self._word_part(r[:-1], False) is not None)
            )
            weak_ok &= len(r) >= 4
        # the keyword as modifier keeps the topic (omgevingswettraining is about the
        # Omgevingswet); as head, the modifier may change it (werkklimaat is not climate)
        factor = _F_COMPOUND if not left else _F_HEAD
        if parts_ok:
            return factor
        return factor * (_F_COMPOUND_WEAK / _F_COMPOUND) if weak_ok else 0.0


# --------------------------------------------------------------------------- engine


@dataclass
class _Cand:
    code_id: CodeId
    start: int  # token indices in the unit doc
    end: int
    score: float
    method: Method
    pattern: str
    base: str
    learned: bool
    part: bool = False


_VIEW_ATTRS = [LOWER, LEMMA, IDX, LENGTH, SENT_START]


class _BatchTokens:
    """What matching reads of a batch of docs (token i of doc d is at `offsets[d] + i`): one
    `to_array` per doc instead of a Python `Token` per look-up; positions are read only
    where something matched."""

    __slots__ = ("_array", "lowers", "offsets", "sent_starts")

    def __init__(self, docs: Sequence[Doc]) -> None:
        self.offsets: list[int] = np.cumsum([0] + [len(d) for d in docs]).tolist()
        arrays = [d.to_array(_VIEW_ATTRS) for d in docs if len(d)]
        big = np.concatenate(arrays) if arrays else np.zeros((0, len(_VIEW_ATTRS)), dtype="uint64")
        self._array = big
        self.lowers: np.ndarray = np.ascontiguousarray(big[:, 0])
        starts = big[:, 4] == 1
        firsts = [o for o in self.offsets[:-1] if o < len(starts)]
        starts[firsts] = True  # a sentence never runs into the next document
        self.sent_starts: list[int] = np.flatnonzero(starts).tolist()

    def lower(self, g: int) -> int:
        return int(self._array[g, 0])

    def lemma(self, g: int) -> int:
        return int(self._array[g, 1])

    def start_char(self, g: int) -> int:
        """Start offset of token g (global index) in its document's text."""
        return int(self._array[g, 2])

    def end_char(self, g: int) -> int:
        """End offset of token g (global index) in its document's text."""
        row = self._array[g]
        return int(row[2] + row[3])

    def sentence(self, g: int) -> tuple[int, int]:
        """Global token range [start, end) of the sentence that holds token g."""
        starts = self.sent_starts
        k = bisect_right(starts, g) - 1
        end = starts[k + 1] if k + 1 < len(starts) else len(self.lowers)
        return starts[k], end


class SuggestionEngine:
    """Suggests codes for documents; `learn()` from codings, `suggest()` for documents.

    codes: the codebook. Codes that are the parent of another code (categories) are not
        suggested unless `include_categories`.
    span: "sentence" (default: the sentence around the evidence, within the turn), "match"
        (just the evidence) or "turn" (the whole speaker turn / survey answer).
    respondent_only: skip interviewer turns of transcripts (see `respondent_units`).
    """

    def __init__(
        self,
        codes: Iterable[CodeSpec],
        lang: str = "nl",
        span: SpanMode = "sentence",
        respondent_only: bool = True,
        interviewer_labels: Iterable[str] = DEFAULT_INTERVIEWER_LABELS,
        *,
        model: str | None = None,
        include_categories: bool = False,
        batch_size: int = 1000,
    ) -> None:
        if span not in ("sentence", "match", "turn"):
            raise ValueError(f"span must be sentence, match or turn, not {span!r}")
        self.codes = list(codes)
        self.lang = (lang or "nl").lower()
        self.span = span
        self.respondent_only = respondent_only
        self.interviewer_labels = tuple(interviewer_labels)
        self.batch_size = batch_size
        self.nlp = get_pipeline(self.lang, model)
        parents = {c.parent for c in self.codes if c.parent is not None}
        self.active = [c for c in self.codes if include_categories or c.id not in parents]
        self.learned: list[LearnedPattern] = []
        self._df: dict[str, float] | None = None  # description words' corpus shares
        self._doc_cache: dict[DocId, Doc] = {}
        self._factors: dict[tuple[CodeId, str], float] = {}
        # (code, term) -> (documents where it was right, where it was wrong) among the coded
        self._calibration: dict[tuple[CodeId, str], tuple[int, int]] = {}
        self._build()

    # ------------------------------------------------------------------ building
    def _build(self) -> None:
        if not hasattr(self, "_def_include"):
            self._read_definitions()
        kw = _Keywords(self.nlp, self.lang)
        for code in self.active:
            kw.add_term(code.id, code.name, name=True)
            for k in code.keywords:
                kw.add_term(code.id, k)
        for code_id, term, score in self._definition_terms(kw):
            kw.add_term(code_id, term, score, "description", term)
        for code_id, term in self._exclusion_terms:
            kw.add_term(code_id, term, 1.0, "exclude", term)
        for lp in self.learned:
            words = lp.phrase.split()
            if len(words) == 1:
                kw.add_term(lp.code_id, lp.phrase, lp.score, "learned", lp.phrase)
            else:
                r = kw.rule(lp.code_id, "learned", lp.score, lp.phrase, lp.phrase)
                kw.add_phrase("LEMMA", words, r)
        self._kw = kw
        self._vocab = _VocabularyIndex(kw)
        self._matchers = {
            attr: PhraseMatcher(self.nlp.vocab, attr=attr) for attr in ("LOWER", "LEMMA", "ORTH")
        }
        self._matcher_list = list(self._matchers.values())
        # lower hash -> [(rule id, lemma hashes of a multi-word term or None, position)]
        self._word_hits: dict[int, list[tuple[int, tuple[int, ...] | None, int]]] = {}
        self._word_hit_keys = np.zeros(0, dtype="uint64")
        self._keys: dict[int, list[int]] = {}
        for (attr, words), rules in kw.phrases.items():
            self._add_pattern(attr, words, rules)
        strings = self.nlp.vocab.strings
        self._det_hashes = {strings.add(w) for w in _DETERMINERS.get(self.lang, ())}
        self._contrast_hashes = {strings.add(w) for w in _CONTRAST.get(self.lang, ())}
        of = _OF.get(self.lang)
        self._of_hash = strings.add(of) if of else None
        # negation cues ride along in the LEMMA matcher (no extra pass over the text)
        cues = _NEGATION_CUES.get(self.lang, [])
        self._neg_key = self.nlp.vocab.strings.add("NEG\x1f")
        if cues:
            pats = []
            for cue in cues:
                lemmas = [(t.lemma_ or t.lower_).lower() for t in _analyse_term(self.nlp, cue)]
                pats.append(self._pattern_doc("LEMMA", lemmas))
            self._matchers["LEMMA"].add("NEG\x1f", pats)

    def _read_definitions(self) -> None:
        """Each code's description (and examples) as terms: (code, words, lemmas, is phrase);
        the words a definition shares with the code's name and keywords are its own."""
        self._def_include: list[tuple[CodeId, str, list[str], list[str]]] = []
        self._exclusion_terms: list[tuple[CodeId, str]] = []
        self._def_codes: dict[str, set[CodeId]] = defaultdict(set)  # lemma -> codes
        kw = _Keywords(self.nlp, self.lang)
        stop = kw.stop | _DEFINITION_WORDS
        own: dict[CodeId, set[str]] = defaultdict(set)
        for code in self.active:
            for term in [code.name, *code.keywords]:
                for lemma in kw._tokens(term)[1]:
                    own[code.id].add(lemma)
                    self._def_codes[lemma].add(code.id)
        for code in self.active:
            if not code.description and not code.examples:
                continue
            definition = parse_definition(code.description, code.examples, self.lang)
            for term in definition.include:
                words, lemmas = kw._tokens(term)
                keep = [
                    i for i, (w, m) in enumerate(zip(words, lemmas, strict=True))
                    if (len(w) >= 3 or kw.is_abbreviation(w)) and any(ch.isalpha() for ch in w)
                    and w.lower() not in stop and m not in stop
                ]
                if not keep:
                    continue
                words, lemmas = words[keep[0] : keep[-1] + 1], lemmas[keep[0] : keep[-1] + 1]
                self._def_include.append((code.id, " ".join(words), words, lemmas))
                for i in keep:
                    self._def_codes[lemmas[i - keep[0]]].add(code.id)
            for term in definition.exclude:
                words, lemmas = kw._tokens(term)
                content = [m for w, m in zip(words, lemmas, strict=True) if w.lower() not in stop and m not in stop and len(w) >= 3]
                # a word the code itself is found by cannot speak against it
                if content and not (len(content) == 1 and content[0] in own[code.id]):
                    self._exclusion_terms.append((code.id, term))
        self._def_stop = stop

    def _definition_terms(self, kw: _Keywords) -> Iterator[tuple[CodeId, str, float]]:
        """Description terms with their scores: a phrase as a whole, and each of its words as
        far as the word is specific to this code (in at most `_DEF_MAX_CODES` definitions)
        and rare in the corpus (`observe`)."""
        if not hasattr(self, "_def_include"):
            self._read_definitions()
        seen: set[tuple[CodeId, str]] = set()
        df = self._df
        for code_id, term, words, lemmas in self._def_include:
            def specific(lemma: str, word: str) -> float:
                codes = len(self._def_codes.get(lemma, ()))
                if codes > _DEF_MAX_CODES:
                    return 0.0
                share = df.get(lemma, 0.0) if df is not None else 0.0
                if share > _DEF_COMMON:
                    return 0.0
                general = max(zipf(lemma, self.lang), zipf(word.lower(), self.lang))
                if general >= _ZIPF_COMMON:
                    return 0.0  # "team", "levels", "lopen": common words prove nothing
                common = 1.0 if general < _ZIPF_USUAL else 0.8
                corpus = 1.0 if share <= _DEF_RARE else 1.0 - 0.4 * (share - _DEF_RARE) / (_DEF_COMMON - _DEF_RARE)
                return common * corpus * (1.0 if codes <= 1 else 0.85)

            if len(words) == 1 and kw.is_abbreviation(words[0]):
                if (code_id, term) not in seen and len(self._def_codes.get(lemmas[0], ())) <= 1:
                    seen.add((code_id, term))
                    yield code_id, term, _S_DEF_ABBR
                continue
            if 1 < len(words) <= 4 and (code_id, term.lower()) not in seen:
                seen.add((code_id, term.lower()))
                yield code_id, term, _S_DEF_PHRASE
            content = sum(1 for w, m in zip(words, lemmas, strict=True) if w.lower() not in self._def_stop and m not in self._def_stop)
            item = _S_DEF_WORD if content <= 2 else _S_DEF_WORD_PROSE
            for w, m in zip(words, lemmas, strict=True):
                if w.lower() in self._def_stop or m in self._def_stop or len(w) < 4 or not w.isalpha():
                    continue
                factor = specific(m, w)
                if factor and (code_id, m) not in seen:
                    seen.add((code_id, m))
                    yield code_id, w.lower() if not kw.is_abbreviation(w) else w, item * factor

    def observe(self, documents: Sequence[DocumentInput]) -> None:
        """How common each description word is in this corpus (share of units: segments or
        whole documents that contain it), so a word most answers use proves nothing."""
        if not hasattr(self, "_def_include"):
            self._read_definitions()
        wanted = {m for _, _, _, lemmas in self._def_include for m in lemmas}
        if not wanted:
            return
        lookup = self._kw.tables.lookup
        counts: dict[str, int] = defaultdict(int)
        units = 0
        for doc in documents:
            pieces = [doc.text[s:e] for s, e, _ in doc.segments] or [doc.text]
            for piece in pieces:
                units += 1
                forms = set(_WORD_RE.findall(piece.lower()))
                for lemma in {lookup.get(f, f) for f in forms} & wanted:
                    counts[lemma] += 1
        self._df = {m: n / units for m, n in counts.items()} if units else {}
        self._build()

    def _pattern_doc(self, attr: str, words: Sequence[str]) -> Doc:
        if attr == "LEMMA":
            return Doc(self.nlp.vocab, words=list(words), lemmas=list(words))
        return Doc(self.nlp.vocab, words=list(words))

    def _add_pattern(self, attr: str, words: Sequence[str], rules: list[int]) -> None:
        key = f"{attr}\x1f" + "\x1f".join(words)
        h = self.nlp.vocab.strings.add(key)
        if h in self._keys:
            for r in rules:
                if r not in self._keys[h]:
                    self._keys[h].append(r)
            return
        self._keys[h] = list(rules)
        self._matchers[attr].add(key, [self._pattern_doc(attr, words)])

    def set_decisions(self, decisions: Iterable[Decision]) -> None:
        """Past accept/reject decisions: each (code, pattern) scores times
        (accepted + 1) / (accepted + rejected + 1); a variant also takes its keyword's factor."""
        self._set_decisions(decisions)

    def _set_decisions(self, decisions: Iterable[Decision]) -> None:
        counts: dict[tuple[CodeId, str], list[int]] = defaultdict(lambda: [0, 0])
        for d in decisions:
            counts[(d.code_id, d.pattern.lower())][0 if d.accepted else 1] += 1
        self._factors = {k: (a + 1) / (a + r + 1) for k, (a, r) in counts.items()}

    def _factor(self, code_id: CodeId, pattern: str, base: str) -> float:
        f = self._factors.get((code_id, pattern.lower()), 1.0)
        if base != pattern:
            f *= self._factors.get((code_id, base.lower()), 1.0)
        return f

    # ------------------------------------------------------------------ learning
    def learn(
        self,
        examples: Iterable[CodedExample],
        documents_by_id: Mapping[DocId, DocumentInput],
        decisions: Iterable[Decision] = (),
        *,
        min_documents: int = 2,
        min_precision: float = 0.6,
        min_z: float = 1.5,
        max_per_code: int = 40,
    ) -> list[LearnedPattern]:
        """Learn distinctive phrases from codings; replaces what an earlier call learned.

        Every coding is evidence, read the way a coder's correction is: text the codebook
        already explains (words matched by any code's keywords) is left out, and a phrase
        (lemma 1-3-gram of content words) counts as support for code C only in codings of C
        that the keywords did not find ("explaining away": in a multi-theme answer coded with
        five codes, *Woo* is evidence for the Woo code, not for the four others).
        A phrase becomes a `learned` pattern for C when it supports >= `min_documents`
        unexplained documents of C, its precision on the coded documents (documents coded C
        that contain it / coded documents that contain it) is >= `min_precision`, and the
        log-odds ratio of "in C" vs "not in C" has z >= `min_z`.
        Only documents with at least one example are read (there, the absence of a code means
        something); their interviewer turns are ignored. Decisions scale pattern scores.
        """
        self._set_decisions(decisions)
        self._calibration = {}
        if self.learned:
            self.learned = []
            self._build()
        by_doc: dict[DocId, list[CodedExample]] = defaultdict(list)
        active = {c.id for c in self.active}
        for ex in examples:
            if ex.document_id in documents_by_id and ex.code_id in active:
                by_doc[ex.document_id].append(ex)
        support: dict[CodeId, dict[tuple[str, ...], int]] = defaultdict(lambda: defaultdict(int))
        pos: dict[CodeId, dict[tuple[str, ...], int]] = defaultdict(lambda: defaultdict(int))
        neg: dict[CodeId, dict[tuple[str, ...], int]] = defaultdict(lambda: defaultdict(int))
        n_pos: dict[CodeId, int] = defaultdict(int)
        n_out: dict[CodeId, int] = defaultdict(int)
        codes_seen = {ex.code_id for exs in by_doc.values() for ex in exs}
        tally: dict[tuple[CodeId, str], list[int]] = defaultdict(lambda: [0, 0])
        for doc_id, grams, found, evidence in self._doc_evidence(documents_by_id[d] for d in by_doc):
            spans: dict[CodeId, list[tuple[int, int]]] = defaultdict(list)
            for ex in by_doc[doc_id]:
                spans[ex.code_id].append((ex.start, ex.end))
            # a coded document is a reviewed one: each codebook term found in it was right
            # (inside a coding of its code) or wrong, once per document
            verdicts: dict[tuple[CodeId, str], bool] = {}
            for code_id, term, cs, ce in evidence:
                right = any(a < ce and cs < b for a, b in spans.get(code_id, ()))
                key = (code_id, term.lower())
                verdicts[key] = verdicts.get(key, False) or right
            for key, right in verdicts.items():
                tally[key][0 if right else 1] += 1
            for code_id in codes_seen:
                cs = spans.get(code_id, [])
                inside: set[tuple[str, ...]] = set()
                unexplained: set[tuple[str, ...]] = set()
                outside: set[tuple[str, ...]] = set()
                open_spans = [
                    (a, b)
                    for a, b in cs
                    if not any(a <= s and e <= b for s, e in found.get(code_id, ()))
                ]
                for g, s, e in grams:
                    if any(a <= s and e <= b for a, b in cs):
                        inside.add(g)
                        if any(a <= s and e <= b for a, b in open_spans):
                            unexplained.add(g)
                    elif not any(s < b and a < e for a, b in cs):
                        outside.add(g)
                if cs:
                    n_pos[code_id] += 1
                    for g in inside:
                        pos[code_id][g] += 1
                    for g in unexplained:
                        support[code_id][g] += 1
                if not cs or outside:
                    n_out[code_id] += 1
                    for g in outside:
                        neg[code_id][g] += 1
        learned: list[LearnedPattern] = []
        generic = GENERIC_WORDS.get(self.lang, frozenset())
        for code_id, grams in support.items():
            nc, no = n_pos[code_id], n_out[code_id]
            cands = []
            for g, u in grams.items():
                if u < min_documents:
                    continue
                if len(g) == 1 and (g[0] in generic or zipf(g[0], self.lang) >= _ZIPF_LEARN):
                    continue  # "year", "werk", "komen": every answer has them
                a = pos[code_id][g]
                b = neg[code_id].get(g, 0)
                precision = a / (a + b)
                if precision < min_precision:
                    continue
                lo = math.log((a + 0.5) / (nc - a + 0.5)) - math.log((b + 0.5) / (no - b + 0.5))
                se = math.sqrt(
                    1 / (a + 0.5) + 1 / (nc - a + 0.5) + 1 / (b + 0.5) + 1 / (no - b + 0.5)
                )
                z = lo / se
                if z < min_z:
                    continue
                phrase = " ".join(g)
                score = min(_LEARNED_MAX, 100.0 * (a + 1) / (a + b + 2))
                score *= self._factors.get((code_id, phrase.lower()), 1.0)
                cands.append(LearnedPattern(code_id, phrase, a, b, round(z, 2), round(score, 1)))
            cands.sort(key=lambda p: (-p.z, -p.documents, p.phrase))
            learned.extend(cands[:max_per_code])
        self.learned = learned
        self._calibration = {k: (tp, fp) for k, (tp, fp) in tally.items()}
        self._build()
        return learned

    def _doc_evidence(
        self, docs: Iterable[DocumentInput]
    ) -> Iterator[tuple[DocId, list[tuple[tuple[str, ...], int, int]], dict, list]]:
        """Per document: content n-grams of respondent text that the codebook does not explain
        (lemmas, start, end), per code the char spans where its keywords are found, and every
        codebook match (code, term, start, end) for calibration."""
        self._doc_cache = {}
        items = list(self._pipe(docs))
        # keep the processed documents for the next suggest() (freed there)
        self._doc_cache = {doc.id: sdoc for sdoc, (doc, _) in items}
        tv = _BatchTokens([d for d, _ in items])
        self._learn_vocabulary(tv.lowers)
        hits = self._doc_hits(tv.lowers, tv.offsets)
        for di, (sdoc, (doc, units)) in enumerate(items):
            found: dict[CodeId, list[tuple[int, int]]] = defaultdict(list)
            covered = np.zeros(len(sdoc) + 1, dtype=bool)
            base = tv.offsets[di]
            evidence: list[tuple[CodeId, str, int, int]] = []
            for c in self._candidates(sdoc, hits.get(di, ()), tv, base):
                cs, ce = tv.start_char(base + c.start), tv.end_char(base + c.end - 1)
                if not c.learned and _unit_of(units, cs, ce) is not None:
                    evidence.append((c.code_id, c.base, cs, ce))
                if c.score >= DEFAULT_ACCEPT_SCORE:
                    covered[c.start : c.end] = True
                    found[c.code_id].append(
                        (tv.start_char(base + c.start), tv.end_char(base + c.end - 1))
                    )
            starts = {t.idx: t.i for t in sdoc}
            grams = [
                (g, s, e)
                for g, s, e in content_ngrams(sdoc, self.nlp)
                if not covered[starts[s] : starts[s] + len(g)].any()
                and _unit_of(units, s, e) is not None
            ]
            yield doc.id, grams, found, evidence

    # ------------------------------------------------------------------ suggesting
    def _pipe(
        self, documents: Iterable[DocumentInput]
    ) -> Iterator[tuple[Doc, tuple[DocumentInput, list[tuple[int, int]]]]]:
        """One `nlp.pipe` pass over whole texts (what a bare pipeline does), with each
        document's respondent ranges; text outside them is matched but never used."""

        cache = self._doc_cache

        def items() -> Iterator[tuple[str, tuple]]:
            for doc in documents:
                units = respondent_units(doc, self.respondent_only, self.interviewer_labels)
                if not units:
                    continue
                hit = cache.get(doc.id)
                if hit is not None and hit.text == doc.text:
                    reused.append((hit, (doc, sorted(units))))
                    continue
                yield doc.text, (doc, sorted(units))

        reused: list[tuple[Doc, tuple]] = []
        for item in self.nlp.pipe(items(), as_tuples=True, batch_size=self.batch_size):
            yield item
            while reused:  # documents `learn()` just processed: no second pipeline pass
                yield reused.pop()
        while reused:
            yield reused.pop()

    def suggest(
        self,
        documents: Iterable[DocumentInput],
        min_score: float = 0,
        *,
        workers: int = 1,
        progress: Callable[[int, int], None] | None = None,
    ) -> list[Suggestion]:
        """Suggestions for `documents`: one per (document, code, span), the best evidence.

        workers > 1 splits a large corpus over forked processes (see `suggest_parts`); a
        document's suggestions depend on that document alone, so the result is the same for
        any number of workers. `progress(documents done, documents)` after each batch.
        """
        out = [
            s
            for part in self.suggest_parts(documents, min_score, workers=workers, progress=progress)
            for s in part
        ]
        out.sort(key=lambda s: (str(s.document_id), s.start, s.end, -s.score, str(s.code_id)))
        return out

    def suggest_parts(
        self,
        documents: Iterable[DocumentInput],
        min_score: float = 0,
        *,
        workers: int = 1,
        progress: Callable[[int, int], None] | None = None,
    ) -> Iterator[list[Suggestion]]:
        """`suggest`, unsorted, one list per part of the corpus as soon as it is done, so a
        caller can store the first part while the others are still being computed.

        With workers > 1 (Linux only, and only from a process with no other thread: a fork
        beside a thread can inherit a lock that thread held), this process does the first
        part and forked children, which inherit this engine (the loaded pipeline and
        codebook), do the others and send back only their suggestions.
        """
        docs = list(documents)
        total = len(docs)
        if self._df is None and self._def_include:
            self.observe(docs)
        parts = _split_for_workers(docs, workers) if workers > 1 and fork_is_safe() else [docs]
        if len(parts) == 1:
            yield self._suggest_serial(docs, min_score, progress, total)
            return
        global _FORKED
        _FORKED = (self, parts, min_score)
        try:
            context = multiprocessing.get_context("fork")
            with ProcessPoolExecutor(
                len(parts) - 1,
                mp_context=context,
                initializer=_worker_setup,
                initargs=(os.getpid(),),
            ) as pool:
                # The workers are forked here: they must be born ignoring Ctrl+C (a signal in
                # their start-up would print a traceback), and the fork itself must not be
                # interrupted half-way (the pool's threads would be left unjoinable).
                interrupt = signal.signal(signal.SIGINT, signal.SIG_IGN)
                try:
                    futures = [pool.submit(_suggest_part, i) for i in range(1, len(parts))]
                finally:
                    signal.signal(signal.SIGINT, interrupt)
                share = len(parts)

                def mine(done: int, _n: int) -> None:  # this process does 1/share of the work
                    if progress is not None:
                        progress(min(total - 1, done * share), total)

                yield self._suggest_serial(parts[0], min_score, mine, len(parts[0]))
                for index, future in enumerate(futures, start=1):
                    try:
                        result = future.result()
                    except BrokenProcessPool:  # a child died (killed, out of memory)
                        result = self._suggest_serial(parts[index], min_score, None, 0)
                    yield result
        finally:
            _FORKED = None
        if progress is not None:
            progress(total, total)

    def _suggest_serial(
        self,
        documents: list[DocumentInput],
        min_score: float,
        progress: Callable[[int, int], None] | None,
        total: int,
    ) -> list[Suggestion]:
        best: dict[tuple, tuple] = {}
        batch: list[tuple[Doc, tuple]] = []
        done = 0
        # With a progress bar to feed, match in about 20 steps (results do not depend on it).
        step = self.batch_size if progress is None else max(8, min(self.batch_size, -(-total // 20)))
        for item in self._pipe(documents):
            batch.append(item)
            if len(batch) >= step:
                self._match_batch(batch, best, min_score)
                done += len(batch)
                batch = []
                if progress is not None:
                    progress(done, total)
        if batch:
            self._match_batch(batch, best, min_score)
        self._doc_cache = {}
        if progress is not None:
            progress(total, total)
        return [
            Suggestion(
                doc.id,
                code_id,
                start,
                end,
                round(min(100.0, max(0.0, score)), 1),
                method,
                doc.text[ms:me],
                pattern,
            )
            for (_, code_id, start, end), (score, _, method, pattern, ms, me, doc) in best.items()
            if score >= min_score
        ]

    def _learn_vocabulary(self, lowers: np.ndarray) -> None:
        """Analyse the word forms not seen before (once per run): compounds, typos."""
        if not len(lowers):
            return
        seen = self._vocab.seen
        new = [h for h in np.unique(lowers).tolist() if h not in seen]
        if not new:
            return
        seen.update(new)
        strings = self.nlp.vocab.strings
        forms = [strings[h] for h in new]
        kw = self._kw
        added = False
        for form, tid, factor, method, kind in self._vocab.analyse(forms):
            t = kw.targets[tid]
            m: Method = method if t.method == "keyword" else t.method
            score = t.score * factor
            sep = "~" if method == "fuzzy" else "|"
            pattern = f"{t.base}{sep}{form}"
            rid = kw.rule(t.code_id, m, score, pattern, t.base, part=kind == "compound")
            # found by the hash of the word; inside a multi-word term the other words are
            # checked on their lemmas where the word occurs (no phrase pattern to build)
            others = None
            if len(t.term_lemmas) > 1:
                others = tuple(strings.add(w) for w in t.term_lemmas)
            entry = (rid, others, t.position)
            entries = self._word_hits.setdefault(strings[form], [])
            if entry not in entries:
                entries.append(entry)
                added = True
        if added:
            self._word_hit_keys = np.array(sorted(self._word_hits), dtype="uint64")

    def _candidates(
        self, sdoc: Doc, hits: Iterable[tuple[int, list]], tv: _BatchTokens, base: int
    ) -> list[_Cand]:
        """Matches of `sdoc` (phrase matchers + one-word vocabulary `hits` (token, rules));
        `sdoc` is document number d of the batch `tv`, `base` = `tv.offsets[d]`."""
        raw: list[tuple[int, int, int]] = []
        for m in self._matcher_list:
            raw.extend(m(sdoc))
        rules = self._kw.rules
        keys = self._keys
        factors = self._factors
        cands: list[_Cand] = []

        calibration = self._calibration

        def add(rid: int, s: int, e: int) -> None:
            r = rules[rid]
            score = r.score
            if factors:
                score *= self._factor(r.code_id, r.pattern, r.base)
            if calibration and r.method != "learned":
                seen = calibration.get((r.code_id, r.base.lower()))
                if seen is not None:
                    tp, fp = seen
                    k = _CALIBRATION_PRIOR
                    score = 100.0 * (tp + k * score / 100.0) / (tp + fp + k)
            cands.append(
                _Cand(
                    r.code_id,
                    s,
                    e,
                    score,
                    r.method,
                    r.pattern,
                    r.base,
                    r.method == "learned",
                    r.part,
                )
            )

        neg: list[tuple[int, int]] = []
        neg_key = self._neg_key
        for key, s, e in raw:
            if key == neg_key:
                neg.append((s, e))
                continue
            for rid in keys.get(key, ()):
                add(rid, s, e)
        n = len(sdoc)
        for i, entries in hits:
            for rid, others, pos in entries:
                if others is None:
                    add(rid, i, i + 1)
                    continue
                start = i - pos
                end = start + len(others)
                if start < 0 or end > n:
                    continue
                lemma = tv.lemma
                if all(j == pos or lemma(base + start + j) == h for j, h in enumerate(others)):
                    add(rid, start, end)
        if not cands:
            return []
        if any(c.method == "exclude" for c in cands):
            # what a definition excludes ("Niet coderen: wateroverlast") vetoes the code there
            veto = [c for c in cands if c.method == "exclude"]
            cands = [
                c
                for c in cands
                if c.method != "exclude"
                and not any(v.code_id == c.code_id and v.start < c.end and c.start < v.end for v in veto)
            ]
            if not cands:
                return []
        if len(cands) > 1:  # the same tokens found for a code in several ways: keep the best
            rank = _METHOD_RANK
            best: dict[tuple, _Cand] = {}
            for c in cands:
                k = (c.code_id, c.start, c.end)
                o = best.get(k)
                if o is None or (c.score, rank[c.method]) > (o.score, rank[o.method]):
                    best[k] = c
            cands = list(best.values())
        return self._resolve(cands, neg, tv, base)

    def _doc_hits(self, lowers: np.ndarray, offsets: list[int]) -> dict[int, list]:
        """Per doc index of the batch: [(token index, rule ids)] of one-word vocabulary hits."""
        out: dict[int, list] = defaultdict(list)
        keys = self._word_hit_keys
        if not len(keys) or not len(lowers):
            return out
        at = np.searchsorted(keys, lowers)
        at[at == len(keys)] = 0
        pos = np.flatnonzero(keys[at] == lowers).tolist()
        if not pos:
            return out
        word_hits = self._word_hits
        for p, h in zip(pos, lowers[pos].tolist(), strict=True):
            d = bisect_right(offsets, p) - 1
            out[d].append((p - offsets[d], word_hits[h]))
        return out

    def _match_batch(
        self, batch: list[tuple[Doc, tuple]], best: dict[tuple, tuple], min_score: float
    ) -> None:
        tv = _BatchTokens([d for d, _ in batch])
        self._learn_vocabulary(tv.lowers)
        hits = self._doc_hits(tv.lowers, tv.offsets)
        rank = _METHOD_RANK
        mode = self.span
        for di, (sdoc, (doc, units)) in enumerate(batch):
            base = tv.offsets[di]
            cands = self._candidates(sdoc, hits.get(di, ()), tv, base)
            if not cands:
                continue
            text = doc.text
            for c in cands:
                if c.score < min_score:
                    continue
                ms = tv.start_char(base + c.start)
                me = tv.end_char(base + c.end - 1)
                unit = _unit_of(units, ms, me)
                if unit is None:
                    continue  # interviewer turn or outside any segment
                if mode == "match":
                    start, end = ms, me
                elif mode == "turn":
                    start, end = _trim(text, *unit)
                else:
                    first, after = tv.sentence(base + c.start)
                    start = max(unit[0], tv.start_char(first))
                    end = min(unit[1], tv.end_char(after - 1))
                    start, end = _trim(text, start, end)
                    start, end = min(start, ms), max(end, me)
                score = c.score
                key = (doc.id, c.code_id, start, end)
                value = (score, rank[c.method], c.method, c.pattern, ms, me, doc)
                old = best.get(key)
                if old is None or value[:2] > old[:2]:
                    best[key] = value

    def _resolve(
        self, cands: list[_Cand], neg: list[tuple[int, int]], tv: _BatchTokens, base: int
    ) -> list[_Cand]:
        """Longest match wins across codes; complements and negated sentences lose weight."""
        if len(cands) > 1 and any(c.part for c in cands):
            # a word that is itself a keyword of one code is not a compound of another
            # (projectmanagement is project work, not management)
            whole = {
                (c.start, c.end, c.code_id)
                for c in cands
                if not c.part and not c.learned and c.score >= DEFAULT_ACCEPT_SCORE
            }
            spans = {(s, e) for s, e, _ in whole}
            cands = [
                c
                for c in cands
                if not c.part
                or (c.start, c.end) not in spans
                or (c.start, c.end, c.code_id) in whole
            ]
        if len(cands) > 1:
            longer = [
                o
                for o in cands
                if not o.learned and o.score >= DEFAULT_ACCEPT_SCORE and o.end - o.start > 1
            ]
            if longer:
                covering: dict[int, list[_Cand]] = defaultdict(list)
                for o in longer:
                    covering[o.start].append(o)  # keyed by the first token they share
                    for i in range(o.start + 1, o.end):
                        covering[i].append(o)
                cands = [
                    c
                    for c in cands
                    if c.start not in covering
                    or not any(
                        o.code_id != c.code_id
                        and o.start <= c.start
                        and c.end <= o.end
                        and (o.end - o.start) > (c.end - c.start)
                        for o in covering[c.start]
                    )
                ]
            # "X van (de) Y": Y is a complement of another code's X
            of = self._of_hash
            dets = self._det_hashes
            lower = tv.lower
            ends: dict[int, set] = defaultdict(set)
            for c in cands:
                if not c.learned:
                    ends[c.end].add(c.code_id)
            for c in cands:
                i = c.start - 1
                while i >= 0 and lower(base + i) in dets:
                    i -= 1
                if i >= 1 and i in ends and lower(base + i) == of and ends[i] - {c.code_id}:
                    c.score *= _F_COMPLEMENT
        if neg:
            contrast = self._contrast_hashes
            lower = tv.lower
            scopes = []
            for s, e in neg:
                first, after = tv.sentence(base + s)
                a, b = base + s, base + e
                while a > first and lower(a - 1) not in contrast:
                    a -= 1
                while b < after and lower(b) not in contrast:
                    b += 1
                scopes.append((a - base, b - base))
            for c in cands:
                if any(a <= c.start and c.end <= b for a, b in scopes):
                    c.score *= _F_NEGATED
        return cands


# --------------------------------------------------------------------------- workers

#: Below this many characters (~100k words) forking costs more than it saves.
PARALLEL_MIN_CHARS = 600_000
_FORKED: tuple | None = None  # (engine, parts, min_score) for the forked children
_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def fork_is_safe() -> bool:
    """Forking copies this process as it is: only on Linux, only with no other thread."""
    return (
        sys.platform.startswith("linux")
        and threading.active_count() == 1
        and not multiprocessing.current_process().daemon
    )


def default_workers(total_chars: int) -> int:
    """Workers for a corpus of `total_chars`: the cores (at most 4) when it is large."""
    if total_chars < PARALLEL_MIN_CHARS or not fork_is_safe():
        return 1
    return max(1, min(4, os.cpu_count() or 1))


def _split_for_workers(docs: list[DocumentInput], workers: int) -> list[list[DocumentInput]]:
    """Consecutive parts of about equal text length (never an empty part)."""
    total = sum(len(d.text) for d in docs)
    workers = min(workers, len(docs))
    if workers <= 1 or not total:
        return [docs]
    parts: list[list[DocumentInput]] = [[]]
    size = 0
    for doc in docs:
        if size >= total * len(parts) / workers and len(parts) < workers:
            parts.append([])
        parts[-1].append(doc)
        size += len(doc.text)
    return [p for p in parts if p]


def _worker_setup(parent: int) -> None:
    """A forked worker lives only as long as the process that forked it: Ctrl+C reaches the
    whole process group, so the parent reports it, once, and the child (born ignoring it)
    finishes its part quietly; if the parent is killed outright, the kernel kills the child
    too (Linux's parent-death signal) instead of leaving it waiting for work forever."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # not Linux: fork_is_safe() kept us from here anyway
        pass
    if os.getppid() != parent:  # the parent died before the signal was armed
        os._exit(1)


def _suggest_part(index: int) -> list[Suggestion]:
    engine, parts, min_score = _FORKED  # inherited from the parent at fork time
    return engine._suggest_serial(parts[index], min_score, None, 0)


def _unit_of(units: list[tuple[int, int]], start: int, end: int) -> tuple[int, int] | None:
    """The (sorted) unit range that contains [start, end), if any."""
    i = bisect_right(units, (start, float("inf"))) - 1
    if i >= 0 and units[i][0] <= start and end <= units[i][1]:
        return units[i]
    return None


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
