"""Inductive theme candidates: key phrases counted by documents, variants grouped fuzzily.

For codebook building: which lemmatised 1-3-word phrases (content words, no stop words) do
many documents mention, with their spelling variants and near-duplicates grouped
(rapidfuzz `token_set_ratio`), a readable label and example quotes.

What never names a theme is left out: numerals ("twee", "twintig"), fillers and transcript
notes ("eh", "nou", "(lacht)"), evaluations ("lastig", "mooi"), people ("mensen",
"iedereen"), and single words that are common in the language at large (wordfreq Zipf >=
5.5: "werk", "dag"). Fuzzy grouping is for typos and spelling variants: two words the
dictionary knows with different lemmas ("veranderen", "vergaderen") stay apart unless one
is a derivation of the other ("digitaliseren", "digitalisering").
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
from rapidfuzz import fuzz
from rapidfuzz.process import cdist
from spacy.tokens import Token

from .engine_types import DEFAULT_INTERVIEWER_LABELS, DocumentInput
from .frequency import zipf
from .language_data import GENERIC_WORDS
from .ngrams import content_ngrams
from .pipeline import get_pipeline, lemma_tables
from .terms import _BULLETS
from .units import respondent_units

__all__ = ["NOT_THEMES", "ThemeCandidate", "discover", "discovery_lemma", "is_numeral"]

#: A single word at least this common in the language (wordfreq Zipf: 5.5 is about three
#: per thousand words, e.g. "werk", "dag", "zit") is too general to be a theme on its own.
ZIPF_TOO_COMMON = 5.5
#: A word the dictionary or wordfreq knows (Zipf >= 3, or in the lemma tables) is a real word,
#: not a typo: fuzzy grouping does not fold it into another real word.
ZIPF_KNOWN = 3.0


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


#: Words that never name a theme on their own, beside `language_data.GENERIC_WORDS`; a candidate
#: phrase may not start or end with one (lemmas and the forms people write).
NOT_THEMES: dict[str, frozenset[str]] = {
    "nl": _words(
        # fillers, interjections and transcript notes
        """eh ehm ehh euh uh uhm hm hmm mm mmm mhm ah oh o oké oke ok okay ja jawel nee neen
        nou tja ach hè he hé joh zeg hoor kijk enfin lachen lacht gelach zucht zuchten
        stilte pauze onverstaanbaar gegrinnik inaudible
        """
        # evaluations
        """lastig moeilijk makkelijk gemakkelijk simpel eenvoudig leuk mooi fijn prettig lekker
        prima top super geweldig fantastisch prachtig interessant spannend vervelend jammer
        raar gek vreemd logisch duidelijk onduidelijk handig eerlijk slecht zwaar boos blij
        tevreden ontevreden irritant frustrerend ingewikkeld complex enorm ontzettend
        hartstikke nodig noodzakelijk relevant nuttig zinvol waardevol
        """
        # people
        """mens mensen iemand iedereen niemand persoon personen men elkaar collega collega's
        medewerker medewerkers man vrouw mevrouw meneer jongen meisje lui
        """
        # adverbs of time, place and degree
        """soms vroeger ineens tegelijk heen neer ver overal meteen weleens trouwens
        uiteindelijk nauwelijks bezig ruim redelijk flink serieus normaal apart deels heet
        heten
        """
        # quantities and talk
        """paar beetje allemaal aantal helft half procent kwart dubbel dingen
        weten geloven menen bedoelen snappen begrijpen vertellen praten horen klinken lijken
        blijken gebeuren proberen beginnen
        """
    ),
    "en": _words(
        """uh um er erm hmm mm mhm ah oh okay ok yeah yes no well like laugh laughs laughing
        laughter pause inaudible crosstalk sigh sighs
        hard difficult easy simple nice great bad fine interesting tricky tough awful terrible
        wonderful fantastic lovely annoying weird strange clear unclear honest happy unhappy
        complicated complex necessary relevant useful
        people person persons someone somebody everyone everybody nobody anyone anybody
        colleague colleagues employee employees man woman guy guys folks
        couple bit lot lots half percent dozen things stuff
        know believe mean understand tell talk hear sound seem happen try begin start
        """
    ),
}

_NUMERALS = {
    "nl": (
        ("een", "één", "twee", "drie", "vier", "vijf", "zes", "zeven", "acht", "negen"),
        (
            "tien",
            "elf",
            "twaalf",
            "dertien",
            "veertien",
            "vijftien",
            "zestien",
            "zeventien",
            "achttien",
            "negentien",
        ),
        ("twintig", "dertig", "veertig", "vijftig", "zestig", "zeventig", "tachtig", "negentig"),
        ("honderd", "duizend", "miljoen", "miljard"),
        ("en", "ën"),
        ("ste", "de", "e"),
        ("nul", "eerste", "derde", "achtste"),
    ),
    "en": (
        ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine"),
        (
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
        ),
        ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"),
        ("hundred", "thousand", "million", "billion"),
        ("",),
        ("th",),
        ("zero", "first", "second", "third", "fifth", "eighth", "ninth", "twelfth"),
    ),
}


@lru_cache(maxsize=4)
def _numeral_pattern(lang: str) -> re.Pattern[str] | None:
    parts = _NUMERALS.get(lang)
    if parts is None:
        return None
    units, teens, tens, big, joiner, ordinal, special = ("|".join(p) for p in parts)
    below_hundred = f"(?:(?:{units})(?:{joiner})(?:{tens})|{teens}|{tens}|{units})"
    number = f"(?:{below_hundred}|{big})+"
    return re.compile(f"^(?:{number}(?:{ordinal})?|{special})$")


#: Pronominal adverbs ("daarvoor", "erop", "waarbij"): pointers to something said, no theme.
_POINTERS = {
    "nl": re.compile(
        r"^(?:daar|er|waar|hier)(?:aan|achter|bij|binnen|boven|buiten|door|in|langs|mee|na|naar"
        r"|naast|om|onder|op|over|rond|tegen|toe|tussen|uit|van|voor|zonder)$"
    ),
    "en": re.compile(r"^(?:there|where|here)(?:by|fore|in|of|on|upon|with|after|to)$"),
}


def is_numeral(word: str, lang: str) -> bool:
    """A number written as a word: "twee", "twintig", "zeshonderdduizend", "derde", "fifty"."""
    pattern = _numeral_pattern(lang)
    return pattern is not None and pattern.match(word.lower()) is not None


@lru_cache(maxsize=4)
def discovery_lemma(lang: str) -> Callable[[Token], str]:
    """The token's lemma, unless the lookup table maps a common word onto a rare one.

    spaCy's lookup table turns "heel" (very) into "helen" (to heal), "geld" into "gelden",
    "beleid" into "beleiden": a form far more common than its table lemma (wordfreq) is its
    own lemma here. Plurals and verb forms ("mensen" -> "mens", "werd" -> "worden") keep
    their lemma, because the lemma is about as common.
    """
    cache: dict[tuple[str, str], str] = {}

    def lemma_of(token: Token) -> str:
        low = token.lower_
        lemma = (token.lemma_ or low).lower()
        if lemma == low:
            return lemma
        key = (low, lemma)
        hit = cache.get(key)
        if hit is None:
            form_zipf, lemma_zipf = zipf(low, lang), zipf(lemma, lang)
            hit = low if form_zipf >= 4.0 and form_zipf >= lemma_zipf + 1.25 else lemma
            cache[key] = hit
        return hit

    return lemma_of


def _known_word(word: str, lang: str) -> bool:
    return word in lemma_tables(lang).lexicon or zipf(word, lang) >= ZIPF_KNOWN


def _same_stem(a: str, b: str) -> bool:
    """One word derives from the other: a long shared beginning ("digitaliser-en/-ing")."""
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n >= 6 and n >= 0.6 * max(len(a), len(b))


def _different_words(a: tuple[str, ...], b: tuple[str, ...], lang: str) -> bool:
    """The phrases differ in words that are both real words, not variants of each other."""
    only_a, only_b = set(a) - set(b), set(b) - set(a)
    if not only_a or not only_b:
        return False  # one phrase contains the other: more general or more specific
    if not all(_known_word(w, lang) for w in only_a | only_b):
        return False  # a typo or an unknown spelling: fuzzy grouping is for those
    return not any(_same_stem(x, y) for x in only_a for y in only_b)


@dataclass
class ThemeCandidate:
    """A candidate theme: label, the phrases grouped under it, how many documents mention it."""

    label: str
    phrases: list[str]
    documents: int
    examples: list[str] = field(default_factory=list)
    document_ids: list[Hashable] = field(default_factory=list)


def _contains(g: tuple[str, ...], ex: tuple[str, ...]) -> bool:
    n = len(ex)
    return any(g[i : i + n] == ex for i in range(len(g) - n + 1))


def discover(
    documents: Iterable[DocumentInput],
    lang: str = "nl",
    above: int = 0,
    exclude_keywords: Iterable[str] = (),
    *,
    model: str | None = None,
    min_documents: int = 2,
    similarity: float = 88.0,
    max_phrases: int = 3000,
    max_examples: int = 3,
    respondent_only: bool = True,
    interviewer_labels: Iterable[str] = DEFAULT_INTERVIEWER_LABELS,
) -> list[ThemeCandidate]:
    """Theme candidates mentioned by more than `above` documents, most documents first.

    Phrases are lemma 1-3-grams of consecutive content words within a sentence, counted once
    per document (respondent turns only in transcripts). Phrases that contain one of
    `exclude_keywords` (lemmatised; e.g. the codebook's keywords, to find what it lacks) are
    left out. Two phrases are grouped when `token_set_ratio` >= `similarity` and the shorter is
    not a much more general phrase (at least half as long, or hardly ever used on its own), so
    *vitaliteit* / *vitalitiet* and *werkdruk* / *hoge werkdruk* become one candidate while
    *werken* does not swallow every "... werken".
    """
    nlp = get_pipeline(lang, model)
    lemma_of = discovery_lemma(lang)
    labels = tuple(interviewer_labels)
    excl: list[tuple[str, ...]] = []
    excl_words: list[str] = []
    for kw in exclude_keywords:
        kw = kw.strip()
        if not kw:
            continue
        toks = [t for t in nlp(kw) if not (t.is_punct or t.is_space)]
        lem = tuple(lemma_of(t) for t in toks)
        if lem:
            excl.append(lem)
            if len(lem) == 1 and len(lem[0]) >= 5:
                excl_words.append(lem[0])
                excl_words.append(kw.lower())

    generic = GENERIC_WORDS.get(lang, frozenset()) | NOT_THEMES.get(lang, frozenset())

    pointer = _POINTERS.get(lang)

    def no_theme(word: str) -> bool:
        return (
            len(word) < 2
            or word in generic
            or is_numeral(word, lang)
            or (pointer is not None and pointer.match(word) is not None)
        )

    def edge_words(text: str) -> tuple[str, str]:
        """The first and last word as written (lower case), for forms the lemma hides."""
        parts = re.findall(r"[^\W\d_][\w'’]*", text.lower())
        return (parts[0], parts[-1]) if parts else ("", "")

    df: Counter[tuple[str, ...]] = Counter()
    docs_of: dict[tuple[str, ...], list[Hashable]] = defaultdict(list)
    surface: dict[tuple[str, ...], Counter[str]] = defaultdict(Counter)
    examples: dict[tuple[str, ...], list[tuple[Hashable, str]]] = defaultdict(list)

    def items():
        for doc in documents:
            units = sorted(respondent_units(doc, respondent_only, labels))
            if units:
                yield doc.text, (doc, units)

    for sdoc, (doc, units) in nlp.pipe(items(), as_tuples=True, batch_size=1000):
        seen: set[tuple[str, ...]] = set()
        sent_of = None
        for g, s, e in content_ngrams(sdoc, nlp, lemma_of=lemma_of):
            if no_theme(g[0]) or no_theme(g[-1]):
                continue
            first, last = edge_words(doc.text[s:e])
            if no_theme(first) or no_theme(last):
                continue
            if not any(a <= s and e <= b for a, b in units):
                continue
            surface[g][doc.text[s:e].lower()] += 1
            if g in seen:
                continue
            seen.add(g)
            df[g] += 1
            docs_of[g].append(doc.id)
            if len(examples[g]) < max_examples:
                if sent_of is None:
                    sent_of = {t.idx: t.sent for t in sdoc}
                sent = sent_of.get(s)
                quote = sent.text if sent is not None else doc.text[s:e]
                examples[g].append((doc.id, " ".join(quote.strip(_BULLETS).split())))

    def too_common(g: tuple[str, ...]) -> bool:
        """One word that is common in the language at large ("werk", "dag"), as lemma or as
        people write it ("mensen")."""
        if len(g) != 1:
            return False
        forms = [g[0], *(form for form, _n in surface[g].most_common(3))]
        return max(zipf(form, lang) for form in forms) >= ZIPF_TOO_COMMON

    def excluded(g: tuple[str, ...]) -> bool:
        if too_common(g):
            return True
        if any(_contains(g, ex) for ex in excl):
            return True
        joined = "".join(g)
        return any(w in joined for w in excl_words)

    # phrases seen in >= min_documents documents can head a group; rarer single words can
    # only join one (a typo such as "vitalitiet" once)
    heads = [g for g, n in df.items() if n >= min_documents and not excluded(g)]
    heads.sort(key=lambda g: (-df[g], -len(g), " ".join(g)))
    heads = heads[:max_phrases]
    rare = [
        g
        for g, n in df.items()
        if n < min_documents and len(g) == 1 and len(g[0]) >= 6 and not excluded(g)
    ]
    rare.sort()
    phrases = heads + rare[: max(0, max_phrases - len(heads))]
    n_heads = len(heads)
    if not phrases:
        return []
    texts = [" ".join(g) for g in phrases]
    sims = cdist(
        texts,
        texts,
        scorer=fuzz.token_set_ratio,
        score_cutoff=similarity,
        dtype=np.uint8,
        workers=1,
    )

    groups: list[list[int]] = []
    group_of: dict[int, int] = {}
    for i, text in enumerate(texts):
        joined = None
        for j in np.flatnonzero(sims[i, : min(i, n_heads)]).tolist():
            if j not in group_of:
                continue
            short, long_ = sorted((text, texts[j]), key=len)
            if len(short) < 8 and sims[i, j] < 95:
                continue  # short words: only near-identical spellings (open / lopen)
            if _different_words(phrases[i], phrases[j], lang):
                continue  # veranderen / vergaderen: two words, not two spellings
            n_short, n_long = sorted((df[phrases[i]], df[phrases[j]]))
            if short == text:
                n_short, n_long = df[phrases[i]], df[phrases[j]]
            else:
                n_short, n_long = df[phrases[j]], df[phrases[i]]
            # the shorter phrase must not be a much more general one (werken vs samen werken)
            if len(short) / len(long_) >= 0.6 or n_short <= 1.25 * n_long:
                joined = group_of[j]
                break
        if joined is None:
            if i >= n_heads:
                continue
            group_of[i] = len(groups)
            groups.append([i])
        else:
            group_of[i] = joined
            groups[joined].append(i)

    out: list[ThemeCandidate] = []
    for members in groups:
        doc_ids: list[Hashable] = []
        seen_docs: set[Hashable] = set()
        for m in members:
            for d in docs_of[phrases[m]]:
                if d not in seen_docs:
                    seen_docs.add(d)
                    doc_ids.append(d)
        if len(doc_ids) <= above:
            continue
        top = max(df[phrases[m]] for m in members)
        head = max(
            (m for m in members if df[phrases[m]] >= 0.8 * top),
            key=lambda m: (len(phrases[m]), df[phrases[m]]),
        )
        label = surface[phrases[head]].most_common(1)[0][0]
        quotes: list[str] = []
        quoted_docs: set[Hashable] = set()
        for m in sorted(members, key=lambda m: -df[phrases[m]]):
            for d, q in examples[phrases[m]]:
                if d not in quoted_docs and len(quotes) < max_examples:
                    quoted_docs.add(d)
                    quotes.append(q)
        out.append(
            ThemeCandidate(
                label=label,
                phrases=[texts[m] for m in members],
                documents=len(doc_ids),
                examples=quotes,
                document_ids=doc_ids,
            )
        )
    out.sort(key=lambda c: (-c.documents, c.label))
    return out
