"""The ideas every staff survey codes, however they are worded: "op het tandvlees", "no cover".

Nearly every survey on training and development has a code for workload, for having no time
to learn, for too few people, for money, for career progression and for online learning, and
these are the themes respondents paraphrase most (so are stress, appreciation, pay, learning
from colleagues, induction, staff leaving, aggression and reorganisations: `idea_phrases`).
A codebook names them in a word or two
("Tijd en werkdruk", "geen tijd", "Workload and staffing", "Opleidingsbudget"); the answers
say "op het tandvlees", "de waan van de dag", "can't get released", "skeleton staff",
"uit eigen zak", "dead end job". So each idea has a list of such phrases
(`language_data.PRESSURE_EXPRESSIONS`, `IDEA_EXPRESSIONS`, `more_phrases`: written from the
languages by helpers who saw no survey data), and a code whose name or keywords hold one of
the idea's anchor words (`PRESSURE_ANCHORS`, `IDEA_ANCHORS`: *werkdruk*, *tijd*,
*bezetting*, *budget*, *loopbaan*, *e-learning*; *workload*, *time*, *staffing*, *funding*,
*career*, *online*) is found by them too:

* as a keyword variant ("keyword: werkdruk (te druk)"), found as written or by its lemmas,
  never as a typo or inside a compound (it is already a step away from the term);
* scoring `_S_IDEA`, below a keyword found as such; a negator right before a phrase
  ("geen gebrek aan tijd", "not too busy") vetoes it, as a definition's exclusion does;
* only for the code that owns the idea: when two codes name it ("Werkdruk" and "Tijd om te
  leren" both name time), the phrases tell neither apart (the thesaurus's rule for a lone
  synonym); a phrase whose words another code's own terms use (a codebook with a code
  "Verzuim" keeps "ziekteverzuim" for it) is left to that code, and a phrase that is a
  word of a thesaurus group ("drukte", "overuren") is left to the thesaurus.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from .engine_types import CodeId, CodeSpec
from .idea_phrases import STAFF_IDEA_ANCHORS, STAFF_IDEA_EXPRESSIONS
from .language_data import IDEA_ANCHORS, IDEA_EXPRESSIONS, PRESSURE_ANCHORS, PRESSURE_EXPRESSIONS
from .more_phrases import MORE_IDEA_EXPRESSIONS, MORE_PRESSURE_EXPRESSIONS
from .negation import NEGATORS
from .terms import _Keywords
from .thesaurus import _members

#: The idea lists: (phrases per idea, anchor words per idea), per language.
_LISTS = (
    (PRESSURE_EXPRESSIONS, PRESSURE_ANCHORS),
    (MORE_PRESSURE_EXPRESSIONS, PRESSURE_ANCHORS),
    (IDEA_EXPRESSIONS, IDEA_ANCHORS),
    (MORE_IDEA_EXPRESSIONS, IDEA_ANCHORS),
    (STAFF_IDEA_EXPRESSIONS, STAFF_IDEA_ANCHORS),
)
#: An idea's phrase is evidence like a description phrase: above the accept score alone.
_S_IDEA = 75.0
#: An idea named by more codes than this is no evidence for any of them (on the 17 bench sets
#: one owner and two gave the same macro F1 to +-0.001).
_MAX_OWNERS = 1


def _forms(kw: _Keywords, term: str) -> tuple[set[str], str]:
    """A code name's or keyword's words (as written and as lemmas) and its lower-case text."""
    words, lemmas = kw._tokens(term)
    return {w.lower() for w in words} | set(lemmas), f" {' '.join(term.lower().split())} "


def _names(forms: tuple[set[str], str], anchors: frozenset[str]) -> bool:
    """Whether a term holds an anchor word (as written, as lemma, or hyphenated: "e-learning")."""
    words, low = forms
    return bool(anchors & words) or any("-" in a and f" {a} " in low for a in anchors)


def idea_terms(
    kw: _Keywords, codes: Iterable[CodeSpec], codes_of: Mapping[str, set[CodeId]]
) -> list[tuple[CodeId, str, str]]:
    """(code, anchor term, phrase) for every idea phrase a code is found by, and
    compiles each into `kw`. `codes_of`: lemma -> the codes whose own terms use it."""
    ideas: dict[str, tuple[str, ...]] = {}
    for phrases, _ in _LISTS:  # an idea may have phrases in more than one list
        for idea, more in phrases.get(kw.lang, {}).items():
            ideas[idea] = ideas.get(idea, ()) + more
    negators = NEGATORS.get(kw.lang, frozenset())
    # a thesaurus word ("drukte", "overuur") follows the thesaurus's rules
    synonyms = {f for m in _members(kw.nlp, kw.lang) for f in (m.lowers, m.lemmas)}
    anchors = {i: a for _, words in _LISTS for i, a in words.get(kw.lang, {}).items()}
    terms = [
        (code.id, term, _forms(kw, term)) for code in codes for term in (code.name, *code.keywords)
    ]
    out: list[tuple[CodeId, str, str]] = []
    for idea, phrases in ideas.items():
        anchor_words = anchors.get(idea, frozenset())
        owners: dict[CodeId, str] = {}
        for code_id, term, forms in terms:
            if _names(forms, anchor_words):
                owners.setdefault(code_id, term)
        if not owners or len(owners) > _MAX_OWNERS:
            continue
        for phrase in phrases:
            words, lemmas = kw._tokens(phrase)
            if tuple(w.lower() for w in words) in synonyms or tuple(lemmas) in synonyms:
                continue
            content = [m for w, m in zip(words, lemmas, strict=True) if w.isalpha() and len(w) > 2]
            # the codes whose own terms use every content word of the phrase
            used = (
                set.intersection(*(codes_of.get(m, set()) for m in content)) if content else set()
            )
            if used - set(owners):
                continue  # another code's own word ("ziekteverzuim" for a code "Verzuim")
            lowers = [w.lower() for w in words]
            for code_id, term in owners.items():
                pattern = f"{term}|≈{phrase}"
                rule = kw.rule(code_id, "keyword", _S_IDEA, pattern, pattern)
                kw.add_phrase("LOWER", lowers, rule)
                if len(lowers) > 1 or not kw.has_gerund(lowers, lemmas):
                    # "banding" alone is not "band" ("I'm a band 6 nurse")
                    kw.add_phrase("LEMMA", lemmas, rule)
                out.append((code_id, term, phrase))
                if lowers[0] in negators:
                    continue
                # "geen gebrek aan tijd", "not too busy": denied right before it
                veto = kw.rule(code_id, "exclude", 1.0, f"{pattern}|not", f"{pattern}|not")
                kw.denied_by_negator[rule] = veto
    return out
