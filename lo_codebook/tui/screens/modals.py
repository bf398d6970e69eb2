"""Small dialogs: the code picker (fuzzy search, can create), a text prompt, a confirmation."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rapidfuzz import fuzz
from rapidfuzz.utils import default_process
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.dom import DOMNode
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from lo_codebook.core import codebook
from lo_codebook.core.queries import CodeNode
from lo_codebook.db.names import name_key, same_name
from lo_codebook.i18n import t
from lo_codebook.safe_output import printable
from lo_codebook.tui import keymap
from lo_codebook.tui.changes import CODEBOOK
from lo_codebook.tui.messages import FAILED
from lo_codebook.tui.widgets.document_view import _color

if TYPE_CHECKING:
    from lo_codebook.tui.app import CodebookApp

CREATE = "create"
TOP_LEVEL = "top"


def say(node: DOMNode, key: str, **fields: object) -> str:
    """The UI's words for `key` in the app's output language (English outside lo-codebook's app)."""
    return t(key, getattr(node.app, "lang", "en"), **fields)


@dataclass(frozen=True)
class PickResult:
    """What the picker chose: an existing code, a new code to create, or the top level."""

    code_id: int | None = None
    create: str | None = None
    top_level: bool = False


def create_code_path(app: CodebookApp, path: str, *, make_parents: bool = True) -> int | None:
    """Create the code `Parent/Name` typed in a picker; None when the core refused (said)."""
    parent, _, leaf = path.rpartition("/")
    created = app.run_core(
        codebook.create_code,
        app.project,
        leaf,
        parent=parent or None,
        make_parents=make_parents,
        changed=frozenset({CODEBOOK}),
    )
    return None if created is FAILED else int(created)


def picked_code(app: CodebookApp, result: PickResult, *, make_parents: bool = True) -> int | None:
    """The code the picker chose; one typed as a new name is created first."""
    if result.create is None:
        return result.code_id
    return create_code_path(app, result.create, make_parents=make_parents)


def on_code_picked(then: Callable[[int], object]) -> Callable[[PickResult | None], None]:
    """The picker's callback for a picker of existing codes: `then(code_id)` once one is
    chosen (not on escape, a new name or the top level)."""

    def chosen(result: PickResult | None) -> None:
        if result is not None and result.code_id is not None:
            then(result.code_id)

    return chosen


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


class CodePicker(keymap.LocalizedBindings, ModalScreen[PickResult | None]):
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
        title: str | None = None,
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
        self.all_codes = list(codes)
        self.categories = [c for c in codes if c.id in parents]
        self.codes = [
            c for c in codes if c.id not in set(exclude) and not (leaves_only and c.id in parents)
        ]
        self.paths = code_paths(codes)
        self.recent = list(recent)
        self.allow_create = allow_create
        self.top_level_option = top_level_option
        self.initial = initial
        self._create_value = ""

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="picker"):
            yield Label(self.title_text or say(self, "picker.title"), id="dialog-title")
            yield Input(
                self.initial,
                placeholder=say(self, "picker.search")
                + (say(self, "picker.search_create") if self.allow_create else ""),
                id="picker-input",
            )
            yield OptionList(id="picker-options")
            yield Static(
                say(self, "picker.hint")
                + (say(self, "picker.hint_create") if self.allow_create else ""),
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

    def _label(self, code: CodeNode, query: str) -> Text:
        label = Text(no_wrap=True, overflow="ellipsis")
        label.append("● ", style=_color(code.color).name)
        parent = self.paths[code.id].rpartition("/")[0]
        label.append(printable(code.name, newlines=False), style="bold")
        label.append(f"  {code.documents}·{code.mentions}", style="dim")
        if parent:
            label.append(
                say(self, "picker.in", parent=printable(parent, newlines=False)), style="dim italic"
            )
        needle = default_process(query)
        if needle and needle not in default_process(code.name):
            hit = next((k for k in code.keywords if needle in default_process(k)), None)
            if hit:
                label.append(
                    say(self, "picker.keyword", keyword=printable(hit, newlines=False)),
                    style="italic",
                )
        if code.id in self.recent[:9]:
            label.append(f"  [{self.recent.index(code.id) + 1}]", style="dim italic")
        return label

    def _existing_path(self, parts: Sequence[str]) -> str | None:
        """The path of the one code (any, categories too) whose path ends with `parts`."""
        wanted = [name_key(p) for p in parts]
        found = [
            path
            for path in self.paths.values()
            if [name_key(p) for p in path.split("/")[-len(wanted) :]] == wanted
        ]
        return found[0] if len(found) == 1 else None

    def _refresh_options(self, query: str) -> None:
        """Rank the codes for `query`; `Parent/Name` searches Name and places a new code.

        The highlighted entry is what enter takes: an existing code only when it matches
        what was typed (the whole path, a name being typed, a typo of a name), otherwise
        `+ new code`. With a path, only an existing code at exactly that path counts.
        """
        options: list[Option] = []
        if self.top_level_option and not query.strip():
            options.append(
                Option(Text(say(self, "picker.top_level"), style="italic"), id=TOP_LEVEL)
            )
        parts = [" ".join(p.split()) for p in query.split("/")]
        is_path = len(parts) > 1
        leaf = parts[-1]
        parent_parts = [p for p in parts[:-1] if p]
        ranked = rank_codes(leaf if is_path else query, self.codes, self.paths, self.recent)
        if is_path and parent_parts:
            wanted = [name_key(p) for p in parent_parts]

            def under_parent(code: CodeNode) -> bool:
                above = [name_key(p) for p in self.paths[code.id].split("/")[:-1]]
                return above[-len(wanted) :] == wanted

            ranked.sort(key=lambda pair: not under_parent(pair[1]))  # stable: keeps the ranking
        exact_id: int | None = None
        best_id: int | None = None
        for score, code in ranked[:60]:
            options.append(Option(self._label(code, query), id=str(code.id)))
            path = self.paths[code.id]
            if is_path:
                typed = [name_key(p) for p in [*parent_parts, leaf]]
                if leaf and [name_key(p) for p in path.split("/")[-len(typed) :]] == typed:
                    exact_id = code.id if exact_id is None else exact_id
            elif default_process(code.name) == default_process(query) or same_name(
                code.name, query
            ):
                exact_id = code.id if exact_id is None else exact_id
            elif best_id is None and (
                score >= 150 or fuzz.ratio(default_process(query), default_process(code.name)) >= 85
            ):
                best_id = code.id  # a name or keyword being typed, or a typo of a name
        create = None
        name = " ".join(query.split())
        if self.allow_create and name and exact_id is None:
            category = next(
                (c for c in self.categories if not is_path and same_name(c.name, name)), None
            )
            if category is not None and category not in self.codes:
                shown = printable(category.name, newlines=False)
                options.insert(
                    0,
                    Option(
                        Text.assemble(
                            (say(self, "picker.category_is", name=shown), "italic"),
                            (say(self, "picker.category_hint", name=shown), "dim"),
                        ),
                        id="category-hint",
                        disabled=True,
                    ),
                )
            elif leaf:
                parent_path = "/".join(parent_parts)
                existing_parent = self._existing_path(parent_parts) if parent_parts else None
                value = "/".join(p for p in [existing_parent or parent_path, leaf] if p)
                label = Text.assemble(
                    (say(self, "picker.new_code"), "italic"),
                    (printable(leaf, newlines=False), "bold"),
                )
                if parent_parts:
                    label.append(
                        say(
                            self,
                            "picker.in",
                            parent=printable(existing_parent or parent_path, newlines=False),
                        ),
                        style="italic",
                    )
                    if existing_parent is None:
                        label.append(say(self, "picker.new_category"), style="dim italic")
                create = Option(label, id=CREATE)
                self._create_value = value
                if is_path or best_id is None:
                    options.insert(0, create)  # what was typed is new: enter creates it
                else:
                    options.append(create)
        option_list = self.query_one(OptionList)
        option_list.set_options(options)
        ids = [o.id for o in options]
        target = (
            str(exact_id)
            if exact_id is not None
            else CREATE
            if create is not None and ids and ids[0] == CREATE
            else str(best_id)
            if best_id is not None
            # nothing typed yet, or nothing to create: the first entry, as before
            else next((o.id for o in options if not o.disabled), None)
            if not name or not self.allow_create
            else None
        )
        if target is not None:
            option_list.highlighted = ids.index(target)

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
            self.dismiss(PickResult(create=self._create_value))
        elif option.id == TOP_LEVEL:
            self.dismiss(PickResult(top_level=True))
        else:
            self.dismiss(PickResult(code_id=int(option.id or 0)))

    def action_cancel(self) -> None:
        self.dismiss(None)


class TextPrompt(keymap.LocalizedBindings, ModalScreen[str | None]):
    """One line of text (a name, keywords, a colour, a file name, a memo)."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(
        self,
        title: str,
        value: str = "",
        *,
        placeholder: str = "",
        hint: str | None = None,
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
            yield Static(self.hint or say(self, "prompt.hint"), classes="dialog-hint")

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


class Confirm(keymap.LocalizedBindings, ModalScreen[bool]):
    """Yes/no before something destructive (still undoable, but better asked)."""

    BINDINGS = [
        Binding("y", "answer(True)", "Yes"),
        Binding("n,escape", "answer(False)", "No"),
    ]

    def __init__(
        self, title: str, message: str, *, yes: str | None = None, danger: bool = True
    ) -> None:
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
                yes = self.yes or say(self, "confirm.yes")
                yield Button(
                    say(self, "confirm.button", yes=yes),
                    variant="error" if self.danger else "primary",
                    id="yes",
                )
                yield Button(say(self, "confirm.cancel"), id="no")

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


class ImportDialog(keymap.LocalizedBindings, ModalScreen[ImportRequest | None]):
    """Import files (transcripts, texts) or a survey export (.csv/.xlsx with an id column)."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="import"):
            yield Label(say(self, "import.title"), id="dialog-title")
            yield Static(say(self, "import.files"), classes="field-label")
            yield Input(placeholder=say(self, "import.paths"), id="import-paths")
            yield Static(say(self, "import.transcripts"), classes="field-label")
            yield Input(placeholder=say(self, "import.case"), id="import-case")
            yield Input(placeholder=say(self, "import.attrs"), id="import-attrs")
            yield Static(say(self, "import.survey"), classes="field-label")
            yield Input(placeholder=say(self, "import.id_col"), id="import-id-col")
            yield Input(placeholder=say(self, "import.text_cols"), id="import-text-cols")
            yield Input(placeholder=say(self, "import.attr_cols"), id="import-attr-cols")
            yield Static("", id="prompt-error", classes="dialog-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button(say(self, "import.title"), variant="primary", id="import-go")
                yield Button(say(self, "common.cancel"), id="import-cancel")

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
            self.query_one("#prompt-error", Static).update(say(self, "import.need_path"))
            return
        attrs: dict[str, str] = {}
        for part in self._split(self._value("import-attrs")):
            key, sep, value = part.partition("=")
            if not sep or not key.strip():
                self.query_one("#prompt-error", Static).update(
                    say(self, "import.bad_attr", part=repr(part))
                )
                return
            attrs[key.strip()] = value.strip()
        id_col = self._value("import-id-col") or None
        text_cols = self._split(self._value("import-text-cols"))
        if id_col and not text_cols:
            self.query_one("#prompt-error", Static).update(say(self, "import.need_text_col"))
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
