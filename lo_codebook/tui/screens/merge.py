"""Merge another codebook into this one, reviewing the near-duplicates first.

`merge.plan_codebook_merge` matches the SOURCE's codes (another project .db, a .qdc or a
.csv codebook) to this codebook; pairs scoring at least the automatic score are accepted,
pairs between the review floor and that score wait for the user (space toggles), the other
source codes will be added. `merge.apply_codebook_merge` carries out the accepted pairs in
one audited transaction and `merge.unmerge` (u) reverses the latest merge. Planning and
applying run in thread workers; errors of the core become notifications.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, DataTable, Footer, Header, Input, Label, Static

from lo_codebook.core.merge import (
    DEFAULT_AUTO_SCORE,
    DEFAULT_REVIEW_FLOOR,
    MatchPair,
    MergePlan,
    MergeReport,
)
from lo_codebook.errors import UserError
from lo_codebook.i18n import count as counted
from lo_codebook.i18n import format_number, merge_reason
from lo_codebook.safe_output import printable
from lo_codebook.tui import keymap
from lo_codebook.tui.messages import FAILED
from lo_codebook.tui.screens.main import CODEBOOK, CODINGS, EVERYTHING
from lo_codebook.tui.screens.modals import Confirm

if TYPE_CHECKING:
    from lo_codebook.tui.app import CodebookApp

ACCEPTED, LEFT_OUT, NEW = "[x]", "[ ]", " + "
SOURCE_WIDTH, TARGET_WIDTH = 22, 30


def _short(text: str, width: int) -> str:
    """One line of at most `width` visible characters (names come from other coders' files)."""
    text = printable(text, newlines=False)
    return text if len(text) <= width else text[: width - 1] + "…"


def _one_line(text: str) -> str:
    return printable(text, newlines=False)


def _score(value: float) -> str:
    return f"{value:.0f}"


class PlanReady(Message):
    def __init__(self, plan: MergePlan | None, error: str | None = None) -> None:
        super().__init__()
        self.plan = plan
        self.error = error


class MergeApplied(Message):
    def __init__(self, report: MergeReport | None, error: str | None = None) -> None:
        super().__init__()
        self.report = report
        self.error = error


class MergeScreen(Screen[None]):
    """Plan (enter in the source field), review (space), apply (ctrl+s), unmerge (u)."""

    BINDINGS = keymap.bindings(keymap.MERGE)
    app: CodebookApp

    def __init__(self, source: str | None = None) -> None:
        super().__init__()
        self.initial_source = source
        self.plan: MergePlan | None = None
        self.accepted: set[str] = set()  # source keys of the pairs to merge
        self.report: MergeReport | None = None
        self.applied = False
        self.busy = False
        self._unmerging = False
        self._why_width = 16

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="merge-controls"):
            yield Label(self.app.t("merge.source"), classes="field-label")
            yield Input(
                self.initial_source or "",
                placeholder=self.app.t("merge.source_placeholder"),
                id="merge-source",
            )
            yield Label(self.app.t("merge.from"), classes="field-label")
            yield Input(_score(DEFAULT_AUTO_SCORE), id="merge-auto", type="number")
            yield Label(self.app.t("merge.review_from"), classes="field-label")
            yield Input(_score(DEFAULT_REVIEW_FLOOR), id="merge-floor", type="number")
            yield Button(self.app.t("merge.plan"), id="merge-plan", variant="primary")
        yield Static("", id="merge-summary")
        with Horizontal(id="merge-body"):
            yield DataTable(id="merge-table", zebra_stripes=True, cursor_type="row")
            with VerticalScroll(id="merge-side"):
                yield Static("", id="merge-detail")
                yield Static("", id="merge-report")
        yield Footer(compact=True)

    def palette_targets(self) -> dict[str, Any]:
        return {keymap.MERGE: self}

    @property
    def table(self) -> DataTable:
        return self.query_one("#merge-table", DataTable)

    def on_mount(self) -> None:
        self._summary(Text(self.app.t("merge.intro"), style="italic"))
        if self.initial_source:
            self.action_plan()
        else:
            self.query_one("#merge-source", Input).focus()

    # planning -------------------------------------------------------------------------------
    def _scores(self) -> tuple[float, float] | None:
        values = []
        for widget_id, default in (
            ("merge-auto", DEFAULT_AUTO_SCORE),
            ("merge-floor", DEFAULT_REVIEW_FLOOR),
        ):
            raw = self.query_one(f"#{widget_id}", Input).value.strip()
            try:
                values.append(float(raw) if raw else default)
            except ValueError:
                self.app.notify(self.app.t("merge.bad_scores"), severity="warning")
                return None
        return values[0], values[1]

    @on(Input.Submitted, "#merge-source")
    @on(Input.Submitted, "#merge-auto")
    @on(Input.Submitted, "#merge-floor")
    @on(Button.Pressed, "#merge-plan")
    def action_plan(self) -> None:
        raw = self.query_one("#merge-source", Input).value.strip()
        if not raw:
            self.app.notify(self.app.t("merge.type_source"), severity="warning")
            self.query_one("#merge-source", Input).focus()
            return
        scores = self._scores()
        if scores is None:
            return
        source = str(Path(raw).expanduser()) if raw.startswith("~") else raw
        self.table.loading = True
        self._summary(Text(self.app.t("merge.matching", source=raw), style="dim"))
        self._plan(source, *scores)

    @work(thread=True, exclusive=True, group="merge-plan", exit_on_error=False)
    def _plan(self, source: str, auto_score: float, review_floor: float) -> None:
        from lo_codebook.core.merge import plan_codebook_merge

        try:
            plan = plan_codebook_merge(
                self.app.project, source, auto_score=auto_score, review_floor=review_floor
            )
        except UserError as exc:
            self.post_message(PlanReady(None, str(exc)))
            return
        except Exception as exc:  # noqa: BLE001 - a bug must not take the session down
            self.post_message(PlanReady(None, f"{type(exc).__name__}: {exc}"))
            raise
        self.post_message(PlanReady(plan))

    @on(PlanReady)
    def _plan_ready(self, message: PlanReady) -> None:
        self.table.loading = False
        if message.plan is None:
            failed = self.app.t("merge.planning_failed")
            self.app.notify(
                message.error or failed,
                title=self.app.t("merge.title"),
                severity="error",
                timeout=10,
                markup=False,
            )
            self._summary(Text(message.error or failed, style="bold"))
            return
        self.plan = message.plan
        self.accepted = {p.source_key for p in self.plan.auto_pairs}
        self.report = None
        self.applied = False
        self.query_one("#merge-report", Static).update("")
        self.show_plan()
        self.table.focus()

    # showing --------------------------------------------------------------------------------
    def rows(self) -> list[tuple[str, MatchPair | None]]:
        """Review pairs first (they need you), then the automatic ones, then new codes."""
        plan = self.plan
        if plan is None:
            return []
        return (
            [(p.source_key, p) for p in plan.review_pairs]
            + [(p.source_key, p) for p in plan.auto_pairs]
            + [(c.key, None) for c in plan.unmatched]
        )

    def show_plan(self) -> None:
        table = self.table
        keep = table.cursor_row if table.row_count else 0
        table.clear(columns=True)
        # (the table's own size is not known while it is covered by the loading indicator)
        body = (
            self.query_one("#merge-body").size.width
            - self.query_one("#merge-side").outer_size.width
        )
        why_width = self._why_width = max(
            16, (body or 110) - (3 + SOURCE_WIDTH + TARGET_WIDTH + 5 + 6) - 12 - 2
        )
        table.add_column("", key="accept", width=3)
        table.add_column(self.app.t("merge.col.source"), key="source", width=SOURCE_WIDTH)
        table.add_column(self.app.t("merge.col.target"), key="target", width=TARGET_WIDTH)
        table.add_column(self.app.t("merge.col.score"), key="score", width=5)
        table.add_column(self.app.t("merge.col.kind"), key="kind", width=6)
        table.add_column(self.app.t("merge.col.why"), key="why", width=why_width)
        for key, pair in self.rows():
            table.add_row(*self._cells(key, pair, why_width), key=key)
        if table.row_count:
            table.move_cursor(row=min(keep, table.row_count - 1))
        self._show_summary()
        self._show_detail()

    def _cells(self, key: str, pair: MatchPair | None, why_width: int) -> list[Any]:
        if pair is None:
            return [
                Text(NEW, style="dim"),
                Text(_short(key, SOURCE_WIDTH)),
                Text(self.app.t("merge.new_code"), style="dim italic"),
                "",
                Text("—", style="dim"),
                Text(self.app.t("merge.no_similar_short"), style="dim"),
            ]
        accepted = key in self.accepted
        mark = Text(ACCEPTED if accepted else LEFT_OUT, style="bold" if accepted else "dim")
        target = Text(
            _short(pair.target_path, TARGET_WIDTH), style="" if accepted else "dim strike"
        )
        kind = Text(
            self.app.t("merge.auto" if pair.auto else "merge.review"),
            style="" if pair.auto else "bold",
        )
        return [
            mark,
            Text(_short(key, SOURCE_WIDTH)),
            target,
            Text(_score(pair.score), justify="right"),
            kind,
            Text(
                _short(", ".join(self._reasons(pair)), why_width), style="dim" if pair.auto else ""
            ),
        ]

    def _reasons(self, pair: MatchPair) -> list[str]:
        return [merge_reason(reason, self.app.lang) for reason in pair.reasons]

    def _refresh_row(self, key: str) -> None:
        plan = self.plan
        if plan is None:
            return
        pair = plan.pair_for(key)
        cells = self._cells(key, pair, self._why_width)
        for column, value in zip(
            ("accept", "source", "target", "score", "kind", "why"), cells, strict=True
        ):
            self.table.update_cell(key, column, value)

    def _show_summary(self) -> None:
        plan = self.plan
        if plan is None:
            return
        merging = sum(1 for p in plan.pairs if p.source_key in self.accepted)
        adding = len(plan.codes) - merging
        text = Text()
        lang = self.app.lang
        text.append(
            _one_line(
                f"{plan.source} ({plan.source_kind}, {counted(len(plan.codes), 'code', lang, thousands=False)})"
            ),
            style="bold",
        )
        text.append(
            self.app.t(
                "merge.summary_counts",
                auto=len(plan.auto_pairs),
                auto_score=_score(plan.auto_score),
                review=len(plan.review_pairs),
                floor=_score(plan.review_floor),
                unmatched=len(plan.unmatched),
            )
        )
        codes_word = counted(adding, "code", lang).split(" ", 1)[1]
        text.append(
            self.app.t("merge.apply_line", merging=merging, adding=adding, codes=codes_word),
            style="bold",
        )
        if plan.source_codings:
            codings = counted(plan.source_codings, "coding", lang, thousands=False)
            text.append(
                self.app.t(
                    "merge.follow_one" if plan.source_codings == 1 else "merge.follow_many",
                    codings=codings,
                )
            )
        if self.applied:
            text.append(self.app.t("merge.applied"), style="bold reverse")
        else:
            text.append(self.app.t("merge.keys"), style="dim")
        self._summary(text)

    def _summary(self, text: Text) -> None:
        self.query_one("#merge-summary", Static).update(text)

    def highlighted(self) -> tuple[str, MatchPair | None] | None:
        rows = self.rows()
        row = self.table.cursor_row
        if not rows or not 0 <= row < len(rows):
            return None
        return rows[row]

    def _show_detail(self) -> None:
        detail = self.query_one("#merge-detail", Static)
        plan, current = self.plan, self.highlighted()
        if plan is None or current is None:
            detail.update("")
            return
        key, pair = current
        code = next((c for c in plan.codes if c.key == key), None)
        text = Text()
        text.append(_one_line(key), style="bold")
        text.append(self.app.t("merge.from_source", source=_one_line(plan.source)), style="dim")
        if code is not None:
            if code.description:
                text.append(printable(code.description) + "\n", style="italic")
            if code.keywords:
                text.append(self.app.t("merge.keywords"), style="dim")
                text.append(_one_line("; ".join(code.keywords)) + "\n")
        text.append("\n")
        if pair is None:
            parent = (
                self.app.t("merge.under", parent=_one_line(code.parent_key))
                if code is not None and code.parent_key
                else self.app.t("merge.top")
            )
            text.append(self.app.t("merge.no_similar", where=parent))
        else:
            verb = self.app.t("merge.merges_into" if key in self.accepted else "merge.left_out_of")
            text.append(f"{verb} ")
            text.append(_one_line(pair.target_path), style="bold")
            how = self.app.t("merge.automatic" if pair.auto else "merge.to_review")
            text.append(
                self.app.t(
                    "merge.score_line", score=format_number(pair.score, self.app.lang, 1), how=how
                ),
                style="dim",
            )
            for reason in self._reasons(pair):
                text.append(f"· {_one_line(reason)}\n", style="dim")
            if key in self.accepted:
                text.append(self.app.t("merge.becomes_keywords"), style="dim")
            else:
                text.append(self.app.t("merge.left_out"), style="dim")
        detail.update(text)

    def _show_report(self, report: MergeReport | None) -> None:
        widget = self.query_one("#merge-report", Static)
        if report is None:
            widget.update("")
            return
        text = Text()
        text.append(self.app.t("merge.done"), style="bold")
        text.append(_one_line(report.summary(self.app.lang)) + "\n")
        for source, target in report.codes_merged:
            text.append(
                _one_line(self.app.t("merge.merged_line", source=source, target=target)) + "\n"
            )
        for path in report.codes_added:
            text.append(_one_line(self.app.t("merge.added_line", path=path)) + "\n")
        text.append(self.app.t("merge.reverses"), style="dim")
        widget.update(text)

    @on(DataTable.RowHighlighted, "#merge-table")
    def _row_highlighted(self) -> None:
        self._show_detail()

    @on(DataTable.RowSelected, "#merge-table")
    def _row_selected(self) -> None:
        self.action_toggle_pair()

    # actions --------------------------------------------------------------------------------
    def _editable(self) -> bool:
        if self.plan is None:
            self.app.notify(self.app.t("merge.plan_first"), severity="warning")
            return False
        if self.applied:
            self.app.notify(self.app.t("merge.is_applied"), severity="warning")
            return False
        return True

    def action_toggle_pair(self) -> None:
        current = self.highlighted()
        if current is None or not self._editable():
            return
        key, pair = current
        if pair is None:
            self.app.notify(
                self.app.t("merge.no_similar_warn", code=repr(key)),
                severity="warning",
                markup=False,
            )
            return
        if key in self.accepted:
            self.accepted.discard(key)
        else:
            self.accepted.add(key)
        self._refresh_row(key)
        self._show_summary()
        self._show_detail()

    def action_accept_all(self) -> None:
        if not self._editable() or self.plan is None:
            return
        self.accepted = {p.source_key for p in self.plan.pairs}
        self.show_plan()

    def action_apply(self) -> None:
        plan = self.plan
        if not self._editable() or plan is None or self.busy:
            return
        pairs = [p for p in plan.pairs if p.source_key in self.accepted]
        adding = len(plan.codes) - len(pairs)
        lang = self.app.lang
        message = self.app.t(
            "merge.confirm",
            codes=counted(len(pairs), "code", lang, thousands=False),
            source=plan.source,
            new_codes=counted(adding, "new_code", lang, thousands=False),
        )
        if plan.source_codings:
            message += self.app.t(
                "merge.confirm_follow_one"
                if plan.source_codings == 1
                else "merge.confirm_follow_many",
                codings=counted(plan.source_codings, "coding", lang, thousands=False),
            )
        message += self.app.t("merge.confirm_undo")

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.busy = True
                self.table.loading = True
                self._apply(plan, pairs)

        self.app.push_screen(
            Confirm(
                self.app.t("merge.confirm_title"),
                message,
                yes=self.app.t("merge.yes"),
                danger=False,
            ),
            confirmed,
        )

    @work(thread=True, exclusive=True, group="merge-apply", exit_on_error=False)
    def _apply(self, plan: MergePlan, pairs: list[MatchPair]) -> None:
        from lo_codebook.core.merge import apply_codebook_merge

        try:
            report = apply_codebook_merge(self.app.project, plan, pairs)
        except UserError as exc:
            self.post_message(MergeApplied(None, str(exc)))
            return
        except Exception as exc:  # noqa: BLE001
            self.post_message(MergeApplied(None, f"{type(exc).__name__}: {exc}"))
            raise
        self.post_message(MergeApplied(report))

    @on(MergeApplied)
    def _applied(self, message: MergeApplied) -> None:
        self.busy = False
        self.table.loading = False
        self.call_after_refresh(self.table.focus)  # a loading table lost the focus
        if message.report is None:
            self.app.notify(
                message.error or self.app.t("merge.failed"),
                title=self.app.t("merge.title"),
                severity="error",
                timeout=10,
                markup=False,
            )
            return
        self.report = message.report
        self.applied = True
        self.app.notify(
            message.report.summary(self.app.lang),
            title=self.app.t("merge.title"),
            timeout=8,
            markup=False,
        )
        self.app.project_changed(frozenset({CODEBOOK, CODINGS}))
        self._show_summary()
        self._show_report(message.report)

    def action_unmerge(self) -> None:
        from lo_codebook.core import merge

        def confirmed(yes: bool | None) -> None:
            if not yes:
                return
            self._unmerging = True
            try:
                description = self.app.run_core(merge.unmerge, self.app.project, changed=EVERYTHING)
            finally:
                self._unmerging = False
            if description is FAILED:
                return
            self.app.notify(description, timeout=6, markup=False)
            self.applied = False
            self.report = None
            self._show_report(None)
            if self.plan is not None:
                self.show_plan()

        self.app.push_screen(
            Confirm(
                self.app.t("merge.unmerge_title"),
                self.app.t("merge.unmerge_message"),
                yes=self.app.t("merge.unmerge_yes"),
            ),
            confirmed,
        )

    def action_focus_source(self) -> None:
        self.query_one("#merge-source", Input).focus()

    def action_close(self) -> None:
        self.app.pop_screen()

    def project_changed(self, kinds: frozenset[str]) -> None:
        """Undo/redo (ctrl+z, ctrl+y) may have reversed the applied merge: plan again."""
        if self.plan is None or self.busy or self._unmerging or kinds != EVERYTHING:
            return
        if self.applied:
            self.app.notify(self.app.t("merge.replanning"), timeout=4)
            self.applied = False
            self.report = None
            self._show_report(None)
            self.action_plan()


__all__ = ["MergeScreen"]
