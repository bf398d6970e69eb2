"""Inter-coder agreement: pick two coders and a unit; kappa per code, alpha, the disagreements.

Numbers come from `agreement_service.compute_agreement` (the same as `lo-codebook agreement`),
computed in a thread worker. Enter on a disagreement opens that span in the document view;
c walks the disagreements into a consensus coding (`screens.consensus`).
"""

from __future__ import annotations

from functools import partial
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Footer, Header, Label, Select, Static

from lo_codebook.analysis.labels import note_text
from lo_codebook.core import queries
from lo_codebook.core.coding import coder_names
from lo_codebook.i18n import format_number, format_share
from lo_codebook.safe_output import printable
from lo_codebook.tui import keymap
from lo_codebook.tui.messages import OpenSpan
from lo_codebook.tui.screens.base import CodebookScreen


def fmt(value: float | None, *, percent: bool = False, lang: str = "en") -> str:
    """A kappa (0.73 / 0,73) or a share (82%), with the language's decimal mark; — for none."""
    if value is None:
        return "—"
    return format_share(value, lang, 0) if percent else format_number(value, lang)


class AgreementScreen(CodebookScreen):
    """Two coders compared on the documents both coded."""

    SCOPE = keymap.AGREEMENT

    def __init__(self) -> None:
        super().__init__()
        self.report: Any = None
        self.rows: list[dict[str, Any]] = []
        self.document_ids: dict[str, int] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="agreement-controls"):
            yield Label(self.app.t("agree.coder_a"), classes="field-label")
            yield Select[str]([], prompt=self.app.t("agree.coder"), id="coder-a")
            yield Label(self.app.t("agree.coder_b"), classes="field-label")
            yield Select[str]([], prompt=self.app.t("agree.coder"), id="coder-b")
            yield Label(self.app.t("agree.unit"), classes="field-label")
            yield Select(
                [
                    (self.app.t("agree.unit_documents"), "document"),
                    (self.app.t("agree.unit_segments"), "segment"),
                ],
                value="document",
                allow_blank=False,
                id="agreement-unit",
            )
        yield Static("", id="agreement-summary")
        with Horizontal(id="agreement-body"):
            with Vertical(id="agreement-codes-box"):
                yield Label(self.app.t("agree.per_code"), classes="pane-title")
                yield DataTable(id="agreement-codes", zebra_stripes=True, cursor_type="row")
            with Vertical(id="agreement-diffs-box"):
                yield Label(self.app.t("agree.disagreements"), classes="pane-title")
                yield DataTable(id="agreement-diffs", zebra_stripes=True, cursor_type="row")
        yield Footer(compact=True)

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
            first = (
                self.app.project.coder_name if self.app.project.coder_name in names else names[0]
            )
            a.value = first
            b.value = others[0] if others[0] != first else others[1]
        else:
            self.query_one("#agreement-summary", Static).update(
                Text(self.app.t("agree.needs_two"), style="italic")
            )
        self.query_one("#agreement-codes", DataTable).focus()

    @on(Select.Changed)
    def _changed(self) -> None:
        self.recompute()

    def recompute(self) -> None:
        from lo_codebook.core.agreement_service import compute_agreement

        a = self.query_one("#coder-a", Select).value
        b = self.query_one("#coder-b", Select).value
        if a is Select.NULL or b is Select.NULL or a == b:
            return
        unit = self.query_one("#agreement-unit", Select).value
        self.query_one("#agreement-summary", Static).update(
            Text(self.app.t("agree.computing"), style="dim")
        )
        job = partial(compute_agreement, self.app.project, (str(a), str(b)), unit=str(unit))
        self.app.run_core_worker(
            self, job, group="agreement", done=self._show_report, failed=self._show_error
        )

    def _clear_tables(self) -> None:
        self.query_one("#agreement-codes", DataTable).clear(columns=True)
        self.query_one("#agreement-diffs", DataTable).clear(columns=True)

    def _show_error(self, error: str) -> None:
        self._clear_tables()
        self.query_one("#agreement-summary", Static).update(Text(error, style="bold"))

    def _show_report(self, report: Any) -> None:
        self._clear_tables()
        summary = self.query_one("#agreement-summary", Static)
        codes = self.query_one("#agreement-codes", DataTable)
        diffs = self.query_one("#agreement-diffs", DataTable)
        self.report = report
        result = report.result
        a, b = report.coders
        lang = self.app.lang
        text = Text()
        text.append(printable(f"A = {a}, B = {b} · ", newlines=False))
        text.append(self.app.t("agree.alpha", alpha=fmt(result.alpha, lang=lang)), style="bold")
        if result.alpha_note:
            text.append(f" ({note_text(result.alpha_note, lang)})", style="dim")
        text.append(self.app.t("agree.all_codes", alpha=fmt(result.alpha_all_codes, lang=lang)))
        text.append(
            self.app.t(
                "agree.kappas",
                mean=fmt(result.mean_kappa, lang=lang),
                pooled=fmt(result.pooled_kappa, lang=lang),
            )
        )
        text.append(self.app.t("agree.both_coded", unit=report.describe_unit(lang)), style="dim")
        if result.disagreements:
            text.append(self.app.t("agree.resolve"), style="dim")
        summary.update(text)
        # Explicit widths: the table looks the same however fast the rows arrive.
        code_title = self.app.t("agree.col.code")
        name_width = min(max([len(code_title), *(len(n) for n in result.per_code)]), 40)
        for label, width in (
            (code_title, name_width),
            ("n", 3),
            (self.app.t("agree.col.both"), 4),
            (self.app.t("agree.col.a_only"), 6),
            (self.app.t("agree.col.b_only"), 6),
            (self.app.t("agree.col.agree"), 5),
            ("kappa", 5),
        ):
            codes.add_column(label, width=max(width, len(label)))
        for name, ca in result.per_code.items():
            kappa = Text(fmt(ca.kappa, lang=lang), justify="right")
            if ca.kappa is not None and ca.kappa < 0.6:
                kappa.stylize("bold")
            codes.add_row(
                printable(name, newlines=False),
                str(ca.n),
                str(ca.both),
                str(ca.only_a),
                str(ca.only_b),
                Text(fmt(ca.agreement, percent=True, lang=lang), justify="right"),
                kappa,
                key=name,
            )
        self.rows = report.disagreements()
        widths = {
            "document": max([8, *(len(r["document"]) for r in self.rows)]),
            "where": max(
                [
                    5,
                    *(
                        len(f"{r.get('speaker') or ''} {r['start']}–{r['end']}".strip())
                        for r in self.rows
                    ),
                ]
            ),
            "code": max([4, *(len(r["code"]) for r in self.rows)]),
        }
        for label, width in (
            (self.app.t("agree.col.document"), min(widths["document"], 20)),
            (self.app.t("agree.col.where"), min(widths["where"], 28)),
            (code_title, min(widths["code"], 28)),
            (self.app.t("agree.col.coded_by"), max(8, len(a), len(b))),
            (self.app.t("agree.col.not_by"), max(6, len(a), len(b))),
        ):
            diffs.add_column(label, width=max(width, len(label)))
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
            self.app.notify(self.app.t("agree.choose_two"), severity="warning")
            return
        self.app.push_screen(ConsensusScreen((str(a), str(b))))

    def action_close(self) -> None:
        self.app.pop_screen()

    def project_changed(self, kinds: frozenset[str]) -> None:
        self.recompute()
