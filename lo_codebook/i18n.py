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
    "project_line": {
        "nl": "Project: {name}   codeur: {coder}",
        "en": "Project: {name}   coder: {coder}",
    },
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
    "coders.nobody_yet": {
        "nl": "codeurs: nog niemand heeft gecodeerd",
        "en": "coders: nobody has coded yet",
    },
    "coders.nobody": {"nl": "niemand", "en": "nobody"},
    "coders.idle_one": {
        "nl": " ({names} heeft geen coderingen)",
        "en": " ({names} has no codings)",
    },
    "coders.idle_many": {
        "nl": " ({names} hebben geen coderingen)",
        "en": " ({names} have no codings)",
    },
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
    "app.done_after_waiting": {
        "nl": "gedaan na wachten op een andere schrijfactie",
        "en": "done after waiting for another write",
    },
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
    "main.doc_counts": {
        "nl": "{kind} · {codings} · {pending} open",
        "en": "{kind} · {codings} · {pending} pending",
    },
    "main.no_document": {
        "nl": "Geen document. Importeer bestanden met I, of open er een uit de lijst.",
        "en": "No document. Import files with I, or open one from the list.",
    },
    "main.selected": {
        "nl": "{start}–{end} · {chars} geselecteerd",
        "en": "{start}–{end} · {chars} selected",
    },
    "main.at": {"nl": "bij {end}", "en": "at {end}"},
    "main.memo": {"nl": " memo: {memo}", "en": " memo: {memo}"},
    "main.suggested": {"nl": "  voorgesteld: ", "en": "  suggested: "},
    "main.suggested_keys": {
        "nl": " {score} {method} (a accepteren, d afwijzen)",
        "en": " {score} {method} (a accept, d dismiss)",
    },
    "main.empty_codebook": {
        "nl": "Het codeboek is leeg: druk hier op n om een code toe te voegen.",
        "en": "The codebook is empty: press n here to add a code.",
    },
    "main.code_counts": {
        "nl": "{documents} · {mentions} · {pending} open",
        "en": "{documents} · {mentions} · {pending} pending",
    },
    "main.keywords": {"nl": "\ntrefwoorden: ", "en": "\nkeywords: "},
    "main.recent_hint": {
        "nl": "Selecteer tekst, druk op c om te coderen; de codes die je gebruikt komen op toets 1-9.",
        "en": "Select text, press c to code it; the codes you use land on keys 1-9.",
    },
    "main.open_first": {"nl": "open eerst een document", "en": "open a document first"},
    "main.blind": {
        "nl": "BLIND · validatiesteekproef: codeer het volledig met de hand; V markeert het klaar "
        "(dan verschijnen suggesties en de codes van andere codeurs)",
        "en": "BLIND · validation sample: code it fully by hand; V marks it done "
        "(then suggestions and other coders' codes show)",
    },
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
    # TUI: dialogs (tui/screens/modals.py) ------------------------------------------------------
    "common.cancel": {"nl": "Annuleren", "en": "Cancel"},
    "common.undoes": {"nl": "ctrl+z maakt ongedaan", "en": "ctrl+z undoes"},
    "picker.title": {"nl": "De selectie coderen", "en": "Code the selection"},
    "picker.search": {"nl": "typ om codes te zoeken", "en": "type to search codes"},
    "picker.search_create": {
        "nl": ", of een nieuwe naam (Ouder/Naam)",
        "en": ", or a new name (Parent/Name)",
    },
    "picker.hint": {
        "nl": "enter kiezen · ↑↓ bewegen · esc annuleren",
        "en": "enter choose · ↑↓ move · esc cancel",
    },
    "picker.hint_create": {
        "nl": " · een nieuwe naam maakt de code aan",
        "en": " · a new name creates the code",
    },
    "picker.in": {"nl": "  in {parent}", "en": "  in {parent}"},
    "picker.keyword": {"nl": "  trefwoord: {keyword}", "en": "  keyword: {keyword}"},
    "picker.top_level": {"nl": "(bovenste niveau)", "en": "(top level)"},
    "picker.category_is": {"nl": "{name} is een categorie: ", "en": "{name} is a category: "},
    "picker.category_hint": {
        "nl": "typ {name}/Naam voor een nieuwe code erin",
        "en": "type {name}/Name for a new code in it",
    },
    "picker.new_code": {"nl": "+ nieuwe code ", "en": "+ new code "},
    "picker.new_category": {"nl": "  (nieuwe categorie)", "en": "  (new category)"},
    "prompt.hint": {"nl": "enter opslaan · esc annuleren", "en": "enter save · esc cancel"},
    "confirm.yes": {"nl": "Ja", "en": "Yes"},
    "confirm.button": {"nl": "{yes} (y)", "en": "{yes} (y)"},
    "confirm.cancel": {"nl": "Annuleren (n)", "en": "Cancel (n)"},
    "import.title": {"nl": "Importeren", "en": "Import"},
    "import.files": {
        "nl": "Bestanden of mappen (scheid meerdere met ';'):",
        "en": "Files or folders (separate several with ';'):",
    },
    "import.paths": {"nl": "interviews/  of  enquete.csv", "en": "interviews/  or  survey.csv"},
    "import.transcripts": {
        "nl": "Interviews: casusnaam en kenmerken (optioneel)",
        "en": "Transcripts: case name and attributes (optional)",
    },
    "import.case": {
        "nl": "casusnaam (standaard: de bestandsnaam)",
        "en": "case name (default: the file name)",
    },
    "import.attrs": {
        "nl": "kenmerken: grootteklasse=<20.000; provincie=Utrecht",
        "en": "attributes: size_class=<20.000; province=Utrecht",
    },
    "import.survey": {"nl": "Enquête (.csv/.xlsx): kolommen", "en": "Survey (.csv/.xlsx): columns"},
    "import.id_col": {"nl": "id-kolom, bv. ResponseId", "en": "id column, e.g. ResponseId"},
    "import.text_cols": {"nl": "tekstkolom(men), bv. Q4; Q5", "en": "text column(s), e.g. Q4; Q5"},
    "import.attr_cols": {
        "nl": "kenmerkkolom(men), bv. Q2=grootteklasse",
        "en": "attribute column(s), e.g. Q2=size_class",
    },
    "import.need_path": {
        "nl": "noem minstens één bestand of map",
        "en": "name at least one file or folder",
    },
    "import.bad_attr": {
        "nl": "kenmerken zijn SLEUTEL=WAARDE, niet {part}",
        "en": "attributes are KEY=VALUE, got {part}",
    },
    "import.need_text_col": {
        "nl": "een enquête heeft minstens één tekstkolom nodig",
        "en": "a survey needs at least one text column",
    },
    # TUI: codebook editing on the main screen -----------------------------------------------------
    "edit.this_code": {"nl": "deze code", "en": "this code"},
    "edit.category": {
        "nl": "{code} is een categorie: codeer met een van haar thema's (of c, dan {name}/Nieuwe naam)",
        "en": "{code} is a category: code with one of its themes (or c, then {name}/New name)",
    },
    "edit.no_recent": {
        "nl": "nog geen recente code {n}: codeer eerst iets met c",
        "en": "no recent code {n} yet: code something with c first",
    },
    "edit.no_coding": {
        "nl": "geen codering onder de cursor om te {verb} (] springt naar de volgende)",
        "en": "no coding under the cursor to {verb} (] jumps to the next one)",
    },
    "edit.which": {"nl": "Welke codering {verb}?", "en": "Which coding to {verb}?"},
    "edit.verb.remove": {"nl": "verwijderen", "en": "remove"},
    "edit.verb.recode": {"nl": "hercoderen", "en": "recode"},
    "edit.verb.annotate": {"nl": "annoteren", "en": "annotate"},
    "edit.removed": {"nl": "{code} verwijderd", "en": "removed {code}"},
    "edit.recode_as": {"nl": "{code} hercoderen als…", "en": "Recode {code} as…"},
    "edit.memo_doc_saved": {
        "nl": "memo bij het document opgeslagen",
        "en": "memo saved on the document",
    },
    "edit.memo_doc": {
        "nl": "Memo bij dit document (geen codering onder de cursor)",
        "en": "Memo on this document (no coding under the cursor)",
    },
    "edit.your_note": {"nl": "je notitie", "en": "your note"},
    "edit.memo_saved": {"nl": "memo opgeslagen", "en": "memo saved"},
    "edit.memo_on": {
        "nl": "Memo bij {code} ({start}–{end})",
        "en": "Memo on {code} ({start}–{end})",
    },
    "edit.your_note_empty": {
        "nl": "je notitie (leeg verwijdert haar)",
        "en": "your note (empty removes it)",
    },
    "edit.no_suggestion": {
        "nl": "geen suggestie onder de cursor (onderstreepte tekst; ] springt naar de volgende)",
        "en": "no suggestion under the cursor (underlined text; ] jumps to the next)",
    },
    "edit.accepted": {"nl": "geaccepteerd: {codes}", "en": "accepted: {codes}"},
    "edit.rejected": {"nl": "afgewezen: {codes}", "en": "rejected: {codes}"},
    "edit.someone_else": {
        "nl": "iemand anders besliste hier net over; het blijft zoals die besliste",
        "en": "someone else just decided this; it stays as they decided",
    },
    "edit.highlight_first": {
        "nl": "markeer eerst een code in het codeboek",
        "en": "highlight a code in the codebook first",
    },
    "edit.added": {"nl": "code {name} toegevoegd", "en": "added code {name}"},
    "edit.new_code": {
        "nl": "Nieuwe code (Ouder/Naam zet haar onder een categorie)",
        "en": "New code (Parent/Name puts it under a category)",
    },
    "edit.new_code_placeholder": {"nl": "naam of Categorie/naam", "en": "name or Category/name"},
    "edit.rename": {"nl": "{code} hernoemen", "en": "Rename {code}"},
    "edit.moved": {"nl": "{code} verplaatst", "en": "moved {code}"},
    "edit.move_under": {"nl": "{code} verplaatsen naar…", "en": "Move {code} under…"},
    "edit.merged": {
        "nl": "{source} samengevoegd met {target} (ctrl+z maakt ongedaan)",
        "en": "merged {source} into {target} (ctrl+z undoes)",
    },
    "edit.merge_title": {"nl": "Codes samenvoegen", "en": "Merge codes"},
    "edit.merge_message": {
        "nl": "{source} ({codings} in {documents}) samenvoegen met {target}?\nZijn coderingen, suggesties, subcodes en "
        "trefwoorden gaan mee; {name} verdwijnt. Ongedaan maken met ctrl+z.",
        "en": "Merge {source} ({codings} in {documents}) into {target}?\nIts codings, suggestions, sub-codes and "
        "keywords move; {name} disappears. Undo with ctrl+z.",
    },
    "edit.merge_yes": {"nl": "Samenvoegen", "en": "Merge"},
    "edit.merge_into": {"nl": "{code} samenvoegen met…", "en": "Merge {code} into…"},
    "edit.delete_message": {
        "nl": "{path}{below} verwijderen, met {codings}?\nOngedaan maken met ctrl+z.",
        "en": "Delete {path}{below}, with {codings}?\nUndo with ctrl+z.",
    },
    "edit.delete_below": {"nl": " en zijn {subcodes}", "en": " and its {subcodes}"},
    "edit.deleted": {
        "nl": "{code} verwijderd (ctrl+z maakt ongedaan)",
        "en": "deleted {code} (ctrl+z undoes)",
    },
    "edit.delete_title": {"nl": "Code verwijderen", "en": "Delete code"},
    "edit.delete_yes": {"nl": "Verwijderen", "en": "Delete"},
    "edit.keywords_for": {"nl": "{keywords} voor {code}", "en": "{keywords} for {code}"},
    "edit.keywords_of": {
        "nl": "Trefwoorden van {code} (scheid met ;)",
        "en": "Keywords of {code} (separate with ;)",
    },
    "edit.keywords_placeholder": {
        "nl": "trefwoord; synoniem; woordgroep",
        "en": "keyword; synonym; phrase",
    },
    "edit.not_colour": {
        "nl": "geen kleur: gebruik #rrggbb of een naam zoals 'dark_orange'",
        "en": "not a colour: use #rrggbb or a name such as 'dark_orange'",
    },
    "edit.colour_of": {"nl": "Kleur van {code}", "en": "Colour of {code}"},
    "edit.description_of": {"nl": "Beschrijving van {code}", "en": "Description of {code}"},
    # how the engine found a suggestion (the stored method and JSON keep the English word)
    "method.keyword": {"nl": "trefwoord", "en": "keyword"},
    "method.fuzzy": {"nl": "benadering", "en": "fuzzy"},
    "method.learned": {"nl": "geleerd", "en": "learned"},
    "method.lemma": {"nl": "lemma", "en": "lemma"},
    "method.description": {"nl": "beschrijving", "en": "description"},
    # TUI: suggestion review ------------------------------------------------------------------------
    "review.code": {"nl": "Code", "en": "Code"},
    "review.all_codes": {"nl": "Alle codes", "en": "All codes"},
    "review.min_score": {"nl": "Min. score", "en": "Min score"},
    "review.keys": {
        "nl": "a accepteren · r afwijzen · s overslaan · b terug · A hele code accepteren · X hele code afwijzen · "
        "o openen in tekst · esc sluiten",
        "en": "a accept · r reject · s skip · b back · A accept all of this code · X reject all of this code · "
        "o open in text · esc close",
    },
    "review.progress": {
        "nl": "  ✓ {accepted} geaccepteerd · ✗ {rejected} afgewezen · {skipped} overgeslagen · {pending} te gaan",
        "en": "  ✓ {accepted} accepted · ✗ {rejected} rejected · {skipped} skipped · {pending} to go",
    },
    "review.done": {
        "nl": "Rij klaar: {accepted} geaccepteerd, {rejected} afgewezen, {skipped} overgeslagen.",
        "en": "Queue done: {accepted} accepted, {rejected} rejected, {skipped} skipped.",
    },
    "review.done_hint": {
        "nl": "Druk op b om terug te gaan langs de overgeslagen, esc om terug te gaan naar de documenten.",
        "en": "Press b to go back through skipped ones, esc to return to the documents.",
    },
    "review.none": {
        "nl": "Hier geen openstaande suggesties.",
        "en": "No pending suggestions here.",
    },
    "review.none_hint": {
        "nl": "Start de motor met S (voorstellen) vanuit het documentenscherm, of verander de filters hierboven.",
        "en": "Run the engine with S (suggest) from the documents screen, or change the filters above.",
    },
    "review.case": {"nl": "  casus {case}", "en": "  case {case}"},
    "review.uncertain_first": {"nl": "  · minst zekere eerst", "en": "  · least certain first"},
    "review.score": {
        "nl": "  score {score} · {method} · {start}–{end}{order}",
        "en": "  score {score} · {method} · {start}–{end}{order}",
    },
    "review.status.accepted": {"nl": "geaccepteerd", "en": "accepted"},
    "review.status.rejected": {"nl": "afgewezen", "en": "rejected"},
    "review.status.skipped": {"nl": "overgeslagen", "en": "skipped"},
    "review.evidence": {"nl": "onderbouwing: ", "en": "evidence: "},
    "review.already": {
        "nl": "al besloten; ctrl+z maakt het besluit ongedaan",
        "en": "already decided; ctrl+z undoes the decision",
    },
    "review.someone_else": {
        "nl": "iemand anders besliste net over deze suggestie; het blijft zoals die besliste",
        "en": "someone else just decided this suggestion; it stays as they decided",
    },
    "review.accepted_code": {
        "nl": "{suggestions} van {code} geaccepteerd (ctrl+z maakt ongedaan)",
        "en": "accepted {suggestions} of {code} (ctrl+z undoes)",
    },
    "review.rejected_code": {
        "nl": "{suggestions} van {code} afgewezen (ctrl+z maakt ongedaan)",
        "en": "rejected {suggestions} of {code} (ctrl+z undoes)",
    },
    "review.accept_all_title": {"nl": "Alles van {code} accepteren", "en": "Accept all of {code}"},
    "review.reject_all_title": {"nl": "Alles van {code} afwijzen", "en": "Reject all of {code}"},
    "review.accept_all_message": {
        "nl": "Alle {suggestions} van {code} accepteren?",
        "en": "Accept all {suggestions} of {code}?",
    },
    "review.reject_all_message": {
        "nl": "Alle {suggestions} van {code} afwijzen?",
        "en": "Reject all {suggestions} of {code}?",
    },
    "review.accept": {"nl": "Accepteren", "en": "Accept"},
    "review.reject": {"nl": "Afwijzen", "en": "Reject"},
    "review.order_uncertain": {"nl": "minst zekere eerst", "en": "least certain first"},
    "review.order_reading": {"nl": "in leesvolgorde", "en": "in reading order"},
    "review.bad_score": {
        "nl": "de min. score is een getal, bv. 80",
        "en": "min score is a number, e.g. 80",
    },
    # TUI: survey grid --------------------------------------------------------------------------------
    "grid.status.all": {"nl": "alle antwoorden", "en": "all answers"},
    "grid.status.uncoded": {"nl": "nog geen code (van jou)", "en": "no code yet (yours)"},
    "grid.status.coded": {"nl": "door jou gecodeerd", "en": "coded by you"},
    "grid.status.pending": {"nl": "openstaande suggesties", "en": "pending suggestions"},
    "grid.every_case": {"nl": "elke casus", "en": "every case"},
    "grid.any_code": {"nl": "elke code", "en": "any code"},
    "grid.shown": {"nl": "{shown} van {total} antwoorden", "en": "{shown} of {total} answers"},
    "grid.ctrl_r": {"nl": "  ctrl+r: alle", "en": "  ctrl+r: all"},
    "grid.empty_codebook": {
        "nl": "Het codeboek is leeg: voeg codes toe (hoofdscherm, codeboek n) of druk hier op c.",
        "en": "The codebook is empty: add codes (main screen, codebook n) or press c here.",
    },
    "grid.pinned": {"nl": "(vastgezet; P maakt los)", "en": "(pinned; P unpins)"},
    "grid.p_pins": {"nl": "(p zet vast)", "en": "(p pins)"},
    "grid.no_answers": {
        "nl": "Nog geen enquête-antwoorden in dit project. Importeer een enquête-export met I (id-kolom + tekstkolom).",
        "en": "No survey answers in this project yet. Import a survey export with I (id column + text column).",
    },
    "grid.no_match": {
        "nl": "Geen antwoord past bij deze filters (ctrl+r toont alle antwoorden).",
        "en": "No answer matches these filters (ctrl+r shows every answer).",
    },
    "grid.gone": {"nl": "dit antwoord bestaat niet meer", "en": "this answer no longer exists"},
    "grid.words": {"nl": "  · {n} woorden", "en": "  · {n} words"},
    "grid.your_codes": {"nl": "jouw codes: ", "en": "your codes: "},
    "grid.none_yet": {
        "nl": "nog geen (1-9 zet een thema aan/uit, c elke code)",
        "en": "none yet (1-9 toggles a theme, c any code)",
    },
    "grid.other_coders": {"nl": "\nandere codeurs: ", "en": "\nother coders: "},
    "grid.suggested": {"nl": "\nvoorgesteld (a accepteert): ", "en": "\nsuggested (a accepts): "},
    "grid.no_answer_here": {
        "nl": "hier geen antwoord (ctrl+r toont alle antwoorden)",
        "en": "no answer here (ctrl+r shows every answer)",
    },
    "grid.added": {
        "nl": " toegevoegd aan {document} (heel antwoord)",
        "en": " added to {document} (whole answer)",
    },
    "grid.taken_off": {"nl": " weggehaald van {document}", "en": " taken off {document}"},
    "grid.removed_codings": {"nl": " ({n} coderingen)", "en": " ({n} codings)"},
    "grid.no_theme_key": {
        "nl": "geen thema op toets {n}: het codeboek heeft er {keys} (p zet een code vast)",
        "en": "no theme on key {n}: the codebook has {keys} (p pins a code)",
    },
    "grid.toggle_on": {"nl": "Een code aan/uit zetten op {name}", "en": "Toggle a code on {name}"},
    "grid.toggle": {"nl": "Een code aan/uit zetten", "en": "Toggle a code"},
    "grid.blind": {
        "nl": "validatiesteekproef: codeer dit antwoord met de hand (V markeert het klaar, dan verschijnen de suggesties)",
        "en": "validation sample: code this answer by hand (V marks it done, then suggestions show)",
    },
    "grid.no_pending": {
        "nl": "geen openstaande suggesties bij dit antwoord (s toont de antwoorden die ze hebben)",
        "en": "no pending suggestions on this answer (s shows the answers that have some)",
    },
    "grid.accepted": {"nl": "{suggestions} geaccepteerd: ", "en": "accepted {suggestions}: "},
    "grid.code": {"nl": "code", "en": "code"},
    "grid.unpinned": {"nl": "{name} losgemaakt", "en": "unpinned {name}"},
    "grid.pinned_to": {"nl": "{name} vastgezet op toets {n}", "en": "pinned {name} to key {n}"},
    "grid.pin_title": {
        "nl": "Een code op de volgende cijfertoets vastzetten (een vastgezette code: losmaken)",
        "en": "Pin a code to the next number key (a pinned code: unpin it)",
    },
    "grid.unpinned_all": {
        "nl": "cijfertoetsen: de eerste negen thema's van het codeboek",
        "en": "number keys: the codebook's first nine themes",
    },
    "grid.col.respondent": {"nl": "Respondent", "en": "Respondent"},
    "grid.col.answer": {"nl": "Antwoord", "en": "Answer"},
    "grid.col.codes": {"nl": "Jouw codes", "en": "Your codes"},
    "grid.col.pending": {"nl": "Sugg.", "en": "Sugg."},
    "grid.more": {"nl": "meer", "en": "more"},
    # TUI: agreement -----------------------------------------------------------------------------------
    "agree.coder_a": {"nl": "Codeur A", "en": "Coder A"},
    "agree.coder_b": {"nl": "Codeur B", "en": "Coder B"},
    "agree.coder": {"nl": "codeur", "en": "coder"},
    "agree.unit": {"nl": "Eenheid", "en": "Unit"},
    "agree.unit_documents": {"nl": "documenten", "en": "documents"},
    "agree.unit_segments": {"nl": "segmenten (beurten)", "en": "segments (turns)"},
    "agree.per_code": {"nl": "Per code", "en": "Per code"},
    "agree.disagreements": {
        "nl": "Verschillen (enter opent de tekst)",
        "en": "Disagreements (enter opens the text)",
    },
    "agree.needs_two": {
        "nl": "Overeenstemming vraagt coderingen van twee codeurs op dezelfde documenten "
        "(voeg het project van een andere codeur toe met `lo-codebook merge-project`).",
        "en": "Agreement needs codings of two coders on the same documents "
        "(merge another coder's project with `lo-codebook merge-project`).",
    },
    "agree.computing": {"nl": "bezig met berekenen…", "en": "computing…"},
    "agree.alpha": {
        "nl": "Krippendorffs alfa, gebruikte codes {alpha}",
        "en": "Krippendorff's alpha, codes used {alpha}",
    },
    "agree.all_codes": {"nl": " · alle codes {alpha}", "en": " · all codes {alpha}"},
    "agree.kappas": {
        "nl": " · gemiddelde kappa {mean} · gepoolde kappa {pooled}",
        "en": " · mean kappa {mean} · pooled kappa {pooled}",
    },
    "agree.both_coded": {
        "nl": "\n{unit} (de documenten die beiden codeerden)",
        "en": "\n{unit} (the documents both coded)",
    },
    "agree.resolve": {
        "nl": " · c: de verschillen oplossen tot een consensuscodering",
        "en": " · c: resolve the disagreements into a consensus coding",
    },
    "agree.col.code": {"nl": "Code", "en": "Code"},
    "agree.col.both": {"nl": "beide", "en": "both"},
    "agree.col.a_only": {"nl": "alleen A", "en": "A only"},
    "agree.col.b_only": {"nl": "alleen B", "en": "B only"},
    "agree.col.agree": {"nl": "eens", "en": "agree"},
    "agree.col.document": {"nl": "Document", "en": "Document"},
    "agree.col.where": {"nl": "Waar", "en": "Where"},
    "agree.col.coded_by": {"nl": "Gecodeerd door", "en": "Coded by"},
    "agree.col.not_by": {"nl": "Niet door", "en": "Not by"},
    "agree.choose_two": {
        "nl": "kies eerst twee verschillende codeurs",
        "en": "choose two different coders first",
    },
    # TUI: consensus ----------------------------------------------------------------------------------
    "cons.store_as": {"nl": "Opslaan als codeur", "en": "Store as coder"},
    "cons.unit_segments": {"nl": "beurt/antwoord", "en": "turns / answers"},
    "cons.keys": {
        "nl": "a versie van A · b versie van B · 2 beide · 0 geen van beide · n volgende · p vorige · ctrl+s opslaan · esc sluiten",
        "en": "a A's version · b B's version · 2 both · 0 neither · n next · p previous · ctrl+s store · esc close",
    },
    "cons.reading": {"nl": "beide coderingen lezen…", "en": "reading both codings…"},
    "cons.nothing": {"nl": "niets te vergelijken", "en": "nothing to compare"},
    "cons.dropped_decisions": {
        "nl": "{n} besluiten vervallen: de eenheden veranderden",
        "en": "{n} decisions dropped: the units changed",
    },
    "cons.progress": {
        "nl": "  besloten {decided} ({kept} behouden, {dropped} weggelaten) · {agreed} eensgezind gaan mee · A = {a}, B = {b}",
        "en": "  decided {decided} ({kept} kept, {dropped} dropped) · {agreed} agreed carry over · A = {a}, B = {b}",
    },
    "cons.all_seen": {
        "nl": "Alle {total} verschillen gezien: {decided} besloten ({kept} behouden, {dropped} weggelaten)",
        "en": "All {total} disagreements seen: {decided} decided ({kept} kept, {dropped} dropped)",
    },
    "cons.undecided": {
        "nl": ", {n} onbeslist (p gaat ernaar terug)",
        "en": ", {n} undecided (p goes back to them)",
    },
    "cons.agree_all": {
        "nl": "{a} en {b} zijn het over elke eenheid eens: niets te beslissen.",
        "en": "{a} and {b} agree on every unit: nothing to decide.",
    },
    "cons.store_hint": {
        "nl": "ctrl+s slaat de consensus op als codeur {name}: de {agreed} eensgezinde coderingen en de behouden "
        "({units} {unit}-eenheden in {documents} documenten die beiden codeerden). ctrl+z maakt het ongedaan.",
        "en": "ctrl+s stores the consensus as coder {name}: the {agreed} agreed codings and the kept ones "
        "({units} {unit} units in {documents} documents both coded). ctrl+z undoes it.",
    },
    "cons.coded_by": {
        "nl": "  gecodeerd door {coder}, niet door {other}",
        "en": "  coded by {coder}, not by {other}",
    },
    "cons.coded": {"nl": "codeerde ", "en": "coded "},
    "cons.not_here": {"nl": "codeerde het hier niet", "en": "did not code it here"},
    "cons.both_here": {
        "nl": "\nbeiden codeerden hier: {codes}",
        "en": "\nboth coded here: {codes}",
    },
    "cons.decision": {"nl": "besluit: ", "en": "decision: "},
    "cons.undecided_word": {"nl": "onbeslist", "en": "undecided"},
    "cons.keep": {"nl": "de code behouden", "en": "keep the code"},
    "cons.leave_out": {"nl": "weglaten", "en": "leave it out"},
    "cons.version": {"nl": "versie van {name}", "en": "{name}'s version"},
    "cons.choice.both": {"nl": "beide", "en": "both"},
    "cons.choice.neither": {"nl": "geen van beide", "en": "neither"},
    "cons.store_title": {"nl": "De consensus opslaan?", "en": "Store the consensus?"},
    "cons.store_message": {
        "nl": "{undecided} van {total} verschillen zijn onbeslist; die worden weggelaten (geen van beide). Opslaan als codeur {name}?",
        "en": "{undecided} of {total} disagreements are undecided; they are left out (neither). Store as coder {name}?",
    },
    "cons.store": {"nl": "Opslaan", "en": "Store"},
    "cons.stored": {
        "nl": "{summary}; ctrl+z maakt het ongedaan",
        "en": "{summary}; ctrl+z undoes it",
    },
    "cons.stored_title": {"nl": "consensus opgeslagen", "en": "consensus stored"},
    "cons.close_title": {"nl": "Sluiten zonder opslaan?", "en": "Close without storing?"},
    "cons.close_message": {
        "nl": "Je {n} besluiten zijn nog niet opgeslagen.",
        "en": "Your {n} decisions are not stored yet.",
    },
    "cons.close": {"nl": "Sluiten", "en": "Close"},
    "cons.summary": {
        "nl": "consensus van {a} en {b} opgeslagen als codeur {name}: {documents} documenten ({unit}-eenheden), "
        "{agreed} eensgezind meegenomen, {disagreements} verschillen opgelost ({kept} behouden, {dropped} weggelaten{rules}), "
        "{codings} coderingen",
        "en": "consensus of {a} and {b} stored as coder {name}: {documents} documents ({unit} units), "
        "{agreed} agreed carried over, {disagreements} disagreements resolved ({kept} kept, {dropped} dropped{rules}), "
        "{codings} codings",
    },
    "cons.replacing": {
        "nl": " (vervangt {n} eerdere consensuscoderingen)",
        "en": " (replacing {n} earlier consensus codings)",
    },
    # TUI: discover -----------------------------------------------------------------------------------
    "disc.add_title": {
        "nl": "{label} aan het codeboek toevoegen ({documents})",
        "en": "Add {label} to the codebook ({documents})",
    },
    "disc.name": {"nl": "Naam", "en": "Name"},
    "disc.name_placeholder": {"nl": "naam van de nieuwe code", "en": "name of the new code"},
    "disc.under": {"nl": "Onder (optioneel)", "en": "Under (optional)"},
    "disc.keywords": {
        "nl": "Trefwoorden waarop de suggestiemotor zoekt (scheid met ;)",
        "en": "Keywords the suggestion engine will match (separate with ;)",
    },
    "disc.keywords_placeholder": {
        "nl": "trefwoord; variant; woordgroep",
        "en": "keyword; variant; phrase",
    },
    "disc.add": {"nl": "Toevoegen", "en": "Add"},
    "disc.needs_name": {"nl": "de code heeft een naam nodig", "en": "the code needs a name"},
    "disc.more_than": {"nl": "Genoemd in meer dan", "en": "Mentioned in more than"},
    "disc.only_new": {"nl": "alleen wat het codeboek mist", "en": "only what the codebook lacks"},
    "disc.bad_threshold": {
        "nl": "de drempel is een heel aantal documenten, bv. 3",
        "en": "the threshold is a whole number of documents, e.g. 3",
    },
    "disc.looking": {
        "nl": "zoeken naar kandidaat-thema's… (de eerste keer duurt enkele seconden)",
        "en": "looking for theme candidates… (the first time takes a few seconds)",
    },
    "disc.failed": {"nl": "ontdekken mislukt", "en": "discover failed"},
    "disc.title": {"nl": "ontdekken", "en": "discover"},
    "disc.col.candidate": {"nl": "Kandidaat", "en": "Candidate"},
    "disc.col.documents": {"nl": "Docs", "en": "Docs"},
    "disc.col.phrases": {"nl": "Woordgroepen", "en": "Phrases"},
    "disc.col.example": {"nl": "Eerste voorbeeld", "en": "First example"},
    "disc.caption_more": {
        "nl": " genoemd in meer dan {documents}",
        "en": " mentioned in more than {documents}",
    },
    "disc.caption_hint": {
        "nl": " · a voegt de gemarkeerde toe · ✓ = in het codeboek",
        "en": " · a adds the highlighted one · ✓ = in the codebook",
    },
    "disc.none": {
        "nl": "Hier geen kandidaten. Verlaag de drempel, zet “alleen wat het codeboek mist” uit, of importeer meer teksten (I).",
        "en": "No candidates here. Lower the threshold, switch off “only what the codebook lacks”, or import more texts (I).",
    },
    "disc.in_codebook": {"nl": " · in het codeboek", "en": " · in the codebook"},
    "disc.phrases": {"nl": "\n\nWoordgroepen: ", "en": "\n\nPhrases: "},
    "disc.examples": {"nl": "\n\nVoorbeelden\n", "en": "\n\nExamples\n"},
    "disc.no_examples": {"nl": "(geen)", "en": "(none)"},
    "disc.no_highlight": {
        "nl": "geen kandidaat gemarkeerd (wacht op de lijst, of verlaag de drempel)",
        "en": "no candidate highlighted (wait for the list, or lower the threshold)",
    },
    "disc.already": {
        "nl": "{label} staat al in het codeboek",
        "en": "{label} is already in the codebook",
    },
    "disc.added": {
        "nl": "code {path} toegevoegd met {keywords} (ctrl+z maakt ongedaan)",
        "en": "added code {path} with {keywords} (ctrl+z undoes)",
    },
    # TUI and CLI: merging a codebook -----------------------------------------------------------------
    "merge.source": {"nl": "Bron", "en": "Source"},
    "merge.source_placeholder": {
        "nl": "een ander project .db, of een .qdc- of .csv-codeboek",
        "en": "another project .db, a .qdc or a .csv codebook",
    },
    "merge.from": {"nl": "samenvoegen vanaf", "en": "merge from"},
    "merge.review_from": {"nl": "nazien vanaf", "en": "review from"},
    "merge.plan": {"nl": "Plannen", "en": "Plan"},
    "merge.intro": {
        "nl": "Typ het codeboek om samen te voegen (een .csv- of .qdc-bestand, of het project .db van een andere codeur) en druk op enter.",
        "en": "Type the codebook to merge in (a .csv or .qdc file, or another coder's project .db) and press enter.",
    },
    "merge.bad_scores": {
        "nl": "de scores zijn getallen van 0 tot 100, bv. 90 en 60",
        "en": "the scores are numbers from 0 to 100, e.g. 90 and 60",
    },
    "merge.type_source": {
        "nl": "typ eerst de bron: een .csv- of .qdc-codeboek, of een project .db",
        "en": "type the source first: a .csv or .qdc codebook, or a project .db",
    },
    "merge.matching": {
        "nl": "de codes van {source} vergelijken…",
        "en": "matching the codes of {source}…",
    },
    "merge.planning_failed": {"nl": "plannen mislukt", "en": "planning failed"},
    "merge.title": {"nl": "codeboek samenvoegen", "en": "merge codebook"},
    "merge.col.source": {"nl": "Broncode", "en": "Source code"},
    "merge.col.target": {"nl": "Tegenhanger in dit codeboek", "en": "Match in this codebook"},
    "merge.col.score": {"nl": "Score", "en": "Score"},
    "merge.col.kind": {"nl": "Soort", "en": "Match"},
    "merge.col.why": {"nl": "Waarom", "en": "Why"},
    "merge.new_code": {"nl": "(nieuwe code)", "en": "(new code)"},
    "merge.no_similar_short": {"nl": "geen vergelijkbare code", "en": "no similar code"},
    "merge.auto": {"nl": "auto", "en": "auto"},
    "merge.review": {"nl": "nazien", "en": "review"},
    "merge.summary_counts": {
        "nl": " · {auto} automatisch gekoppeld (score ≥ {auto_score}) · {review} na te zien (≥ {floor}) · {unmatched} zonder tegenhanger",
        "en": " · {auto} matched automatically (score ≥ {auto_score}) · {review} to review (≥ {floor}) · {unmatched} without a match",
    },
    "merge.apply_line": {
        "nl": "\nToepassen: {merging} samengevoegd met bestaande codes, {adding} toegevoegd als nieuwe {codes}",
        "en": "\nApply: {merging} merged into existing codes, {adding} added as new {codes}",
    },
    "merge.follow_one": {
        "nl": "; {codings} gaat mee naar dezelfde teksten hier",
        "en": "; {codings} follows onto the same texts here",
    },
    "merge.follow_many": {
        "nl": "; {codings} gaan mee naar dezelfde teksten hier",
        "en": "; {codings} follow onto the same texts here",
    },
    "merge.applied": {"nl": " · TOEGEPAST (u maakt ongedaan)", "en": " · APPLIED (u unmerges)"},
    "merge.keys": {
        "nl": " · spatie accepteert/laat weg · ctrl+s past toe · u maakt ongedaan",
        "en": " · space accepts/leaves out · ctrl+s applies · u unmerges",
    },
    "merge.from_source": {"nl": "  (uit {source})\n", "en": "  (from {source})\n"},
    "merge.keywords": {"nl": "trefwoorden: ", "en": "keywords: "},
    "merge.under": {"nl": " onder {parent}", "en": " under {parent}"},
    "merge.top": {"nl": " op het bovenste niveau", "en": " at the top level"},
    "merge.no_similar": {
        "nl": "Hier geen vergelijkbare code: ze wordt toegevoegd{where}.",
        "en": "No similar code here: it will be added{where}.",
    },
    "merge.merges_into": {"nl": "gaat op in", "en": "merges into"},
    "merge.left_out_of": {"nl": "blijft los van", "en": "is left out of"},
    "merge.score_line": {"nl": "\nscore {score} ({how})\n", "en": "\nscore {score} ({how})\n"},
    "merge.automatic": {"nl": "automatisch", "en": "automatic"},
    "merge.to_review": {"nl": "na te zien", "en": "to review"},
    "merge.becomes_keywords": {
        "nl": "\nZijn naam en trefwoorden worden trefwoorden van het doel; zijn beschrijving wordt toegevoegd.",
        "en": "\nIts name and keywords become keywords of the target; its description is added.",
    },
    "merge.left_out": {
        "nl": "\nWeggelaten: ze wordt toegevoegd als nieuwe code (spatie accepteert de koppeling).",
        "en": "\nLeft out: it will be added as a new code (space accepts the match).",
    },
    "merge.done": {"nl": "\nKlaar: ", "en": "\nDone: "},
    "merge.merged_line": {
        "nl": "  samengevoegd {source} → {target}",
        "en": "  merged {source} → {target}",
    },
    "merge.added_line": {"nl": "  toegevoegd {path}", "en": "  added {path}"},
    "merge.reverses": {
        "nl": "\nu (ongedaan maken) of ctrl+z draait deze samenvoeging terug.",
        "en": "\nu (unmerge) or ctrl+z reverses this merge.",
    },
    "merge.plan_first": {
        "nl": "plan eerst een samenvoeging: typ de bron en druk op enter",
        "en": "plan a merge first: type the source and press enter",
    },
    "merge.is_applied": {
        "nl": "dit plan is toegepast; u maakt het ongedaan, enter in het bronveld plant opnieuw",
        "en": "this plan is applied; u unmerges it, enter in the source field plans again",
    },
    "merge.no_similar_warn": {
        "nl": "{code} heeft hier geen vergelijkbare code; ze wordt toegevoegd als nieuwe code",
        "en": "{code} has no similar code here; it will be added as a new code",
    },
    "merge.confirm": {
        "nl": "{codes} van {source} samenvoegen met bestaande codes en {new_codes} toevoegen?",
        "en": "Merge {codes} of {source} into existing codes and add {new_codes}?",
    },
    "merge.confirm_follow_one": {
        "nl": "\n{codings} van de bron gaat mee naar dezelfde teksten hier.",
        "en": "\n{codings} of the source follows onto the same texts here.",
    },
    "merge.confirm_follow_many": {
        "nl": "\n{codings} van de bron gaan mee naar dezelfde teksten hier.",
        "en": "\n{codings} of the source follow onto the same texts here.",
    },
    "merge.confirm_undo": {
        "nl": "\nEén stap in het logboek: u (ongedaan maken) of ctrl+z draait het terug.",
        "en": "\nOne step in the log: u (unmerge) or ctrl+z reverses it.",
    },
    "merge.confirm_title": {"nl": "Codeboek samenvoegen", "en": "Merge codebook"},
    "merge.yes": {"nl": "Samenvoegen", "en": "Merge"},
    "merge.failed": {"nl": "het samenvoegen mislukte", "en": "the merge failed"},
    "merge.unmerge_title": {"nl": "Samenvoegen ongedaan maken", "en": "Unmerge"},
    "merge.unmerge_message": {
        "nl": "Je laatste samenvoeging van codeboek of project ongedaan maken? De toegevoegde codes verdwijnen en de "
        "samengevoegde codes krijgen hun trefwoorden en beschrijvingen terug.",
        "en": "Undo your latest codebook or project merge? The codes it added disappear and the "
        "merged codes get their keywords and descriptions back.",
    },
    "merge.unmerge_yes": {"nl": "Ongedaan maken", "en": "Unmerge"},
    "merge.replanning": {
        "nl": "het project veranderde (ongedaan maken/opnieuw): de samenvoeging wordt opnieuw gepland",
        "en": "the project changed (undo/redo): planning the merge again",
    },
    # why two codes match (core.merge's reasons; JSON keeps the English)
    "merge.why.same name": {"nl": "zelfde naam", "en": "same name"},
    "merge.why.same word, other ending": {
        "nl": "zelfde woord, andere uitgang",
        "en": "same word, other ending",
    },
    "merge.why.same words, other spacing": {
        "nl": "zelfde woorden, andere spatiëring",
        "en": "same words, other spacing",
    },
    "merge.why.similar spelling": {"nl": "lijkende spelling", "en": "similar spelling"},
    "merge.why.empty name": {"nl": "lege naam", "en": "empty name"},
    "merge.why.name is a keyword of the other": {
        "nl": "naam is een trefwoord van de ander",
        "en": "name is a keyword of the other",
    },
    "merge.why.same parent": {"nl": "zelfde ouder", "en": "same parent"},
    "merge.why.different parent": {"nl": "andere ouder", "en": "different parent"},
    "merge.why.category vs theme": {"nl": "categorie tegenover thema", "en": "category vs theme"},
    "merge.why.shared keywords": {
        "nl": "gedeelde trefwoorden ({detail})",
        "en": "shared keywords ({detail})",
    },
    "merge.why.mostly the same keywords": {
        "nl": "grotendeels dezelfde trefwoorden ({detail})",
        "en": "mostly the same keywords ({detail})",
    },
    "merge.why.differ in a number or letter": {
        "nl": "verschillen in een getal of letter ({detail})",
        "en": "differ in a number or letter ({detail})",
    },
    "merge.report": {"nl": "{source}: {parts}", "en": "{source}: {parts}"},
    "merge.report.codes_merged": {"nl": "{codes} samengevoegd", "en": "{codes} merged"},
    "merge.report.added": {"nl": "{n} toegevoegd", "en": "{n} added"},
    "merge.report.codings_added": {"nl": "{codings} toegevoegd", "en": "{codings} added"},
    "merge.report.present": {"nl": "{n} al aanwezig", "en": "{n} already present"},
    "merge.report.no_document": {
        "nl": "{n} overgeslagen (document niet in dit project)",
        "en": "{n} skipped (document not in this project)",
    },
    "merge.report.documents_added": {"nl": "{documents} toegevoegd", "en": "{documents} added"},
    "merge.report.matched": {"nl": "{n} gekoppeld op inhoud", "en": "{n} matched by content"},
    "merge.report.cases_added": {"nl": "{cases} toegevoegd", "en": "{cases} added"},
    "merge.report.memos_added": {"nl": "{memos} toegevoegd", "en": "{memos} added"},
    "merge.report.renamed": {
        "nl": "{n} hernoemd (naam al gebruikt door een andere tekst)",
        "en": "{n} renamed (name taken by another text)",
    },
    "merge.cli_plan": {
        "nl": "Plan voor het samenvoegen van {source} (niets veranderd):",
        "en": "Plan for merging {source} (nothing changed):",
    },
    "merge.cli_counts": {
        "nl": "{merge} samen te voegen, {review} na te zien, {new} nieuw",
        "en": "{merge} to merge, {review} to review, {new} new",
    },
    "merge.cli_merged": {
        "nl": "samengevoegd: {summary} (logboekregel #{entry}; ongedaan maken met `lo-codebook unmerge`)",
        "en": "merged: {summary} (log entry #{entry}; undo with `lo-codebook unmerge`)",
    },
    "merge.cli_pending_one": {
        "nl": "{pairs} om na te zien is als aparte code toegevoegd; voeg ze samen in de UI, of maak het ongedaan en draai opnieuw met --accept CODE.",
        "en": "{pairs} to review was added as separate codes; merge them in the UI, or unmerge and run again with --accept CODE.",
    },
    "merge.cli_pending_many": {
        "nl": "{pairs} om na te zien zijn als aparte codes toegevoegd; voeg ze samen in de UI, of maak het ongedaan en draai opnieuw met --accept CODE.",
        "en": "{pairs} to review were added as separate codes; merge them in the UI, or unmerge and run again with --accept CODE.",
    },
    "merge.action.merge": {"nl": "samenvoegen", "en": "merge"},
    "merge.action.review": {"nl": "nazien", "en": "review"},
    "merge.action.new": {"nl": "nieuw", "en": "new"},
    "merge.under_parent": {"nl": "(onder {parent})", "en": "(under {parent})"},
    "col.source_code": {"nl": "broncode", "en": "source code"},
    "col.this_codebook": {"nl": "dit codeboek", "en": "this codebook"},
    "col.why": {"nl": "waarom", "en": "why"},
    # CLI: agreement and consensus --------------------------------------------------------------------
    "col.agreement": {"nl": "overeenstemming", "en": "agreement"},
    "col.kappa": {"nl": "kappa", "en": "kappa"},
    "col.span": {"nl": "stuk", "en": "span"},
    "col.coded_by": {"nl": "gecodeerd door", "en": "coded by"},
    "col.not_by": {"nl": "niet door", "en": "not by"},
    "col.pseudonym": {"nl": "pseudoniem", "en": "pseudonym"},
    "agr.undefined": {"nl": "niet gedefinieerd ({reason})", "en": "undefined ({reason})"},
    "agr.between": {
        "nl": "Overeenstemming tussen {a} en {b}: {documents} door beiden gecodeerd{units}",
        "en": "Agreement between {a} and {b}: {documents} both coded{units}",
    },
    "agr.alpha_used": {
        "nl": "Krippendorffs alfa (nominaal), gebruikte codes: {alpha}",
        "en": "Krippendorff's alpha (nominal), codes used: {alpha}",
    },
    "agr.alpha_all": {
        "nl": "Krippendorffs alfa (nominaal), alle codes: {alpha} (stijgt met codes die niemand gebruikte)",
        "en": "Krippendorff's alpha (nominal), all codes: {alpha} (rises with codes nobody used)",
    },
    "agr.means": {
        "nl": "gemiddelde kappa: {mean} · gepoolde kappa: {pooled} · verschillen: {n}",
        "en": "mean kappa: {mean} · pooled kappa: {pooled} · disagreements: {n}",
    },
    "agr.none": {"nl": "Geen verschillen.", "en": "No disagreements."},
    "agr.to_discuss": {"nl": "Te bespreken:", "en": "To discuss:"},
    "agr.whole": {"nl": "geheel", "en": "whole"},
    "cons.cli_of": {
        "nl": "Consensus van {a} en {b}: {documents} door beiden gecodeerd, {units}",
        "en": "Consensus of {a} and {b}: {documents} both coded, {units}",
    },
    "cons.cli_agreed": {
        "nl": "eensgezind (gaat mee): {agreed} · verschillen: {n}",
        "en": "agreed (carried over): {agreed} · disagreements: {n}",
    },
    "cons.cli_would": {
        "nl": "--take {take} zou {codings} opslaan als codeur {name}",
        "en": "--take {take} would store {codings} as coder {name}",
    },
    "cons.cli_dry": {"nl": "proefrun: niets opgeslagen", "en": "dry run: nothing stored"},
    "cons.cli_only": {"nl": "{n} alleen {who}", "en": "{n} only {who}"},
    "cons.cli_left_out": {
        "nl": "niet meegenomen: documenten die maar één van beiden codeerde ({left})",
        "en": "not part of it: documents coded by one of them ({left})",
    },
    "cons.cli_use": {
        "nl": "gebruiken: lo-codebook themes --coder {name} · ongedaan maken: lo-codebook undo",
        "en": "use it: lo-codebook themes --coder {name} · undo: lo-codebook undo",
    },
    # CLI: names, imports, suggest, demo --------------------------------------------------------------
    "names.empty": {
        "nl": 'de namenlijst is leeg (voeg er een toe: lo-codebook names add "Volledige Naam")',
        "en": 'the name list is empty (add one: lo-codebook names add "Full Name")',
    },
    "imported": {"nl": "geïmporteerd: {parts}", "en": "imported {parts}"},
    "import.documents": {
        "nl": "{documents} ({words}, {segments})",
        "en": "{documents} ({words}, {segments})",
    },
    "import.cases": {
        "nl": "{cases} aangemaakt, {updated} bijgewerkt",
        "en": "{cases} created, {updated} updated",
    },
    "import.skipped_existing": {
        "nl": "{n} al in het project, overgeslagen",
        "en": "{n} already in the project, skipped",
    },
    "import.skipped_empty": {"nl": "{answers} overgeslagen", "en": "{answers} skipped"},
    "import.header_rows": {
        "nl": "{header_rows} overgeslagen ({rows_word} {rows})",
        "en": "{header_rows} skipped ({rows_word} {rows})",
    },
    "import.codings": {"nl": "{codings} geïmporteerd", "en": "imported {codings}"},
    "import.codings_present": {"nl": ", {n} al aanwezig", "en": ", {n} already present"},
    "import.codes_created": {"nl": ", codes aangemaakt: {codes}", "en": ", created codes: {codes}"},
    "import.codebook": {
        "nl": "codeboek: {codes} toegevoegd, {updated} bijgewerkt",
        "en": "codebook: {codes} added, {updated} updated",
    },
    "import.guids": {
        "nl": "; GUID's behouden voor {kept} van {total} codes",
        "en": "; GUIDs kept for {kept} of {total} codes",
    },
    "suggest.summary": {
        "nl": "voorstellen: {documents} ({words}) in {seconds} s; {new} ({methods}); {known} al voorgesteld of "
        "besloten; {coded} al gecodeerd",
        "en": "suggest: {documents} ({words}) in {seconds} s; {new} ({methods}); {known} already suggested or "
        "decided; {coded} already coded",
    },
    "suggest.none": {"nl": "geen", "en": "none"},
    "demo.codebook": {"nl": "codeboek: {n} codes", "en": "codebook: {n} codes"},
    "demo.interview": {"nl": "interview {file}: {summary}", "en": "interview {file}: {summary}"},
    "demo.survey": {"nl": "enquête: {summary}", "en": "survey: {summary}"},
    "demo.accepted": {
        "nl": "{suggestions} met score >= {score} geaccepteerd",
        "en": "accepted {suggestions} with score >= {score}",
    },
    "demo.survey_title": {
        "nl": "Enquête: thema's genoemd door meer dan {above} respondenten",
        "en": "Survey: themes mentioned by more than {above} respondents",
    },
    "demo.interviews_title": {
        "nl": "Interviews: de thema's die de respondenten noemen",
        "en": "Interviews: themes the respondents mention",
    },
    # TUI: themes screen ----------------------------------------------------------------------
    "themes.more_than": {"nl": "Meer dan", "en": "More than"},
    "memo.no_document": {
        "nl": "open of kies eerst een document",
        "en": "open or highlight a document first",
    },
    "memo.on_document": {"nl": "Memo bij document {name}", "en": "Memo on document {name}"},
    "memo.on_code": {"nl": "Memo bij code {name}", "en": "Memo on code {name}"},
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
    "themes.no_rows": {
        "nl": "(geen thema's boven de drempel)",
        "en": "(no themes above the threshold)",
    },
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
    "themes.computing": {
        "nl": "de tabel wordt nog berekend",
        "en": "the table is still being computed",
    },
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
    "retrieval.caption": {
        "nl": "{segments} in {documents} · ",
        "en": "{segments} in {documents} · ",
    },
    "retrieval.sub_codes": {"nl": " (met subcodes)", "en": " (and its sub-codes)"},
    "retrieval.coded_by": {
        "nl": "gecodeerd als {code} door {coder}",
        "en": "coded {code} by {coder}",
    },
    "retrieval.none_here": {
        "nl": "hier geen fragment: kies een code met c",
        "en": "no segment here: choose a code with c",
    },
    "retrieval.choose_first": {"nl": "kies eerst een code (c)", "en": "choose a code first (c)"},
    "retrieval.removed": {
        "nl": "{code} weggehaald uit {document} (ctrl+z maakt ongedaan)",
        "en": "removed {code} from {document} (ctrl+z undoes)",
    },
    "retrieval.recoded": {
        "nl": "gehercodeerd (ctrl+z maakt ongedaan)",
        "en": "recoded (ctrl+z undoes)",
    },
    "retrieval.recode_title": {"nl": "{code} hercoderen als…", "en": "Recode {code} as…"},
    "retrieval.pick_title": {
        "nl": "De gecodeerde fragmenten tonen van…",
        "en": "List the coded segments of…",
    },
    "retrieval.export_prompt": {
        "nl": "De fragmenten exporteren naar (.csv, .md of .json)",
        "en": "Export the segments to (.csv, .md or .json)",
    },
    "retrieval.wrote": {
        "nl": "{segments} geschreven naar {path}",
        "en": "wrote {segments} to {path}",
    },
    "search.placeholder": {"nl": "zoek in de teksten (enter)", "en": "search the texts (enter)"},
    "search.start": {
        "nl": "Typ een woord of woordgroep en druk op enter.",
        "en": "Type a word or phrase and press enter.",
    },
    "search.searching": {"nl": "zoeken…", "en": "searching…"},
    "search.mode_words": {"nl": "woorden of woordgroep", "en": "words or phrase"},
    "search.mode_lemma": {"nl": "elke vorm (lemma)", "en": "every form (lemma)"},
    "search.mode_regex": {"nl": "reguliere expressie", "en": "regular expression"},
    "search.summary": {
        "nl": "{hits} in {documents} (van {searched} doorzocht)",
        "en": "{hits} in {documents} (of {searched} searched)",
    },
    "search.selected": {"nl": " · {n} gekozen", "en": " · {n} selected"},
    "search.how": {
        "nl": " · spatie kiest, a alle; c codeert de gekozen (geen: alle)",
        "en": " · space selects, a all; c codes the selected (none: all)",
    },
    "search.type_first": {"nl": "typ eerst waarnaar je zoekt", "en": "type what to look for first"},
    "search.nothing_to_code": {
        "nl": "geen treffers om te coderen: zoek eerst",
        "en": "no hits to code: search first",
    },
    "search.code_selected": {
        "nl": "{hits} (gekozen) coderen als…",
        "en": "Code {hits} (selected) as…",
    },
    "search.code_all": {"nl": "Alle {hits} coderen als…", "en": "Code all {hits} as…"},
    "search.coded": {
        "nl": "{hits} gecodeerd als {code}{already}; ctrl+z haalt ze allemaal terug",
        "en": "coded {hits} as {code}{already}; ctrl+z takes them all back",
    },
    "search.already": {"nl": " ({n} hadden hem al)", "en": " ({n} already had it)"},
    "search.all_had_it": {
        "nl": "niets te coderen: elke treffer heeft {code} al",
        "en": "nothing to code: every hit already has {code}",
    },
    "search.no_hit_here": {
        "nl": "hier geen treffer: zoek eerst",
        "en": "no hit here: search first",
    },
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
    "answer": {"nl": ("antwoord", "antwoorden"), "en": ("answer", "answers")},
    "candidate": {"nl": ("kandidaat", "kandidaten"), "en": ("candidate", "candidates")},
    "pending_suggestion": {
        "nl": ("openstaande suggestie", "openstaande suggesties"),
        "en": ("pending suggestion", "pending suggestions"),
    },
    "new_suggestion": {
        "nl": ("nieuwe suggestie", "nieuwe suggesties"),
        "en": ("new suggestion", "new suggestions"),
    },
    "new_code": {"nl": ("nieuwe code", "nieuwe codes"), "en": ("new code", "new codes")},
    "sub_code": {"nl": ("subcode", "subcodes"), "en": ("sub-code", "sub-codes")},
    "pair": {"nl": ("paar", "paren"), "en": ("pair", "pairs")},
    "segment_unit": {
        "nl": ("segmenteenheid", "segmenteenheden"),
        "en": ("segment unit", "segment units"),
    },
    "document_unit": {
        "nl": ("documenteenheid", "documenteenheden"),
        "en": ("document unit", "document units"),
    },
    "word": {"nl": ("woord", "woorden"), "en": ("word", "words")},
    "case": {"nl": ("casus", "casussen"), "en": ("case", "cases")},
    "memo": {"nl": ("memo", "memo's"), "en": ("memo", "memos")},
    "empty_answer": {
        "nl": ("leeg antwoord", "lege antwoorden"),
        "en": ("empty answer", "empty answers"),
    },
    "header_row": {"nl": ("kopregel", "kopregels"), "en": ("header row", "header rows")},
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


