"""Every UI action in one table: key bindings, the help screen and the command palette read it.

Each action has a stable id (`doc.code`, `app.undo`, ...). Users remap keys by id in
`$XDG_CONFIG_HOME/lo-codebook/keymap.toml` (or the file named by `LO_CODEBOOK_KEYMAP`):

    [keymap]
    "doc.code" = "enter"
    "app.undo" = "ctrl+z,u"

The file is applied with `App.set_keymap`, so remapped keys show in the footer and the help.
"""

from __future__ import annotations

import functools
import os
import tomllib
from dataclasses import dataclass, replace
from pathlib import Path

from textual.binding import ActiveBinding, Binding

KEYMAP_ENV = "LO_CODEBOOK_KEYMAP"

# Scopes: where a binding lives (and which node runs its action from the palette).
APP, MAIN, DOCUMENT, DOCUMENTS, CODEBOOK, REVIEW, THEMES, AGREEMENT = (
    "app", "main", "document", "documents", "codebook", "review", "themes", "agreement",
)  # fmt: skip
DISCOVER, MERGE, CONSENSUS, GRID = "discover", "merge", "consensus", "grid"
MEMOS, CASES = "memos", "cases"
RETRIEVAL, SEARCH = "retrieval", "search"

SCOPE_TITLES = {
    APP: "Everywhere",
    MAIN: "Main screen",
    DOCUMENT: "Document view",
    DOCUMENTS: "Documents list",
    CODEBOOK: "Codebook tree",
    REVIEW: "Suggestion review",
    THEMES: "Themes",
    AGREEMENT: "Agreement",
    CONSENSUS: "Consensus",
    DISCOVER: "Discover themes",
    MERGE: "Merge codebook",
    GRID: "Survey grid",
    MEMOS: "Memos",
    CASES: "Case table",
    RETRIEVAL: "Coded segments",
    SEARCH: "Search",
}

QUICK = Binding.Group("recent code", compact=True)
GRID_KEYS = Binding.Group("toggle theme", compact=True)


@dataclass(frozen=True)
class UIAction:
    """One user action: its id, default key(s), the Textual action string and a description."""

    id: str
    key: str
    action: str
    description: str
    scope: str
    help: str = ""
    show: bool = True
    palette: bool = True
    priority: bool = False
    group: Binding.Group | None = None

    def binding(self) -> Binding:
        return Binding(
            self.key,
            self.action,
            self.description,
            show=self.show,
            id=self.id,
            priority=self.priority,
            group=self.group,
            tooltip=self.help,
        )


