"""Consensus walk: every disagreement of two coders, with both codings and the text; decide by key.

Opened from the agreement screen (c). The plan and the store are `core.consensus` (the same
as `lo-codebook consensus`): a (unit, code) both coders applied carries over, each
disagreement gets a, b, 2 (both) or 0 (neither), ctrl+s stores the result as its own
coder in one action that ctrl+z undoes.
"""

from __future__ import annotations

import dataclasses
from functools import partial

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Footer, Header, Input, Label, Select, Static

from lo_codebook.core import consensus
from lo_codebook.tui import keymap
from lo_codebook.tui.changes import CODINGS
from lo_codebook.tui.messages import FAILED
from lo_codebook.tui.screens.base import CodebookScreen
from lo_codebook.tui.screens.modals import Confirm

CONTEXT = 300  # characters shown around the coded spans of a long unit
QUOTE = 90


def _quote(text: str) -> str:
    text = " ".join(text.split())
    return f"«{text if len(text) <= QUOTE else text[: QUOTE - 1] + '…'}»"


class ConsensusScreen(CodebookScreen):
    """a A's version · b B's version · 2 both · 0 neither · p back · ctrl+s store."""

    SCOPE = keymap.CONSENSUS

    def __init__(
        self,
        coders: tuple[str, str],
        *,
        unit: str = consensus.DEFAULT_UNIT,
        name: str = consensus.DEFAULT_NAME,
    ) -> None:
        super().__init__()
        self.coders = coders
        self.unit = unit
        self.initial_name = name
        self.plan: consensus.ConsensusPlan | None = None
        self.decisions: dict[consensus.ItemKey, str] = {}
        self.index = 0

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="consensus-controls"):
            yield Label(self.app.t("cons.store_as"), classes="field-label")
            yield Input(self.initial_name, id="consensus-name")
            yield Label(self.app.t("agree.unit"), classes="field-label")
            yield Select(
                [
                    (self.app.t("cons.unit_segments"), "segment"),
                    (self.app.t("agree.unit_documents"), "document"),
                ],
                value=self.unit,
                allow_blank=False,
                id="consensus-unit",
            )
            yield Static("", id="consensus-progress")
        with VerticalScroll(id="consensus-card"):
            yield Static("", id="consensus-meta")
            yield Static("", id="consensus-sides")
            yield Static("", id="consensus-text")
            yield Static("", id="consensus-choice")
        yield Static(self.app.t("cons.keys"), id="consensus-keys", classes="dialog-hint")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#consensus-card").focus()
        self.load()

    # loading -----------------------------------------------------------------------------------
    def load(self) -> None:
        self.query_one("#consensus-meta", Static).update(
            Text(self.app.t("cons.reading"), style="dim")
        )
        job = partial(consensus.plan_consensus, self.app.project, self.coders, unit=self.unit)
        self.app.run_core_worker(
            self, job, group="consensus", done=self._planned, failed=self._not_planned
        )

    def _not_planned(self, error: str) -> None:
        self.plan = None
        self.query_one("#consensus-meta", Static).update(
            Text(error or self.app.t("cons.nothing"), style="bold")
        )

    def _planned(self, plan: consensus.ConsensusPlan) -> None:
        self.plan = plan
        self.decisions = {}
        self.index = 0
        self.show()

    @on(Select.Changed, "#consensus-unit")
    def _unit_changed(self, event: Select.Changed) -> None:
        if event.value == self.unit or event.value is Select.NULL:
            return
        if self.decisions:
            self.app.notify(
                self.app.t("cons.dropped_decisions", n=len(self.decisions)), severity="warning"
            )
        self.unit = str(event.value)
        self.load()

    # showing -----------------------------------------------------------------------------------
    @property
    def items(self) -> list[consensus.ConsensusItem]:
        return self.plan.disagreements if self.plan is not None else []

    @property
    def current(self) -> consensus.ConsensusItem | None:
        return self.items[self.index] if 0 <= self.index < len(self.items) else None

    def counts(self) -> tuple[int, int, int]:
        """(decided, kept, dropped) of the disagreements."""
        kept = dropped = 0
        for item in self.items:
            choice = self.decisions.get(item.key)
            if choice is not None:
                if item.keeps(choice):
                    kept += 1
                else:
                    dropped += 1
        return kept + dropped, kept, dropped

    def show(self) -> None:
        plan = self.plan
        if plan is None:
            return
        a, b = plan.coders
        decided, kept, dropped = self.counts()
        total = len(self.items)
        progress = Text()
        progress.append(
            self.app.t("main.of", n=min(self.index + 1, total) if total else 0, total=total),
            style="bold",
        )
        progress.append(
            self.app.t(
                "cons.progress",
                decided=decided,
                kept=kept,
                dropped=dropped,
                agreed=len(plan.agreed),
                a=a,
                b=b,
            ),
            style="dim",
        )
        self.query_one("#consensus-progress", Static).update(progress)
        meta = self.query_one("#consensus-meta", Static)
        sides = self.query_one("#consensus-sides", Static)
        body = self.query_one("#consensus-text", Static)
        choice_line = self.query_one("#consensus-choice", Static)
        item = self.current
        if item is None:
            undecided = total - decided
            done = Text()
            if total:
                done.append(
                    self.app.t(
                        "cons.all_seen", total=total, decided=decided, kept=kept, dropped=dropped
                    ),
                    style="bold",
                )
                if undecided:
                    done.append(self.app.t("cons.undecided", n=undecided), style="bold")
                done.append(".")
            else:
                done.append(self.app.t("cons.agree_all", a=a, b=b), style="bold")
            meta.update(done)
            sides.update(
                self.app.t(
                    "cons.store_hint",
                    name=repr(self.target_name()),
                    agreed=len(plan.agreed),
                    units=plan.n_units,
                    unit=plan.unit,
                    documents=len(plan.documents),
                )
            )
            body.update("")
            choice_line.update("")
            return
        title = Text()
        title.append(item.info.document, style="bold")
        where = f"{item.info.start}–{item.info.end}"
        if plan.unit == "segment":
            speaker = f"{item.info.speaker} " if item.info.speaker else ""
            title.append(f"  {speaker}{where}", style="dim")
        title.append("\n")
        title.append(f" {item.code} ", style="reverse bold")
        coder_name = plan.coders[item.coded_by]
        other = plan.coders[1 - item.coded_by]
        title.append(self.app.t("cons.coded_by", coder=coder_name, other=other), style="dim")
        meta.update(title)
        text = plan.texts[item.document_id]
        lines = Text()
        for index, name in enumerate(plan.coders):
            letter = "A" if index == 0 else "B"
            lines.append(("\n" if index else "") + f"{letter} {name}: ", style="bold")
            spans = item.spans[index]
            if spans:
                lines.append(
                    self.app.t("cons.coded") + ", ".join(_quote(text[s:e]) for s, e in spans)
                )
            else:
                lines.append(self.app.t("cons.not_here"), style="italic")
        agreed = [other.code for other in plan.agreed if other.unit == item.unit]
        if agreed:
            lines.append(self.app.t("cons.both_here", codes=", ".join(agreed)), style="dim")
        sides.update(lines)
        body.update(self.unit_text(item))
        choice = self.decisions.get(item.key)
        line = Text(self.app.t("cons.decision"), style="dim")
        if choice is None:
            line.append(self.app.t("cons.undecided_word"), style="italic")
        else:
            line.append(f"{self.choice_name(choice)} → ", style="bold")
            line.append(
                self.app.t("cons.keep" if item.keeps(choice) else "cons.leave_out"), style="bold"
            )
        choice_line.update(line)

    def unit_text(self, item: consensus.ConsensusItem) -> Text:
        """The unit's text (a window around the spans when long), coded spans highlighted."""
        assert self.plan is not None
        text = self.plan.texts[item.document_id]
        start, end = item.info.start, item.info.end
        spans = [*item.spans[0], *item.spans[1]]
        if spans and end - start > 4 * CONTEXT:
            start = max(start, min(s for s, _ in spans) - CONTEXT)
            end = min(end, max(e for _, e in spans) + CONTEXT)
        shown = Text()
        if start > item.info.start:
            shown.append("…")
        offset = len(shown) - start
        shown.append(text[start:end])
        if end < item.info.end:
            shown.append("…")
        for s, e in spans:
            shown.stylize("reverse bold", max(s, start) + offset, max(min(e, end), start) + offset)
        return shown

    def choice_name(self, choice: str) -> str:
        assert self.plan is not None
        if choice in (consensus.TAKE_A, consensus.TAKE_B):
            return self.app.t("cons.version", name=self.plan.choice_label(choice))
        return (
            self.app.t(f"cons.choice.{choice}")
            if choice in (consensus.BOTH, consensus.NEITHER)
            else choice
        )

    def target_name(self) -> str:
        return self.query_one("#consensus-name", Input).value.strip() or consensus.DEFAULT_NAME

    # deciding ----------------------------------------------------------------------------------
    def action_choose(self, choice: str) -> None:
        item = self.current
        if item is None:
            return
        self.decisions[item.key] = choice
        self._advance()

    def _advance(self) -> None:
        """To the next undecided disagreement after this one (or the end)."""
        for index in range(self.index + 1, len(self.items)):
            if self.items[index].key not in self.decisions:
                self.index = index
                self.show()
                return
        self.index = len(self.items)
        self.show()

    def action_next(self) -> None:
        if self.index < len(self.items):
            self.index += 1
            self.show()

    def action_previous(self) -> None:
        if self.index > 0:
            self.index -= 1
            self.show()

    def action_store(self) -> None:
        plan = self.plan
        if plan is None:
            return
        undecided = sum(1 for item in self.items if item.key not in self.decisions)
        if not undecided:
            self.store()
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.store(default=consensus.NEITHER)

        self.app.push_screen(
            Confirm(
                self.app.t("cons.store_title"),
                self.app.t(
                    "cons.store_message",
                    undecided=undecided,
                    total=len(self.items),
                    name=repr(self.target_name()),
                ),
                yes=self.app.t("cons.store"),
                danger=False,
            ),
            answered,
        )

    def store(self, default: str | None = None) -> None:
        assert self.plan is not None
        plan = dataclasses.replace(self.plan, name=self.target_name())
        result = self.app.run_core(
            consensus.apply_consensus,
            self.app.project,
            plan,
            dict(self.decisions),
            default=default,
            changed=frozenset({CODINGS}),
        )
        if result is FAILED:
            return
        self.decisions = {}
        self.app.notify(
            self.app.t("cons.stored", summary=result.summary(self.app.lang)),
            title=self.app.t("cons.stored_title"),
            timeout=8,
        )
        self.app.pop_screen()

    def action_close(self) -> None:
        if not self.decisions:
            self.app.pop_screen()
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.decisions = {}
                self.app.pop_screen()

        self.app.push_screen(
            Confirm(
                self.app.t("cons.close_title"),
                self.app.t("cons.close_message", n=len(self.decisions)),
                yes=self.app.t("cons.close"),
            ),
            answered,
        )
