"""The engine's scores and factors in one place: how much each way of finding a code proves."""

from __future__ import annotations

# Base scores of the ways a keyword is found.
_S_LOWER = 100.0
_S_LEMMA = 95.0
_S_VARIANT = 90.0  # permuted conjunction, joined/split compound, inflection, case variant
_S_PART = 90.0  # a conjunct of a code name "X en Y"
_S_DERIVED = 85.0  # Dutch derivation (-ing <-> -en, -isering <-> -isatie), head van modifier
_S_ACRONYM = 85.0  # initials of "X en Y" (D&I)
_S_NAMED = 80.0  # a code-name word alone in its sentence ("Tijd.", `named`)
_S_ABBR_LOWER = 80.0  # an abbreviation written in lower case
_F_INFLECTED = 0.95  # keyword + inflection ending the lookup table lacks
_F_COMPOUND = 0.88  # keyword inside a compound whose other part is a word
_F_COMPOUND_WEAK = 0.76  # ... whose other part is unknown but long enough
_F_GERUND_LEMMA = 0.5  # an English -ing keyword found by its lemma: corroborates only
_F_HEAD = 0.72  # keyword as head of a compound: suggested, but below the accept score
_F_FUZZY1 = 0.86  # one edit
_F_FUZZY2 = 0.76  # two edits
_F_NEGATED = 0.45  # "is geen issue meer"
_F_PRAISED = 1.0  # praise, the description silent on it (`polarity`): proves nothing
_F_COMPLEMENT = 0.6  # "digitalisering van de dienstverlening"
_F_DEFERRED = 0.45  # a frame code beside a topic's sure match ("training on AI")
_F_EXPLAINED = 0.7  # weak evidence beside a sure match of another code (`Resolver.explain_away`)
_F_SECONDARY = 0.9  # a code below the best one of its answer or turn (`secondary_codes`)
_LEARNED_MAX = 90.0
#: Weight (in documents) of the prior of a learned phrase's score: the code's base rate.
_LEARNED_PRIOR = 4.0
#: Pseudo-documents of the prior (the rule's own score) when coded documents re-score a
#: term: (right + k * prior) / (right + wrong + k).
_CALIBRATION_PRIOR = 4.0
#: Coded documents a term must have been right in before they raise its score: one is
#: co-occurrence, not evidence. On the 20 bench sets warm F1 held or rose (+0.000, +0.001,
#: +0.002 at seeds 0-2); on round 7, where all 16 raises were wrong (10 from one document),
#: warm rose 0.749 -> 0.760. Nor is a term raised that scores below `_STANDALONE`: it only
#: survives beside other evidence, so the coded documents saw it where it was carried (23
#: sets: +0.001, +0.000, +0.001 warm at seeds 0-2).
_CALIBRATION_RAISE_MIN = 2
#: A candidate scoring below this cannot be a suggestion by itself (the storing score).
_STANDALONE = 50.0
_COMBINED_MAX = 90.0  # several weak terms together never reach a keyword's certainty
_METHOD_RANK = {"keyword": 3, "description": 2, "fuzzy": 1, "learned": 0, "exclude": -1}
# Terms read from a code's description (see `definitions`): weaker than its keywords, and
# weighed by how specific they are to the code (codebook) and how rare (corpus).
_S_DEF_PHRASE = 82.0  # a multi-word term of the description, on lemmas
_S_DEF_ABBR = 85.0  # an acronym or its spelled-out form
_S_DEF_WORD = 66.0  # a one- or two-word item of a description's list
_S_DEF_WORD_PROSE = 52.0  # a word of a longer stretch of the description
_ZIPF_SPLIT_PART = 4.5  # both parts of an English closed compound written apart (well being)
_ZIPF_COMMON = 4.8  # a word this common in the language (wordfreq Zipf) proves nothing
_ZIPF_LEARN = 5.3  # a learned word must be rarer than this ("werk", "year" are not)
_ZIPF_CORROBORATE = 5.5  # ... up to this common, one code's definition word still corroborates
_F_CORROBORATE = 0.7  # ... at this share of its score (alone about the storing score; two add up)
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
