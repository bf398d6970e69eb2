"""F1 / ?: every key binding, grouped by where it works, with the user's remapped keys."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from lo_codebook.tui import keymap


def key_text(app_keymap: dict[str, str], action: keymap.UIAction, display) -> str:  # type: ignore[no-untyped-def]
    keys = app_keymap.get(action.id, action.key)
    shown = [display(Binding(k.strip(), action.action)) for k in keys.split(",") if k.strip()]
    return " / ".join(shown)


_EXTRA = {  # rows that are not one action: (key, nl, en) with (name, what it does)
    "quick": ("1 … 9", ("Recente codes", "De selectie coderen met recente code 1-9 (of de codering onder de cursor hercoderen)"),
              ("Recent codes", "Code the selection with recent code 1-9 (or recode the coding under the cursor)")),
    "toggle": ("1 … 9", ("Thema aan/uit", "Het antwoord als geheel thema 1-9 van de toetsenstrook geven (eerste negen thema's, of je vastgezette codes), of het weghalen"),
               ("Toggle theme", "Give the answer theme 1-9 of the key strip (first nine themes, or your pinned codes) as a whole, or take it off")),
    "palette": ("ctrl+p", ("Opdrachtenpalet", "Elke actie op naam zoeken en uitvoeren"),
                ("Command palette", "Search and run any action by name")),
    "select": ("shift+arrows", ("Selectie uitbreiden", "Tekst selecteren met het toetsenbord (of slepen met de muis)"),
               ("Extend selection", "Select text with the keyboard (or drag with the mouse)")),
}  # fmt: skip


def _extra(name: str, lang: str) -> tuple[str, str, str]:
    key, dutch, english = _EXTRA[name]
    return (key, *(dutch if lang == "nl" else english))


def bindings_table(app) -> Table:  # type: ignore[no-untyped-def]
    lang = getattr(app, "lang", "en")
    table = Table(box=None, expand=True, show_header=False, padding=(0, 1))
    table.add_column("key", style="bold", no_wrap=True, width=18)
    table.add_column("action", width=22)  # a long name ("Merge codebook from file/project…") wraps
    table.add_column("what it does", ratio=1)
    current = getattr(app, "user_keymap", {})
    for scope in keymap.SCOPE_TITLES:
        table.add_row(Text(keymap.scope_title(scope, lang), style="bold reverse"), "", "")
        for action in keymap.actions(scope):
            if action.group is keymap.QUICK:
                if action.id != "doc.quick_1":
                    continue
                table.add_row(*_extra("quick", lang))
                continue
            if action.group is keymap.GRID_KEYS:
                if action.id == "grid.toggle_1":
                    table.add_row(*_extra("toggle", lang))
                continue
            table.add_row(
                key_text(current, action, app.get_key_display), *keymap.describe(action, lang)
            )
        if scope == keymap.APP:
            table.add_row(*_extra("palette", lang))
        if scope == keymap.DOCUMENT:
            table.add_row(*_extra("select", lang))
        table.add_row("", "", "")
    return table


class HelpScreen(keymap.LocalizedBindings, ModalScreen[None]):
    """The key bindings, generated from the same table as the bindings themselves."""

    BINDINGS = [Binding("escape,f1,question_mark,q", "dismiss", "Close")]

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="help"):
            yield Label(self.app.t("help.title"), id="dialog-title")
            with VerticalScroll():
                yield Static(bindings_table(self.app), id="help-table")
                yield Static(
                    self.app.t("help.keymap_file", path=keymap.config_path(), env=keymap.KEYMAP_ENV)
                    + '\n[keymap]\n"doc.code" = "enter"\n\n'
                    + self.app.t("help.binding_ids")
                    + ", ".join(a.id for a in keymap.ACTIONS),
                    classes="dialog-hint",
                )

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(result)
