"""Compiling a codebook into what is matched: phrase patterns, word targets for compounds and typos."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from rapidfuzz.distance import OSA
from rapidfuzz.process import cdist
from spacy.language import Language
from spacy.tokens import Doc

from .engine_types import CodeId, Method
from .frequency import zipf
from .language_data import _CONJ, _EN_INFLECTIONS, _LINKERS, _NL_INFLECTIONS
from .pipeline import lemma_tables
from .scores import (
    _F_COMPOUND,
    _F_COMPOUND_WEAK,
    _F_FUZZY1,
    _F_FUZZY2,
    _F_GERUND_LEMMA,
    _F_HEAD,
    _F_INFLECTED,
    _S_ABBR_LOWER,
    _S_ACRONYM,
    _S_DERIVED,
    _S_LEMMA,
    _S_LOWER,
    _S_PART,
    _S_VARIANT,
    _ZIPF_SPLIT_PART,
)

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
        # rule id -> the rule that vetoes its code where a negator stands right before its
        # match ("geen gebrek aan tijd"): checked where found, not compiled as a phrase each
        self.denied_by_negator: dict[int, int] = {}

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

    def has_gerund(self, lowers: Sequence[str], lemmas: Sequence[str]) -> bool:
        """Whether an English term holds an -ing noun, which is its own word: "staffing" is
        not "staff", "banding" not "band", "funding" not "fund"."""
        return self.lang == "en" and any(
            w.endswith("ing") and m != w for w, m in zip(lowers, lemmas, strict=True)
        )

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
        lemma_score = score
        if self.has_gerund(lowers, lemmas):
            # found by its lemma, right 3 times in 10 on the bench
            lemma_score = score * _F_GERUND_LEMMA
        r_lemma = self.rule(code_id, method, lemma_score, base, base, tier="lemma")
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
                if not joined.endswith("s"):  # "elearnings"
                    self.add_phrase(
                        "LOWER",
                        [joined + "s"],
                        self.rule(code_id, method, variant, f"{base}|{joined}s", base),
                    )
            if "-" in lowers:  # "e-learning" written "e learning"
                self.add_phrase(
                    "LOWER",
                    alpha_words,
                    self.rule(code_id, method, variant, f"{base}|{' '.join(alpha_words)}", base),
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
        if self.lang == "en":
            self._english_split(code_id, lower, variant, method, base)
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
        # a noun in -ie and its adjective in -ief: agressie ~ agressief (-ieve is its lemma)
        if lemma.endswith("ie") and len(lemma) >= 7:
            forms.add(lemma + "f")
        if lemma.endswith("ief") and len(lemma) >= 8:
            forms.add(lemma[:-1])
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

    def _english_split(
        self, code_id: CodeId, lower: str, score: float, method: Method, base: str
    ) -> None:
        """An English closed compound as it is also written: wellbeing ~ well-being ~ well
        being, burnout ~ burn-out ~ burnt out, caseload ~ case load. Both parts must be common
        words on their own (wordfreq Zipf >= 4.5), so that *training* is not *train ing*."""
        if len(lower) < 6 or not lower.isalpha():
            return
        best: tuple[float, str, str] | None = None
        for i in range(3, len(lower) - 2):
            a, b = lower[:i], lower[i:]
            common = min(zipf(a, "en"), zipf(b, "en"))
            if common >= _ZIPF_SPLIT_PART and (best is None or common > best[0]):
                best = (common, a, b)
        if best is None:
            return
        _, a, b = best
        r = self.rule(code_id, method, score, f"{base}|{a} {b}", base)
        self.add_phrase("LOWER", [a, b], r)
        self.add_phrase("LOWER", [a, "-", b], r)
        lookup = self.tables.lookup
        self.add_phrase("LEMMA", [lookup.get(a, a), lookup.get(b, b)], r)  # burnt out

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
        # a form that is a one-word term is matched as itself; a word inside a multi-word
        # term ("webinar" in "verplichte webinar") may still be a typo of another keyword
        self._whole_words = {t.lower for t in kw.targets if len(t.term_lemmas) == 1}

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
            if len(f) >= 5 and f.isalpha() and f not in kw.stop and f not in self._whole_words
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
