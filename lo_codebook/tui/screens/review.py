"""The suggestion review queue: one suggestion at a time, in its sentence, with its evidence.

Decisions go through `suggest_service.decide`; accepting makes a coding of the current
coder. The queue is the pending list when the screen opened (filtered by code/score);
undo (ctrl+z) puts a suggestion back to pending and the queue shows that.
"""

from __future__ import annotations

import re
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Footer, Header, Input, Label, Select, Static

from lo_codebook.core import queries
from lo_codebook.i18n import count as counted
from lo_codebook.i18n import evidence_text, method_name
from lo_codebook.safe_output import printable
from lo_codebook.tui import keymap
from lo_codebook.tui.changes import SUGGESTIONS
from lo_codebook.tui.messages import FAILED, OpenSpan
from lo_codebook.tui.screens.base import CodebookScreen
from lo_codebook.tui.screens.modals import Confirm
from lo_codebook.tui.widgets.document_view import _color, span_styles

PENDING, ACCEPTED, REJECTED, SKIPPED = "pending", "accepted", "rejected", "skipped"
_EVIDENCE_WORD = re.compile(r"\w[\w\-']+", re.UNICODE)


def evidence_terms(evidence: str) -> list[str]:
    """Words worth marking in the context: quoted terms first, else the evidence words."""
    quoted = re.findall(r"['\"‘“]([^'\"’”]+)['\"’”]", evidence)
    terms = quoted or [evidence]
    return [t.strip() for t in terms if len(t.strip()) >= 2]


def _trim_context(context: str, start: int, end: int, cut_left: bool) -> tuple[str, int]:
    """Drop half words at the ends of the context window (never inside the span); mark with …."""
    shift = 0
    if cut_left and context and not context[0].isupper():
        space = context.find(" ", 0, start)
        if space != -1:
            context, shift = "…" + context[space + 1 :], space
    tail = context.rstrip()
    if tail and tail[-1] not in ".!?…\"')”’" and len(tail) > end - shift:
        space = tail.rfind(" ", end - shift)
        if space != -1:
            context = tail[:space] + " …"
    return context, shift


def context_text(row: Any) -> Text:
    """The suggestion's context with the span in its code colour and the evidence underlined."""
    offset = row.context_start
    context, shift = _trim_context(row.context, row.start - offset, row.end - offset, offset > 0)
    text = Text(printable(context))  # one visible symbol per control character: offsets hold
    start, end = row.start - offset - shift, row.end - offset - shift
    style = span_styles(None)
    color = getattr(row, "color", None)
    if color:
        style = span_styles(color)
    text.stylize(style.coding, max(start, 0), max(end, 0))
    lowered = context.lower()
    for term in evidence_terms(row.evidence or ""):
        needle = term.lower()
        position = lowered.find(needle)
        while position != -1:
            text.stylize("underline bold", position, position + len(needle))
            position = lowered.find(needle, position + len(needle))
    return text