ACTIONS: tuple[UIAction, ...] = (
    # everywhere -------------------------------------------------------------------------------
    UIAction("app.quit", "ctrl+q", "quit", "Quit", APP, "Close lo-codebook", priority=True),
    UIAction("app.undo", "ctrl+z", "undo", "Undo", APP, "Undo your last action (kept in the project's audit log)"),
    UIAction("app.redo", "ctrl+y", "redo", "Redo", APP, "Redo the last undone action", show=False),
    UIAction("app.help", "f1,question_mark", "help", "Help", APP, "List every key binding"),
    UIAction("app.review", "R", "review", "Review", APP, "Review pending suggestions one at a time"),
    UIAction("app.themes", "T", "themes", "Themes", APP, "Theme frequency table, breakdown, chart and export"),
    UIAction("app.suggest", "S", "suggest", "Suggest", APP, "Run the suggestion engine over all documents (in the background)"),
    UIAction("app.agreement", "G", "agreement", "Agreement", APP, "Inter-coder agreement: kappa per code, alpha, disagreements", show=False),
    UIAction("app.import", "I", "import_files", "Import", APP, "Import transcripts/texts or a survey file", show=False),
    UIAction("app.export_codebook", "E", "export_codebook", "Export codebook", APP, "Write the codebook to .csv, .md or .qdc", show=False),
    UIAction("app.discover", "F", "discover", "Discover themes", APP, "Find themes the codebook lacks in the texts; add them as codes", show=False),
    UIAction("app.grid", "g", "grid", "Survey grid", APP, "Survey answers as rows: toggle themes with 1-9, filter, codes as chips", show=False),
    UIAction("app.memos", "O", "memos", "Memos", APP, "Every memo (project, documents, codes, cases, codings); enter jumps to what it is about", show=False),
    UIAction("app.cases", "A", "cases", "Case table", APP, "Cases with their attributes; edit a value (undoable)", show=False),
    UIAction("app.retrieve", "Q", "retrieve", "Coded segments", APP, "Every segment coded with the highlighted code, in context: open, uncode, recode, export", show=False),
    UIAction("app.search", "slash", "search", "Search", APP, "Search the texts (words, every form of a word, or a regex) and code the hits", show=False),
    UIAction("app.merge_codebook", "C", "merge_codebook", "Merge codebook from file/project…", APP, "Merge a .csv/.qdc codebook or a project's; review near-duplicates", show=False),
    # main screen ------------------------------------------------------------------------------
    UIAction("main.focus_documents", "f2", "focus('documents')", "Documents", MAIN, "Focus the documents list", show=False),
    UIAction("main.focus_document", "f3", "focus('document')", "Text", MAIN, "Focus the document text", show=False),
    UIAction("main.focus_codebook", "f4", "focus('codebook')", "Codebook", MAIN, "Focus the codebook tree", show=False),
    UIAction("main.clear_filters", "ctrl+r", "clear_filters", "Clear filters", MAIN, "Show all documents again", show=False),
    UIAction("main.validation_done", "V", "validation_done", "Validation: done", MAIN, "Mark the open document done in your validation sample (until then it shows blind: no suggestions, no other coder's codes)", show=False),
    # document view ----------------------------------------------------------------------------
    UIAction("doc.code", "c", "screen.code_selection", "Code", DOCUMENT, "Code the selected text (search the codebook as you type; can create a code)"),
    *(
        UIAction(f"doc.quick_{n}", str(n), f"screen.quick_code({n})", f"Recent code {n}", DOCUMENT,
                 f"Code the selection with recent code {n} (or recode the coding under the cursor)",
                 group=QUICK, palette=False)
        for n in range(1, 10)
    ),
    UIAction("doc.uncode", "x,delete", "screen.uncode", "Uncode", DOCUMENT, "Remove the coding under the cursor"),
    UIAction("doc.recode", "r", "screen.recode", "Recode", DOCUMENT, "Give the coding under the cursor another code"),
    UIAction("doc.memo", "m", "screen.memo", "Memo", DOCUMENT, "Write a memo on the coding under the cursor (none there: on the document)"),
    UIAction("doc.accept", "a", "screen.accept_here", "Accept", DOCUMENT, "Accept the suggestion under the cursor (underlined text)"),
    UIAction("doc.dismiss", "d", "screen.dismiss_here", "Dismiss", DOCUMENT, "Reject the suggestion under the cursor", show=False),
    UIAction("doc.select_word", "w", "select_word", "Word", DOCUMENT, "Select the word at the cursor (again: add the next word)", show=False),
    UIAction("doc.select_sentence", "s", "select_sentence", "Sentence", DOCUMENT, "Select the sentence at the cursor", show=False),
    UIAction("doc.select_turn", "t", "select_turn", "Turn", DOCUMENT, "Select the speaker turn (or survey answer) at the cursor", show=False),
    UIAction("doc.next_span", "right_square_bracket", "next_span", "Next coding", DOCUMENT, "Jump to the next coding or suggestion", show=False),
    UIAction("doc.prev_span", "left_square_bracket", "prev_span", "Previous coding", DOCUMENT, "Jump to the previous coding or suggestion", show=False),
    UIAction("doc.clear_selection", "escape", "clear_selection", "Clear selection", DOCUMENT, "Collapse the selection to the cursor", show=False, palette=False),
    # documents list ---------------------------------------------------------------------------
    UIAction("docs.open", "enter", "select", "Open", DOCUMENTS, "Open the highlighted document", show=False, palette=False),
    UIAction("docs.memo", "m", "screen.document_memo", "Document memo", DOCUMENTS, "Write a memo on the highlighted document", show=False),
    # codebook tree ----------------------------------------------------------------------------
    UIAction("codebook.new", "n", "screen.new_code", "New code", CODEBOOK, "Add a code (type Parent/Name to place it under a category)"),
    UIAction("codebook.rename", "e", "screen.rename_code", "Rename", CODEBOOK, "Rename the highlighted code"),
    UIAction("codebook.move", "M", "screen.move_code", "Move", CODEBOOK, "Move the highlighted code under another code or to the top level", show=False),
    UIAction("codebook.merge", "m", "screen.merge_code", "Merge", CODEBOOK, "Merge the highlighted code into another (its codings follow)"),
    UIAction("codebook.delete", "delete,x", "screen.delete_code", "Delete", CODEBOOK, "Delete the highlighted code and its codings (asks first; undoable)"),
    UIAction("codebook.keywords", "k", "screen.edit_keywords", "Keywords", CODEBOOK, "Edit the keywords/synonyms the engine matches"),
    UIAction("codebook.color", "o", "screen.edit_color", "Colour", CODEBOOK, "Change the highlight colour", show=False),
    UIAction("codebook.describe", "D", "screen.edit_description", "Description", CODEBOOK, "Edit the description", show=False),
    UIAction("codebook.filter", "f", "screen.filter_by_code", "Filter docs", CODEBOOK, "Show only documents coded with the highlighted code (again: all)"),
    UIAction("codebook.memo", "N", "screen.code_memo", "Code memo", CODEBOOK, "Write a memo on the highlighted code", show=False),
    UIAction("codebook.code_with", "c", "screen.code_with_highlighted", "Code with this", CODEBOOK, "Code the document selection with the highlighted code", show=False),
    # review queue -----------------------------------------------------------------------------
    UIAction("review.accept", "a", "accept", "Accept", REVIEW, "Accept: it becomes your coding"),
    UIAction("review.reject", "r", "reject", "Reject", REVIEW, "Reject: never suggested again"),
    UIAction("review.skip", "s,space", "skip", "Skip", REVIEW, "Decide later"),
    UIAction("review.back", "b", "back", "Back", REVIEW, "Go back to the previous suggestion"),
    UIAction("review.accept_code", "A", "accept_code", "Accept all of code", REVIEW, "Accept every pending suggestion of this code"),
    UIAction("review.reject_code", "X", "reject_code", "Reject all of code", REVIEW, "Reject every pending suggestion of this code", show=False),
    UIAction("review.open", "o", "open_document", "Open in text", REVIEW, "Show this suggestion in its document"),
    UIAction("review.order", "u", "toggle_order", "Uncertain first", REVIEW, "Order the queue: least certain first (teaches the engine most) or in reading order"),
    UIAction("review.close", "escape", "close", "Close", REVIEW, "Back to the documents"),
    # themes -----------------------------------------------------------------------------------
    UIAction("themes.export", "ctrl+s", "export", "Export", THEMES, "Write the table (.csv .xlsx .md .json) or chart (.png .svg)"),
    UIAction("themes.threshold", "ctrl+t", "focus_threshold", "Threshold", THEMES, "Edit the --above threshold"),
    UIAction("themes.retrieve", "enter", "retrieve", "Coded segments", THEMES, "The segments behind the row (on a group's cell: that group's), in context"),
    UIAction("themes.close", "escape", "close", "Close", THEMES, "Back to the documents"),
    # agreement --------------------------------------------------------------------------------
    UIAction("agreement.consensus", "c", "consensus", "Consensus", AGREEMENT, "Resolve the two coders' disagreements one by one into a consensus coding (its own coder; undoable)"),
    UIAction("agreement.close", "escape", "close", "Close", AGREEMENT, "Back to the documents"),
    # consensus --------------------------------------------------------------------------------
    UIAction("consensus.take_a", "a", "choose('a')", "A's version", CONSENSUS, "Take coder A's version here: the code stays if A coded it, goes if not"),
    UIAction("consensus.take_b", "b", "choose('b')", "B's version", CONSENSUS, "Take coder B's version here: the code stays if B coded it, goes if not"),
    UIAction("consensus.both", "2", "choose('both')", "Both", CONSENSUS, "Keep the code here (what either coder coded)"),
    UIAction("consensus.neither", "0", "choose('neither')", "Neither", CONSENSUS, "Leave the code out here"),
    UIAction("consensus.next", "n,space", "next", "Next", CONSENSUS, "Go to the next disagreement without deciding", show=False),
    UIAction("consensus.previous", "p", "previous", "Previous", CONSENSUS, "Go back to the previous disagreement"),
    UIAction("consensus.store", "ctrl+s", "store", "Store", CONSENSUS, "Store the consensus as its own coder (agreed codings carry over; ctrl+z undoes)"),
    UIAction("consensus.close", "escape", "close", "Close", CONSENSUS, "Back to agreement (asks before dropping your decisions)"),
    # discover themes -------------------------------------------------------------------------
    UIAction("discover.add", "a", "add_candidate", "Add to codebook", DISCOVER, "Add the highlighted candidate as a code, its phrases as keywords (ctrl+z undoes)"),
    UIAction("discover.only_new", "n", "toggle_only_new", "Only new", DISCOVER, "Show only what the codebook lacks (again: everything)"),
    UIAction("discover.threshold", "ctrl+t", "focus_threshold", "Threshold", DISCOVER, "Edit the --above threshold (more than N documents)"),
    UIAction("discover.refresh", "ctrl+r", "refresh", "Refresh", DISCOVER, "Look for candidates again", show=False),
    UIAction("discover.close", "escape", "close", "Close", DISCOVER, "Back to the documents"),
    # merge codebook ---------------------------------------------------------------------------
    UIAction("merge.toggle", "space", "toggle_pair", "Accept/skip", MERGE, "Accept the highlighted match (again: leave it out; the code is then added)"),
    UIAction("merge.accept_all", "A", "accept_all", "Accept all", MERGE, "Accept every proposed match, also those to review", show=False),
    UIAction("merge.apply", "ctrl+s", "apply", "Apply", MERGE, "Merge the accepted matches and add the other codes (asks first; u undoes)"),
    UIAction("merge.unmerge", "u", "unmerge", "Unmerge", MERGE, "Undo your latest codebook or project merge"),
    UIAction("merge.source", "ctrl+o", "focus_source", "Source", MERGE, "Type the source: a .csv or .qdc codebook, or another project .db", show=False),
    UIAction("merge.close", "escape", "close", "Close", MERGE, "Back to the documents"),
    # survey grid ------------------------------------------------------------------------------
    *(
        UIAction(f"grid.toggle_{n}", str(n), f"toggle_key({n})", f"Toggle theme {n}", GRID,
                 f"Give the answer theme {n} of the key strip as a whole, or take it off (yours only)",
                 group=GRID_KEYS, palette=False)
        for n in range(1, 10)
    ),
    UIAction("grid.code", "c", "code", "Code…", GRID, "Pick any code (type to search) and toggle it on the answer"),
    UIAction("grid.uncoded", "n", "filter_status('uncoded')", "No code yet", GRID, "Only answers you have not coded yet (again: all answers)"),
    UIAction("grid.pending", "s", "filter_status('pending')", "Pending", GRID, "Only answers with pending suggestions (again: all answers)"),
    UIAction("grid.filter", "f", "focus_filters", "Filter", GRID, "Filter by case attribute, code or status (the bar above the grid)"),
    UIAction("grid.clear_filters", "ctrl+r", "clear_filters", "Clear filters", GRID, "Show every answer again", show=False),
    UIAction("grid.accept", "a", "accept", "Accept", GRID, "Accept the answer's pending suggestions (they become your codings)"),
    UIAction("grid.pin", "p", "pin", "Pin", GRID, "Pin a code to the number keys (a pinned one: unpin it)"),
    UIAction("grid.unpin", "P", "unpin_all", "Unpin all", GRID, "Number keys back to the codebook's first nine themes", show=False),
    UIAction("grid.open", "o,enter", "open", "Open in text", GRID, "Open the answer in the document view (to code a span)"),
    UIAction("grid.validation_done", "V", "validation_done", "Validation: done", GRID, "Mark the answer done in your validation sample (until then it shows blind: no suggestions, no other coder's codes)", show=False),
    UIAction("grid.close", "escape", "close", "Close", GRID, "Back to the documents"),
    # memos ------------------------------------------------------------------------------------
    UIAction("memos.open", "o", "open_target", "Go to", MEMOS, "Go to what the highlighted memo is about (also enter)"),
    UIAction("memos.edit", "e", "edit", "Edit", MEMOS, "Edit the highlighted memo (ctrl+s saves; empty text removes it)"),
    UIAction("memos.delete", "delete,x", "delete", "Delete", MEMOS, "Delete the highlighted memo (asks first; ctrl+z undoes)"),
    UIAction("memos.project", "n", "project_memo", "Project memo", MEMOS, "Write your memo on the project"),
    UIAction("memos.close", "escape", "close", "Close", MEMOS, "Back to the documents"),
    # case table -------------------------------------------------------------------------------
    UIAction("cases.edit", "e", "edit_value", "Edit value", CASES, "Edit the attribute value under the cursor (also enter; empty removes it)"),
    UIAction("cases.add", "a", "add_attribute", "Add attribute", CASES, "Give the case under the cursor a new attribute (name=value)"),
    UIAction("cases.memo", "m", "case_memo", "Case memo", CASES, "Write a memo on the case under the cursor"),
    UIAction("cases.close", "escape", "close", "Close", CASES, "Back to the documents"),
    # coded segments (retrieval) -------------------------------------------------------------
    UIAction("retrieval.open", "o,enter", "open", "Open in text", RETRIEVAL, "Show the highlighted segment in its document"),
    UIAction("retrieval.uncode", "x,delete", "uncode", "Uncode", RETRIEVAL, "Remove the highlighted coding (ctrl+z undoes)"),
    UIAction("retrieval.recode", "r", "recode", "Recode", RETRIEVAL, "Give the highlighted coding another code (ctrl+z undoes)"),
    UIAction("retrieval.code", "c", "choose_code", "Other code", RETRIEVAL, "List the segments of another code (a category: all its themes)"),
    UIAction("retrieval.export", "ctrl+s", "export", "Export", RETRIEVAL, "Write the list to .csv, .md or .json"),
    UIAction("retrieval.close", "escape", "close", "Close", RETRIEVAL, "Back to the documents"),
    # search -----------------------------------------------------------------------------------
    UIAction("search.query", "ctrl+f", "focus_query", "Query", SEARCH, "Type what to look for (enter searches)"),
    UIAction("search.toggle", "space", "toggle_hit", "Select", SEARCH, "Select the highlighted hit (again: leave it out)", palette=False),
    UIAction("search.all", "a", "toggle_all", "All/none", SEARCH, "Select every hit (again: none)"),
    UIAction("search.code", "c", "code", "Code…", SEARCH, "Code the selected hits (none selected: every hit) with a code; one step ctrl+z undoes"),
    UIAction("search.open", "o", "open", "Open in text", SEARCH, "Show the highlighted hit in its document"),
    UIAction("search.close", "escape", "close", "Close", SEARCH, "Back to the documents"),
)  # fmt: skip

