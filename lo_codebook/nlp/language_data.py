"""Words and word forms the engine needs per language (inflections, negation cues, generic words)."""

from __future__ import annotations

import re

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
        # "it is fine here": an evaluation that denies the theme is a problem
        "valt mee",
        "valt wel mee",
        "is prima",
        "zijn prima",
        "gaat goed",
        "gaat prima",
        "loopt goed",
        "loopt prima",
        "is te doen",
        "geen last",
        "geen klachten",
        "geen problemen",
        "niet het probleem",
        "niet echt een probleem",
        "geen probleem mee",
        "komt niet voor",
        "komt bijna niet voor",
        "speelt niet",
        "speelt geen rol",
        "niet aan de orde",
        "niks mis met",
        "niets mis met",
        "op orde",
        "in orde",
        "onder controle",
        "geen knelpunt",
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
        # "it is fine here": an evaluation that denies the theme is a problem
        "is fine",
        "are fine",
        "is ok",
        "is okay",
        "is not a problem",
        "is not an issue",
        "no problem",
        "no problems",
        "no issues",
        "no real problems",
        "not the problem",
        "not the issue",
        "n't the issue",
        "n't the problem",
        "is reasonable",
        "are reasonable",
        "not a concern",
        "under control",
        "not worried",
        "don't worry",
        "do not worry",
        "no complaints",
        "is manageable",
        "going well",
        "goes well",
        "works well",
        "never came to anything",
        "has not been a problem",
        "hasn't been a problem",
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
