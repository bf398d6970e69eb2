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
        "geen klagen",
        "niks te klagen",
        "niets te klagen",
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
        "can't complain",
        "cannot complain",
        "nothing to complain about",
        "is manageable",
        "going well",
        "goes well",
        "works well",
        "never came to anything",
        "has not been a problem",
        "hasn't been a problem",
    ],
}
#: Negating quantifiers that deny like the plain negator of a cue: "geen issue" is also
#: said as "nauwelijks een issue", "not a problem" as "rarely a problem" (see
#: `negation.with_quantifier_variants`). Plain negators first, then their substitutes.
_PLAIN_NEGATORS = {"nl": ("geen", "niet"), "en": ("no", "not")}
_NEGATING_QUANTIFIERS = {
    "nl": ("nauwelijks", "amper", "zelden", "bijna nooit", "haast nooit", "vrijwel nooit"),
    "en": ("hardly", "barely", "rarely", "seldom", "scarcely", "never", "almost never"),
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

#: Words of a positive evaluation: a clause with one and no `_PROBLEM_WORDS` says a theme is
#: fine, not that it is a problem (`polarity`). Lower-case forms; Dutch adjectives with their
#: -e form, verbs as finite forms ("stimuleert": a fact; "stimuleren" is often a wish).
_PRAISE_WORDS = {
    "nl": frozenset(
        str.split(
            """
        prima top super fijn fijne tevreden handig handige oké oke ok goed goede uitstekend
        uitstekende prettig prettige fantastisch geweldig geweldige perfect perfecte leuk leuke
        mooi mooie blij hoopvol positief positieve waardevol waardevolle nuttig nuttige tof
        toffe heerlijk voldoende gelukkig redelijk acceptabel behapbaar
        stimuleert steunt ondersteunt waardeert
        """
        )
    ),
    "en": frozenset(
        str.split(
            """
        fine great good excellent helpful happy satisfied supportive pleased brilliant
        fantastic positive useful ok okay nice lovely wonderful perfect valuable
        glad fortunately adequate sufficient reasonable manageable acceptable
        supports encourages values
        """
        )
    ),
}
#: Words that mark a problem or a wish: a clause with one is not mere praise ("goed, maar te
#: weinig" is cut at "maar"; "niet goed", "zou fijn zijn", "need more" hold one).
_PROBLEM_WORDS = {
    "nl": frozenset(
        str.split(
            """
        niet geen nooit nauwelijks niets niks niemand nergens weinig tekort tekorten gebrek
        ontbreekt ontbreken mis mist missen gemist minder beter betere probleem problemen
        knelpunt knelpunten lastig lastige moeilijk moeilijke zwaar zware slecht slechte matig
        onvoldoende jammer helaas teveel druk belangrijk nodig alleen klacht klachten
        """
        )
    ),
    "en": frozenset(
        str.split(
            """
        not no n't never nothing nobody none nowhere hardly barely lack lacking lacks less
        fewer too problem problems issue issues concern concerns difficult hard struggle
        struggling shortage short limited little few poor bad worse worst unfortunately sadly
        miss missing only cut cuts insufficient important essential
        """
        )
    ),
}
#: Words that voice a wish or a need: anywhere in the sentence they make praise a wish for
#: more of it ("werkt goed, meer daarvan"; "good, we need more of it").
_WISH_WORDS = {
    "nl": frozenset(
        "graag wens wensen wil willen hoop zou zouden moet moeten meer behoefte".split()
    ),
    "en": frozenset("would should could must wish want wants hope more need needs needed".split()),
}
#: Words later in a sentence that turn praise into a concession ("mooi aanbod, alleen ...",
#: "fine as long as ...", "nice, although ..."): the theme is still the point, with
#: `_CONTRAST`.
_CONCESSION_WORDS = {
    "nl": frozenset("alleen jammer helaas zolang mits tenzij hoewel toch".split()),
    "en": frozenset("only although though yet unfortunately sadly unless provided".split()),
}
#: A description that codes good and bad alike ("good or bad", "positief of negatief"):
#: praise is then no evidence against the code. Regex pieces, as `_EXCLUDES_PRAISE`.
_INCLUDES_PRAISE = {
    "nl": (r"goed\s+of\s+slecht", r"positief\s+of\s+negatief", r"positieve\s+of\s+negatieve"),
    "en": (r"good\s+or\s+bad", r"positive\s+or\s+negative", r"positively\s+or\s+negatively"),
}
#: Words in a description's exclusion part that say positive or neutral mentions are not
#: coded ("tevreden of neutrale vermeldingen", "statements that IT is fine"): regex pieces.
_EXCLUDES_PRAISE = {
    "nl": (
        r"tevreden\w*",
        r"positie(?:f|ve)",
        r"neutra(?:al|le)",
        r"meevalt",
        r"mee\s+valt",
        r"prima",
        r"goed\s+(?:geregeld|gaat|loopt)",
        r"zonder\s+(?:\w+\s+)?(?:knelpunt|klacht|probleem|behoefte)\w*",
    ),
    "en": (
        r"satisf\w+",
        r"positive",
        r"neutral",
        r"(?:is|are)\s+fine",
        r"going\s+well",
        r"improved",
        r"happy",
        r"without\s+(?:a|any)\s+(?:need|problem|issue|complaint)s?",
    ),
}

# Lack or shortage ("geen tijd", "te weinig tijd", "personeelstekort"): see `lack`.
#: Words before the thing that is lacking ("te weinig tijd", "lack of staff", "meer tijd":
#: a wish for more is a lack). Words are matched on their form or their lemma.
LACK_BEFORE = {
    "nl": (
        "geen",
        "te weinig",
        "weinig",
        "veel te weinig",
        "gebrek aan",
        "tekort aan",
        "tekorten aan",
        "te kort aan",
        "onvoldoende",
        "niet genoeg",
        "niet voldoende",
        "nooit",
        "nauwelijks",
        "amper",
    ),
    "en": (
        "no",
        "not enough",
        "lack of",
        "lack",
        "too little",
        "too few",
        "very little",
        "shortage of",
        "shortages of",
        "short of",
        "insufficient",
        "inadequate",
        "never",
        "hardly any",
        "n't enough",
        "not sufficient",
    ),
}
#: A wish for more is a lack, but "meer tijd" is as often time spent ("ik ben meer tijd
#: kwijt"): these count only at the start of a clause ("Meer tijd.") or after a wish word.
LACK_WISH = {"nl": ("meer", "extra"), "en": ("more", "extra")}
LACK_WISH_WORDS = {
    "nl": frozenset("graag wil willen wens wensen zou zouden behoefte hoop liefst".split()),
    "en": frozenset("want wants wish need needs would like hope please".split()),
}
#: Words after the thing that is lacking ("tijd ontbreekt", "personeel is schaars",
#: "staff shortages", "time is limited").
LACK_AFTER = {
    "nl": (
        "ontbreken",
        "ontbreekt",
        "schaars",
        "tekort",
        "tekorten",
        "te kort",
        "te weinig",
        "onvoldoende",
        "niet genoeg",
        "niet voldoende",
    ),
    "en": (
        "shortage",
        "shortages",
        "lacking",
        "scarce",
        "in short supply",
        "not enough",
        "insufficient",
        "inadequate",
    ),
}
#: Negators that express a lack only at the end of a clause: "tijd is er niet".
LACK_FINAL = {"nl": ("niet", "geen", "nooit"), "en": ("none",)}
#: What a term says is lacking: only these open the term ("geen tijd", "lack of staff") or
#: close it ("staff shortages"); "meer"/"more" in a definition is no lack.
LACK_IN_TERMS = {
    "nl": (
        "geen",
        "te weinig",
        "weinig",
        "gebrek aan",
        "tekort aan",
        "tekorten aan",
        "onvoldoende",
        "niet genoeg",
        "niet voldoende",
    ),
    "en": (
        "no",
        "not enough",
        "lack of",
        "too little",
        "too few",
        "shortage of",
        "shortages of",
        "short of",
        "insufficient",
        "inadequate",
    ),
}
LACK_IN_TERMS_AFTER = {"nl": ("tekort", "tekorten"), "en": ("shortage", "shortages")}
#: Ends of a Dutch compound that says its first part is lacking: personeelstekort, tijdgebrek.
LACK_SUFFIXES = {"nl": ("tekorten", "tekort", "gebrek"), "en": ()}
#: Things whose lack says nothing about a theme ("geen idee", "no problem", "no need").
LACK_VAGUE = {
    "nl": frozenset(
        """idee zin probleem problemen issue issues behoefte mening antwoord opmerking
        opmerkingen commentaar punt punten ding dingen reden verschil keus keuze nvt
        last klachten klacht zorgen aanvulling""".split()
    ),
    "en": frozenset(
        """idea problem problems issue issues need comment comments answer opinion thing
        things reason difference point clue way change longer matter concern concerns
        complaints complaint""".split()
    ),
}
#: Words that name the same lacking thing: a shortage of staff is one of "personeel",
#: "mensen", "collega's" or "handen" to a respondent (lemmas and forms). Not English
#: "hands": "more hands on practice" is hands-on practice.
LACK_SAME = {
    "nl": (
        frozenset("personeel mens mensen collega handen medewerker personeelslid kracht".split()),
    ),
    "en": (frozenset("staff people colleague personnel worker".split()),),
}
#: Words a coder of answers about learning and work in organisations reads as the same
#: thing (`thesaurus`): a codebook term with one of them also stands for the term with
#: another in its place. Written from the domain, not fitted to any corpus; base forms
#: (singular, infinitive), multi-word members allowed. A word that is not a near-synonym
#: in most contexts of this domain does not belong here.
SAME_THING: dict[str, tuple[tuple[str, ...], ...]] = {
    "nl": (
        (
            "leidinggevende",
            "manager",
            "teamleider",
            "teamchef",
            "chef",
            "baas",
            "afdelingshoofd",
            "teammanager",
            "lijnmanager",
        ),
        (
            "cursus",
            "training",
            "opleiding",
            "scholing",
            "bijscholing",
            "nascholing",
            "leergang",
            "workshop",
        ),
        (
            "e-learning",
            "elearning",
            "online module",
            "webinar",
            "online cursus",
            "online training",
            "online leren",
        ),
        ("werkdruk", "drukte", "hectiek", "tijdsdruk", "werkbelasting", "werkdrukte"),
        ("budget", "geld", "middelen", "financiën", "financiering"),
        ("collega", "teamgenoot", "teamlid"),
        ("inwerken", "onboarding", "inwerkprogramma", "inwerkperiode"),
        ("coach", "coaching", "mentor", "mentoring", "buddy"),
        ("loopbaan", "carrière", "doorgroei", "doorgroeimogelijkheid", "groeimogelijkheid"),
        ("salaris", "loon", "beloning"),
        ("onderbezetting", "personeelstekort", "personeelsgebrek", "krapte"),
        ("verzuim", "ziekteverzuim", "ziekmelding"),
        ("burn-out", "burnout", "overspannenheid", "overbelasting"),
        ("vaardigheid", "skill", "competentie"),
        ("kennis", "expertise", "deskundigheid", "knowhow"),
        ("ontwikkeling", "ontplooiing", "groei"),
        (
            "functioneringsgesprek",
            "beoordelingsgesprek",
            "jaargesprek",
            "ontwikkelgesprek",
            "popgesprek",
            "voortgangsgesprek",
        ),
        ("waardering", "erkenning", "compliment"),
        ("rooster", "dienstrooster", "roostering"),
        ("regelgeving", "wetgeving", "wet- en regelgeving"),
        ("procedure", "protocol", "werkinstructie"),
        ("administratie", "papierwerk", "registratielast", "bureaucratie", "regeldruk"),
        ("agressie", "geweld", "bedreiging", "intimidatie"),
        ("samenwerking", "samenwerken", "teamwork"),
        ("thuiswerken", "hybride werken", "werken op afstand", "plaatsonafhankelijk werken"),
        ("welzijn", "welbevinden", "vitaliteit", "werkgeluk"),
        ("nieuwkomer", "starter", "nieuwe medewerker", "nieuwe collega"),
        ("werving", "recruitment"),
        ("verloop", "uitstroom", "personeelsverloop"),
        ("bezuiniging", "besparing", "kostenbesparing", "kostenreductie"),
        ("caseload", "werkvoorraad"),
        ("AI", "kunstmatige intelligentie", "ChatGPT", "generatieve AI"),
        ("ontwikkelplan", "opleidingsplan", "pop", "persoonlijk ontwikkelplan"),
        ("leertijd", "studietijd", "ontwikkeltijd", "opleidingstijd"),
        ("feedback", "terugkoppeling"),
        ("vergadering", "overleg", "meeting"),
    ),
    "en": (
        (
            "manager",
            "line manager",
            "supervisor",
            "boss",
            "team leader",
            "team lead",
            "head of department",
        ),
        ("course", "training", "workshop", "module", "training course"),
        (
            "e-learning",
            "elearning",
            "online training",
            "online module",
            "online course",
            "webinar",
            "virtual training",
        ),
        ("budget", "funding", "money", "finance"),
        ("colleague", "coworker", "co-worker", "teammate", "peer"),
        ("onboarding", "induction"),
        ("workload", "work pressure", "busyness", "caseload"),
        ("coach", "coaching", "mentor", "mentoring", "mentorship", "buddy"),
        ("career", "progression", "promotion", "advancement", "career path"),
        ("pay", "salary", "wage", "remuneration"),
        ("understaffing", "staff shortage", "short staffing", "short-staffed"),
        ("sickness absence", "sick leave", "absenteeism"),
        ("burnout", "burn-out", "exhaustion"),
        ("skill", "competence", "competency", "capability"),
        ("knowledge", "expertise", "know-how"),
        ("appraisal", "performance review", "annual review", "personal development review"),
        ("recognition", "appreciation"),
        ("admin", "administration", "paperwork", "bureaucracy", "red tape"),
        ("aggression", "abuse", "hostility", "violence", "harassment"),
        ("collaboration", "cooperation", "teamwork", "joint working", "partnership working"),
        ("remote working", "working from home", "home working", "hybrid working"),
        ("wellbeing", "well-being", "welfare"),
        ("new starter", "newcomer", "new recruit", "new hire", "new employee"),
        ("recruitment", "recruiting", "hiring"),
        ("turnover", "attrition", "staff turnover"),
        ("cutback", "austerity", "budget cut"),
        ("AI", "artificial intelligence", "ChatGPT", "generative AI"),
        ("protected time", "study time", "study leave", "learning time"),
        ("ict", "technology"),
        ("cpd", "continuing professional development", "professional development"),
        ("rota", "roster", "shift pattern"),
    ),
}
