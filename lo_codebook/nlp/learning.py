"""Learning from codings: which phrases a coder's codings make evidence for a code.

`SuggestionEngine.learn` reads each coded document once (its content n-grams, where the
codebook's terms are found, and its codings) and feeds it to `PhraseTally`; the tally then
says which phrases become `learned` patterns and how often each codebook term was right on
the coded documents (the calibration `SuggestionEngine` applies to rule evidence).

A coded document is read the way a coder's correction is: text the codebook already explains
is left out, and a phrase counts as support for code C only in codings of C that the keywords
did not find ("explaining away": in an answer coded with five codes, *Woo* is evidence for the
Woo code, not for the four others). Pure counting over plain values: no spaCy, no database.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence

from .engine_types import CodeId, LearnedPattern
from .frequency import zipf
from .language_data import GENERIC_WORDS
from .scores import _LEARNED_MAX, _LEARNED_PRIOR, _ZIPF_LEARN

Gram = tuple[str, ...]
Span = tuple[int, int]
#: A coded document's codebook evidence: (code, term, start, end, score).
TermHit = tuple[CodeId, str, int, int, float]


class PhraseTally:
    """Counts over coded documents, one `add` per document; `patterns` and `calibration`
    read them out.

    A phrase's "not in C" count is counted once per document (`in_docs`), minus the documents
    coded C that hold it (`in_coded`), plus those where it stands outside C's codings
    (`outside_coded`): a document without C adds nothing per code, so a code costs only the
    documents coded with it (200,000 coded answers, 15 codes).
    """

    def __init__(self, codes_seen: set[CodeId]) -> None:
        self.codes_seen = codes_seen
        self.read = 0
        self.support: dict[CodeId, dict[Gram, int]] = defaultdict(lambda: defaultdict(int))
        self.pos: dict[CodeId, dict[Gram, int]] = defaultdict(lambda: defaultdict(int))
        self.n_pos: dict[CodeId, int] = defaultdict(int)
        self._n_out: dict[CodeId, int] = defaultdict(int)
        self._terms: dict[tuple[CodeId, str], list[int]] = defaultdict(lambda: [0, 0])
        self._in_docs: dict[Gram, int] = defaultdict(int)
        self._in_coded: dict[CodeId, dict[Gram, int]] = defaultdict(lambda: defaultdict(int))
        self._outside_coded: dict[CodeId, dict[Gram, int]] = defaultdict(lambda: defaultdict(int))

    def add(
        self,
        spans: Mapping[CodeId, Sequence[Span]],
        grams: Sequence[tuple[Gram, int, int]],
        found: Mapping[CodeId, Sequence[Span]],
        evidence: Iterable[TermHit],
    ) -> None:
        """One coded document: its codings' spans per code, its content n-grams (with char
        spans), where each code's keywords were found, and every codebook term hit."""
        self.read += 1
        # each codebook term found here was right (inside a coding of its code) or wrong,
        # once per document
        verdicts: dict[tuple[CodeId, str], bool] = {}
        for code_id, term, cs, ce, _score in evidence:
            right = any(a < ce and cs < b for a, b in spans.get(code_id, ()))
            key = (code_id, term.lower())
            verdicts[key] = verdicts.get(key, False) or right
        for key, right in verdicts.items():
            self._terms[key][0 if right else 1] += 1
        everywhere = {g for g, _, _ in grams}
        for g in everywhere:
            self._in_docs[g] += 1
        for code_id, cs in spans.items():
            if code_id not in self.codes_seen:
                continue
            inside: set[Gram] = set()
            unexplained: set[Gram] = set()
            outside: set[Gram] = set()
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
            self.n_pos[code_id] += 1
            for g in inside:
                self.pos[code_id][g] += 1
            for g in unexplained:
                self.support[code_id][g] += 1
            for g in everywhere:
                self._in_coded[code_id][g] += 1
            if outside:
                self._n_out[code_id] += 1
                for g in outside:
                    self._outside_coded[code_id][g] += 1

    def not_in(self, code_id: CodeId, g: Gram) -> int:
        """Coded documents that hold `g` outside any coding of `code_id`."""
        coded = self._in_coded[code_id]
        return self._in_docs.get(g, 0) - coded.get(g, 0) + self._outside_coded[code_id].get(g, 0)

    def supported_words(self, min_documents: int) -> set[str]:
        """Every word of a phrase with enough unexplained support to be considered."""
        return {
            w
            for grams in self.support.values()
            for g, u in grams.items()
            if u >= min_documents
            for w in g
        }

    def calibration(self) -> dict[tuple[CodeId, str], tuple[int, int]]:
        """(right, wrong) documents per (code, codebook term) on the coded documents."""
        return {k: (tp, fp) for k, (tp, fp) in self._terms.items()}

    def patterns(
        self,
        *,
        lang: str,
        spread: Callable[[Gram], float] | None,
        factors: Mapping[tuple[CodeId, str], float],
        min_documents: int,
        min_precision: float,
        min_z: float,
        max_per_code: int,
    ) -> list[LearnedPattern]:
        """The phrases that become `learned` patterns (see `SuggestionEngine.learn`)."""
        learned: list[LearnedPattern] = []
        generic = GENERIC_WORDS.get(lang, frozenset())
        n_docs = self.read
        for code_id, grams in self.support.items():
            nc = self.n_pos[code_id]
            no = self._n_out[code_id] + self.read - nc
            cands = []
            for g, u in grams.items():
                if u < min_documents:
                    continue
                if len(g) == 1 and (g[0] in generic or zipf(g[0], lang) >= _ZIPF_LEARN):
                    continue  # "year", "werk", "komen": every answer has them
                a = self.pos[code_id][g]
                b = self.not_in(code_id, g)
                if spread is not None:
                    # as many coded documents should hold it as its share of the corpus says;
                    # fewer means the coded ones met it by chance ("gezin" in a wijkteam survey)
                    b = max(b, round(n_docs * spread(g)) - a)
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
                # posterior mean with a prior at the code's rate among the coded documents
                # (not at 1/2): three documents of support say little about a common word
                rate = nc / max(1, n_docs)
                k = _LEARNED_PRIOR
                score = min(_LEARNED_MAX, 100.0 * (a + k * rate) / (a + b + k))
                score *= factors.get((code_id, phrase.lower()), 1.0)
                cands.append(LearnedPattern(code_id, phrase, a, b, round(z, 2), round(score, 1)))
            cands.sort(key=lambda p: (-p.z, -p.documents, p.phrase))
            learned.extend(cands[:max_per_code])
        return learned
