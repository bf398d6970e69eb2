"""The theme table, live: threshold (`--above`), unit, breakdown (`--by`), level, scope, export.

The numbers come from `themes_service.build_theme_table` (the same as `lo-codebook themes`);
the export from `analysis.render.write_table` and `themes_service.write_chart`. Both run in
thread workers, so typing a threshold never freezes the screen.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, DataTable, Footer, Header, Input, Label, Select, Static

from lo_codebook.core import queries
from lo_codebook.errors import UserError
from lo_codebook.i18n import count, format_share
from lo_codebook.i18n import t as translate
from lo_codebook.safe_output import printable
from lo_codebook.tui import keymap
from lo_codebook.tui.screens.base import CodebookScreen

if TYPE_CHECKING:
    from lo_codebook.core.project import Project

EIGHTHS = " ▏▎▍▌▋▊▉"
TABLE_FORMATS = {".csv": "csv", ".xlsx": "xlsx", ".md": "md", ".json": "json", ".txt": "table"}
CHART_SUFFIXES = (".png", ".svg")
ALL = "all"


def bar(value: float, maximum: float, width: int) -> str:
    """A horizontal bar in eighth blocks: `value` of `maximum` over `width` cells."""
    if maximum <= 0 or value <= 0:
        return ""
    cells = value / maximum * width
    full = int(cells)
    rest = int(round((cells - full) * 8))
    if rest == 8:
        full, rest = full + 1, 0
    return "█" * full + (EIGHTHS[rest] if rest else "")


def chart_text(table: Any, *, width: int = 36, name_width: int = 26, lang: str = "en") -> Text:
    """A bar chart of the table's metric (documents or mentions), one row per theme."""
    metric = table.metric
    rows = table.rows
    text = Text(no_wrap=True)
    if rows.empty:
        text.append(translate("themes.no_rows", lang), style="dim")
        return text
    maximum = float(rows[metric].max())
    for row in rows.itertuples(index=False):
        name = printable(str(row.code), newlines=False)
        name = name if len(name) <= name_width else name[: name_width - 1] + "…"
        value = int(getattr(row, metric))
        text.append(f"{name:<{name_width}} ")
        text.append(bar(value, maximum, width), style="bold")
        text.append(f" {value}\n", style="dim")
    return text


def _theme_table(project: Project, settings: dict[str, Any]) -> Any:
    """The theme table for the screen's settings (pandas loads on first use: in the worker)."""
    from lo_codebook.core.themes_service import build_theme_table

    return build_theme_table(project, **settings)


def _export(table: Any, path: Path, lang: str) -> None:
    """Write the table (or its chart, by the suffix); a file the OS refuses is a UserError."""
    from lo_codebook.analysis.render import write_table
    from lo_codebook.core.themes_service import write_chart

    try:
        if path.suffix.lower() in CHART_SUFFIXES:
            write_chart(table, path, lang=lang)
        else:
            write_table(table, TABLE_FORMATS[path.suffix.lower()], path, lang=lang)
    except OSError as exc:
        raise UserError(f"{path}: {exc.strerror or exc}") from exc


