"""A small built-in thesaurus of the domain: a term also stands for itself with a synonym in place.

A coder reads "leidinggevende" and "manager", "opleidingsbudget" and "trainingsbudget",
"online module" and "e-learning" as the same thing (`language_data.SAME_THING`). So a codebook
term (code name, keyword, description phrase) that holds a word of such a group is also
compiled with each other word of the group in its place, in the term's own words or as part
of a Dutch compound (opleidings|budget -> cursusbudget, opleidingsgeld); a compound or pair
whose head is a group word also as what it is for (opleidingsbudget -> "geld voor cursussen",
training budget -> "money for courses"). A variant is weaker evidence than the term itself:

* with other content words around it (the term's context is kept) it scores like a
  description phrase (`_S_SYNONYM`); a description term's variant a share of the term;
* as the term's only content word (a keyword or code name; a description's lone word is
  weak already) it is suggested below the accept score, lower for a common word
  (`_S_SYNONYM_ALONE_COMMON`: "geld", "baas"), and only when no other code's terms use a word
  of its group: "training" found in a codebook whose codes speak of courses, workshops and
  training alike tells no code apart (the idea of the description words' specificity);
* a synonym that another code's terms use is that code's word: no variant for this one;
* a variant is found as written or as its lemmas, never as a typo or inside a compound (it
  is already one step away from the term).

The evidence names the term and the words found ("keyword: leidinggevende (manager)").
"""

from __future__ import annotations

from collections.abc import Container, Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache

from spacy.language import Language

from .engine_types import CodeId, Method
from .frequency import zipf
from .language_data import _LINKERS, SAME_THING
from .scores import _DEFINITION_WORDS, _S_DEF_PHRASE, _ZIPF_USUAL
from .terms import _analyse_term, _Keywords

#: A keyword with one word swapped for a synonym, its other words kept: a description phrase.
_S_SYNONYM = _S_DEF_PHRASE
#: ... the synonym is the term's only content word: a suggestion below the accept score
#: (with the exact-form bonus too), as one word no longer says which theme it is about.
_S_SYNONYM_ALONE = 62.0
#: ... a common word ("geld", "baas", "money"): lower still.
_S_SYNONYM_ALONE_COMMON = 56.0
#: A description term's variant: this share of the term's score.
_F_SYNONYM = 0.8
#: A variant scoring below this is not compiled (it could not be stored anyway).
_MIN_SCORE = 50.0
#: A lone synonym is evidence only when no other code's terms use a word of its group.
_ALONE_MAX_CODES = 1
#: What the money group's words are for ("geld voor cursussen", "money for training"): the
#: preposition and a word of that group.
_FOR = {"nl": ("voor", "budget"), "en": ("for", "budget")}
#: Compound parts: a modifier or head at least this long ("teamleider" = team + leider).
_MIN_PART = 3


@dataclass(frozen=True)
class _Member:
    group: int
    text: str  # as written in the group
    lowers: tuple[str, ...]
    lemmas: tuple[str, ...]


@dataclass(frozen=True)
class Variant:
    """`text` stands for the term `base` of `code_id` (the group word swapped)."""

    code_id: CodeId
    base: str
    text: str
    score: float
    method: Method


@lru_cache(maxsize=4)
def _members(nlp: Language, lang: str) -> tuple[_Member, ...]:
    out = []
    for g, group in enumerate(SAME_THING.get(lang, ())):
        for text in group:
            doc = _analyse_term(nlp, text)
            lowers = tuple(t.lower_ for t in doc if not t.is_space)
            lemmas = tuple((t.lemma_ or t.lower_).lower() for t in doc if not t.is_space)
            out.append(_Member(g, text, lowers, lemmas))
    return tuple(out)


