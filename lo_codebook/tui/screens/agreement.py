"""Inter-coder agreement: pick two coders and a unit; kappa per code, alpha, the disagreements.

Numbers come from `agreement_service.compute_agreement` (the same as `lo-codebook agreement`),
computed in a thread worker. Enter on a disagreement opens that span in the document view;
c walks the disagreements into a consensus coding (`screens.consensus`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Label, Select, Static

from lo_codebook.core import queries
from lo_codebook.core.coding import coder_names
from lo_codebook.errors import UserError
from lo_codebook.safe_output import printable
from lo_codebook.tui import keymap
from lo_codebook.tui.messages import OpenSpan

if TYPE_CHECKING:
    from lo_codebook.tui.app import CodebookApp


def fmt(value: float | None, *, percent: bool = False) -> str:
    if value is None:
        return "—"
    return f"{value * 100:.0f}%" if percent else f"{value:.2f}"


class AgreementReady(Message):
    def __init__(self, report: Any, error: str | None = None) -> None:
        super().__init__()
        self.report = report
        self.error = error


class AgreementScreen(Screen[None]):
    """Two coders compared on the documents both coded."""

    BINDINGS = keymap.bindings(keymap.AGREEMENT)
    app: CodebookApp

    def __init__(self) -> None:
        super().__init__()
        self.report: Any = None
        self.rows: list[dict[str, Any]] = []
        self.document_ids: dict[str, int] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="agreement-controls"):
            yield Label("Coder A", classes="field-label")
            yield Select[str]([], prompt="coder", id="coder-a")
            yield Label("Coder B", classes="field-label")
            yield Select[str]([], prompt="coder", id="coder-b")
            yield Label("Unit", classes="field-label")
            yield Select(
                [("documents", "document"), ("segments (turns)", "segment")],
                value="document", allow_blank=False, id="agreement-unit",
            )
        yield Static("", id="agreement-summary")
        with Horizontal(id="agreement-body"):
            with Vertical(id="agreement-codes-box"):
                yield Label("Per code", classes="pane-title")
                yield DataTable(id="agreement-codes", zebra_stripes=True, cursor_type="row")
            with Vertical(id="agreement-diffs-box"):
                yield Label("Disagreements (enter opens the text)", classes="pane-title")
                yield DataTable(id="agreement-diffs", zebra_stripes=True, cursor_type="row")
        yield Footer(compact=True)

    def palette_targets(self) -> dict[str, Any]:
        return {keymap.AGREEMENT: self}

    def on_mount(self) -> None:
        with self.app.project.read() as session:
            names = coder_names(session)
            self.document_ids = {d.name: d.id for d in queries.document_summaries(session)}
        options = [(printable(name, newlines=False), name) for name in names]
        a, b = self.query_one("#coder-a", Select), self.query_one("#coder-b", Select)
        a.set_options(options)
        b.set_options(options)
        if len(names) >= 2:
            others = [n for n in names if n != self.app.project.coder_name]
            first = self.app.project.coder_name if self.app.project.coder_name in names else names[0]
            a.value = first
            b.value = others[0] if others[0] != first else others[1]
        else:
            self.query_one("#agreement-summary", Static).update(
                Text("Agreement needs codings of two coders on the same documents "
                     "(merge another coder's project with `lo-codebook merge-project`).", style="italic")
            )
        self.query_one("#agreement-codes", DataTable).focus()

    @on(Select.Changed)
    def _changed(self) -> None:
        self.recompute()

    def recompute(self) -> None:
        a = self.query_one("#coder-a", Select).value
        b = self.query_one("#coder-b", Select).value
        if a is Select.NULL or b is Select.NULL or a == b:
            return
        unit = self.query_one("#agreement-unit", Select).value
        self.query_one("#agreement-summary", Static).update(Text("computing…", style="dim"))
        self._compute((str(a), str(b)), str(unit))

    @work(thread=True, exclusive=True, group="agreement", exit_on_error=False)
    def _compute(self, coders: tuple[str, str], unit: str) -> None:
        from lo_codebook.core.agreement_service import compute_agreement

        try:
            report = compute_agreement(self.app.project, coders, unit=unit)
        except UserError as exc:
            self.post_message(AgreementReady(None, str(exc)))
            return
        self.post_message(AgreementReady(report))

    @on(AgreementReady)
    def _ready(self, message: AgreementReady) -> None:
        summary = self.query_one("#agreement-summary", Static)
        codes = self.query_one("#agreement-codes", DataTable)
        diffs = self.query_one("#agreement-diffs", DataTable)
        codes.clear(columns=True)
        diffs.clear(columns=True)
        if message.error:
            summary.update(Text(message.error, style="bold"))
            return
        report = self.report = message.report
        result = report.result
        a, b = report.coders
        text = Text()
        text.append(printable(f"A = {a}, B = {b} · ", newlines=False))
        text.append(f"Krippendorff's alpha, codes used {fmt(result.alpha)}", style="bold")
        if result.alpha_note:
            text.append(f" ({result.alpha_note})", style="dim")
        text.append(f" · all codes {fmt(result.alpha_all_codes)}")
        text.append(f" · mean kappa {fmt(result.mean_kappa)} · pooled kappa {fmt(result.pooled_kappa)}")
        text.append(f"\n{report.describe_unit()} (the documents both coded)", style="dim")
        if result.disagreements:
            text.append(" · c: resolve the disagreements into a consensus coding", style="dim")
        summary.update(text)
        # Explicit widths: the table looks the same however fast the rows arrive.
        name_width = min(max([len("Code"), *(len(n) for n in result.per_code)]), 40)
        for label, width in (
            ("Code", name_width), ("n", 3), ("both", 4), ("A only", 6), ("B only", 6), ("agree", 5), ("kappa", 5),
        ):
            codes.add_column(label, width=width)
        for name, ca in result.per_code.items():
            kappa = Text(fmt(ca.kappa), justify="right")
            if ca.kappa is not None and ca.kappa < 0.6:
                kappa.stylize("bold")
            codes.add_row(
                printable(name, newlines=False), str(ca.n), str(ca.both), str(ca.only_a), str(ca.only_b),
                Text(fmt(ca.agreement, percent=True), justify="right"), kappa,
                key=name,
            )
        self.rows = report.disagreements()
        widths = {
            "document": max([8, *(len(r["document"]) for r in self.rows)]),
            "where": max([5, *(len(f"{r.get('speaker') or ''} {r['start']}–{r['end']}".strip()) for r in self.rows)]),
            "code": max([4, *(len(r["code"]) for r in self.rows)]),
        }
        for label, width in (
            ("Document", min(widths["document"], 20)), ("Where", min(widths["where"], 28)),
            ("Code", min(widths["code"], 28)), ("Coded by", max(8, len(a), len(b))), ("Not by", max(6, len(a), len(b))),
        ):
            diffs.add_column(label, width=width)
        for i, row in enumerate(self.rows):
            where = f"{row['start']}–{row['end']}"
            if row.get("speaker"):
                where = f"{row['speaker']} {where}"
            cells = (row["document"], where, row["code"], row["coded_by"], row["not_by"])
            diffs.add_row(*(printable(str(c), newlines=False) for c in cells), key=str(i))

    @on(DataTable.RowSelected, "#agreement-diffs")
    def _open(self, event: DataTable.RowSelected) -> None:
        index = int(event.row_key.value or 0)
        if 0 <= index < len(self.rows):
            row = self.rows[index]
            document_id = self.document_ids.get(row["document"])
            if document_id is not None:
                self.app.post_message(OpenSpan(document_id, row["start"], row["end"]))

    def action_consensus(self) -> None:
        """Walk the disagreements of the two coders shown into a consensus coding."""
        from lo_codebook.tui.screens.consensus import ConsensusScreen

        a = self.query_one("#coder-a", Select).value
        b = self.query_one("#coder-b", Select).value
        if a is Select.NULL or b is Select.NULL or a == b:
            self.app.notify("choose two different coders first", severity="warning")
            return
        self.app.push_screen(ConsensusScreen((str(a), str(b))))

    def action_close(self) -> None:
        self.app.pop_screen()

    def project_changed(self, kinds: frozenset[str]) -> None:
        self.recompute()
