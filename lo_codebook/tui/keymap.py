"""Every UI action in one table: key bindings, the help screen and the command palette read it.

Each action has a stable id (`doc.code`, `app.undo`, ...). Users remap keys by id in
`$XDG_CONFIG_HOME/lo-codebook/keymap.toml` (or the file named by `LO_CODEBOOK_KEYMAP`):

    [keymap]
    "doc.code" = "enter"
    "app.undo" = "ctrl+z,u"

The file is applied with `App.set_keymap`, so remapped keys show in the footer and the help.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

from textual.binding import Binding

KEYMAP_ENV = "LO_CODEBOOK_KEYMAP"

# Scopes: where a binding lives (and which node runs its action from the palette).
APP, MAIN, DOCUMENT, DOCUMENTS, CODEBOOK, REVIEW, THEMES, AGREEMENT = (
    "app", "main", "document", "documents", "codebook", "review", "themes", "agreement",
)  # fmt: skip
DISCOVER, MERGE, CONSENSUS, GRID = "discover", "merge", "consensus", "grid"
MEMOS, CASES = "memos", "cases"

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
    UIAction("app.merge_codebook", "C", "merge_codebook", "Merge codebook from file/project…", APP, "Merge a .csv/.qdc codebook or a project's; review near-duplicates", show=False),
    # main screen ------------------------------------------------------------------------------
    UIAction("main.focus_documents", "f2", "focus('documents')", "Documents", MAIN, "Focus the documents list", show=False),
    UIAction("main.focus_document", "f3", "focus('document')", "Text", MAIN, "Focus the document text", show=False),
    UIAction("main.focus_codebook", "f4", "focus('codebook')", "Codebook", MAIN, "Focus the codebook tree", show=False),
    UIAction("main.clear_filters", "ctrl+r", "clear_filters", "Clear filters", MAIN, "Show all documents again", show=False),
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
            problems.append(f"{path}: {binding_id!r} needs a key string like \"ctrl+k\"")
            continue
        if binding_id not in BY_ID:
            problems.append(f"{path}: unknown binding id {binding_id!r} (see the help screen, F1)")
            continue
        keymap[binding_id] = keys.strip()
    return keymap, problems
