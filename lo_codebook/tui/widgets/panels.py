"""Small display widgets: the documents list, the work/progress bar, the recent-codes strip."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Label, OptionList, ProgressBar, Static
from textual.widgets.option_list import Option

from lo_codebook.core.queries import CodeNode, DocumentSummary
from lo_codebook.i18n import format_int, t
from lo_codebook.safe_output import printable
from lo_codebook.tui import keymap
from lo_codebook.tui.widgets.document_view import _color

DETAIL_WIDTH = 28


def document_prompt(doc: DocumentSummary, width: int = DETAIL_WIDTH, lang: str = "en") -> Text:
    """Two lines: the name; then counts, and case and length when they fit on the line."""
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append(printable(doc.name, newlines=False), style="bold")
    text.append("\n")
    parts: list[tuple[str, str]] = [(t("main.coded", lang, n=doc.codings), "dim")]
    if doc.pending:
        parts.append((t("main.pending", lang, n=doc.pending), "italic"))
    optional = []
    if doc.case and doc.case.lower() not in doc.name.lower():
        optional.append((printable(doc.case, newlines=False), "dim"))
    optional.append((t("main.words_short", lang, n=format_int(doc.words, lang)), "dim"))
    for part in optional:
        if sum(len(p) + 3 for p, _ in parts) + len(part[0]) <= width:
            parts.append(part)
    for i, (part, style) in enumerate(parts):
        if i:
            text.append(" · ", style="dim")
        text.append(part, style=style)
    return text


class DocumentList(OptionList):
    """Documents with their coding and pending-suggestion counts; enter opens one."""

    BINDINGS = keymap.bindings(keymap.DOCUMENTS)

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.documents: list[DocumentSummary] = []

    def set_documents(self, documents: Sequence[DocumentSummary], *, keep: int | None = None) -> None:
        """Show `documents`; when the list is the same, only changed counts are redrawn."""
        old = self.documents
        self.documents = list(documents)
        if [d.id for d in old] == [d.id for d in documents]:
            for before, after in zip(old, documents, strict=True):
                if before != after:
                    self.replace_option_prompt(str(after.id), document_prompt(after, lang=getattr(self.app, "lang", "en")))
            return
        self.set_options(Option(document_prompt(d, lang=getattr(self.app, "lang", "en")), id=str(d.id)) for d in documents)
        if keep is not None:
            for index, doc in enumerate(self.documents):
                if doc.id == keep:
                    self.highlighted = index
                    break


class RecentCodes(Static):
    """`1 Leiderschap  2 Digitalisering ...`: what the number keys do right now."""

    def show(self, recent: Sequence[int], codes: dict[int, CodeNode]) -> None:
        text = Text(no_wrap=True, overflow="ellipsis")
        shown = [code_id for code_id in recent if code_id in codes][:9]
        if not shown:
            text.append(t("main.recent_hint", getattr(self.app, "lang", "en")), style="dim")
        for n, code_id in enumerate(shown, 1):
            code = codes[code_id]
            text.append(f" {n} ", style="reverse bold")
            text.append(" ● ", style=_color(code.color).name)
            text.append(printable(code.name, newlines=False) + "  ")
        self.update(text, layout=False)


class WorkStatus(Horizontal):
    """Shown while a worker runs: what it does and how far it is."""

    def compose(self) -> ComposeResult:
        yield Label("", id="work-label")
        yield ProgressBar(id="work-progress", show_eta=False)

    def start(self, label: str) -> None:
        self.query_one("#work-label", Label).update(label)
        self.query_one(ProgressBar).update(total=None, progress=0)
        self.add_class("-busy")

    def advance(self, label: str, done: int, total: int) -> None:
        self.query_one("#work-label", Label).update(label)
        self.query_one(ProgressBar).update(total=max(total, 1), progress=done)

    def stop(self) -> None:
        self.remove_class("-busy")
