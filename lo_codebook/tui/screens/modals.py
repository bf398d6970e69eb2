"""Small dialogs: the code picker (fuzzy search, can create), a text prompt, a confirmation."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz
from rapidfuzz.utils import default_process
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from lo_codebook.core.queries import CodeNode
from lo_codebook.db.names import same_name
from lo_codebook.safe_output import printable
from lo_codebook.tui.widgets.document_view import _color

CREATE = "create"
TOP_LEVEL = "top"


@dataclass(frozen=True)
class PickResult:
    """What the picker chose: an existing code, a new code to create, or the top level."""

    code_id: int | None = None
    create: str | None = None
    top_level: bool = False


def code_paths(codes: Sequence[CodeNode]) -> dict[int, str]:
    by_id = {c.id: c for c in codes}
    paths: dict[int, str] = {}
    for code in codes:
        parts = [code.name]
        parent = by_id.get(code.parent_id) if code.parent_id else None
        while parent is not None:
            parts.append(parent.name)
            parent = by_id.get(parent.parent_id) if parent.parent_id else None
        paths[code.id] = "/".join(reversed(parts))
    return paths


def rank_codes(
    query: str, codes: Sequence[CodeNode], paths: dict[int, str], recent: Sequence[int] = ()
) -> list[tuple[float, CodeNode]]:
    """Codes ordered for `query`: name prefix, word prefix, substring, keyword, then fuzzy.

    Fuzzy matching (for typos: "digitalsering") only starts at four characters, so that a
    short prefix lists what starts with it instead of everything that vaguely resembles it.
    """
    q = default_process(query)
    if not q:
        order = {code_id: i for i, code_id in enumerate(recent)}
        return [(0.0, c) for c in sorted(codes, key=lambda c: order.get(c.id, len(order)))]
    ranked: list[tuple[float, CodeNode]] = []
    for code in codes:
        name = default_process(code.name)
        keywords = [default_process(k) for k in code.keywords]
        if name.startswith(q):
            score = 300.0 - len(name) / 100
        elif any(word.startswith(q) for word in name.split()):
            score = 250.0 - len(name) / 100
        elif q in name:
            score = 200.0 - len(name) / 100
        elif any(k.startswith(q) for k in keywords):
            score = 150.0
        elif q in default_process(paths[code.id]) or any(q in k for k in keywords):
            score = 120.0
        elif len(q) >= 4:
            score = max(
                fuzz.WRatio(q, name, processor=None),
                max((fuzz.ratio(q, k, processor=None) for k in keywords), default=0) * 0.95,
            )
            if score < 78:
                continue
        else:
            continue
        ranked.append((score, code))
    ranked.sort(key=lambda pair: -pair[0])
    return ranked


class CodePicker(ModalScreen[PickResult | None]):
    """Type to search the codebook; enter picks; a new name offers to create the code."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("down", "move(1)", "Down", show=False),
        Binding("up", "move(-1)", "Up", show=False),
        Binding("pagedown", "move(8)", show=False),
        Binding("pageup", "move(-8)", show=False),
    ]

    def __init__(
        self,
        codes: Sequence[CodeNode],
        *,
        title: str = "Code the selection",
        recent: Sequence[int] = (),
        allow_create: bool = True,
        exclude: Sequence[int] = (),
        leaves_only: bool = False,
        top_level_option: bool = False,
        initial: str = "",
    ) -> None:
        super().__init__()
        self.title_text = title
        parents = {c.parent_id for c in codes if c.parent_id is not None}
        self.codes = [
            c for c in codes if c.id not in set(exclude) and not (leaves_only and c.id in parents)
        ]
        self.paths = code_paths(codes)
        self.recent = list(recent)
        self.allow_create = allow_create
        self.top_level_option = top_level_option
        self.initial = initial

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="picker"):
            yield Label(self.title_text, id="dialog-title")
            yield Input(
                self.initial,
                placeholder="type to search codes" + (", or a new name (Parent/Name)" if self.allow_create else ""),
                id="picker-input",
            )
            yield OptionList(id="picker-options")
            yield Static(
                "enter choose · ↑↓ move · esc cancel" + (" · a new name creates the code" if self.allow_create else ""),
                classes="dialog-hint",
            )

    def on_mount(self) -> None:
        self._refresh_options(self.initial)
        search = self.query_one(Input)
        search.focus()
        search.cursor_position = len(search.value)

    @on(Input.Changed, "#picker-input")
    def _changed(self, event: Input.Changed) -> None:
        self._refresh_options(event.value)

    def _refresh_options(self, query: str) -> None:
        options: list[Option] = []
        if self.top_level_option and not query.strip():
            options.append(Option(Text("(top level)", style="italic"), id=TOP_LEVEL))
        ranked = rank_codes(query, self.codes, self.paths, self.recent)
        exact = False
        for _score, code in ranked[:60]:
            label = Text(no_wrap=True, overflow="ellipsis")
            label.append("● ", style=_color(code.color).name)
            path = self.paths[code.id]
            parent, _, _name = path.rpartition("/")
            label.append(printable(code.name, newlines=False), style="bold")
            label.append(f"  {code.documents}·{code.mentions}", style="dim")
            if parent:
                label.append(f"  in {printable(parent, newlines=False)}", style="dim italic")
            needle = default_process(query)
            if needle and needle not in default_process(code.name):
                hit = next((k for k in code.keywords if needle in default_process(k)), None)
                if hit:
                    label.append(f"  keyword: {printable(hit, newlines=False)}", style="italic")
            if code.id in self.recent[:9]:
                label.append(f"  [{self.recent.index(code.id) + 1}]", style="dim italic")
            options.append(Option(label, id=str(code.id)))
            if default_process(code.name) == default_process(query) or same_name(code.name, query) or path == query.strip():
                exact = True
        name = " ".join(query.split())
        if self.allow_create and name and not exact:
            options.append(Option(Text.assemble(("+ new code ", "italic"), (printable(name, newlines=False), "bold")), id=CREATE))
        option_list = self.query_one(OptionList)
        option_list.set_options(options)
        if options:
            option_list.highlighted = 0

    def action_move(self, delta: int) -> None:
        option_list = self.query_one(OptionList)
        if option_list.option_count:
            current = option_list.highlighted or 0
            option_list.highlighted = max(0, min(option_list.option_count - 1, current + delta))

    @on(Input.Submitted, "#picker-input")
    def _submitted(self) -> None:
        option_list = self.query_one(OptionList)
        if option_list.highlighted is None:
            self.app.bell()
            return
        self._choose(option_list.get_option_at_index(option_list.highlighted))

    @on(OptionList.OptionSelected, "#picker-options")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self._choose(event.option)

    def _choose(self, option: Option) -> None:
        if option.id == CREATE:
            self.dismiss(PickResult(create=" ".join(self.query_one(Input).value.split())))
        elif option.id == TOP_LEVEL:
            self.dismiss(PickResult(top_level=True))
        else:
            self.dismiss(PickResult(code_id=int(option.id or 0)))

    def action_cancel(self) -> None:
        self.dismiss(None)


