"""One output language at a time: the words of screens and tables, and number formats, in nl or en.

Screens, terminal tables, CSV/XLSX headers of report tables, charts and numbers all take the
project's output language (`core.settings.output_language`), so a Dutch screen never shows
"30.8%" beside "Thema's". What stays English whatever the language: JSON keys (an API, fixed
by SPEC.md), the field names of record exports that are read back (`suggestions --format
csv`, codebook csv), and error messages.

The table words of `analysis/labels.py` (theme tables, charts) use the same number formats.
Plain dicts, no gettext: a key maps to its Dutch and English text; `{name}` fields are filled
with `str.format`.
"""

from __future__ import annotations

from lo_codebook.errors import UserError

LANGUAGES = ("nl", "en")

# key -> {"nl": ..., "en": ...}. Grouped by where the words appear.
MESSAGES: dict[str, dict[str, str]] = {
    # CLI tables ------------------------------------------------------------------------------
    "col.setting": {"nl": "instelling", "en": "setting"},
    "col.value": {"nl": "waarde", "en": "value"},
    "col.source": {"nl": "bron", "en": "source"},
    "col.meaning": {"nl": "betekenis", "en": "meaning"},
    "col.what": {"nl": "wat", "en": "what"},
    "col.count": {"nl": "aantal", "en": "count"},
    "col.name": {"nl": "naam", "en": "name"},
    "col.case": {"nl": "casus", "en": "case"},
    "col.kind": {"nl": "soort", "en": "kind"},
    "col.words": {"nl": "woorden", "en": "words"},
    "col.turns": {"nl": "beurten", "en": "turns"},
    "col.attributes": {"nl": "kenmerken", "en": "attributes"},
    "col.sample": {"nl": "steekproef", "en": "sample"},
    "sample.blind": {"nl": "blind", "en": "blind"},
    "sample.done": {"nl": "klaar", "en": "done"},
    "col.when": {"nl": "wanneer", "en": "when"},
    "col.coder": {"nl": "codeur", "en": "coder"},
    "col.action": {"nl": "actie", "en": "action"},
    "col.summary": {"nl": "samenvatting", "en": "summary"},
    "col.document": {"nl": "document", "en": "document"},
    "col.code": {"nl": "code", "en": "code"},
    "col.score": {"nl": "score", "en": "score"},
    "col.evidence": {"nl": "onderbouwing", "en": "evidence"},
    "col.text": {"nl": "tekst", "en": "text"},
    "col.rank": {"nl": "nr", "en": "rank"},
    "col.candidate": {"nl": "kandidaat", "en": "candidate"},
    "col.label": {"nl": "label", "en": "label"},
    "col.documents": {"nl": "documenten", "en": "documents"},
    "col.phrases": {"nl": "woordgroepen", "en": "phrases"},
    "col.example": {"nl": "voorbeeld", "en": "example"},
    "source.set": {"nl": "ingesteld", "en": "set"},
    "source.default": {"nl": "standaard", "en": "default"},
    "undone": {"nl": "ongedaan", "en": "undone"},
    "project_line": {"nl": "Project: {name}   codeur: {coder}", "en": "Project: {name}   coder: {coder}"},
    "more_rows": {"nl": "... nog {n} (--limit)", "en": "... {n} more (--limit)"},
    # status counts (the keys of `status --format json` stay English) -------------------------
    "status.cases": {"nl": "casussen", "en": "cases"},
    "status.documents": {"nl": "documenten", "en": "documents"},
    "status.codes": {"nl": "codes", "en": "codes"},
    "status.codings": {"nl": "coderingen", "en": "codings"},
    "status.suggestions_pending": {"nl": "suggesties open", "en": "suggestions pending"},
    "status.suggestions": {"nl": "suggesties", "en": "suggestions"},
    "status.coders": {"nl": "codeurs", "en": "coders"},
    "status.memos": {"nl": "memo's", "en": "memos"},
    # which coders a theme table counts (`themes_service.CoderScope.notice`) -------------------
    "coders.nobody_yet": {"nl": "codeurs: nog niemand heeft gecodeerd", "en": "coders: nobody has coded yet"},
    "coders.nobody": {"nl": "niemand", "en": "nobody"},
    "coders.idle_one": {"nl": " ({names} heeft geen coderingen)", "en": " ({names} has no codings)"},
    "coders.idle_many": {"nl": " ({names} hebben geen coderingen)", "en": " ({names} have no codings)"},
    "coders.only": {
        "nl": "codeurs: telt {names}{note} (de enige codeur met coderingen)",
        "en": "coders: counting {names}{note} (the only coder with codings)",
    },
    "coders.all": {
        "nl": "codeurs: telt alle {n} codeurs samen: {names}{note}",
        "en": "coders: counting all {n} coders pooled: {names}{note}",
    },
    "coders.some": {
        "nl": "codeurs: telt alleen {names}{pooled}{note}; codeurs met coderingen: {available} ({hint})",
        "en": "coders: counting {names}{pooled} only{note}; coders with codings: {available} ({hint})",
    },
    "coders.pooled": {"nl": " samen", "en": " pooled"},
    # TUI: everywhere -------------------------------------------------------------------------
    "app.coder": {"nl": "codeur: {coder}", "en": "coder: {coder}"},
    "app.read_only": {"nl": "alleen lezen", "en": "read-only"},
    "app.busy": {
        "nl": "nog bezig met de vorige taak; wacht tot de voortgangsbalk klaar is",
        "en": "still busy with the previous task; wait for the progress bar to finish",
    },
    "app.suggesting": {"nl": "Codes voorstellen…", "en": "Suggesting codes…"},
    "app.importing": {"nl": "Importeren…", "en": "Importing…"},
    "app.failed": {"nl": "{label} mislukt", "en": "{label} failed"},
    "app.nothing_imported": {"nl": "niets geïmporteerd", "en": "nothing imported"},
    "app.export_codebook_prompt": {
        "nl": "Codeboek exporteren naar (.csv, .md of .qdc)",
        "en": "Export the codebook to (.csv, .md or .qdc)",
    },
    "app.wrote_codes": {"nl": "{codes} geschreven naar {path}", "en": "wrote {codes} to {path}"},
    "app.no_suggest": {
        "nl": "de suggestiemotor is hier niet beschikbaar ({error})",
        "en": "the suggestion engine is not available ({error})",
    },
    "app.no_agreement": {
        "nl": "overeenstemming is niet beschikbaar ({error})",
        "en": "agreement is not available ({error})",
    },
    "work.suggest": {"nl": "suggesties", "en": "suggest"},
    "work.import": {"nl": "import", "en": "import"},
    "work.export": {"nl": "export", "en": "export"},
    "work.themes": {"nl": "thema's", "en": "themes"},
    # TUI: main screen ------------------------------------------------------------------------
    "main.documents": {"nl": "Documenten", "en": "Documents"},
    "main.documents_count": {"nl": "Documenten ({shown})", "en": "Documents ({shown})"},
    "main.of": {"nl": "{n} van {total}", "en": "{n} of {total}"},
    "main.all_cases": {"nl": "Alle casussen", "en": "All cases"},
    "main.any_code": {"nl": "Elke code", "en": "Any code"},
    "main.codebook_title": {
        "nl": "Codeboek  docs·vermeldingen +open",
        "en": "Codebook  docs·mentions +pending",
    },
    "main.case": {"nl": "casus {case}", "en": "case {case}"},
    "main.doc_counts": {"nl": "{kind} · {codings} · {pending} open", "en": "{kind} · {codings} · {pending} pending"},
    "main.no_document": {
        "nl": "Geen document. Importeer bestanden met I, of open er een uit de lijst.",
        "en": "No document. Import files with I, or open one from the list.",
    },
    "main.selected": {"nl": "{start}–{end} · {chars} geselecteerd", "en": "{start}–{end} · {chars} selected"},
    "main.at": {"nl": "bij {end}", "en": "at {end}"},
    "main.memo": {"nl": " memo: {memo}", "en": " memo: {memo}"},
    "main.suggested": {"nl": "  voorgesteld: ", "en": "  suggested: "},
    "main.suggested_keys": {"nl": " {score} {method} (a accepteren, d afwijzen)", "en": " {score} {method} (a accept, d dismiss)"},
    "main.empty_codebook": {
        "nl": "Het codeboek is leeg: druk hier op n om een code toe te voegen.",
        "en": "The codebook is empty: press n here to add a code.",
    },
    "main.code_counts": {"nl": "{documents} · {mentions} · {pending} open", "en": "{documents} · {mentions} · {pending} pending"},
    "main.keywords": {"nl": "\ntrefwoorden: ", "en": "\nkeywords: "},
    "main.recent_hint": {
        "nl": "Selecteer tekst, druk op c om te coderen; de codes die je gebruikt komen op toets 1-9.",
        "en": "Select text, press c to code it; the codes you use land on keys 1-9.",
    },
    "main.open_first": {"nl": "open eerst een document", "en": "open a document first"},
    "main.select_first": {
        "nl": "selecteer eerst tekst: shift+pijltjes, of w woord, s zin, t beurt (of sleep met de muis)",
        "en": "select text first: shift+arrows, or w word, s sentence, t turn (or drag the mouse)",
    },
    "main.gone": {"nl": "dat document bestaat niet meer", "en": "that document no longer exists"},
    "main.coded": {"nl": "{n} gecodeerd", "en": "{n} coded"},
    "main.pending": {"nl": "{n} open", "en": "{n} pending"},
    "main.sample_blind": {"nl": "steekproef: blind", "en": "sample: blind"},
    "main.sample_done": {"nl": "steekproef: klaar", "en": "sample: done"},
    "main.words_short": {"nl": "{n} w", "en": "{n} w"},
    # kinds of documents
    "kind.transcript": {"nl": "interview", "en": "transcript"},
    "kind.survey": {"nl": "enquête", "en": "survey"},
    "kind.text": {"nl": "tekst", "en": "text"},
    # TUI: themes screen ----------------------------------------------------------------------
    "themes.more_than": {"nl": "Meer dan", "en": "More than"},
    "themes.estimate": {"nl": "Schatting (95%)", "en": "Estimate (95%)"},
    "themes.validation": {"nl": "Validatie", "en": "Validation"},
    "themes.none": {"nl": "geen", "en": "none"},
    "themes.documents": {"nl": "documenten", "en": "documents"},
    "themes.mentions": {"nl": "vermeldingen", "en": "mentions"},
    "themes.by": {"nl": "per", "en": "by"},
    "themes.no_breakdown": {"nl": "(geen uitsplitsing)", "en": "(no breakdown)"},
    "themes.themes": {"nl": "thema's", "en": "themes"},
    "themes.categories": {"nl": "categorieën", "en": "categories"},
    "themes.all_documents": {"nl": "alle documenten", "en": "all documents"},
    "themes.survey": {"nl": "enquêtes", "en": "survey answers"},
    "themes.interviews": {"nl": "interviews", "en": "interviews"},
    "themes.texts": {"nl": "teksten", "en": "texts"},
    "themes.coder": {"nl": "codeur", "en": "coder"},
    "themes.all_coders": {"nl": "alle codeurs", "en": "all coders"},
    "themes.export_to": {"nl": "Exporteren naar", "en": "Export to"},
    "themes.export_placeholder": {
        "nl": "bestandsnaam, bv. themas.xlsx  (.csv .xlsx .md .json; grafiek: .png .svg)",
        "en": "file name, e.g. themes.xlsx  (.csv .xlsx .md .json; chart: .png .svg)",
    },
    "themes.export": {"nl": "Exporteren", "en": "Export"},
    "themes.no_rows": {"nl": "(geen thema's boven de drempel)", "en": "(no themes above the threshold)"},
    "themes.rows": {"nl": "{rows}", "en": "{rows}"},
    "themes.coder_hint": {
        "nl": "kies “alle codeurs” om ze samen te tellen, of een andere codeur",
        "en": "choose “all coders” to pool them, or another coder",
    },
    "themes.type_name": {
        "nl": "typ eerst een bestandsnaam, bv. themas.xlsx of grafiek.png",
        "en": "type a file name first, e.g. themes.xlsx or chart.png",
    },
    "themes.unknown_format": {
        "nl": "onbekend exportformaat {suffix}: gebruik .csv .xlsx .md .json, of .png .svg voor de grafiek",
        "en": "unknown export format {suffix}: use .csv .xlsx .md .json, or .png .svg for the chart",
    },
    "themes.computing": {"nl": "de tabel wordt nog berekend", "en": "the table is still being computed"},
    "themes.wrote": {"nl": "{path} geschreven", "en": "wrote {path}"},
    # TUI: help screen ------------------------------------------------------------------------
    "help.title": {
        "nl": "Toetsen (anders instellen in keymap.toml: zie onder)",
        "en": "Keys (remap in keymap.toml: see below)",
    },
    "help.keymap_file": {
        "nl": "Toetsenbestand: {path} (of ${env}), bv.",
        "en": "Keymap file: {path} (or ${env}), e.g.",
    },
    "help.binding_ids": {"nl": "Ids van de toetsen: ", "en": "Binding ids: "},
    # coded segments (retrieve) and search -----------------------------------------------------
    "col.start": {"nl": "begin", "en": "start"},
    "col.end": {"nl": "eind", "en": "end"},
    "col.in_context": {"nl": "tekst in context", "en": "text in context"},
    "retrieval.code": {"nl": "Code ", "en": "Code "},
    "retrieval.cases": {"nl": "casussen", "en": "cases"},
    "retrieval.all_cases": {"nl": "alle casussen", "en": "all cases"},
    "retrieval.no_code": {"nl": "geen code gekozen: druk op c", "en": "no code chosen: press c"},
    "retrieval.caption": {"nl": "{segments} in {documents} · ", "en": "{segments} in {documents} · "},
    "retrieval.sub_codes": {"nl": " (met subcodes)", "en": " (and its sub-codes)"},
    "retrieval.coded_by": {"nl": "gecodeerd als {code} door {coder}", "en": "coded {code} by {coder}"},
    "retrieval.none_here": {"nl": "hier geen fragment: kies een code met c", "en": "no segment here: choose a code with c"},
    "retrieval.choose_first": {"nl": "kies eerst een code (c)", "en": "choose a code first (c)"},
    "retrieval.removed": {"nl": "{code} weggehaald uit {document} (ctrl+z maakt ongedaan)", "en": "removed {code} from {document} (ctrl+z undoes)"},
    "retrieval.recoded": {"nl": "gehercodeerd (ctrl+z maakt ongedaan)", "en": "recoded (ctrl+z undoes)"},
    "retrieval.recode_title": {"nl": "{code} hercoderen als…", "en": "Recode {code} as…"},
    "retrieval.pick_title": {"nl": "De gecodeerde fragmenten tonen van…", "en": "List the coded segments of…"},
    "retrieval.export_prompt": {"nl": "De fragmenten exporteren naar (.csv, .md of .json)", "en": "Export the segments to (.csv, .md or .json)"},
    "retrieval.wrote": {"nl": "{segments} geschreven naar {path}", "en": "wrote {segments} to {path}"},
    "search.placeholder": {"nl": "zoek in de teksten (enter)", "en": "search the texts (enter)"},
    "search.start": {"nl": "Typ een woord of woordgroep en druk op enter.", "en": "Type a word or phrase and press enter."},
    "search.searching": {"nl": "zoeken…", "en": "searching…"},
    "search.mode_words": {"nl": "woorden of woordgroep", "en": "words or phrase"},
    "search.mode_lemma": {"nl": "elke vorm (lemma)", "en": "every form (lemma)"},
    "search.mode_regex": {"nl": "reguliere expressie", "en": "regular expression"},
    "search.summary": {"nl": "{hits} in {documents} (van {searched} doorzocht)", "en": "{hits} in {documents} (of {searched} searched)"},
    "search.selected": {"nl": " · {n} gekozen", "en": " · {n} selected"},
    "search.how": {"nl": " · spatie kiest, a alle; c codeert de gekozen (geen: alle)", "en": " · space selects, a all; c codes the selected (none: all)"},
    "search.type_first": {"nl": "typ eerst waarnaar je zoekt", "en": "type what to look for first"},
    "search.nothing_to_code": {"nl": "geen treffers om te coderen: zoek eerst", "en": "no hits to code: search first"},
    "search.code_selected": {"nl": "{hits} (gekozen) coderen als…", "en": "Code {hits} (selected) as…"},
    "search.code_all": {"nl": "Alle {hits} coderen als…", "en": "Code all {hits} as…"},
    "search.coded": {"nl": "{hits} gecodeerd als {code}{already}; ctrl+z haalt ze allemaal terug", "en": "coded {hits} as {code}{already}; ctrl+z takes them all back"},
    "search.already": {"nl": " ({n} hadden hem al)", "en": " ({n} already had it)"},
    "search.all_had_it": {"nl": "niets te coderen: elke treffer heeft {code} al", "en": "nothing to code: every hit already has {code}"},
    "search.no_hit_here": {"nl": "hier geen treffer: zoek eerst", "en": "no hit here: search first"},
    "search.failed": {"nl": "zoeken mislukt", "en": "search failed"},
    "work.search": {"nl": "zoeken", "en": "search"},
}