BY_ID = {action.id: action for action in ACTIONS}


def bindings(scope: str) -> list[Binding]:
    """The Textual bindings of one scope."""
    return [action.binding() for action in ACTIONS if action.scope == scope]


def actions(scope: str) -> list[UIAction]:
    return [action for action in ACTIONS if action.scope == scope]


def config_path() -> Path:
    """Where the user's keymap lives (`LO_CODEBOOK_KEYMAP` wins)."""
    env = os.environ.get(KEYMAP_ENV)
    if env:
        return Path(env).expanduser()
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "lo-codebook" / "keymap.toml"


def load_keymap(path: Path | None = None) -> tuple[dict[str, str], list[str]]:
    """Read the keymap file: (id -> keys, problems). A missing file is an empty keymap."""
    path = path or config_path()
    if not path.is_file():
        return {}, []
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        return {}, [f"{path}: cannot read keymap ({exc})"]
    table = data.get("keymap", data)
    keymap: dict[str, str] = {}
    problems: list[str] = []
    for binding_id, keys in table.items():
        if isinstance(keys, list):
            keys = ",".join(str(k) for k in keys)
        if not isinstance(keys, str) or not keys.strip():
            problems.append(f'{path}: {binding_id!r} needs a key string like "ctrl+k"')
            continue
        if binding_id not in BY_ID:
            problems.append(f"{path}: unknown binding id {binding_id!r} (see the help screen, F1)")
            continue
        keymap[binding_id] = keys.strip()
    return keymap, problems