class ReviewScreen(CodebookScreen):
    """a accept · r reject · s skip · b back · A accept all of this code · o open in text."""

    SCOPE = keymap.REVIEW

    def __init__(self) -> None:
        super().__init__()
        self.queue: list[Any] = []
        self.state: dict[int, str] = {}
        self.index = 0
        self.code_filter: int | None = None
        self.min_score: float | None = None
        self.order = "document"  # or "uncertain": least certain first
        self.code_colors: dict[int, str | None] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="review-filters"):
            yield Label(self.app.t("review.code"), classes="field-label")
            yield Select[int]([], prompt=self.app.t("review.all_codes"), id="review-code")
            yield Label(self.app.t("review.min_score"), classes="field-label")
            yield Input(placeholder="0-100", id="review-min-score", type="number")
            yield Static("", id="review-progress")
        with VerticalScroll(id="review-card"):
            yield Static("", id="review-meta")
            yield Static("", id="review-context")
            yield Static("", id="review-evidence")
        with Vertical(id="review-keys"):
            yield Static(self.app.t("review.keys"), classes="dialog-hint")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        with self.app.project.read() as session:
            codes = queries.codebook_tree(session, coder=self.app.project.coder_name)
        self.code_colors = {c.id: c.color for c in codes}
        pending = [
            (f"{printable(c.name, newlines=False)} ({c.pending})", c.id) for c in codes if c.pending
        ]
        self.query_one("#review-code", Select).set_options(pending)
        self.load_queue()
        self.query_one("#review-card").focus()

    def load_queue(self) -> None:
        service = self.app.suggest_service()
        if service is None:
            return
        from lo_codebook.core.validation import blind_documents

        with self.app.project.read() as session:
            self.queue = service.list_suggestions(
                session,
                status="pending",
                code_id=self.code_filter,
                min_score=self.min_score,
                order=self.order,
                exclude_documents=blind_documents(session, self.app.project.coder_name),
            )
        self.state = {row.id: PENDING for row in self.queue}
        self.index = 0
        self.show()

    @property
    def current(self) -> Any | None:
        return self.queue[self.index] if 0 <= self.index < len(self.queue) else None

    def show(self) -> None:
        counts = {s: 0 for s in (ACCEPTED, REJECTED, SKIPPED, PENDING)}
        for status in self.state.values():
            counts[status] += 1
        total = len(self.queue)
        progress = Text()
        if total:
            shown = min(self.index + 1, total)
            progress.append(self.app.t("main.of", n=shown, total=total), style="bold")
        else:
            progress.append(self.app.t("main.of", n=0, total=0), style="bold")
        progress.append(
            self.app.t(
                "review.progress",
                accepted=counts[ACCEPTED],
                rejected=counts[REJECTED],
                skipped=counts[SKIPPED],
                pending=counts[PENDING],
            ),
            style="dim",
        )
        self.query_one("#review-progress", Static).update(progress)
        row = self.current
        meta, context, evidence = (
            self.query_one("#review-meta", Static),
            self.query_one("#review-context", Static),
            self.query_one("#review-evidence", Static),
        )
        if row is None:
            if total:
                undecided = counts[SKIPPED]
                meta.update(
                    Text(
                        self.app.t(
                            "review.done",
                            accepted=counts[ACCEPTED],
                            rejected=counts[REJECTED],
                            skipped=undecided,
                        ),
                        style="bold",
                    )
                )
                context.update(self.app.t("review.done_hint"))
            else:
                meta.update(Text(self.app.t("review.none"), style="bold"))
                context.update(self.app.t("review.none_hint"))
            evidence.update("")
            return
        title = Text()
        title.append(printable(row.document, newlines=False), style="bold")
        if row.case and row.case != row.document:
            title.append(
                self.app.t("review.case", case=printable(row.case, newlines=False)), style="dim"
            )
        title.append("\n")
        title.append(
            f" {printable(row.code, newlines=False)} ",
            style=_color(self.code_colors.get(row.code_id)).name + " reverse bold",
        )
        order = self.app.t("review.uncertain_first") if self.order == "uncertain" else ""
        title.append(
            self.app.t(
                "review.score",
                score=f"{row.score:.0f}",
                method=method_name(row.method, self.app.lang),
                start=row.start,
                end=row.end,
                order=order,
            ),
            style="dim",
        )
        status = self.state.get(row.id, PENDING)
        if status != PENDING:
            title.append(f"  [{self.app.t('review.status.' + status)}]", style="italic")
        meta.update(title)
        row_with_color = _RowColor(row, self.code_colors.get(row.code_id))
        context.update(context_text(row_with_color))
        evidence.update(
            Text.assemble(
                (self.app.t("review.evidence"), "dim"),
                (
                    printable(evidence_text(row.method, row.evidence_label or "—", self.app.lang)),
                    "italic",
                ),
            )
        )

    def _advance(self) -> None:
        for index in range(self.index + 1, len(self.queue)):
            if self.state.get(self.queue[index].id) == PENDING:
                self.index = index
                self.show()
                return
        self.index = len(self.queue)
        self.show()

    def _decide(self, accept: bool) -> None:
        row = self.current
        service = self.app.suggest_service()
        if row is None or service is None:
            return
        if self.state.get(row.id) in (ACCEPTED, REJECTED):
            self.app.notify(self.app.t("review.already"), severity="warning")
            return
        result = self.app.decide_suggestions(service, [row.id], accept=accept)
        if result is FAILED:
            return
        if result == 0:
            # Another coder decided it a moment ago; `project_changed` shows their decision.
            self.app.notify(self.app.t("review.someone_else"), severity="warning")
            self._advance()
            return
        self.state[row.id] = ACCEPTED if accept else REJECTED
        if accept:
            self.app.remember_code(row.code_id)
        self._advance()

    def action_accept(self) -> None:
        self._decide(True)

    def action_reject(self) -> None:
        self._decide(False)

    def action_skip(self) -> None:
        row = self.current
        if row is None:
            return
        if self.state.get(row.id) == PENDING:
            self.state[row.id] = SKIPPED
        self._advance()

    def action_back(self) -> None:
        if self.index > 0:
            self.index -= 1
            row = self.current
            if row is not None and self.state.get(row.id) == SKIPPED:
                self.state[row.id] = PENDING
            self.show()

    def _decide_code(self, accept: bool) -> None:
        row = self.current
        service = self.app.suggest_service()
        if row is None or service is None:
            return
        from lo_codebook.core.validation import blind_documents

        with self.app.project.read() as session:
            blind = blind_documents(session, self.app.project.coder_name)
            ids = [
                r.id
                for r in service.list_suggestions(
                    session, status="pending", code_id=row.code_id, exclude_documents=blind
                )
            ]
        verb = "accept" if accept else "reject"

        def confirmed(yes: bool | None) -> None:
            if not yes:
                return
            count = self.app.decide_suggestions(service, ids, accept=accept)
            if count is FAILED:
                return
            self.app.notify(
                self.app.t(
                    f"review.{verb}ed_code",
                    suggestions=counted(count, "suggestion", self.app.lang, thousands=False),
                    code=repr(row.code),
                )
            )
            # The statuses were read back from the project (`project_changed`): suggestions
            # another coder decided meanwhile show their decision, not this one.
            if accept:
                self.app.remember_code(row.code_id)
            self.index -= 1
            self._advance()

        self.app.push_screen(
            Confirm(
                self.app.t(f"review.{verb}_all_title", code=repr(row.code)),
                self.app.t(
                    f"review.{verb}_all_message",
                    code=repr(row.code),
                    suggestions=counted(
                        len(ids), "pending_suggestion", self.app.lang, thousands=False
                    ),
                ),
                yes=self.app.t(f"review.{verb}"),
                danger=not accept,
            ),
            confirmed,
        )

    def action_accept_code(self) -> None:
        self._decide_code(True)

    def action_reject_code(self) -> None:
        self._decide_code(False)

    def action_toggle_order(self) -> None:
        """Least certain first (the decisions that teach the next suggest run most) or back."""
        self.order = "document" if self.order == "uncertain" else "uncertain"
        self.load_queue()
        self.notify(
            self.app.t(
                "review.order_uncertain" if self.order == "uncertain" else "review.order_reading"
            )
        )

    def action_open_document(self) -> None:
        row = self.current
        if row is not None:
            self.app.post_message(OpenSpan(row.document_id, row.start, row.end))

    def action_close(self) -> None:
        self.app.pop_screen()

    def project_changed(self, kinds: frozenset[str]) -> None:
        """After undo/redo elsewhere: re-read the statuses of the queued suggestions."""
        if not self.queue or SUGGESTIONS not in kinds:
            return
        with self.app.project.read() as session:
            current = queries.suggestion_statuses(session, [row.id for row in self.queue])
        reverted: list[int] = []
        for index, row in enumerate(self.queue):
            db_status = current.get(row.id)
            if db_status is None:
                self.state[row.id] = REJECTED
            elif db_status == PENDING:
                if self.state.get(row.id) in (ACCEPTED, REJECTED):
                    self.state[row.id] = PENDING
                    reverted.append(index)
            else:
                self.state[row.id] = db_status
        if reverted:
            # An undone decision: show that suggestion again.
            self.index = reverted[0]
        self.show()

    # filters ------------------------------------------------------------------------------
    @on(Select.Changed, "#review-code")
    def _code_changed(self, event: Select.Changed) -> None:
        self.code_filter = None if event.value is Select.NULL else int(event.value)  # type: ignore[arg-type]
        self.load_queue()

    @on(Input.Submitted, "#review-min-score")
    def _score_changed(self, event: Input.Submitted) -> None:
        value = event.value.strip()
        try:
            self.min_score = float(value) if value else None
        except ValueError:
            self.app.notify(self.app.t("review.bad_score"), severity="warning")
            return
        self.load_queue()
        self.query_one("#review-card").focus()


class _RowColor:
    """A suggestion row plus its code colour (rows from the service carry no colour)."""

    def __init__(self, row: Any, color: str | None) -> None:
        self._row = row
        self.color = color

    def __getattr__(self, name: str) -> Any:
        return getattr(self._row, name)