class TextPrompt(ModalScreen[str | None]):
    """One line of text (a name, keywords, a colour, a file name, a memo)."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(
        self,
        title: str,
        value: str = "",
        *,
        placeholder: str = "",
        hint: str = "enter save · esc cancel",
        validate: Callable[[str], str | None] | None = None,
    ) -> None:
        super().__init__()
        self.title_text = title
        self.value = value
        self.placeholder = placeholder
        self.hint = hint
        self.validate_value = validate

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(self.title_text, id="dialog-title")
            yield Input(self.value, placeholder=self.placeholder, id="prompt-input")
            yield Static("", id="prompt-error", classes="dialog-error")
            yield Static(self.hint, classes="dialog-hint")

    def on_mount(self) -> None:
        prompt = self.query_one(Input)
        prompt.focus()
        prompt.cursor_position = len(prompt.value)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        if self.validate_value is not None:
            problem = self.validate_value(event.value)
            if problem:
                self.query_one("#prompt-error", Static).update(problem)
                return
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)


class Confirm(ModalScreen[bool]):
    """Yes/no before something destructive (still undoable, but better asked)."""

    BINDINGS = [
        Binding("y", "answer(True)", "Yes"),
        Binding("n,escape", "answer(False)", "No"),
    ]

    def __init__(self, title: str, message: str, *, yes: str = "Yes", danger: bool = True) -> None:
        super().__init__()
        self.title_text = title
        self.message = message
        self.yes = yes
        self.danger = danger

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(self.title_text, id="dialog-title")
            yield Static(self.message, id="confirm-message")
            with Horizontal(classes="dialog-buttons"):
                yield Button(f"{self.yes} (y)", variant="error" if self.danger else "primary", id="yes")
                yield Button("Cancel (n)", id="no")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)


@dataclass(frozen=True)
class ImportRequest:
    paths: list[str]
    case: str | None = None
    attributes: dict[str, str] | None = None
    id_col: str | None = None
    text_cols: list[str] | None = None
    attr_cols: list[str] | None = None


class ImportDialog(ModalScreen[ImportRequest | None]):
    """Import files (transcripts, texts) or a survey export (.csv/.xlsx with an id column)."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="import"):
            yield Label("Import", id="dialog-title")
            yield Static("Files or folders (separate several with ';'):", classes="field-label")
            yield Input(placeholder="interviews/  or  survey.csv", id="import-paths")
            yield Static("Transcripts: case name and attributes (optional)", classes="field-label")
            yield Input(placeholder="case name (default: the file name)", id="import-case")
            yield Input(placeholder="attributes: size_class=<20.000; province=Utrecht", id="import-attrs")
            yield Static("Survey (.csv/.xlsx): columns", classes="field-label")
            yield Input(placeholder="id column, e.g. ResponseId", id="import-id-col")
            yield Input(placeholder="text column(s), e.g. Q4; Q5", id="import-text-cols")
            yield Input(placeholder="attribute column(s), e.g. Q2=size_class", id="import-attr-cols")
            yield Static("", id="prompt-error", classes="dialog-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Import", variant="primary", id="import-go")
                yield Button("Cancel", id="import-cancel")

    def on_mount(self) -> None:
        self.query_one("#import-paths", Input).focus()

    def _value(self, widget_id: str) -> str:
        return self.query_one(f"#{widget_id}", Input).value.strip()

    @staticmethod
    def _split(value: str) -> list[str]:
        return [part.strip() for part in value.replace(",", ";").split(";") if part.strip()]

    @on(Input.Submitted)
    @on(Button.Pressed, "#import-go")
    def _go(self) -> None:
        paths = [p.strip() for p in self._value("import-paths").split(";") if p.strip()]
        if not paths:
            self.query_one("#prompt-error", Static).update("name at least one file or folder")
            return
        attrs: dict[str, str] = {}
        for part in self._split(self._value("import-attrs")):
            key, sep, value = part.partition("=")
            if not sep or not key.strip():
                self.query_one("#prompt-error", Static).update(f"attributes are KEY=VALUE, got {part!r}")
                return
            attrs[key.strip()] = value.strip()
        id_col = self._value("import-id-col") or None
        text_cols = self._split(self._value("import-text-cols"))
        if id_col and not text_cols:
            self.query_one("#prompt-error", Static).update("a survey needs at least one text column")
            return
        self.dismiss(
            ImportRequest(
                paths=paths,
                case=self._value("import-case") or None,
                attributes=attrs or None,
                id_col=id_col,
                text_cols=text_cols or None,
                attr_cols=self._split(self._value("import-attr-cols")) or None,
            )
        )

    @on(Button.Pressed, "#import-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
