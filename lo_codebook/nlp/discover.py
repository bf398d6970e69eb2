"""Inductive theme candidates: key phrases counted by documents, variants grouped fuzzily.

For codebook building: which lemmatised 1-3-word phrases (content words, no stop words) do
many documents mention, with their spelling variants and near-duplicates grouped
(rapidfuzz `token_set_ratio`), a readable label and example quotes.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field

import numpy as np
from rapidfuzz import fuzz
from rapidfuzz.process import cdist

from .engine_types import DEFAULT_INTERVIEWER_LABELS, DocumentInput
from .language_data import GENERIC_WORDS
from .ngrams import content_ngrams
from .pipeline import get_pipeline
from .terms import _BULLETS
from .units import respondent_units

__all__ = ["ThemeCandidate", "discover"]


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
    labels = tuple(interviewer_labels)
    excl: list[tuple[str, ...]] = []
    excl_words: list[str] = []
    for kw in exclude_keywords:
        kw = kw.strip()
        if not kw:
            continue
        toks = [t for t in nlp(kw) if not (t.is_punct or t.is_space)]
        lem = tuple((t.lemma_ or t.lower_).lower() for t in toks)
        if lem:
            excl.append(lem)
            if len(lem) == 1 and len(lem[0]) >= 5:
                excl_words.append(lem[0])
                excl_words.append(kw.lower())

    generic = GENERIC_WORDS.get(lang, frozenset())
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
        for g, s, e in content_ngrams(sdoc, nlp):
            if g[0] in generic or g[-1] in generic:
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

    def excluded(g: tuple[str, ...]) -> bool:
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