class Thesaurus:
    """The groups of a language, read against one codebook's terms."""

    def __init__(self, kw: _Keywords, codes_of: Mapping[str, set[CodeId]]) -> None:
        """`codes_of`: lemma -> the codes whose name, keywords or description use it."""
        self.kw = kw
        self.members = _members(kw.nlp, kw.lang)
        self.codes_of = codes_of
        self.stop = kw.stop | _DEFINITION_WORDS
        self._by_group: dict[int, list[_Member]] = {}
        for m in self.members:
            self._by_group.setdefault(m.group, []).append(m)
        self._single = {m.lowers[0]: m for m in self.members if len(m.lowers) == 1}
        self._single.update({m.lemmas[0]: m for m in self.members if len(m.lemmas) == 1})
        # members by their first word (form or lemma): a term is read in one pass
        self._starting: dict[str, list[_Member]] = {}
        for m in self.members:
            for first in {m.lowers[0], m.lemmas[0]}:
                self._starting.setdefault(first, []).append(m)

    # -- what a synonym tells
    def _codes(self, member: _Member) -> set[CodeId]:
        """The codes whose terms use the word (all content words of a multi-word one)."""
        out: set[CodeId] | None = None
        for lower, lemma in zip(member.lowers, member.lemmas, strict=True):
            if not self._content(lower, lemma) and len(member.lowers) > 1:
                continue
            codes = self.codes_of.get(lemma, set()) | self.codes_of.get(lower, set())
            out = codes if out is None else out & codes
        return out or set()

    def _others(self, member: _Member, code_id: CodeId) -> Iterator[_Member]:
        """The other words of `member`'s group that no other code's terms use."""
        for other in self._by_group[member.group]:
            if other.text == member.text or other.lowers == member.lowers:
                continue
            if self._codes(other) - {code_id}:
                continue  # "cursus" is another code's word: not evidence for this one
            yield other

    def _spread(self, member: _Member) -> int:
        codes: set[CodeId] = set()
        for m in self._by_group[member.group]:
            codes |= self._codes(m)
        return len(codes)

    def _score(self, score: float, method: Method, alone: bool, other: _Member | None) -> float:
        if not alone:
            s = _S_SYNONYM if method == "keyword" else score * _F_SYNONYM
        else:
            words = other.lowers if other is not None else ()
            common = max((zipf(w, self.kw.lang) for w in words), default=0.0) >= _ZIPF_USUAL
            s = _S_SYNONYM_ALONE_COMMON if common else _S_SYNONYM_ALONE
            if method != "keyword":
                s = min(s, score * _F_SYNONYM)
        return min(s, score)

    def _content(self, word: str, lemma: str) -> bool:
        return (
            len(word) >= 3 and word.isalpha() and word not in self.stop and lemma not in self.stop
        )

    # -- variants of a term
    def variants(self, code_id: CodeId, term: str, score: float, method: Method) -> list[Variant]:
        """The term with one group word (or compound part) swapped for another of its group."""
        words, lemmas = self.kw._tokens(" ".join(term.split()))
        lowers = [w.lower() for w in words]
        out: dict[str, float] = {}
        content = [
            i for i, (w, m) in enumerate(zip(lowers, lemmas, strict=True)) if self._content(w, m)
        ]
        starting = self._starting
        found = [
            (i, member)
            for i in range(len(words))
            for member in dict.fromkeys(starting.get(lowers[i], []) + starting.get(lemmas[i], []))
        ]
        for i, member in found:
            n = len(member.lowers)
            if i + n > len(words):
                continue
            if (
                tuple(lowers[i : i + n]) != member.lowers
                and tuple(lemmas[i : i + n]) != member.lemmas
            ):
                continue
            alone = all(i <= j < i + n for j in content)
            if alone and (method != "keyword" or self._spread(member) > _ALONE_MAX_CODES):
                continue  # a description's word is weak itself: its synonym, weaker still
            for other in self._others(member, code_id):
                text = " ".join([*words[:i], other.text, *words[i + n :]])
                s = self._score(score, method, alone, other)
                out[text] = max(out.get(text, 0.0), s)
        # the rest of the term kept around a swapped compound part or purpose phrase
        for i, j, text in self._part_variants(lowers, lemmas, content, code_id):
            joined = " ".join([*words[:i], text, *words[j:]])
            s = self._score(score, method, False, None)
            out[joined] = max(out.get(joined, 0.0), s)
        term_lower = " ".join(lowers)
        return [
            Variant(code_id, term, text, s, method)
            for text, s in out.items()
            if s >= _MIN_SCORE and text.lower() != term_lower
        ]

    def _part_variants(
        self, lowers: list[str], lemmas: list[str], content: list[int], code_id: CodeId
    ) -> Iterator[tuple[int, int, str]]:
        """(first, after, text): words first..after of the term said another way."""
        nl = self.kw.lang == "nl"
        for i in content:
            if nl:
                for text in self._compound_variants(lowers[i], code_id):
                    yield i, i + 1, text
                split = self._split(lowers[i])
                if split is not None:  # opleidingsbudget -> geld voor cursus
                    for text in self._purpose(*split, code_id):
                        yield i, i + 1, text
            elif i + 1 in content:  # training budget -> money for courses
                head = self._single.get(lemmas[i + 1]) or self._single.get(lowers[i + 1])
                if head is not None:
                    for text in self._purpose(lowers[i], head, code_id):
                        yield i, i + 2, text

    def _split(self, word: str) -> tuple[str, _Member] | None:
        """A Dutch compound as (modifier word, head of a group): opleidings|budget."""
        if len(word) < 2 * _MIN_PART + 1 or word in self._single:
            return None
        lexicon = self.kw.tables.lexicon
        for cut in range(_MIN_PART, len(word) - _MIN_PART + 1):
            left, right = word[:cut], word[cut:]
            head = self._single.get(right)
            if head is None or len(head.lowers) != 1:
                continue
            for link in ("", "s", "e", "en"):
                mod = left[: len(left) - len(link)] if link else left
                if left.endswith(link) and len(mod) >= _MIN_PART and mod in lexicon:
                    return mod, head
        return None

    def _purpose(self, mod: str, head: _Member, code_id: CodeId) -> Iterator[str]:
        """'head for modifier' with either or both swapped for a synonym: a budget is spent
        on something ("geld voor cursussen", "money for training")."""
        prep, money = _FOR.get(self.kw.lang, ("", ""))
        if not any(m.text == money for m in self._by_group[head.group]):
            return  # a budget is for something; a "groei voor loopbaan" is not said
        heads = [head, *self._others(head, code_id)]
        mod_member = self._single.get(mod)
        mods = [mod]
        if mod_member is not None:
            mods += [o.text for o in self._others(mod_member, code_id)]
        for h in heads:
            if len(h.lowers) == 1:
                for m in mods:
                    yield f"{h.text} {prep} {m}"

    def _compound_variants(self, word: str, code_id: CodeId) -> Iterator[str]:
        """A Dutch compound with a group word as modifier or head, that part swapped:
        opleidingsbudget -> cursusbudget, trainingsbudget, opleidingsgeld."""
        if len(word) < 2 * _MIN_PART + 1 or word in self._single:
            return
        lexicon = self.kw.tables.lexicon
        for cut in range(_MIN_PART, len(word) - _MIN_PART + 1):
            left, right = word[:cut], word[cut:]
            head = self._single.get(right) or self._single.get(self.kw.tables.lookup.get(right, ""))
            if head is not None and (left in lexicon or _strip_linker(left, lexicon)):
                for other in self._others(head, code_id):
                    if len(other.lowers) == 1 and other.lowers[0].isalpha():
                        yield left + other.lowers[0]
            for link in ("", *_LINKERS):
                if not left.endswith(link) or len(left) - len(link) < _MIN_PART:
                    continue
                mod = self._single.get(left[: len(left) - len(link)])
                if mod is None or right not in lexicon or len(right) < 4:
                    continue
                for other in self._others(mod, code_id):
                    o = other.lowers[0] if len(other.lowers) == 1 else ""
                    if o.isalpha():
                        yield o + _linker(o) + right
                break