# -- the same table in Dutch -----------------------------------------------------------------
# id -> (description, help). English is the table above; a missing id falls back to it.
DUTCH: dict[str, tuple[str, str]] = {
    "app.quit": ("Stoppen", "lo-codebook sluiten"),
    "app.undo": ("Ongedaan", "Je laatste actie ongedaan maken (bewaard in het logboek van het project)"),
    "app.redo": ("Opnieuw", "De laatst ongedaan gemaakte actie opnieuw doen"),
    "app.help": ("Hulp", "Alle toetsen op een rij"),
    "app.review": ("Beoordelen", "Openstaande suggesties een voor een beoordelen"),
    "app.themes": ("Thema's", "Frequentietabel van thema's, uitsplitsing, grafiek en export"),
    "app.suggest": ("Voorstellen", "De suggestiemotor over alle documenten laten lopen (op de achtergrond)"),
    "app.agreement": ("Overeenstemming", "Overeenstemming tussen codeurs: kappa per code, alfa, verschillen"),
    "app.import": ("Importeren", "Transcripten/teksten of een enquêtebestand importeren"),
    "app.export_codebook": ("Codeboek exporteren", "Het codeboek naar .csv, .md of .qdc schrijven"),
    "app.discover": ("Thema's ontdekken", "Thema's in de teksten vinden die het codeboek mist; als code toevoegen"),
    "app.grid": ("Enquêteraster", "Enquête-antwoorden als rijen: thema's aan/uit met 1-9, filteren, codes als labels"),
    "app.merge_codebook": ("Codeboek samenvoegen uit bestand/project…", "Een .csv/.qdc-codeboek of dat van een project samenvoegen; bijna-dubbele codes beoordelen"),
    "main.focus_documents": ("Documenten", "Naar de documentenlijst"),
    "main.focus_document": ("Tekst", "Naar de tekst van het document"),
    "main.focus_codebook": ("Codeboek", "Naar de boom van het codeboek"),
    "main.clear_filters": ("Filters wissen", "Weer alle documenten tonen"),
    "doc.code": ("Coderen", "De geselecteerde tekst coderen (zoek in het codeboek terwijl je typt; kan een code maken)"),
    "doc.uncode": ("Code weg", "De codering onder de cursor verwijderen"),
    "doc.recode": ("Hercoderen", "De codering onder de cursor een andere code geven"),
    "doc.memo": ("Memo", "Een memo schrijven bij de codering onder de cursor (geen codering daar: bij het document)"),
    "doc.accept": ("Accepteren", "De suggestie onder de cursor accepteren (onderstreepte tekst)"),
    "doc.dismiss": ("Afwijzen", "De suggestie onder de cursor afwijzen"),
    "doc.select_word": ("Woord", "Het woord bij de cursor selecteren (nog eens: het volgende woord erbij)"),
    "doc.select_sentence": ("Zin", "De zin bij de cursor selecteren"),
    "doc.select_turn": ("Beurt", "De spreekbeurt (of het enquête-antwoord) bij de cursor selecteren"),
    "doc.next_span": ("Volgende codering", "Naar de volgende codering of suggestie"),
    "doc.prev_span": ("Vorige codering", "Naar de vorige codering of suggestie"),
    "doc.clear_selection": ("Selectie wissen", "De selectie terugbrengen tot de cursor"),
    "docs.open": ("Openen", "Het gemarkeerde document openen"),
    "codebook.new": ("Nieuwe code", "Een code toevoegen (typ Categorie/Naam om hem onder een categorie te zetten)"),
    "codebook.rename": ("Hernoemen", "De gemarkeerde code hernoemen"),
    "codebook.move": ("Verplaatsen", "De gemarkeerde code onder een andere code of op het hoogste niveau zetten"),
    "codebook.merge": ("Samenvoegen", "De gemarkeerde code in een andere opnemen (de coderingen gaan mee)"),
    "codebook.delete": ("Verwijderen", "De gemarkeerde code en haar coderingen verwijderen (vraagt eerst; ongedaan te maken)"),
    "codebook.keywords": ("Trefwoorden", "De trefwoorden/synoniemen bewerken waarop de motor zoekt"),
    "codebook.color": ("Kleur", "De markeerkleur veranderen"),
    "codebook.describe": ("Beschrijving", "De beschrijving bewerken"),
    "codebook.filter": ("Docs filteren", "Alleen documenten met de gemarkeerde code tonen (nog eens: alle)"),
    "codebook.code_with": ("Hiermee coderen", "De selectie in het document met de gemarkeerde code coderen"),
    "review.accept": ("Accepteren", "Accepteren: het wordt jouw codering"),
    "review.reject": ("Afwijzen", "Afwijzen: wordt nooit meer voorgesteld"),
    "review.skip": ("Overslaan", "Later beslissen"),
    "review.back": ("Terug", "Terug naar de vorige suggestie"),
    "review.accept_code": ("Hele code accepteren", "Alle openstaande suggesties van deze code accepteren"),
    "review.reject_code": ("Hele code afwijzen", "Alle openstaande suggesties van deze code afwijzen"),
    "review.open": ("Openen in tekst", "Deze suggestie in haar document tonen"),
    "review.order": ("Onzekerste eerst", "Volgorde van de rij: minst zekere eerst (leert de motor het meest) of in leesvolgorde"),
    "review.close": ("Sluiten", "Terug naar de documenten"),
    "themes.export": ("Exporteren", "De tabel (.csv .xlsx .md .json) of grafiek (.png .svg) schrijven"),
    "themes.threshold": ("Drempel", "De --above-drempel bewerken"),
    "themes.close": ("Sluiten", "Terug naar de documenten"),
    "agreement.consensus": ("Consensus", "De verschillen tussen de twee codeurs een voor een oplossen tot een consensuscodering (een eigen codeur; ongedaan te maken)"),
    "agreement.close": ("Sluiten", "Terug naar de documenten"),
    "consensus.take_a": ("Versie A", "Hier de versie van codeur A nemen: de code blijft als A hem gaf, anders niet"),
    "consensus.take_b": ("Versie B", "Hier de versie van codeur B nemen: de code blijft als B hem gaf, anders niet"),
    "consensus.both": ("Beide", "De code hier houden (wat een van beide codeurs codeerde)"),
    "consensus.neither": ("Geen", "De code hier weglaten"),
    "consensus.next": ("Volgende", "Naar het volgende verschil zonder te beslissen"),
    "consensus.previous": ("Vorige", "Terug naar het vorige verschil"),
    "consensus.store": ("Opslaan", "De consensus als eigen codeur opslaan (overeenkomende coderingen gaan mee; ctrl+z maakt ongedaan)"),
    "consensus.close": ("Sluiten", "Terug naar overeenstemming (vraagt eerst voordat je beslissingen vervallen)"),
    "discover.add": ("Aan codeboek toevoegen", "De gemarkeerde kandidaat als code toevoegen, met de woordgroepen als trefwoorden (ctrl+z maakt ongedaan)"),
    "discover.only_new": ("Alleen nieuw", "Alleen tonen wat het codeboek mist (nog eens: alles)"),
    "discover.threshold": ("Drempel", "De --above-drempel bewerken (meer dan N documenten)"),
    "discover.refresh": ("Vernieuwen", "Opnieuw naar kandidaten zoeken"),
    "discover.close": ("Sluiten", "Terug naar de documenten"),
    "merge.toggle": ("Aan/uit", "De gemarkeerde overeenkomst accepteren (nog eens: weglaten; de code wordt dan toegevoegd)"),
    "merge.accept_all": ("Alles accepteren", "Alle voorgestelde overeenkomsten accepteren, ook die ter beoordeling"),
    "merge.apply": ("Toepassen", "De geaccepteerde overeenkomsten samenvoegen en de andere codes toevoegen (vraagt eerst; u maakt ongedaan)"),
    "merge.unmerge": ("Splitsen", "Je laatste samenvoeging van codeboek of project ongedaan maken"),
    "merge.source": ("Bron", "De bron typen: een .csv- of .qdc-codeboek, of een ander project .db"),
    "merge.close": ("Sluiten", "Terug naar de documenten"),
    "grid.code": ("Code…", "Een code kiezen (typ om te zoeken) en aan/uit zetten op het antwoord"),
    "grid.uncoded": ("Nog geen code", "Alleen antwoorden die je nog niet codeerde (nog eens: alle antwoorden)"),
    "grid.pending": ("Open", "Alleen antwoorden met openstaande suggesties (nog eens: alle antwoorden)"),
    "grid.filter": ("Filteren", "Filteren op casuskenmerk, code of status (de balk boven het raster)"),
    "grid.clear_filters": ("Filters wissen", "Weer alle antwoorden tonen"),
    "grid.accept": ("Accepteren", "De openstaande suggesties van het antwoord accepteren (ze worden jouw coderingen)"),
    "grid.pin": ("Vastzetten", "Een code op de cijfertoetsen vastzetten (een vastgezette: losmaken)"),
    "grid.unpin": ("Alles losmaken", "Cijfertoetsen terug naar de eerste negen thema's van het codeboek"),
    "grid.open": ("Openen in tekst", "Het antwoord in de documentweergave openen (om een stuk te coderen)"),
    "grid.close": ("Sluiten", "Terug naar de documenten"),
    "app.memos": ("Memo's", "Alle memo's (project, documenten, codes, casussen, coderingen); enter gaat naar waar een memo over gaat"),
    "app.cases": ("Casustabel", "Casussen met hun kenmerken; een waarde bewerken (ongedaan te maken)"),
    "docs.memo": ("Documentmemo", "Een memo schrijven bij het gemarkeerde document"),
    "codebook.memo": ("Codememo", "Een memo schrijven bij de gemarkeerde code"),
    "memos.open": ("Ga naar", "Naar waar de gemarkeerde memo over gaat (ook enter)"),
    "memos.edit": ("Bewerken", "De gemarkeerde memo bewerken (ctrl+s bewaart; lege tekst verwijdert hem)"),
    "memos.delete": ("Verwijderen", "De gemarkeerde memo verwijderen (vraagt eerst; ctrl+z maakt ongedaan)"),
    "memos.project": ("Projectmemo", "Je memo bij het project schrijven"),
    "memos.close": ("Sluiten", "Terug naar de documenten"),
    "cases.edit": ("Waarde bewerken", "De kenmerkwaarde onder de cursor bewerken (ook enter; leeg verwijdert hem)"),
    "cases.add": ("Kenmerk toevoegen", "De casus onder de cursor een nieuw kenmerk geven (naam=waarde)"),
    "cases.memo": ("Casusmemo", "Een memo schrijven bij de casus onder de cursor"),
    "cases.close": ("Sluiten", "Terug naar de documenten"),
    "app.retrieve": ("Gecodeerde fragmenten", "Elk fragment met de gemarkeerde code, in context: openen, code weghalen, hercoderen, exporteren"),
    "app.search": ("Zoeken", "In de teksten zoeken (woorden, elke vorm van een woord, of een reguliere expressie) en de treffers coderen"),
    "themes.retrieve": ("Gecodeerde fragmenten", "De fragmenten achter de rij (op de cel van een groep: die van de groep), in context"),
    "retrieval.open": ("Openen in tekst", "Het gemarkeerde fragment in zijn document tonen"),
    "retrieval.uncode": ("Code weghalen", "De gemarkeerde codering verwijderen (ctrl+z maakt ongedaan)"),
    "retrieval.recode": ("Hercoderen", "De gemarkeerde codering een andere code geven (ctrl+z maakt ongedaan)"),
    "retrieval.code": ("Andere code", "De fragmenten van een andere code tonen (een categorie: al haar thema's)"),
    "retrieval.export": ("Exporteren", "De lijst naar .csv, .md of .json schrijven"),
    "retrieval.close": ("Sluiten", "Terug naar de documenten"),
    "search.query": ("Zoekvraag", "Typ waarnaar je zoekt (enter zoekt)"),
    "search.toggle": ("Kiezen", "De gemarkeerde treffer kiezen (nogmaals: weglaten)"),
    "search.all": ("Alle/geen", "Elke treffer kiezen (nogmaals: geen)"),
    "search.code": ("Coderen…", "De gekozen treffers (geen gekozen: alle) met een code coderen; ctrl+z maakt het in één stap ongedaan"),
    "search.open": ("Openen in tekst", "De gemarkeerde treffer in zijn document tonen"),
    "search.close": ("Sluiten", "Terug naar de documenten"),
    **{
        f"doc.quick_{n}": (f"Recente code {n}", f"De selectie coderen met recente code {n} (of de codering onder de cursor hercoderen)")
        for n in range(1, 10)
    },
    **{
        f"grid.toggle_{n}": (f"Thema {n} aan/uit", f"Het antwoord als geheel thema {n} van de toetsenstrook geven, of het weghalen (alleen de jouwe)")
        for n in range(1, 10)
    },
}  # fmt: skip