def count(n: int, noun: str, lang: str, *, thousands: bool = True) -> str:
    """`n` and the noun in the right number: "1 document", "2 documenten" (`thousands`:
    12.345 / 12,345; without it the digits only, as a message has always shown them)."""
    one, many = NOUNS[noun][check_lang(lang)]
    number = format_int(n, lang) if thousands else str(n)
    return f"{number} {one if n == 1 else many}"


def method_name(method: str, lang: str) -> str:
    """A suggestion method ("keyword", "fuzzy", "learned") in `lang`; an unknown one as it is."""
    key = f"method.{method}"
    return t(key, lang) if key in MESSAGES else method


def evidence_text(method: str, label: str, lang: str) -> str:
    """An evidence label "keyword: hybride" with its method in `lang` ("trefwoord: hybride")."""
    head, sep, rest = label.partition(": ")
    return f"{method_name(head, lang)}{sep}{rest}" if sep and head == method else label


def merge_reason(reason: str, lang: str) -> str:
    """Why `core.merge` matched two codes, in `lang` (the plan's JSON keeps the English):
    "shared keywords (3)" -> "gedeelde trefwoorden (3)". An unknown reason stays as it is."""
    head, _, detail = reason.partition(" (")
    key = f"merge.why.{head if detail else reason}"
    if key not in MESSAGES:
        return reason
    return t(key, lang, detail=detail.removesuffix(")")) if detail else t(key, lang)


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