# Counted nouns: (one, many) per language.
NOUNS: dict[str, dict[str, tuple[str, str]]] = {
    "document": {"nl": ("document", "documenten"), "en": ("document", "documents")},
    "mention": {"nl": ("vermelding", "vermeldingen"), "en": ("mention", "mentions")},
    "coding": {"nl": ("codering", "coderingen"), "en": ("coding", "codings")},
    "code": {"nl": ("code", "codes"), "en": ("code", "codes")},
    "row": {"nl": ("rij", "rijen"), "en": ("row", "rows")},
    "character": {"nl": ("teken", "tekens"), "en": ("character", "characters")},
    "suggestion": {"nl": ("suggestie", "suggesties"), "en": ("suggestion", "suggestions")},
    "keyword": {"nl": ("trefwoord", "trefwoorden"), "en": ("keyword", "keywords")},
    "segment": {"nl": ("fragment", "fragmenten"), "en": ("segment", "segments")},
    "hit": {"nl": ("treffer", "treffers"), "en": ("hit", "hits")},
}


def check_lang(lang: str) -> str:
    """Accept only the languages we have words for (a one-line user error otherwise)."""
    if lang not in LANGUAGES:
        raise UserError(f"unknown language {lang!r}; use one of: {', '.join(LANGUAGES)}")
    return lang