class ThemesScreen(CodebookScreen):
    """Theme frequencies: which themes were mentioned more than N times, and by whom."""

    SCOPE = keymap.THEMES

    def __init__(self) -> None:
        super().__init__()
        self.table: Any = None

    def compose(self) -> ComposeResult:
        t = self.app.t
        yield Header()
        with Horizontal(id="themes-controls"):
            yield Label(t("themes.more_than"), classes="field-label")
            yield Input("", placeholder=t("themes.none"), id="above", type="integer")
            yield Select(
                [(t("themes.documents"), "document"), (t("themes.mentions"), "mention")],
                value="document",
                allow_blank=False,
                id="unit",
            )
            yield Label(t("themes.by"), classes="field-label")
            yield Select[str]([], prompt=t("themes.no_breakdown"), id="by")
            yield Select(
                [(t("themes.themes"), "theme"), (t("themes.categories"), "category")],
                value="theme",
                allow_blank=False,
                id="level",
            )
            yield Select(
                [
                    (t("themes.all_documents"), "all"),
                    (t("themes.survey"), "survey"),
                    (t("themes.interviews"), "transcript"),
                    (t("themes.texts"), "text"),
                ],
                value="all",
                allow_blank=False,
                id="kind",
            )
            yield Label(t("themes.coder"), classes="field-label")
            yield Select([(t("themes.all_coders"), ALL)], value=ALL, allow_blank=False, id="coder")
        yield Static("", id="themes-coders")
        yield Static("", id="themes-caption")
        with Horizontal(id="themes-body"):
            yield DataTable(id="themes-table", zebra_stripes=True, cursor_type="row")
            with VerticalScroll(id="themes-chart-box"):
                yield Static("", id="themes-chart")
        with Horizontal(id="export-bar"):
            yield Label(t("themes.export_to"), classes="field-label")
            yield Input("", placeholder=t("themes.export_placeholder"), id="export-path")
            yield Button(t("themes.export"), id="export-go", variant="primary")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        from lo_codebook.core.themes_service import coder_scope

        with self.app.project.read() as session:
            attributes = queries.attribute_values(session)
            scope = coder_scope(session, None, self.app.project.coder_name)
        self.query_one("#by", Select).set_options(
            [(printable(key, newlines=False), key) for key in attributes]
        )
        coder = self.query_one("#coder", Select)
        coder.set_options(
            [
                (self.app.t("themes.all_coders"), ALL),
                *((printable(name, newlines=False), name) for name in scope.available),
            ]
        )
        coder.value = (
            scope.counted[0]
            if scope.ids is not None and len(scope.counted) == 1
            else (scope.available[0] if len(scope.available) == 1 else ALL)
        )
        self._restore(
            self.app.themes_settings, attributes=set(attributes), coders={ALL, *scope.available}
        )
        self.recompute()
        # The table, not the threshold field: an input takes every letter typed, so keys the
        # user remapped to letters would only work after moving the focus (ctrl+t: threshold).
        self.query_one(DataTable).focus()

    # computing ------------------------------------------------------------------------------
    def settings(self) -> dict[str, Any] | None:
        raw = self.query_one("#above", Input).value.strip()
        try:
            above = int(raw) if raw else None
        except ValueError:
            return None
        by = self.query_one("#by", Select).value
        kind = self.query_one("#kind", Select).value
        coder = self.query_one("#coder", Select).value
        return {
            "above": above,
            "unit": self.query_one("#unit", Select).value,
            "by": None if by is Select.NULL else by,
            "level": self.query_one("#level", Select).value,
            "kind": None if kind == "all" else kind,
            "coder": ALL if coder is Select.NULL else coder,
        }

    def _restore(self, saved: dict[str, Any], *, attributes: set[str], coders: set[str]) -> None:
        """The settings of the last time this screen was open (this session), where still valid."""
        if not saved:
            return
        if saved.get("above") is not None:
            self.query_one("#above", Input).value = str(saved["above"])
        choices = {
            "unit": saved.get("unit"),
            "level": saved.get("level"),
            "kind": saved.get("kind") or "all",
            "by": saved.get("by") if saved.get("by") in attributes else None,
            "coder": saved.get("coder") if saved.get("coder") in coders else None,
        }
        for widget_id, value in choices.items():
            if value is not None:
                self.query_one(f"#{widget_id}", Select).value = value
            elif widget_id == "by":
                self.query_one("#by", Select).clear()

    def recompute(self) -> None:
        settings = self.settings()
        if settings is None:
            return
        self.app.themes_settings = dict(settings)  # kept for the session: T reopens with these
        job = partial(_theme_table, self.app.project, settings)
        self.app.run_core_worker(self, job, group="themes", done=self.show_table)

    def show_table(self, table: Any) -> None:
        from lo_codebook.analysis.render import caption, estimate_text, uncertain_note
        from lo_codebook.core.themes_service import coder_notice

        self.table = table
        lang = self._lang()
        data = self.query_one(DataTable)
        data.clear(columns=True)
        from lo_codebook.analysis.labels import t as word

        level_title = word("category_col" if table.level == "category" else "theme", lang)
        parent_title = word("parent" if table.level == "category" else "category_col", lang)
        # Explicit widths: the table looks the same however fast the rows arrive.
        names = [printable(str(c), newlines=False) for c in table.rows["code"]]
        parents = [
            "" if c is None or pd.isna(c) else printable(str(c), newlines=False)
            for c in table.rows["category"]
        ]
        data.add_column(
            level_title, key="code", width=min(max([len(level_title), *map(len, names)]), 40)
        )
        data.add_column(
            parent_title,
            key="category",
            width=min(max([len(parent_title), *map(len, parents)]), 32),
        )
        for key, width in (("documents", 9), ("mentions", 8), ("share", 6)):
            title = word(key, lang)
            data.add_column(title, key=key, width=max(width, len(title)))
        for group in table.groups:
            title = printable(f"{group} (n={table.group_sizes.get(group, 0)})", newlines=False)
            data.add_column(title, key=f"by:{group}", width=max(len(title), 10))
        estimated_groups = [
            g for g in table.groups if table.by_estimates is not None and g in table.by_estimates
        ]
        if table.estimates is not None:  # a validation sample exists (lo-codebook validate)
            data.add_column(self.app.t("themes.estimate"), key="estimate", width=15)
            for group in estimated_groups:  # a sample stratified by this breakdown
                title = printable(f"{self.app.t('themes.estimate')} {group}", newlines=False)
                data.add_column(title, key=f"estimate:{group}", width=max(len(title), 15))
            if table.above is not None:
                data.add_column(
                    self.app.t("themes.validation"),
                    key="validation",
                    width=len(f"> {table.above}: uncertain"),
                )
        for i, row in enumerate(table.rows.itertuples(index=False)):
            cells: list[Any] = [
                names[i],
                Text(parents[i], style="dim"),
                Text(str(int(row.documents)), justify="right"),
                Text(str(int(row.mentions)), justify="right"),
                Text(format_share(float(row.share), lang), justify="right"),
            ]
            if table.by_counts is not None and table.by_share is not None:
                for group in table.groups:
                    n = int(table.by_counts.iloc[i][group])
                    share = format_share(float(table.by_share.iloc[i][group]), lang, 0)
                    cells.append(Text(f"{n} ({share})", justify="right"))
            if table.estimates is not None:
                cells.append(Text(estimate_text(table, i), justify="right"))
                cells += [
                    Text(estimate_text(table, i, group), justify="right")
                    for group in estimated_groups
                ]
                if table.above is not None:
                    cells.append(Text(uncertain_note(table, i, lang), style="bold"))
            data.add_row(*cells, key=str(row.code_id))
        self.query_one("#themes-caption", Static).update(
            Text(
                printable(
                    f"{count(len(table.rows), 'row', lang)} · " + caption(table, lang),
                    newlines=False,
                ),
                style="dim",
            )
        )
        notice = printable(
            coder_notice(table, hint=self.app.t("themes.coder_hint"), lang=lang), newlines=False
        )
        several = len(table.coders_available) > 1
        self.query_one("#themes-coders", Static).update(
            Text(
                notice[0].upper() + notice[1:],
                style="bold" if several and table.coders != table.coders_available else "",
            )
        )
        # With a breakdown, enter on a group's cell lists that group's segments: a cell cursor.
        data.cursor_type = "cell" if table.groups else "row"
        # A breakdown adds a column per group: the table then takes the whole width and the
        # chart goes below it (beside it, the group columns were cut off).
        self.query_one("#themes-body").set_class(bool(table.groups), "-breakdown")
        self.call_after_refresh(self._draw_chart)

    def _draw_chart(self) -> None:
        if self.table is None:
            return
        chart = self.query_one("#themes-chart", Static)
        width = max(10, (chart.size.width or 60) - 26 - 6)
        chart.update(chart_text(self.table, width=width, lang=self._lang()))

    def _lang(self) -> str:
        return self.app.lang

    @on(Input.Changed, "#above")
    def _above_changed(self, event: Input.Changed) -> None:
        self.recompute()

    @on(Input.Submitted, "#above")
    def _above_submitted(self) -> None:
        self.query_one(DataTable).focus()

    @on(Select.Changed)
    def _select_changed(self, event: Select.Changed) -> None:
        if self.is_mounted:
            self.recompute()

    def project_changed(self, kinds: frozenset[str]) -> None:
        self.recompute()

    # export ---------------------------------------------------------------------------------
    @on(Input.Submitted, "#export-path")
    @on(Button.Pressed, "#export-go")
    def action_export(self) -> None:
        raw = self.query_one("#export-path", Input).value.strip()
        if not raw:
            self.query_one("#export-path", Input).focus()
            self.app.notify(self.app.t("themes.type_name"), severity="warning")
            return
        path = Path(raw).expanduser()
        suffix = path.suffix.lower()
        if suffix not in TABLE_FORMATS and suffix not in CHART_SUFFIXES:
            self.app.notify(
                self.app.t("themes.unknown_format", suffix=repr(suffix or "(none)")),
                severity="error",
            )
            return
        if self.table is None:
            self.app.notify(self.app.t("themes.computing"), severity="warning")
            return
        # the app's worker: the file is written and said so even if this screen closes first
        self.app.run_core_worker(
            self.app,
            partial(_export, self.table, path, self._lang()),
            group="export",
            done=lambda _: self.app.notify(
                self.app.t("themes.wrote", path=path), title=self.app.t("work.export")
            ),
        )

    # coded segments -------------------------------------------------------------------------
    @on(DataTable.RowSelected, "#themes-table")
    @on(DataTable.CellSelected, "#themes-table")
    def action_retrieve(self) -> None:
        """The segments behind the number under the cursor: the theme's, or (on a group's
        cell) those in cases of that group, of the coders the table counts."""
        data = self.query_one(DataTable)
        table = self.table
        if table is None or not data.row_count:
            return
        row, column = data.cursor_coordinate
        if not 0 <= row < len(table.rows):
            return
        code_id = int(table.rows["code_id"].iloc[row])
        by = None
        groups = table.groups
        group_column = column - 5  # theme, category, documents, mentions, share, then the groups
        if data.cursor_type == "cell" and 0 <= group_column < len(groups) and table.by is not None:
            group = groups[group_column]
            if group != table.missing_label:
                by = (table.by, group)
        settings = self.settings() or {}
        self.app.open_retrieval(code_id, by=by, coder=settings.get("coder"))

    def action_focus_threshold(self) -> None:
        self.query_one("#above", Input).focus()

    def action_close(self) -> None:
        self.app.pop_screen()


__all__ = ["ThemesScreen", "bar", "chart_text"]
