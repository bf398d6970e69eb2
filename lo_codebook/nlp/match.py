"""Suggest codes for texts: codebook keywords (lemma, compounds, abbreviations), typos, learning.

The engine is pure: it gets plain dataclasses and returns plain dataclasses; the core layer
loads them from and stores them in the database.

How a code is found (one `nlp.pipe` pass over whole texts; work per distinct word form, not per
token; token-level matching by spaCy's `PhraseMatcher` and a vectorised hash look-up):

* **keyword** — every codebook keyword and the code's own name, lower-cased (`LOWER`, score
  100) and as a lemma sequence (`LEMMA`, 95: *leidinggevenden* finds *leidinggevende*).
  Variants: `X en Y` = `Y en X` = `X & Y` = `X/Y` and the initials `X&Y` (`D&I`); the parts of
  a code name `X en Y` (a short, common one such as *tijd* only where its sentence says
  nothing else: "Tijd.", `named`); joined/split compounds (`samen werken` / `samenwerken`,
  `samen te werken`, `ontwikkeling van leiderschap`); Dutch derivations `-ing` <-> `-en`,
  `-isering` <-> `-isatie`; regular Dutch inflections the lookup table lacks. Abbreviations (`Woo`, `AVG`,
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
* **description** — the code's definition, read as a second coder reads it (`definitions`):
  its quoted phrases, acronyms and list items are terms like keywords, weaker (phrases 82,
  list words 66, words of running prose 52) and weighed by how specific they are: a word in
  more than two codes' definitions, in more than 12% of the corpus's answers, or common in
  the language at large (wordfreq Zipf >= 4.8: *team*, *levels*) proves nothing. What the
  definition excludes ("Niet coderen: wateroverlast", "Do not code: ...") vetoes the code
  where it is found. Two words of one list item in one sentence, in any order, corroborate
  its code even where each alone is too common (`cooccur`: "de taken van collega's die
  vertrokken zijn" for "taken van vertrokken collega's erbij").
* **learned** — `learn()` turns the coder's codings into lemma 1-3-gram patterns distinctive
  for a code (see `SuggestionEngine.learn`); they are matched like keywords, compounds and
  typos included. The coded documents also re-score every codebook term: a document with
  codings is a reviewed one, so a term found there was right (inside a coding of its code)
  or wrong, and its score becomes (right + 4 x prior) / (right + wrong + 4). A learned phrase
  below the accept score is stored only for a code the codebook gives nothing but a name.

Scores are 0-100; `DEFAULT_ACCEPT_SCORE` (70) is where a suggestion counts as a coding.
Past decisions scale a pattern's score by (accepted + 1) / (accepted + rejected + 1). A match
inside a longer match of another code is dropped (*duurzame inzetbaarheid* is not
*duurzaamheid*); a keyword in a `van`-complement of another code's keyword is lowered
(*digitalisering van de dienstverlening*); so is a match in a sentence that says the theme is
not, or no longer, an issue (*is geen issue meer*, *geen behoefte*, *goed geregeld*), up to a
contrast word (*maar*, *wel*); and, when the code's description excludes positive
mentions, a match in a clause that only praises (*IBT prima, trainers zijn top*; `polarity`).
A weak match (below the accept score) in a clause that holds a sure match of another code is
read as that code's context and drops below the storing score (`Resolver.explain_away`).
Different terms of one code in one answer (or turn) add up ("noisy or", at most 90); weak
evidence for a code below the best one of its answer keeps 0.9 of its score
(`secondary_codes`: most answers are about one thing).

Modules: `engine_types` (what goes in and out), `scores`, `language_data`, `units` (whose
words count), `terms` (compiling the codebook), `definitions`, `frequency`, `ngrams`,
`workers` (forked processes), `learning` (what codings teach), `thesaurus`, `lack`,
`ideas` and `cooccur` (other wordings of a term), `named`, `resolution` (what the matches
come to in their context); this module builds the matchers and matches.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

import numpy as np
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from . import workers as workers_module
from .cooccur import PairMatcher, item_pairs
from .definitions import parse_definition
from .engine_types import (
    DEFAULT_ACCEPT_SCORE,
    DEFAULT_INTERVIEWER_LABELS,
    CodedExample,
    CodeId,
    CodeSpec,
    Decision,
    DocId,
    DocumentInput,
    LearnedPattern,
    Method,
    SpanMode,
    Suggestion,
)
from .frequency import zipf
from .ideas import idea_terms
from .lack import build_lack_matcher
from .language_data import (
    _CONTRAST,
    _NEGATING_QUANTIFIERS,
    _NEGATION_CUES,
    _PLAIN_NEGATORS,
    _WORD_RE,
    GENERIC_WORDS,
)
from .learning import PhraseTally
from .named import NamedMatcher
from .negation import NEGATORS, GappedCues, with_quantifier_variants
from .ngrams import content_ngrams
from .pipeline import get_pipeline, word_forms
from .resolution import BatchTokens, Candidate, Resolver, combine_evidence, secondary_codes
from .scores import (
    _CALIBRATION_PRIOR,
    _CALIBRATION_RAISE_MIN,
    _DEF_COMMON,
    _DEF_MAX_CODES,
    _DEF_RARE,
    _DEFINITION_WORDS,
    _F_CORROBORATE,
    _F_EXPLAINED,
    _METHOD_RANK,
    _S_DEF_ABBR,
    _S_DEF_PHRASE,
    _S_DEF_WORD,
    _S_DEF_WORD_PROSE,
    _S_LEMMA,
    _S_NAMED,
    _STANDALONE,
    _ZIPF_COMMON,
    _ZIPF_CORROBORATE,
    _ZIPF_USUAL,
)
from .terms import _analyse_term, _Keywords, _trim, _VocabularyIndex
from .thesaurus import add_synonyms
from .units import (
    _unit_of,
    is_interviewer,
    respondent_units,
)
from .workers import (
    PARALLEL_MIN_CHARS,
    _split_for_workers,
    _suggest_part,
    _worker_setup,
    default_workers,
    fork_is_safe,
)

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
    "GENERIC_WORDS",
    "PARALLEL_MIN_CHARS",
    "content_ngrams",
    "default_workers",
    "fork_is_safe",
    "is_interviewer",
    "respondent_units",
]


# --------------------------------------------------------------------------- engine


#: Coded documents processed together while learning (bounds memory, not results).
_EVIDENCE_BATCH = 2_000
#: Up to this many coded documents, learning keeps them processed for the suggest() after it.
_CACHE_DOCUMENTS = 5_000


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
        self._read_definitions()
        self._stale = True  # compiled on first use (`_ensure_built`)

    # ------------------------------------------------------------------ building
    def _ensure_built(self) -> None:
        """Compile the codebook (and what was learned or observed since) once, when needed."""
        if self._stale:
            self._build()
            self._stale = False

    def _build(self) -> None:
        if not hasattr(self, "_def_include"):
            self._read_definitions()
        kw = _Keywords(self.nlp, self.lang)
        for code in self.active:
            kw.add_term(code.id, code.name, name=True)
            for k in code.keywords:
                kw.add_term(code.id, k)
        definition_terms = list(self._definition_terms(kw))
        for code_id, term, score in definition_terms:
            kw.add_term(code_id, term, score, "description", term)
        add_synonyms(  # "manager" for "leidinggevende" (weaker than the term itself)
            kw,
            [
                *(
                    (c.id, t, _S_LEMMA, "keyword")
                    for c in self.active
                    for t in (c.name, *c.keywords)
                ),
                *((code_id, t, s, "description") for code_id, t, s in definition_terms),
            ],
            self._def_codes,
        )
        idea_terms(kw, self.active, self._def_codes)  # "te druk" for "werkdruk"
        for code_id, term in self._exclusion_terms:
            kw.add_term(code_id, term, 1.0, "exclude", term)
        self._lack = build_lack_matcher(kw, self.active)  # "te weinig tijd" for "geen tijd"
        # "de taken van collega's die vertrokken zijn" for "taken van vertrokken collega's"
        pairs = item_pairs(self.lang, self._def_include, self._def_stop)
        self._pairs = PairMatcher(kw, pairs, _S_DEF_PHRASE * _F_CORROBORATE)
        self._named = NamedMatcher(kw, self.active, _S_NAMED)  # "Tijd." for "Tijd en werkdruk"
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
        self._resolver = Resolver(self.lang, strings.add, strings.__getitem__, self.active)
        # negation cues ride along in the LEMMA matcher (no extra pass over the text)
        cues = with_quantifier_variants(
            _NEGATION_CUES.get(self.lang, []),
            _PLAIN_NEGATORS.get(self.lang, ()),
            _NEGATING_QUANTIFIERS.get(self.lang, ()),
        )
        self._neg_key = self.nlp.vocab.strings.add("NEG\x1f")
        self._negator_hashes = frozenset(
            self.nlp.vocab.strings.add(w) for w in NEGATORS.get(self.lang, ())
        )
        cue_words = [
            [(t.lemma_ or t.lower_).lower() for t in _analyse_term(self.nlp, cue)] for cue in cues
        ]
        if cues:
            pats = [self._pattern_doc("LEMMA", lemmas) for lemmas in cue_words]
            self._matchers["LEMMA"].add("NEG\x1f", pats)
        negators = NEGATORS.get(self.lang, frozenset())
        cue_lemmas = [[strings.add(w) for w in lemmas] for lemmas in cue_words]
        blockers = {strings.add(w) for w in negators | _CONTRAST.get(self.lang, set())}
        self._gapped = GappedCues(cue_lemmas, blockers)
        self._bare = frozenset(
            c.id for c in self.active if not c.keywords and not c.description and not c.examples
        )

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
                    i
                    for i, (w, m) in enumerate(zip(words, lemmas, strict=True))
                    if (len(w) >= 3 or kw.is_abbreviation(w))
                    and any(ch.isalpha() for ch in w)
                    and w.lower() not in stop
                    and m not in stop
                ]
                if not keep:
                    continue
                words, lemmas = words[keep[0] : keep[-1] + 1], lemmas[keep[0] : keep[-1] + 1]
                self._def_include.append((code.id, " ".join(words), words, lemmas))
                for i in keep:
                    self._def_codes[lemmas[i - keep[0]]].add(code.id)
            for term in definition.exclude:
                words, lemmas = kw._tokens(term)
                good = [
                    w.lower() not in stop
                    and m not in stop
                    and len(w) >= 3
                    and any(ch.isalpha() for ch in w)
                    for w, m in zip(words, lemmas, strict=True)
                ]
                if not any(good):
                    continue
                first, last = good.index(True), len(good) - 1 - good[::-1].index(True)
                pieces = []
                if (
                    last - first < 4
                ):  # a short item as a whole: "wateroverlast", "druk op de woningmarkt"
                    pieces.append(words[first : last + 1])
                # and every pair of adjacent content words of a longer one ("in de zin van
                # sociale isolatie": "sociale isolatie")
                pieces += [words[i : i + 2] for i in range(first, last) if good[i] and good[i + 1]]
                for piece in pieces:
                    piece_lemmas = [kw._tokens(w)[1][0] for w in piece if kw._tokens(w)[1]]
                    content = [m for m in piece_lemmas if m not in stop]
                    # a word the code itself is found by cannot speak against it
                    if content and not (len(content) == 1 and content[0] in own[code.id]):
                        self._exclusion_terms.append((code.id, " ".join(piece)))
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
                    # "budget", "gezin": common in the language, yet in one code's definition
                    # and not common in this corpus, they corroborate (weakly alone)
                    if general >= _ZIPF_CORROBORATE or codes > 1 or share > _DEF_RARE:
                        return 0.0  # "team", "levels", "lopen": common words prove nothing
                    return _F_CORROBORATE
                common = 1.0 if general < _ZIPF_USUAL else 0.8
                corpus = (
                    1.0
                    if share <= _DEF_RARE
                    else 1.0 - 0.4 * (share - _DEF_RARE) / (_DEF_COMMON - _DEF_RARE)
                )
                return common * corpus * (1.0 if codes <= 1 else 0.85)

            if len(words) == 1 and kw.is_abbreviation(words[0]):
                if (code_id, term) not in seen and len(self._def_codes.get(lemmas[0], ())) <= 1:
                    seen.add((code_id, term))
                    yield code_id, term, _S_DEF_ABBR
                continue
            if 1 < len(words) <= 4 and (code_id, term.lower()) not in seen:
                seen.add((code_id, term.lower()))
                yield code_id, term, _S_DEF_PHRASE
            content = sum(
                1
                for w, m in zip(words, lemmas, strict=True)
                if w.lower() not in self._def_stop and m not in self._def_stop
            )
            item = _S_DEF_WORD if content <= 2 else _S_DEF_WORD_PROSE
            for w, m in zip(words, lemmas, strict=True):
                if (
                    w.lower() in self._def_stop
                    or m in self._def_stop
                    or len(w) < 4
                    or not w.isalpha()
                ):
                    continue
                factor = specific(m, w)
                if factor and (code_id, m) not in seen:
                    seen.add((code_id, m))
                    yield code_id, w.lower() if not kw.is_abbreviation(w) else w, item * factor

    def observe(self, documents: Sequence[DocumentInput]) -> None:
        """How common each description word is in this corpus (share of units: segments or
        whole documents that contain it), so a word most answers use proves nothing. A large
        corpus is estimated from an evenly spread sample of `_OBSERVE_UNITS` units (the same
        corpus always gives the same sample)."""
        if not hasattr(self, "_def_include"):
            self._read_definitions()
        # documents kept (by reference) to tell later how common a learned phrase is
        self._observed = [
            doc.text for doc in documents[:: max(1, len(documents) // _OBSERVE_UNITS)]
        ]
        wanted = {m for _, _, _, lemmas in self._def_include for m in lemmas}
        if not wanted:
            return
        forms_of = word_forms(self.lang, frozenset(wanted))
        spans = [(doc.text, s, e) for doc in documents for s, e, _ in doc.segments] or []
        spans += [(doc.text, 0, len(doc.text)) for doc in documents if not doc.segments]
        step = max(1, len(spans) // _OBSERVE_UNITS)
        sample = spans[::step]
        counts: dict[str, int] = defaultdict(int)
        for text, s, e in sample:
            for form in set(_WORD_RE.findall(text[s:e].lower())) & forms_of.keys():
                for lemma in forms_of[form]:
                    counts[lemma] += 1
        self._df = {m: n / len(sample) for m, n in counts.items()} if sample else {}
        self._stale = True

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
            self._stale = True
        by_doc: dict[DocId, list[CodedExample]] = defaultdict(list)
        active = {c.id for c in self.active}
        for ex in examples:
            if ex.document_id in documents_by_id and ex.code_id in active:
                by_doc[ex.document_id].append(ex)
        tally = PhraseTally({ex.code_id for exs in by_doc.values() for ex in exs})
        for doc_id, grams, found, evidence in self._doc_evidence(
            documents_by_id[d] for d in by_doc
        ):
            spans: dict[CodeId, list[tuple[int, int]]] = defaultdict(list)
            for ex in by_doc[doc_id]:
                spans[ex.code_id].append((ex.start, ex.end))
            tally.add(spans, grams, found, evidence)
        self.learned = tally.patterns(
            lang=self.lang,
            spread=self._spread(tally.supported_words(min_documents)),
            factors=self._factors,
            min_documents=min_documents,
            min_precision=min_precision,
            min_z=min_z,
            max_per_code=max_per_code,
        )
        self._calibration = tally.calibration()
        self._stale = True
        return self.learned

    def _spread(self, lemmas: set[str]) -> Callable[[tuple[str, ...]], float] | None:
        """Share of the observed documents that hold a phrase (at most that of its rarest
        word), or None when no corpus was observed."""
        observed = getattr(self, "_observed", None)
        if not observed or not lemmas:
            return None
        forms_of = word_forms(self.lang, frozenset(lemmas))
        counts: dict[str, int] = defaultdict(int)
        for text in observed:
            for form in set(_WORD_RE.findall(text.lower())) & forms_of.keys():
                for lemma in forms_of[form]:
                    counts[lemma] += 1
        n = len(observed)

        def share(g: tuple[str, ...]) -> float:
            return min(counts.get(w, 0) for w in g) / n

        return share

    def _calibrated(self, code_id: CodeId, base: str, score: float) -> float:
        seen = self._calibration.get((code_id, base.lower()))
        if seen is None:
            return score
        tp, fp = seen
        k = _CALIBRATION_PRIOR
        calibrated = 100.0 * (tp + k * score / 100.0) / (tp + fp + k)
        if calibrated > score and (tp < _CALIBRATION_RAISE_MIN or score < _STANDALONE):
            # right in one coded document: it was there, not why it was coded; and a term too
            # weak to stand alone was only seen where other evidence carried it
            return score
        return calibrated

    def _doc_evidence(
        self, docs: Iterable[DocumentInput]
    ) -> Iterator[tuple[DocId, list[tuple[tuple[str, ...], int, int]], dict, list]]:
        """Per document: content n-grams of respondent text that the codebook does not explain
        (lemmas, start, end), per code the char spans where its keywords are found, and every
        codebook match (code, term, start, end) for calibration."""
        self._ensure_built()
        self._doc_cache = {}
        docs = list(docs)
        # A few thousand processed documents are kept for the next suggest() (freed there);
        # more would hold gigabytes (200,000 coded answers), so those are processed again.
        keep = len(docs) <= _CACHE_DOCUMENTS
        for first in range(0, len(docs), _EVIDENCE_BATCH):
            yield from self._batch_evidence(docs[first : first + _EVIDENCE_BATCH], keep)

    def _batch_evidence(
        self, docs: Sequence[DocumentInput], keep: bool
    ) -> Iterator[tuple[DocId, list[tuple[tuple[str, ...], int, int]], dict, list]]:
        items = list(self._pipe(docs))
        if keep:
            self._doc_cache.update({doc.id: sdoc for sdoc, (doc, _) in items})
        tv = BatchTokens([d for d, _ in items])
        self._learn_vocabulary(tv.lowers)
        hits = self._doc_hits(tv.lowers, tv.offsets)
        for di, (sdoc, (doc, units)) in enumerate(items):
            found: dict[CodeId, list[tuple[int, int]]] = defaultdict(list)
            covered = np.zeros(len(sdoc) + 1, dtype=bool)
            base = tv.offsets[di]
            evidence: list[tuple[CodeId, str, int, int, float]] = []
            for c in self._candidates(sdoc, hits.get(di, ()), tv, base):
                cs, ce = tv.start_char(base + c.start), tv.end_char(base + c.end - 1)
                if not c.learned and _unit_of(units, cs, ce) is not None:
                    evidence.append((c.code_id, c.base, cs, ce, c.score))
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
        self._ensure_built()
        parts = _split_for_workers(docs, workers) if workers > 1 and fork_is_safe() else [docs]
        if len(parts) == 1:
            yield self._suggest_serial(docs, min_score, progress, total)
            return
        workers_module.forked = (self, parts, min_score)
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
                # interrupted half-way (the pool's threads would be left unjoinable). Ctrl+C is
                # blocked, not ignored, meanwhile: one pressed now is held and delivered to this
                # process right after, never lost; the children ignore it before unblocking.
                signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
                try:
                    futures = [pool.submit(_suggest_part, i) for i in range(1, len(parts))]
                finally:
                    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
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
            workers_module.forked = None
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
        step = (
            self.batch_size if progress is None else max(8, min(self.batch_size, -(-total // 20)))
        )
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
            for (_, code_id, start, end), (
                score,
                _,
                _,
                method,
                pattern,
                ms,
                me,
                doc,
            ) in best.items()
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
        self, sdoc: Doc, hits: Iterable[tuple[int, list]], tv: BatchTokens, base: int
    ) -> list[Candidate]:
        """Matches of `sdoc` (phrase matchers + one-word vocabulary `hits` (token, rules));
        `sdoc` is document number d of the batch `tv`, `base` = `tv.offsets[d]`."""
        raw: list[tuple[int, int, int]] = []
        for m in self._matcher_list:
            raw.extend(m(sdoc))
        rules = self._kw.rules
        keys = self._keys
        factors = self._factors
        cands: list[Candidate] = []

        calibration = self._calibration

        def add(rid: int, s: int, e: int) -> None:
            r = rules[rid]
            score = r.score
            if factors:
                score *= self._factor(r.code_id, r.pattern, r.base)
            if calibration and r.method != "learned":
                score = self._calibrated(r.code_id, r.base, score)
            cands.append(
                Candidate(
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
        denied = self._kw.denied_by_negator
        negators = self._negator_hashes
        for key, s, e in raw:
            if key == neg_key:
                neg.append((s, e))
                continue
            for rid in keys.get(key, ()):
                add(rid, s, e)
                veto = denied.get(rid)
                if veto is not None and s > 0:
                    g = base + s - 1
                    if tv.lower(g) in negators or tv.lemma(g) in negators:
                        add(veto, s - 1, e)
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
        for rid, s, e in self._lack.find(tv, base, n):
            add(rid, s, e)
        for rid, s, e in self._pairs.find(tv, base, n):
            add(rid, s, e)
        for rid, s, e in self._named.find(tv, base, n):
            add(rid, s, e)
        if not cands:
            return []
        neg.extend(self._gapped_denials(cands, neg, tv, base))
        if any(c.method == "exclude" for c in cands):
            # what a definition excludes ("Niet coderen: wateroverlast") vetoes the code there
            veto: dict[CodeId, list[tuple[int, int]]] = defaultdict(list)
            for c in cands:
                if c.method == "exclude":
                    veto[c.code_id].append((c.start, c.end))
            cands = [
                c
                for c in cands
                if c.method != "exclude"
                and not any(a < c.end and c.start < b for a, b in veto.get(c.code_id, ()))
            ]
            if not cands:
                return []
        if len(cands) > 1:  # the same tokens found for a code in several ways: keep the best
            rank = _METHOD_RANK
            best: dict[tuple, Candidate] = {}
            for c in cands:
                k = (c.code_id, c.start, c.end)
                o = best.get(k)
                if o is None or (c.score, rank[c.method]) > (o.score, rank[o.method]):
                    best[k] = c
            cands = list(best.values())
        return self._resolver.resolve(cands, neg, tv, base)

    def _gapped_denials(
        self, cands: list[Candidate], neg: list[tuple[int, int]], tv: BatchTokens, base: int
    ) -> list[tuple[int, int]]:
        """Denial cues with words in between, in the sentences of the candidates only."""
        out: list[tuple[int, int]] = []
        seen: set[int] = set()
        lemmas = tv.lemmas
        if tv.cue_starts is None:
            tv.cue_starts = self._gapped.starts(lemmas)
        if not tv.cue_starts:
            return out
        for c in cands:
            first, after = tv.sentence(base + c.start)
            if first in seen:
                continue
            seen.add(first)
            for s, e in self._gapped.find(lemmas, tv.lowers, first, after, tv.cue_starts):
                span = (first - base + s, first - base + e)
                if span not in neg:
                    out.append(span)
        return out

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
        tv = BatchTokens([d for d, _ in batch])
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
            placed = []
            for c in cands:
                ms = tv.start_char(base + c.start)
                me = tv.end_char(base + c.end - 1)
                unit = _unit_of(units, ms, me)
                if unit is not None:  # else: interviewer turn or outside any segment
                    placed.append((c, ms, me, unit))
            combined = combine_evidence(placed) if len(placed) > 1 else {}
            # evidence that adds up names the strongest piece ("geld voor trainingen", 82,
            # not "geen geld", 75, both found for the budget code)
            own = {id(c): c.score for c, *_ in placed}
            for c, _ms, _me, unit in placed:
                joint = combined.get((c.code_id, unit))
                if joint is not None and joint > c.score:
                    c.score = joint
            if len(placed) > 1:
                self._resolver.explain_away(placed, tv, base)
            for c, _ms, _me, _unit in placed:
                # a weak learned phrase is offered only where the codebook says nothing else
                # (a bare code name); beside keywords and a description it was right 3 times
                # in 23 on the bench
                if c.learned and c.score < DEFAULT_ACCEPT_SCORE and c.code_id not in self._bare:
                    c.score *= _F_EXPLAINED
            if len(placed) > 1:
                secondary_codes(placed)
            for c, ms, me, unit in placed:
                score = c.score
                if score < min_score:
                    continue
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
                key = (doc.id, c.code_id, start, end)
                value = (score, rank[c.method], own[id(c)], c.method, c.pattern, ms, me, doc)
                old = best.get(key)
                if old is None or value[:3] > old[:3]:
                    best[key] = value


#: Units (answers or turns) read to tell how common a description word is in a corpus.
_OBSERVE_UNITS = 20_000