def t(key: str, lang: str, **fields: object) -> str:
    """The text of `key` in `lang`, with `{name}` fields filled in."""
    text = MESSAGES[key][check_lang(lang)]
    return text.format(**fields) if fields else text


def count(n: int, noun: str, lang: str) -> str:
    """`n` and the noun in the right number: "1 document", "2 documenten"."""
    one, many = NOUNS[noun][check_lang(lang)]
    return f"{format_int(n, lang)} {one if n == 1 else many}"


def _decimal_mark(text: str, lang: str) -> str:
    """Swap the marks of an English-formatted number into Dutch ("1,234.5" -> "1.234,5")."""
    if lang != "nl":
        return text
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def format_int(n: int, lang: str) -> str:
    """A whole number with the language's thousands separator: 12.345 (nl), 12,345 (en)."""
    return _decimal_mark(f"{int(n):,}", lang)


def format_number(value: float | None, lang: str, digits: int = 2) -> str:
    """A fixed-point number with the language's decimal mark: 0,73 (nl), 0.73 (en); `-` for None."""
    if value is None:
        return "-"
    return _decimal_mark(f"{value:.{digits}f}", lang)


def format_share(fraction: float, lang: str, digits: int = 1) -> str:
    """A fraction as a percentage: 0.293 -> "29,3%" (nl) or "29.3%" (en)."""
    return f"{_decimal_mark(f'{fraction * 100:.{digits}f}', lang)}%"
