"""The Textual application: owns the project, runs core operations and background work.

`run_app(project)` is what the CLI calls (`lo-codebook`, `lo-codebook tui`, `lo-codebook demo`).
Screens call `app.run_core(...)` for every change, so errors become notifications and every
screen hears what changed. Long work (suggest, import, exports, the tables of the analysis
screens) goes through `app.run_core_worker(...)`: a thread worker whose result or error comes
back to a callback on the UI thread; the UI never waits for it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import TimeoutError as StillRunning
from functools import partial
from pathlib import Path
from types import ModuleType
from typing import Any, TypeVar

from textual import on, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.dom import DOMNode
from textual.markup import escape
from textual.screen import Screen
from textual.timer import Timer
from textual.worker import Worker, get_current_worker

from lo_codebook.core.project import Project
from lo_codebook.errors import UserError
from lo_codebook.i18n import count
from lo_codebook.i18n import t as translate
from lo_codebook.safe_output import printable
from lo_codebook.tui import keymap
from lo_codebook.tui.changes import CODINGS, DOCUMENTS, EVERYTHING, SUGGESTIONS
from lo_codebook.tui.messages import FAILED, OpenSpan, WorkFailed, WorkFinished, WorkProgress
from lo_codebook.tui.screens.help import HelpScreen
from lo_codebook.tui.screens.main import MainScreen
from lo_codebook.tui.screens.modals import Confirm, ImportDialog, ImportRequest, TextPrompt
from lo_codebook.tui.waiting import (
    GRACE_SECONDS,
    WAIT_LINE_SECONDS,
    WAIT_NOTE_SECONDS,
    WaitingWrites,
    WriteDone,
    WriteWaits,
    another_writer,
)
from lo_codebook.tui.widgets.panels import WorkStatus

T = TypeVar("T")
RECENT_LIMIT = 9
GRID_SCREEN = "grid"
RETRIEVAL_SCREEN = "retrieval"


class CodebookCommands(Provider):
    """Command palette (ctrl+p): every action of the key table, searchable by name."""

    def _targets(self) -> list[tuple[keymap.UIAction, Any]]:
        screen = self.screen
        targets: dict[str, Any] = {keymap.APP: self.app}
        palette_targets = getattr(screen, "palette_targets", None)
        if callable(palette_targets):
            targets.update(palette_targets())
        out = []
        for action in keymap.ACTIONS:
            node = targets.get(action.scope)
            if node is not None and action.palette:
                out.append((action, node))
        return out

    def _command(self, action: keymap.UIAction, node: Any) -> Callable[[], Any]:
        async def run() -> None:
            await self.app.run_action(action.action, node)

        return run

    def _help(self, action: keymap.UIAction) -> str:
        keys = self.app.user_keymap.get(action.id, action.key)  # the user's remapped keys
        shown = ", ".join(
            self.app.get_key_display(Binding(k.strip(), action.action)) for k in keys.split(",")
        )
        # markup: the key "/" would read as a closing tag
        return escape(f"{keymap.describe(action, self.app.lang)[1]}  [{shown}]")

    async def discover(self) -> Hits:
        for action, node in self._targets():
            name = keymap.describe(action, self.app.lang)[0]
            yield DiscoveryHit(name, self._command(action, node), help=self._help(action))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for action, node in self._targets():
            name = keymap.describe(action, self.app.lang)[0]
            text = f"{name} ({keymap.scope_title(action.scope, self.app.lang)})"
            score = max(matcher.match(name), matcher.match(text) * 0.9)
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(name),
                    self._command(action, node),
                    help=self._help(action),
                )


class CodebookApp(App[None]):
    """lo-codebook's terminal UI on one open project."""

    CSS_PATH = "app.tcss"
    TITLE = "lo-codebook"
    BINDINGS = keymap.bindings(keymap.APP)
    COMMANDS = App.COMMANDS | {CodebookCommands}

    def __init__(
        self,
        project: Project,
        *,
        keymap_file: str | Path | None = None,
        load_user_keymap: bool = True,
        tune_gc: bool = False,
        lang: str | None = None,
    ) -> None:
        from lo_codebook.core.settings import output_language

        super().__init__()
        self.project = project
        # One language for every screen, table, chart and number (`ui_language`, `--lang`).
        self.lang = output_language(project, lang)
        self._tune_gc = tune_gc
        self.recent_codes: list[int] = []
        self.themes_settings: dict[
            str, Any
        ] = {}  # the theme table's settings, kept for the session
        self.retrieval_settings: dict[str, Any] = {}  # the coded-segments screen's, likewise
        self._keymap_file = Path(keymap_file) if keymap_file else None
        self._load_user_keymap = load_user_keymap
        self._keymap_problems: list[str] = []
        #: The keys the user remapped (binding id -> keys), as given to `set_keymap`.
        self.user_keymap: dict[str, str] = {}
        if load_user_keymap:
            user_keymap, self._keymap_problems = keymap.load_keymap(self._keymap_file)
            if user_keymap:
                self.set_keymap(user_keymap)
        where = project.path.name if project.path else project.display_name
        self.title = printable(f"lo-codebook · {where}", newlines=False)
        self.sub_title = printable(
            self.t("app.coder", coder=project.coder_name), newlines=False
        ) + (f" · {self.t('app.read_only')}" if project.read_only else "")
        self._usual_sub_title = self.sub_title  # back in the header once no write waits
        self._ui_thread = threading.get_ident()
        self._writes = WaitingWrites()
        self._wait_line_timer: Timer | None = None
        self._outer_on_wait = project.on_wait  # the CLI's (stderr), back when the UI closes
        project.on_wait = self._writer_waits
        self._load_recent_codes()

    def t(self, key: str, **fields: object) -> str:
        """The UI's words for `key` (`lo_codebook.i18n`), in the project's output language."""
        return translate(key, self.lang, **fields)

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: Any = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Notifications quote names, file paths and errors: never a control character."""
        super().notify(
            printable(message),
            title=printable(title, newlines=False),
            severity=severity,
            timeout=timeout,
            markup=markup,
        )

    def get_default_screen(self) -> Screen:
        return MainScreen()

    def set_keymap(self, keymap: Mapping[str, str]) -> None:
        """Textual's, remembering the user's keys for the command palette and the help."""
        self.user_keymap = dict(keymap)
        super().set_keymap(keymap)

    def on_mount(self) -> None:
        self._ui_thread = threading.get_ident()
        for problem in self._keymap_problems:
            self.notify(problem, severity="warning", timeout=10)
        if self.project.notice:
            self.notify(self.project.notice.removeprefix("note: "), severity="warning", timeout=10)
        # After the first screen is up: load what the themes screen needs (pandas) in the
        # background, so opening it later is instant, without slowing the first paint.
        self.set_timer(0.8, self._warm_up)
        if self._tune_gc:
            self.call_after_refresh(tune_gc)

    @work(thread=True, group="warm-up", exit_on_error=False)
    def _warm_up(self) -> None:
        """Imports only: no result and nothing to say, so not `run_core_worker`."""
        import lo_codebook.analysis.render  # noqa: F401
        import lo_codebook.core.themes_service  # noqa: F401
        import lo_codebook.tui.screens.grid  # noqa: F401

    @property
    def main(self) -> MainScreen:
        for screen in self.screen_stack:
            if isinstance(screen, MainScreen):
                return screen
        raise LookupError("main screen not on the stack")

    # core calls -------------------------------------------------------------------------------
    def run_core(
        self,
        fn: Callable[..., Any],
        *args: Any,
        changed: frozenset[str] = frozenset(),
        ok: str | None = None,
        **kwargs: Any,
    ) -> Any:
        """Call a core operation; a `UserError` becomes an error notification (returns FAILED).

        While another write holds the project (a long import, here or in another process), the
        call runs in a thread instead, so the screen stays live and says what it waits for
        (`_writer_waits`). If it has not finished after a moment this returns FAILED (the
        screen that asked does nothing more) and every screen reloads when it lands.
        """
        if not (self._writes.pending or another_writer(self.project)):
            return self._core_outcome(lambda: fn(*args, **kwargs), changed, ok)
        future = self._writes.submit(fn, *args, **kwargs)
        try:
            future.exception(timeout=GRACE_SECONDS)
        except StillRunning:
            future.add_done_callback(lambda done: self.post_message(WriteDone(done, ok)))
            return FAILED
        self._writes.finished()
        return self._core_outcome(future.result, changed, ok)

    def confirm_then_run(
        self, confirm: Confirm, fn: Callable[..., Any], *args: Any, **run: Any
    ) -> None:
        """Ask `confirm` first; on yes, `run_core(fn, *args, **run)`."""

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.run_core(fn, *args, **run)

        self.push_screen(confirm, confirmed)

    def _core_outcome(
        self, result_of: Callable[[], Any], changed: frozenset[str], ok: str | None
    ) -> Any:
        try:
            result = result_of()
        except UserError as exc:
            self.notify(str(exc), severity="error", timeout=8)
            self.bell()
            return FAILED
        finally:
            self._no_write_waits()
        if ok:
            self.notify(ok, timeout=3)
        if changed:
            self.project_changed(changed)
        return result

    def run_core_worker(
        self,
        node: DOMNode,
        job: Callable[[], T],
        *,
        group: str,
        done: Callable[[T], object],
        failed: Callable[[str], object] | None = None,
        label: str | None = None,
    ) -> Worker[None]:
        """Call `job` (a core operation with its arguments bound: `functools.partial`) in a
        thread worker of `node`, exclusive in `group`.

        `done(result)` then runs on the UI thread, in `node`'s message queue: a node that has
        closed meanwhile gets nothing, nor does a worker a newer one in its group cancelled.
        A `UserError` goes to `failed(message)`; so does any other exception (as "Type: text",
        then raised again for the log: a bug must not take the session down). Without
        `failed`, the app notifies "`label` failed" and stops the work status (`WorkFailed`).
        """

        def report(error: str) -> None:
            if failed is not None:
                failed(error)
            else:
                self.post_message(WorkFailed(label or group, error))

        def run() -> None:
            worker = get_current_worker()
            try:
                result = job()
            except UserError as exc:
                if not worker.is_cancelled:
                    node.call_later(report, str(exc))
                return
            except Exception as exc:  # noqa: BLE001 - said, then raised again for the log
                if not worker.is_cancelled:
                    node.call_later(report, f"{type(exc).__name__}: {exc}")
                raise
            if not worker.is_cancelled:
                node.call_later(done, result)

        return node.run_worker(run, group=group, exclusive=True, thread=True, exit_on_error=False)

    def decide_suggestions(self, service: ModuleType, ids: list[int], *, accept: bool) -> Any:
        """Accept or reject suggestions: how many the core decided (0: another coder was
        first), or FAILED."""
        changed = frozenset({CODINGS, SUGGESTIONS})
        return self.run_core(service.decide, self.project, ids, accept=accept, changed=changed)

    def _writer_waits(self, line: str) -> None:
        """`Project.on_wait`, from whichever thread writes: the line goes to the header."""
        if threading.get_ident() == self._ui_thread:
            self._show_write_wait(WriteWaits(line))
        else:
            self.post_message(WriteWaits(line))

    @on(WriteWaits)
    def _show_write_wait(self, message: WriteWaits) -> None:
        self.sub_title = printable(message.line, newlines=False)
        self.notify(message.line, severity="warning", timeout=WAIT_NOTE_SECONDS, markup=False)
        # A worker's write (merge, import) says nothing when it ends: the line goes once the
        # project has not said "still waiting" for longer than it does between such lines.
        if self._wait_line_timer is not None:
            self._wait_line_timer.stop()
        self._wait_line_timer = self.set_timer(WAIT_LINE_SECONDS, self._no_write_waits)

    def _no_write_waits(self) -> None:
        if not self._writes.pending:
            self.sub_title = self._usual_sub_title

    @on(WriteDone)
    def _write_done(self, message: WriteDone) -> None:
        """A write that waited has landed (or failed): the screen that asked has moved on, so
        every screen reloads what it shows."""
        self._writes.finished()
        result = self._core_outcome(message.future.result, frozenset(), message.ok)
        if result is FAILED:
            return
        if not message.ok:  # what the screen would have said, after the word that it waited
            said = self.t("app.done_after_waiting")
            self.notify(f"{said}: {result}" if isinstance(result, str) else said, markup=False)
        self.project_changed(EVERYTHING)

    def on_unmount(self) -> None:
        self.project.on_wait = self._outer_on_wait
        self._writes.shutdown()

    def project_changed(self, kinds: Iterable[str], *, exclude: Screen | None = None) -> None:
        """Tell every screen on the stack (top first) what kind of data changed; `exclude`:
        the screen that made the change and has already shown it (the grid's one row)."""
        kinds = frozenset(kinds)
        for screen in reversed(self.screen_stack):
            if screen is exclude:
                continue
            handler = getattr(screen, "project_changed", None)
            if callable(handler):
                handler(kinds)

    def remember_code(self, code_id: int) -> None:
        """Most recently used first: the number keys 1-9 follow this list."""
        self.recent_codes = [code_id, *[c for c in self.recent_codes if c != code_id]][
            : RECENT_LIMIT * 3
        ]

    def _load_recent_codes(self) -> None:
        from lo_codebook.core import queries

        recent = getattr(queries, "recent_codes", None)
        if recent is None:
            return
        try:
            with self.project.read() as session:
                self.recent_codes = list(
                    recent(session, self.project.coder_name, limit=RECENT_LIMIT)
                )
        except UserError:
            self.recent_codes = []

    def suggest_service(self) -> ModuleType | None:
        """The suggestion service, or a notification saying why it cannot run here."""
        try:
            from lo_codebook.core import suggest_service
        except (ImportError, UserError) as exc:
            self.notify(self.t("app.no_suggest", error=exc), severity="error")
            return None
        return suggest_service

    # actions ----------------------------------------------------------------------------------
    def action_undo(self) -> None:
        said = self.run_core(self.project.undo, changed=EVERYTHING)
        if said is not FAILED:
            self.notify(said, timeout=4, markup=False)

    def action_redo(self) -> None:
        said = self.run_core(self.project.undo, redo=True, changed=EVERYTHING)
        if said is not FAILED:
            self.notify(said, timeout=4, markup=False)

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_review(self) -> None:
        from lo_codebook.tui.screens.review import ReviewScreen

        if self.suggest_service() is None or isinstance(self.screen, ReviewScreen):
            return
        self.push_screen(ReviewScreen())

    def action_themes(self) -> None:
        from lo_codebook.tui.screens.themes import ThemesScreen

        if not isinstance(self.screen, ThemesScreen):
            self.push_screen(ThemesScreen())

    def action_agreement(self) -> None:
        try:
            from lo_codebook.tui.screens.agreement import AgreementScreen
        except ImportError as exc:
            self.notify(self.t("app.no_agreement", error=exc), severity="error")
            return
        if not isinstance(self.screen, AgreementScreen):
            self.push_screen(AgreementScreen())

    def action_grid(self) -> None:
        """The survey grid: built once, then shown again as it was left (filters, cursor)."""
        from lo_codebook.tui.screens.grid import GridScreen

        if isinstance(self.screen, GridScreen):
            return
        if not self.is_screen_installed(GRID_SCREEN):
            self.install_screen(GridScreen(), GRID_SCREEN)
        screen = self.get_screen(GRID_SCREEN)
        if screen in self.screen_stack:
            while self.screen is not screen:
                self.pop_screen()
            return
        self.push_screen(GRID_SCREEN)

    def action_retrieve(self) -> None:
        """Coded segments of the code highlighted in the codebook (else the last one listed)."""
        code_id = self.main.tree.highlighted_code
        saved = self.retrieval_settings
        if code_id is None or code_id == saved.get("code_id"):
            self.open_retrieval(
                saved.get("code_id", code_id), by=saved.get("by"), coder=saved.get("coder")
            )
        else:
            self.open_retrieval(code_id, coder=saved.get("coder"))

    def open_retrieval(
        self, code_id: int | None, *, by: tuple[str, str] | None = None, coder: str | None = None
    ) -> None:
        """The coded-segments screen: built once, then shown again with these settings."""
        from lo_codebook.tui.screens.retrieval import RetrievalScreen

        if not self.is_screen_installed(RETRIEVAL_SCREEN):
            self.install_screen(RetrievalScreen(), RETRIEVAL_SCREEN)
        screen = self.get_screen(RETRIEVAL_SCREEN)
        assert isinstance(screen, RetrievalScreen)
        if screen in self.screen_stack:
            while self.screen is not screen:
                self.pop_screen()
            screen.show(code_id, by=by, coder=coder)
            return
        screen.show(code_id, by=by, coder=coder)
        self.push_screen(RETRIEVAL_SCREEN)

    def action_search(self) -> None:
        from lo_codebook.tui.screens.search import SearchScreen

        if isinstance(self.screen, SearchScreen):
            self.screen.action_focus_query()
            return
        self.push_screen(SearchScreen())

    def action_discover(self) -> None:
        from lo_codebook.tui.screens.discover import DiscoverScreen

        if not isinstance(self.screen, DiscoverScreen):
            self.push_screen(DiscoverScreen())

    def action_memos(self) -> None:
        from lo_codebook.tui.screens.memos import MemosScreen

        if not isinstance(self.screen, MemosScreen):
            self.push_screen(MemosScreen())

    def action_cases(self) -> None:
        from lo_codebook.tui.screens.cases import CaseTableScreen

        if not isinstance(self.screen, CaseTableScreen):
            self.push_screen(CaseTableScreen())

    def _back_to_main(self) -> MainScreen:
        while not isinstance(self.screen, MainScreen) and len(self.screen_stack) > 1:
            self.pop_screen()
        return self.main

    def show_code(self, code_id: int) -> None:
        """Back to the main screen with a code highlighted in the codebook tree."""
        self._back_to_main().show_code(code_id)

    def show_case(self, case_id: int) -> None:
        """The case table with the cursor on a case."""
        from lo_codebook.tui.screens.cases import CaseTableScreen

        self._back_to_main()
        self.push_screen(CaseTableScreen(case_id=case_id))

    def action_merge_codebook(self) -> None:
        from lo_codebook.tui.screens.merge import MergeScreen

        if not isinstance(self.screen, MergeScreen):
            self.push_screen(MergeScreen())

    def action_suggest(self) -> None:
        service = self.suggest_service()
        if service is None:
            return
        if self._busy():
            return
        self._work_started(self.t("app.suggesting"))
        self._suggest(service)

    def action_import_files(self) -> None:
        if self._busy():
            return

        def chosen(request: ImportRequest | None) -> None:
            if request is not None:
                self._work_started(self.t("app.importing"))
                self._import(request)

        self.push_screen(ImportDialog(), chosen)

    def action_export_codebook(self) -> None:
        from lo_codebook.core import codebook

        def chosen(path: str | None) -> None:
            if path and path.strip():
                written = self.run_core(
                    codebook.export_codebook, self.project, Path(path.strip()).expanduser()
                )
                if written is not FAILED:
                    self.notify(
                        self.t(
                            "app.wrote_codes",
                            codes=count(written, "code", self.lang),
                            path=path.strip(),
                        )
                    )

        self.push_screen(TextPrompt(self.t("app.export_codebook_prompt"), "codebook.csv"), chosen)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        for command in super().get_system_commands(screen):
            if command.title != "Quit":  # ours, with its key, comes from CodebookCommands
                yield command

    # background work --------------------------------------------------------------------------
    def _busy(self) -> bool:
        if any(w.group == "long" and w.is_running for w in self.workers):
            self.notify(self.t("app.busy"), severity="warning")
            return True
        return False

    def _work_status(self) -> WorkStatus | None:
        try:
            return self.main.query_one(WorkStatus)
        except LookupError:
            return None

    def _work_started(self, label: str) -> None:
        status = self._work_status()
        if status is not None:
            status.start(label)

    def _progress(self, label: str) -> Callable[[int, int], None]:
        def report(done: int, total: int) -> None:
            self.post_message(WorkProgress(label, done, total))

        return report

    def _suggest(self, service: ModuleType) -> None:
        def finished(report: Any) -> None:
            summary = report.summary(self.lang)
            self.post_message(
                WorkFinished("suggest", summary, changed=frozenset({SUGGESTIONS}), result=report)
            )

        progress = self._progress(self.t("app.suggesting"))
        job = partial(service.run_suggest, self.project, progress=progress)
        self.run_core_worker(self, job, group="long", label="suggest", done=finished)

    def _import(self, request: ImportRequest) -> None:
        def finished(done: tuple[Any, Any]) -> None:
            report, language = done
            summary = (
                report.summary(self.lang) if report is not None else self.t("app.nothing_imported")
            )
            if language is not None:
                summary += "\n" + language.message()
            changed = frozenset({DOCUMENTS, CODINGS})
            self.post_message(WorkFinished("import", summary, changed=changed, result=report))

        progress = self._progress(self.t("app.importing"))
        job = partial(_run_import, self.project, request, progress)
        self.run_core_worker(self, job, group="long", label="import", done=finished)

    @on(WorkProgress)
    def _on_progress(self, message: WorkProgress) -> None:
        status = self._work_status()
        if status is not None:
            status.advance(message.label, message.done, message.total)

    @on(WorkFinished)
    def _on_finished(self, message: WorkFinished) -> None:
        self._no_write_waits()
        status = self._work_status()
        if status is not None:
            status.stop()
        self.notify(message.summary, title=self._work_label(message.label), timeout=8)
        self.project_changed(message.changed)

    @on(WorkFailed)
    def _on_failed(self, message: WorkFailed) -> None:
        self._no_write_waits()
        status = self._work_status()
        if status is not None:
            status.stop()
        self.notify(
            message.error,
            title=self.t("app.failed", label=self._work_label(message.label)),
            severity="error",
            timeout=10,
        )

    def _work_label(self, label: str) -> str:
        """`suggest`, `import`... as the notification's title, in the UI language."""
        try:
            return self.t(f"work.{label}")
        except KeyError:
            return label

    @on(OpenSpan)
    def _open_span(self, message: OpenSpan) -> None:
        while not isinstance(self.screen, MainScreen) and len(self.screen_stack) > 1:
            self.pop_screen()
        self.main.show_span(message.document_id, message.start, message.end)


def _run_import(
    project: Project, request: ImportRequest, progress: Callable[[int, int], None]
) -> tuple[Any, Any]:
    """Import the chosen files (survey tables or documents): the last report and the
    project's language, when one of these imports chose it."""
    from lo_codebook.core import importing

    if not request.id_col:
        report = importing.import_files(
            project,
            request.paths,
            case=request.case,
            attributes=request.attributes,
            progress=progress,
        )
        return report, report.language
    report, language = None, None
    for path in request.paths:
        report = importing.import_survey(
            project,
            path,
            id_col=request.id_col,
            text_cols=request.text_cols or [],
            attr_cols=request.attr_cols or [],
            progress=progress,
        )
        language = report.language or language
    return report, language


def tune_gc() -> None:
    """Move everything loaded at startup out of the collector's way.

    Opening a long transcript allocates many small objects; with the default settings a full
    collection then walks every SQLAlchemy and Textual object too (100-200 ms pauses).
    `gc.freeze()` puts the startup objects in the permanent generation, so collections only
    look at new ones. Process-wide, hence only from `run_app` (and the benchmark).
    """
    import gc

    gc.collect()
    gc.freeze()


def run_app(project: Project, *, lang: str | None = None) -> None:
    """Open the terminal UI on `project` (blocks until the user quits); `lang`: `--lang`."""
    CodebookApp(project, tune_gc=True, lang=lang).run()


__all__ = ["CodebookApp", "run_app"]
