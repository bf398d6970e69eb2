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
#: Words that say there is enough of something ("budget genoeg", "training krijgen we
#: genoeg", "plenty of courses"): with no problem word in the clause they deny a lack of it,
#: whatever the code's description says about praise (`polarity`).
_SUFFICIENCY_WORDS = {
    "nl": frozenset("genoeg voldoende".split()),
    "en": frozenset("enough plenty sufficient".split()),
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
            "masterclass",
        ),
        (
            "e-learning",
            "elearning",
            "online module",
            "webinar",
            "online cursus",
            "online training",
            "online leren",
            "e-module",
            "digitale cursus",
            "digitale training",
            "online scholing",
            "e-learningmodule",
        ),
        (
            "werkdruk",
            "drukte",
            "hectiek",
            "tijdsdruk",
            "werkbelasting",
            "werkdrukte",
            "taakbelasting",
            "werklast",
        ),
        ("budget", "geld", "middelen", "financiën", "financiering"),
        ("collega", "teamgenoot", "teamlid"),
        (
            "inwerken",
            "onboarding",
            "inwerkprogramma",
            "inwerkperiode",
            "inwerktraject",
            "introductieprogramma",
        ),
        ("coach", "coaching", "mentor", "mentoring", "buddy", "mentorschap"),
        (
            "loopbaan",
            "carrière",
            "doorgroei",
            "doorgroeimogelijkheid",
            "groeimogelijkheid",
            "promotie",
            "loopbaanperspectief",
            "carrièreperspectief",
            "loopbaanontwikkeling",
            "carrièrekans",
        ),
        ("salaris", "loon", "beloning", "salariëring"),
        (
            "onderbezetting",
            "personeelstekort",
            "personeelsgebrek",
            "krapte",
            "personeelskrapte",
            "tekort aan personeel",
            "gebrek aan personeel",
            "arbeidsmarktkrapte",
        ),
        ("verzuim", "ziekteverzuim", "ziekmelding", "ziekteverlof", "ziekmelden"),
        ("burn-out", "burnout", "overspannenheid", "overbelasting"),
        ("vaardigheid", "skill", "competentie"),
        ("kennis", "expertise", "deskundigheid", "knowhow"),
        (
            "ontwikkeling",
            "ontplooiing",
            "groei",
            "professionalisering",
            "deskundigheidsbevordering",
        ),
        (
            "functioneringsgesprek",
            "beoordelingsgesprek",
            "jaargesprek",
            "ontwikkelgesprek",
            "popgesprek",
            "voortgangsgesprek",
            "resultaat- en ontwikkelgesprek",
            "gesprekkencyclus",
        ),
        ("waardering", "erkenning", "compliment", "blijk van waardering", "schouderklopje"),
        ("rooster", "dienstrooster", "roostering", "werkrooster"),
        ("regelgeving", "wetgeving", "wet- en regelgeving", "wettelijk kader", "wetten en regels"),
        ("procedure", "protocol", "werkinstructie"),
        (
            "administratie",
            "papierwerk",
            "registratielast",
            "bureaucratie",
            "regeldruk",
            "administratieve last",
            "administratieve lastendruk",
            "verantwoordingsdruk",
            "rompslomp",
        ),
        ("agressie", "geweld", "bedreiging", "intimidatie", "agressief gedrag"),
        ("samenwerking", "samenwerken", "teamwork"),
        (
            "thuiswerken",
            "hybride werken",
            "werken op afstand",
            "plaatsonafhankelijk werken",
            "telewerken",
            "werken vanuit huis",
            "thuis werken",
        ),
        ("welzijn", "welbevinden", "vitaliteit", "werkgeluk"),
        ("nieuwkomer", "starter", "nieuwe medewerker", "nieuwe collega"),
        ("werving", "recruitment"),
        ("verloop", "uitstroom", "personeelsverloop"),
        (
            "bezuiniging",
            "besparing",
            "kostenbesparing",
            "kostenreductie",
            "bezuinigen",
            "ombuiging",
            "taakstelling",
        ),
        ("caseload", "werkvoorraad"),
        ("AI", "kunstmatige intelligentie", "ChatGPT", "generatieve AI"),
        ("ontwikkelplan", "opleidingsplan", "pop", "persoonlijk ontwikkelplan"),
        (
            "leertijd",
            "studietijd",
            "ontwikkeltijd",
            "opleidingstijd",
            "studieverlof",
            "opleidingsverlof",
            "scholingsverlof",
            "tijd voor scholing",
            "tijd om te leren",
        ),
        ("feedback", "terugkoppeling"),
        ("vergadering", "overleg", "meeting"),
        # -- added: workload, staffing, absence
        ("overwerk", "overuur", "overwerken", "meeruren", "extra uren"),
        ("vacature", "openstaande functie", "onvervulde functie", "openstaande plek"),
        (
            "re-integratie",
            "reïntegratie",
            "werkhervatting",
            "terugkeer na ziekte",
            "arbeidsre-integratie",
        ),
        ("tijdgebrek", "tijdsgebrek", "gebrek aan tijd", "tijdtekort", "tekort aan tijd"),
        (
            "stress",
            "werkstress",
            "mentale belasting",
            "psychische belasting",
            "emotionele belasting",
            "psychosociale arbeidsbelasting",
        ),
        # -- contract, pay
        (
            "tijdelijk contract",
            "tijdelijke aanstelling",
            "flexcontract",
            "flexibel contract",
            "jaarcontract",
            "nulurencontract",
            "oproepcontract",
        ),
        (
            "vast contract",
            "vaste aanstelling",
            "vaste baan",
            "contract voor onbepaalde tijd",
            "baanzekerheid",
            "werkzekerheid",
        ),
        ("toeslag", "toelage", "onregelmatigheidstoeslag", "ORT"),
        # -- learning from and with others
        ("praktijkbegeleider", "werkbegeleider", "praktijkopleider", "stagebegeleider"),
        (
            "intervisie",
            "intervisiegroep",
            "collegiale consultatie",
            "intercollegiale consultatie",
            "casuïstiekbespreking",
            "casusbespreking",
        ),
        ("leren van elkaar", "van elkaar leren", "peer learning", "collegiaal leren"),
        (
            "kennisdeling",
            "kennis delen",
            "kennisoverdracht",
            "kennisuitwisseling",
            "kennis uitwisselen",
            "kennis overdragen",
        ),
        (
            "werkplekleren",
            "leren op de werkplek",
            "leren in de praktijk",
            "on the job leren",
            "leren on the job",
            "training on the job",
        ),
        # -- digital
        (
            "digitale vaardigheid",
            "ict-vaardigheid",
            "computervaardigheid",
            "digitale geletterdheid",
            "digivaardigheid",
        ),
        (
            "ict-systeem",
            "computersysteem",
            "softwarepakket",
            "software",
            "applicatie",
            "computerprogramma",
        ),
        (
            "digitale leeromgeving",
            "elektronische leeromgeving",
            "ELO",
            "leerplatform",
            "LMS",
            "leermanagementsysteem",
            "e-learningplatform",
        ),
        # -- travel
        ("reistijd", "reisafstand", "reisduur", "woon-werkverkeer", "woon-werkafstand"),
        # -- cost, accreditation, registration
        (
            "studiekosten",
            "opleidingskosten",
            "cursuskosten",
            "scholingskosten",
            "trainingskosten",
            "lesgeld",
            "cursusgeld",
            "collegegeld",
        ),
        (
            "studiekostenbeding",
            "terugbetalingsregeling",
            "terugbetalingsverplichting",
            "terugbetaalregeling",
            "studieovereenkomst",
        ),
        ("accreditatiepunt", "nascholingspunt", "pe-punt", "scholingspunt", "accreditatie"),
        (
            "herregistratie",
            "BIG-registratie",
            "BIG-herregistratie",
            "kwaliteitsregister",
            "beroepsregister",
            "registerplicht",
        ),
        # -- forms of learning
        (
            "klassikaal",
            "klassikale les",
            "klassikale bijeenkomst",
            "fysieke bijeenkomst",
            "fysieke les",
            "face-to-face",
        ),
        ("simulatie", "simulatietraining", "simulatieonderwijs", "skillslab", "skills lab"),
        (
            "leiderschap",
            "leiderschapsontwikkeling",
            "managementontwikkeling",
            "management development",
        ),
        (
            "communicatievaardigheid",
            "communicatieve vaardigheid",
            "gespreksvaardigheid",
            "gesprekstechniek",
            "gespreksvoering",
        ),
        # -- safety
        (
            "ongewenst gedrag",
            "ongewenste omgangsvormen",
            "grensoverschrijdend gedrag",
            "ongepast gedrag",
        ),
        ("arbo", "arbeidsomstandigheden", "werkomstandigheden"),
        # -- organisation, management, climate
        (
            "reorganisatie",
            "herstructurering",
            "herinrichting",
            "reorganiseren",
            "organisatiewijziging",
            "organisatieverandering",
        ),
        (
            "teamsfeer",
            "werksfeer",
            "werkklimaat",
            "teamgeest",
            "collegialiteit",
            "sfeer",
            "sfeer in het team",
        ),
        ("leercultuur", "lerende organisatie", "leerklimaat", "ontwikkelcultuur"),
        # -- balance, age, diversity, language
        (
            "werk-privébalans",
            "werk-privé balans",
            "balans werk-privé",
            "balans tussen werk en privé",
            "work-life balance",
        ),
        ("deeltijd", "parttime", "part-time", "deeltijdwerk", "in deeltijd werken"),
        ("flexibele werktijden", "flexibele werktijd", "flexibel werken", "glijdende werktijden"),
        ("kinderopvang", "kinderdagverblijf", "BSO", "naschoolse opvang"),
        ("oudere werknemer", "oudere medewerker", "oudere collega", "55-plusser"),
        ("pensioen", "pensionering", "met pensioen gaan", "pensioenleeftijd"),
        ("duurzame inzetbaarheid", "duurzaam inzetbaar", "inzetbaarheid", "employability"),
        ("diversiteit", "inclusie", "inclusiviteit"),
        ("taalniveau", "taalvaardigheid", "taalbeheersing", "beheersing van de Nederlandse taal"),
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
            "team manager",
        ),
        (
            "course",
            "training",
            "workshop",
            "module",
            "training course",
            "training session",
            "masterclass",
        ),
        (
            "e-learning",
            "elearning",
            "online training",
            "online module",
            "online course",
            "webinar",
            "virtual training",
            "online learning",
            "digital learning",
            "web-based training",
        ),
        ("budget", "funding", "money", "finance"),
        ("colleague", "coworker", "co-worker", "teammate", "peer"),
        ("onboarding", "induction"),
        (
            "workload",
            "work pressure",
            "busyness",
            "caseload",
            "volume of work",
            "pressure of work",
        ),
        (
            "coach",
            "coaching",
            "mentor",
            "mentoring",
            "mentorship",
            "buddy",
            "preceptor",
            "preceptorship",
        ),
        ("career", "progression", "promotion", "advancement", "career path"),
        ("pay", "salary", "wage", "remuneration"),
        (
            "understaffing",
            "staff shortage",
            "short staffing",
            "short-staffed",
            "understaffed",
            "staffing shortage",
            "shortage of staff",
            "lack of staff",
        ),
        ("sickness absence", "sick leave", "absenteeism", "staff sickness", "time off sick"),
        ("burnout", "burn-out", "exhaustion"),
        ("skill", "competence", "competency", "capability"),
        ("knowledge", "expertise", "know-how"),
        (
            "appraisal",
            "performance review",
            "annual review",
            "personal development review",
            "PDR",
            "performance evaluation",
        ),
        ("recognition", "appreciation", "acknowledgement", "acknowledgment", "feeling valued"),
        (
            "admin",
            "administration",
            "paperwork",
            "bureaucracy",
            "red tape",
            "form filling",
            "form-filling",
            "administrative burden",
            "box ticking",
            "box-ticking",
        ),
        (
            "aggression",
            "abuse",
            "hostility",
            "violence",
            "harassment",
            "assault",
            "intimidation",
            "bullying",
        ),
        ("collaboration", "cooperation", "teamwork", "joint working", "partnership working"),
        (
            "remote working",
            "working from home",
            "home working",
            "hybrid working",
            "working remotely",
            "WFH",
            "homeworking",
            "teleworking",
        ),
        ("wellbeing", "well-being", "welfare"),
        ("new starter", "newcomer", "new recruit", "new hire", "new employee"),
        ("recruitment", "recruiting", "hiring"),
        ("turnover", "attrition", "staff turnover"),
        (
            "cutback",
            "austerity",
            "budget cut",
            "funding cut",
            "spending cut",
            "cost cutting",
            "cost-cutting",
            "efficiency saving",
        ),
        ("AI", "artificial intelligence", "ChatGPT", "generative AI"),
        (
            "protected time",
            "study time",
            "study leave",
            "learning time",
            "time for learning",
            "time to learn",
            "time off for training",
        ),
        ("ict", "technology", "information technology"),
        ("cpd", "continuing professional development", "professional development"),
        ("rota", "roster", "shift pattern"),
        # -- added: workload, staffing, absence
        ("overtime", "extra hours", "additional hours", "unpaid hours", "long hours"),
        (
            "vacancy",
            "vacant post",
            "unfilled post",
            "vacant position",
            "unfilled position",
            "open position",
        ),
        ("return to work", "return-to-work", "phased return"),
        (
            "lack of time",
            "shortage of time",
            "time constraint",
            "insufficient time",
            "time poverty",
        ),
        (
            "stress",
            "work stress",
            "work-related stress",
            "occupational stress",
            "mental load",
            "mental strain",
            "emotional strain",
            "emotional load",
        ),
        # -- contract, pay
        (
            "temporary contract",
            "fixed-term contract",
            "fixed term contract",
            "short-term contract",
            "zero-hours contract",
            "zero hours contract",
            "rolling contract",
        ),
        (
            "job security",
            "job insecurity",
            "employment security",
            "security of employment",
            "permanent contract",
            "permanent post",
            "permanent position",
        ),
        (
            "unsocial hours payment",
            "unsocial hours pay",
            "unsocial hours enhancement",
            "shift allowance",
            "shift premium",
        ),
        # -- learning from and with others
        ("personal development plan", "PDP", "learning plan", "development plan"),
        (
            "reflective practice",
            "clinical supervision",
            "peer supervision",
            "reflective supervision",
            "intervision",
            "case discussion",
            "action learning set",
            "Schwartz round",
        ),
        (
            "peer learning",
            "peer-to-peer learning",
            "learning from colleagues",
            "learning from peers",
        ),
        (
            "knowledge sharing",
            "knowledge transfer",
            "knowledge exchange",
            "sharing knowledge",
            "sharing best practice",
            "sharing good practice",
        ),
        (
            "on-the-job training",
            "on the job training",
            "workplace learning",
            "learning on the job",
            "work-based learning",
        ),
        # -- digital
        (
            "digital skill",
            "digital literacy",
            "computer skill",
            "digital competence",
            "computer literacy",
        ),
        ("computer system", "software", "software package", "digital system"),
        (
            "learning platform",
            "LMS",
            "learning management system",
            "VLE",
            "virtual learning environment",
            "learning portal",
            "e-learning platform",
            "training portal",
        ),
        # -- travel
        (
            "travel time",
            "travelling time",
            "traveling time",
            "commute",
            "commuting",
            "travel distance",
            "journey time",
        ),
        # -- cost, accreditation, registration, mandatory training
        ("tuition fee", "tuition", "course fee", "study cost", "cost of study"),
        (
            "CPD point",
            "CPD hour",
            "CPD credit",
            "CPD unit",
            "CEU",
            "continuing education credit",
            "continuing education unit",
        ),
        (
            "revalidation",
            "re-registration",
            "registration renewal",
            "licence renewal",
            "license renewal",
            "relicensing",
        ),
        ("mandatory", "compulsory", "obligatory"),
        (
            "mandatory training",
            "statutory training",
            "statutory and mandatory training",
            "stat and mand",
            "StatMand",
            "compliance training",
            "essential training",
        ),
        # -- forms of learning
        ("face-to-face", "face to face", "classroom-based", "F2F"),
        (
            "simulation",
            "simulation training",
            "sim training",
            "skills lab",
            "scenario-based training",
            "scenario training",
        ),
        (
            "leadership development",
            "management development",
            "leadership programme",
            "leadership program",
            "leadership training",
            "management training",
        ),
        ("communication skill", "interpersonal skill", "people skill"),
        # -- safety
        (
            "health and safety",
            "H&S",
            "occupational safety",
            "occupational health and safety",
            "safety at work",
            "workplace safety",
        ),
        # -- organisation, management, climate
        (
            "reorganisation",
            "reorganization",
            "restructure",
            "restructuring",
            "reorg",
            "organisational change",
            "organizational change",
        ),
        (
            "senior management",
            "senior leadership",
            "senior leadership team",
            "SLT",
            "senior management team",
            "SMT",
            "upper management",
            "higher management",
            "executive team",
        ),
        (
            "team spirit",
            "team atmosphere",
            "camaraderie",
            "morale",
            "working atmosphere",
            "work atmosphere",
        ),
        (
            "learning culture",
            "culture of learning",
            "learning organisation",
            "learning organization",
            "learning climate",
        ),
        # -- balance, age, diversity, language
        (
            "work-life balance",
            "work life balance",
            "worklife balance",
            "balance between work and home",
        ),
        (
            "part-time working",
            "part-time hours",
            "reduced hours",
            "reduced working hours",
            "parttime",
        ),
        (
            "flexible working",
            "flexible hours",
            "flexitime",
            "flexi-time",
            "flextime",
            "flexible working arrangement",
        ),
        ("childcare", "child care", "childminder", "nursery place"),
        (
            "older worker",
            "older employee",
            "older staff",
            "older colleague",
            "mature worker",
            "ageing workforce",
            "aging workforce",
        ),
        ("retirement", "retire", "retirement age", "pension age"),
        ("diversity", "inclusion", "inclusivity", "EDI", "DEI", "D&I"),
        (
            "language skill",
            "language proficiency",
            "language level",
            "English proficiency",
            "English language skill",
        ),
    ),
}