SCOPE_TITLES_NL = {
    APP: "Overal",
    MAIN: "Hoofdscherm",
    DOCUMENT: "Documentweergave",
    DOCUMENTS: "Documentenlijst",
    CODEBOOK: "Codeboom",
    REVIEW: "Suggesties beoordelen",
    THEMES: "Thema's",
    AGREEMENT: "Overeenstemming",
    CONSENSUS: "Consensus",
    DISCOVER: "Thema's ontdekken",
    MERGE: "Codeboek samenvoegen",
    GRID: "Enquêteraster",
    MEMOS: "Memo's",
    CASES: "Casustabel",
    RETRIEVAL: "Gecodeerde fragmenten",
    SEARCH: "Zoeken",
}

GROUP_TITLES_NL = {QUICK.description: "recente code", GRID_KEYS.description: "thema aan/uit"}


def describe(action: UIAction, lang: str) -> tuple[str, str]:
    """(description, help) of an action in the UI language."""
    if lang == "nl" and action.id in DUTCH:
        return DUTCH[action.id]
    return action.description, action.help


def scope_title(scope: str, lang: str) -> str:
    return (SCOPE_TITLES_NL if lang == "nl" else SCOPE_TITLES)[scope]


@functools.lru_cache(maxsize=2048)
def localized(binding: Binding, lang: str) -> Binding:
    """A key binding with the description, tooltip and group title of `lang`. Bindings are
    looked up by id in the action table; Textual's own keys (the palette's, the dialogs') by
    their action."""
    action = BY_ID.get(binding.id or "")
    if action is not None:
        description, help_text = describe(action, lang)
        group = binding.group
        if group is not None and lang == "nl" and group.description in GROUP_TITLES_NL:
            group = Binding.Group(GROUP_TITLES_NL[group.description], compact=group.compact)
        return replace(binding, description=description, tooltip=help_text, group=group)
    if lang == "nl" and binding.action in TEXTUAL_NL:
        return replace(binding, description=TEXTUAL_NL[binding.action])
    return binding


class LocalizedBindings:
    """Mixin for every screen of the app (before `Screen`/`ModalScreen` in the bases): the
    footer, the keys panel and the tooltips speak the UI's language (`app.lang`).

    Textual shows a screen's keys from its public `active_bindings`; this translates them
    there, as they are shown, so the bindings themselves (the class's, the user's keymap)
    stay as they are.
    """

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        lang = getattr(self.app, "lang", "en")  # type: ignore[attr-defined]
        shown: dict[str, ActiveBinding] = {}
        for key, active in super().active_bindings.items():  # type: ignore[misc]
            binding = localized(active.binding, lang)
            shown[key] = ActiveBinding(active.node, binding, active.enabled, binding.tooltip)
        return shown


#: Textual's own keys shown in our footer, by action.
TEXTUAL_NL = {
    "command_palette": "opdrachten",
    # the dialogs' own keys (tui/screens/modals.py, the add dialog of discover)
    "cancel": "Annuleren",
    "answer(True)": "Ja",
    "answer(False)": "Nee",
}