def _strip_linker(left: str, lexicon: Container[str]) -> bool:
    """`left` is a word after dropping a linking s/e/en ("opleidings" -> "opleiding")."""
    return any(
        link != "-" and left.endswith(link) and left[: -len(link)] in lexicon for link in _LINKERS
    )


def _linker(modifier: str) -> str:
    """The linking -s- a Dutch modifier takes (opleiding-s-budget, cursus-budget)."""
    return "s" if modifier.endswith(("ing", "heid", "schap", "teit", "tie", "sie")) else ""


def add_synonyms(
    kw: _Keywords,
    terms: Iterable[tuple[CodeId, str, float, Method]],
    codes_of: Mapping[str, set[CodeId]],
) -> list[Variant]:
    """Compile the synonym variants of `terms` into `kw` (pattern "term|≈variant")."""
    thesaurus = Thesaurus(kw, codes_of)
    if not thesaurus.members:
        return []
    added: list[Variant] = []
    for code_id, term, score, method in terms:
        for v in thesaurus.variants(code_id, term, score, method):
            _add_variant(kw, v)
            added.append(v)
    return added


def _add_variant(kw: _Keywords, v: Variant) -> None:
    """A variant as it is written or as its lemmas, nothing looser (no typo, no compound:
    a synonym is already a step away from the term)."""
    words, lemmas = kw._tokens(v.text)
    rule = kw.rule(v.code_id, v.method, v.score, f"{v.base}|≈{v.text}", f"{v.base}|≈{v.text}")
    if any(kw.is_abbreviation(w) for w in words):  # "AI" is no lemma of "ain't"
        kw.add_phrase("ORTH" if len(words) == 1 else "LOWER", words, rule)
        return
    kw.add_phrase("LOWER", [w.lower() for w in words], rule)
    kw.add_phrase("LEMMA", lemmas, rule)