#: How staff say that their work is too much, leaves no time to learn, or lacks people: short
#: phrases written from the two languages by a helper who saw no survey data and no code.
#: A code whose name or keywords name workload, time or staffing (`PRESSURE_ANCHORS`) is
#: also found by them (`pressure`). Workload is the theme of nearly every staff survey and
#: the one respondents paraphrase most ("op het tandvlees", "snowed under", "no cover").
PRESSURE_EXPRESSIONS = {
    "nl": {
        "workload": (
            "te druk",
            "veel te druk",
            "erg druk",
            "heel druk",
            "zo druk",
            "ontzettend druk",
            "extreem druk",
            "druk druk druk",
            "te veel werk",
            "teveel werk",
            "werkdruk",
            "hoge werkdruk",
            "te hoge werkdruk",
            "werkdruk te hoog",
            "hoge werkbelasting",
            "te hoge werkbelasting",
            "hoge werklast",
            "te hoge werklast",
            "overbelast",
            "overbelasting",
            "zwaar belast",
            "handen vol",
            "handen meer dan vol",
            "waan van de dag",
            "drukte",
            "hectiek",
            "hectisch",
            "tijdsdruk",
            "hoge tijdsdruk",
            "productiedruk",
            "overwerk",
            "overuren",
            "volle agenda",
            "overvolle agenda",
            "agenda zit vol",
            "volgepland",
            "vol gepland",
            "overvol",
            "ondergesneeuwd",
            "overspoeld",
            "hooi op de vork",
            "te veel op mijn bord",
            "ballen in de lucht",
            "op het tandvlees",
            "brandjes blussen",
            "rennen en vliegen",
            "drukke werkzaamheden",
            "drukke periode",
            "drukke baan",
            "drukke functie",
            "werkachterstand",
            "piekbelasting",
            "werkpiek",
            "te veel taken",
            "teveel taken",
            "te veel werkzaamheden",
            "teveel werkzaamheden",
            "werkstress",
        ),
        "no_time": (
            "geen tijd",
            "geen tijd voor",
            "geen tijd om",
            "weinig tijd",
            "te weinig tijd",
            "niet genoeg tijd",
            "onvoldoende tijd",
            "tijdgebrek",
            "tijdsgebrek",
            "gebrek aan tijd",
            "tijd tekort",
            "tijd te kort",
            "tijdtekort",
            "geen tijd over",
            "geen tijd meer",
            "heb de tijd niet",
            "ontbreekt de tijd",
            "ontbreekt aan tijd",
            "komt er niet van",
            "komt er nooit van",
            "niet aan toe",
            "nooit aan toe",
            "niet aan toekomen",
            "niet aan toegekomen",
            "schiet erbij in",
            "schiet er bij in",
            "geen ruimte voor",
            "geen ruimte om",
            "geen tijd voor scholing",
            "geen tijd voor opleiding",
            "geen tijd voor ontwikkeling",
            "geen tijd vrijgemaakt",
            "geen tijd beschikbaar",
            "geen tijd krijgen",
            "krijg geen tijd",
            "krijgen geen tijd",
            "niet ingeroosterd",
            "niet vrijgeroosterd",
            "niet vrij geroosterd",
            "geen uren voor",
            "te weinig uren",
            "geen studietijd",
            "werk gaat voor",
            "werk gaat altijd voor",
            "sluitpost",
            "ondergeschoven kindje",
            "in eigen tijd",
            "in mijn eigen tijd",
        ),
        "understaffing": (
            "onderbezetting",
            "onderbezet",
            "onderbemand",
            "onderbemanning",
            "te weinig personeel",
            "personeelstekort",
            "tekort aan personeel",
            "personeelsgebrek",
            "gebrek aan personeel",
            "personeel tekort",
            "onvoldoende personeel",
            "personeelskrapte",
            "handen tekort",
            "te weinig handen",
            "te weinig mensen",
            "mensen tekort",
            "te weinig collega's",
            "tekort aan collega's",
            "collega's tekort",
            "krappe bezetting",
            "krap bezet",
            "krappe personeelsbezetting",
            "minimale bezetting",
            "minimaal bezet",
            "bezetting te laag",
            "lage bezetting",
            "te lage bezetting",
            "onvoldoende bezetting",
            "dunne bezetting",
            "kale bezetting",
            "noodbezetting",
            "zondagsbezetting",
            "niet op sterkte",
            "niet te missen",
            "niet gemist worden",
            "niet gemist kunnen",
            "geen vervanging",
            "geen invallers",
            "geen invaller",
            "geen vervangers",
            "geen achtervang",
            "vacatures",
            "openstaande vacatures",
            "onvervulde vacatures",
            "ziekteverzuim",
            "hoog verzuim",
            "hoog ziekteverzuim",
            "zieke collega's",
            "uitval van collega's",
            "te klein team",
            "te weinig fte",
            "formatietekort",
            "gaten in het rooster",
            "gaten in rooster",
        ),
    },
    "en": {
        "workload": (
            "too busy",
            "very busy",
            "so busy",
            "extremely busy",
            "constantly busy",
            "too much work",
            "workload",
            "heavy workload",
            "high workload",
            "workload too high",
            "excessive workload",
            "unmanageable workload",
            "demanding workload",
            "work pressure",
            "work pressures",
            "pressure of work",
            "high work pressure",
            "workload pressure",
            "overworked",
            "overloaded",
            "work overload",
            "snowed under",
            "swamped",
            "inundated",
            "drowning in work",
            "stretched",
            "stretched thin",
            "stretched too thin",
            "overstretched",
            "over-stretched",
            "spread too thin",
            "spread thin",
            "run off my feet",
            "rushed off my feet",
            "run ragged",
            "firefighting",
            "fire fighting",
            "fire-fighting",
            "flat out",
            "day-to-day pressures",
            "day to day pressures",
            "operational pressures",
            "operational pressure",
            "demands of the job",
            "heavy caseload",
            "high caseload",
            "too many tasks",
            "too much on",
            "too much on my plate",
            "full plate",
            "busy schedule",
            "packed schedule",
            "hectic",
            "time pressure",
            "time pressures",
            "under pressure",
            "overtime",
            "long hours",
        ),
        "no_time": (
            "no time",
            "not enough time",
            "lack of time",
            "insufficient time",
            "too little time",
            "limited time",
            "little time",
            "short of time",
            "pressed for time",
            "time poor",
            "time-poor",
            "time constraints",
            "time constraint",
            "no protected time",
            "lack of protected time",
            "no dedicated time",
            "no allocated time",
            "no time allocated",
            "no time set aside",
            "no study time",
            "no study leave",
            "no time to learn",
            "no time for training",
            "no time for learning",
            "no time for development",
            "never get round to",
            "never get around to",
            "don't get round to",
            "don't get around to",
            "can't get released",
            "not released",
            "no release time",
            "not given time",
            "find the time",
            "finding the time",
            "finding time",
            "find time",
            "in my own time",
            "not enough hours",
            "hours in the day",
            "no spare time",
            "no capacity",
            "no headspace",
            "no head space",
            "back burner",
            "takes a back seat",
            "falls by the wayside",
            "bottom of the list",
            "no time off for training",
        ),
        "understaffing": (
            "short-staffed",
            "short staffed",
            "understaffed",
            "under-staffed",
            "under staffed",
            "understaffing",
            "staff shortage",
            "staffing shortage",
            "shortage of staff",
            "short of staff",
            "lack of staff",
            "not enough staff",
            "too few staff",
            "low staffing",
            "low staffing levels",
            "poor staffing levels",
            "lack of staffing",
            "staffing issues",
            "staffing problems",
            "staffing pressures",
            "staffing crisis",
            "skeleton staff",
            "skeleton crew",
            "short-handed",
            "short handed",
            "shorthanded",
            "undermanned",
            "not enough people",
            "too few people",
            "not enough hands",
            "no cover",
            "lack of cover",
            "no one to cover",
            "nobody to cover",
            "no backfill",
            "lack of backfill",
            "can't be spared",
            "cannot be spared",
            "vacancies",
            "unfilled vacancies",
            "vacant posts",
            "unfilled posts",
            "staff sickness",
            "sickness absence",
            "staff absence",
            "no relief staff",
            "gaps in the rota",
            "rota gaps",
        ),
    },
}
#: Words of a code's name or keywords that make it the code of an idea of
#: `PRESSURE_EXPRESSIONS` (forms and lemmas, lower case; see `pressure`).
PRESSURE_ANCHORS: dict[str, dict[str, frozenset[str]]] = {
    "nl": {
        "workload": frozenset(
            "werkdruk werklast werkbelasting taakbelasting drukte overbelasting caseload".split()
        ),
        "no_time": frozenset("tijd tijdgebrek tijdsgebrek".split()),
        "understaffing": frozenset(
            "bezetting onderbezetting personeelstekort personeelsgebrek krapte".split()
        ),
    },
    "en": {
        "workload": frozenset("workload workloads caseload caseloads overwork".split()),
        "no_time": frozenset("time".split()),
        "understaffing": frozenset(
            "staffing understaffing understaffed short-staffed shortage shortages".split()
        ),
    },
}
