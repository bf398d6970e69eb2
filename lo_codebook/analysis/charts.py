"""Bar charts of a theme table, ready for a report (PNG or SVG).

Uses matplotlib's object API with the Agg canvas only: no pyplot, no GUI backend,
so it is safe in CLI runs, TUI worker threads and headless CI.
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import TypedDict, Unpack

import numpy as np
from matplotlib import colormaps
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.transforms import blended_transform_factory

from lo_codebook.analysis.groups import group_sort_key
from lo_codebook.analysis.labels import check_lang, fmt_percent, t
from lo_codebook.analysis.table import ThemeTable
from lo_codebook.errors import UserError
from lo_codebook.safe_output import atomic_output, check_output_format

CHART_FORMATS = (".png", ".svg")
_WRAP = 46
_MAX_LINES = 2
_CATEGORY_COLOURS = [
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
    "#8c564b", "#e377c2", "#bcbd22", "#17becf", "#7f7f7f",
]  # fmt: skip
_NO_CATEGORY = "#a0a0a0"
_GROUP_MAP = "viridis"


def _check_path(path: str | Path) -> Path:
    """Only PNG and SVG: fail before drawing, naming the file."""
    return check_output_format(path, CHART_FORMATS, "chart", ".png or .svg", "--chart")


def _wrap(name: str) -> str:
    """Break long theme names over at most two lines so the axis stays narrow and rows apart."""
    lines = textwrap.wrap(name, _WRAP, break_long_words=True) or [name]
    if len(lines) > _MAX_LINES:
        lines = lines[:_MAX_LINES]
        lines[-1] = lines[-1][: _WRAP - 1].rstrip() + "…"
    return "\n".join(lines)


def _category_colours(categories: list[str | None]) -> dict[str | None, str]:
    """One colour per category in name order (stable across thresholds), grey for none.

    A flat list (no row has a category) gets one plain colour and no legend.
    """
    named = sorted({c for c in categories if c is not None}, key=group_sort_key)
    if not named:
        return {None: _CATEGORY_COLOURS[0]}
    colours: dict[str | None, str] = {
        c: _CATEGORY_COLOURS[i % len(_CATEGORY_COLOURS)] for i, c in enumerate(named)
    }
    if None in categories:
        colours[None] = _NO_CATEGORY
    return colours


def _row_height(names: list[str]) -> float:
    """Inches per bar: rows are evenly spaced, so the tallest (wrapped) label sets the pitch."""
    lines = max((name.count("\n") + 1 for name in names), default=1)
    return 0.2 + 0.16 * lines


def _empty(fig: Figure, title: str, lang: str) -> None:
    """A readable placeholder when no theme passes the threshold."""
    ax = fig.add_subplot()
    ax.set_axis_off()
    ax.text(0.5, 0.5, t("no_rows", lang), ha="center", va="center", fontsize=12, color="0.4")
    ax.set_title(title, loc="left", fontsize=13, fontweight="bold")


def _default_title(table: ThemeTable, lang: str, by: bool = False) -> str:
    """Title naming what is counted, the breakdown, and over how many documents."""
    what = t("categories_title" if table.level == "category" else "themes_title", lang)
    if by and table.by:
        what = f"{what} {t('by', lang)} {table.by}"
    return f"{what} (N = {table.scope})"


def _total_figure(table: ThemeTable, title: str, threshold: int | None, lang: str) -> Figure:
    """One bar per row, coloured by category, count at the bar end, threshold dashed."""
    metric = table.metric
    values = table.rows[metric].to_numpy(dtype=float)
    names = [_wrap(str(n)) for n in table.rows["code"]]
    categories = [None if c is None or c != c else str(c) for c in table.rows["category"]]
    fig = Figure(figsize=(10, 1.6 + _row_height(names) * len(names)), layout="constrained")
    if not len(values):
        fig.set_figheight(2.5)
        _empty(fig, title, lang)
        return fig
    ax = fig.add_subplot()
    colours = _category_colours(categories)
    y = np.arange(len(values))
    face = [to_rgba(colours[c]) for c in categories]
    if threshold is not None:
        face = [
            to_rgba(f, 0.35) if v <= threshold else f for f, v in zip(face, values, strict=True)
        ]
    bars = ax.barh(y, values, height=0.7, color=face, edgecolor="none", zorder=2)
    texts = ax.bar_label(
        bars, labels=[f"{int(v)}" for v in values], padding=3, fontsize=9, zorder=4
    )
    for text in texts:  # keep the count readable where it meets the threshold line
        text.set_bbox({"facecolor": "white", "edgecolor": "none", "pad": 0.6, "alpha": 0.85})
    ax.set_yticks(y, names, fontsize=9)
    ax.set_ylim(len(values) - 0.5, -0.5)  # inverted: the largest bar on top
    top = max(float(values.max()), float(threshold or 0))
    ax.set_xlim(0, top * 1.12 + 1)
    ax.set_xlabel(t("axis_" + table.unit, lang))
    ax.xaxis.grid(True, color="0.9", zorder=0)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.set_title(title, loc="left", fontsize=13, fontweight="bold", pad=16)

    handles: list[Patch] = []
    if any(c is not None for c in colours):
        handles = [
            Patch(color=colour, label=t("no_category", lang) if c is None else c)
            for c, colour in colours.items()
        ]
    if threshold is not None:
        label = f"{t('threshold', lang)}: > {threshold}"
        ax.axvline(threshold, color="0.2", linestyle="--", linewidth=1.2, zorder=3)
        trans = blended_transform_factory(ax.transData, ax.transAxes)
        ax.text(threshold, 1.0, label, transform=trans, ha="center", va="bottom", fontsize=9)
    if handles:
        ncol = min(len(handles), 4)
        fig.legend(
            handles=handles, loc="outside lower center", ncol=ncol, fontsize=9, frameon=False
        )
    return fig


def _by_figure(table: ThemeTable, title: str, lang: str) -> Figure:
    """Grouped bars: per theme the percentage of each group's documents that mention it."""
    assert table.by_share is not None
    groups = table.groups
    names = [_wrap(str(n)) for n in table.rows["code"]]
    n_rows, n_groups = len(names), max(len(groups), 1)
    per_row = max(_row_height(names), 0.16 * n_groups + 0.2)
    fig = Figure(figsize=(10, 2.0 + per_row * n_rows), layout="constrained")
    if not n_rows or not groups:
        fig.set_figheight(2.5)
        _empty(fig, title, lang)
        return fig
    ax = fig.add_subplot()
    palette = colormaps[_GROUP_MAP]
    height = 0.8 / n_groups
    y = np.arange(n_rows)
    for k, group in enumerate(groups):
        missing = group == table.missing_label
        colour = _NO_CATEGORY if missing else palette(k / max(n_groups - 1, 1) * 0.9)
        shares = table.by_share[group].to_numpy(dtype=float) * 100
        offset = (k - (n_groups - 1) / 2) * height
        label = f"{group} (n={table.group_sizes.get(group, 0)})"
        bars = ax.barh(y + offset, shares, height=height, color=colour, label=label, zorder=2)
        texts = [fmt_percent(s / 100, lang, 0) for s in shares]
        ax.bar_label(bars, labels=texts, padding=2, fontsize=7, color="0.25")
    ax.set_yticks(y, names, fontsize=9)
    ax.set_ylim(n_rows - 0.5, -0.5)
    ax.set_xlim(0, 112)
    ax.set_xlabel(t("axis_percent", lang))
    ax.xaxis.grid(True, color="0.9", zorder=0)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.set_title(title, loc="left", fontsize=13, fontweight="bold", pad=10)
    for row in range(1, n_rows, 2):  # banding keeps each theme's group of bars together
        ax.axhspan(row - 0.5, row + 0.5, color="0.96", zorder=0)
    handles, labels = ax.get_legend_handles_labels()
    fig.legend(
        handles,
        labels,
        loc="outside lower center",
        ncol=min(n_groups, 5),
        fontsize=8,
        title=table.by,
        title_fontsize=8,
        frameon=False,
    )
    return fig


def theme_figure(
    table: ThemeTable,
    *,
    title: str | None = None,
    threshold: int | None = None,
    variant: str = "auto",
    lang: str = "nl",
) -> Figure:
    """Build the chart as a matplotlib Figure (for embedding); see :func:`theme_chart`."""
    check_lang(lang)
    if variant not in ("auto", "total", "by"):
        raise UserError(f"unknown chart variant {variant!r}; use auto, total or by")
    use_by = variant == "by" or (variant == "auto" and table.by_share is not None)
    title = title if title is not None else _default_title(table, lang, by=use_by)
    if use_by:
        if table.by_share is None:
            raise UserError("a per-group chart needs a table made with --by", where="--chart")
        fig = _by_figure(table, title, lang)
    else:
        limit = threshold if threshold is not None else table.above
        fig = _total_figure(table, title, limit, lang)
    FigureCanvasAgg(fig)
    return fig


class ChartOptions(TypedDict, total=False):
    """What `theme_chart` passes on to `theme_figure`, as it names them."""

    title: str | None
    threshold: int | None
    variant: str
    lang: str


def theme_chart(table: ThemeTable, path: str | Path, **options: Unpack[ChartOptions]) -> Path:
    """Save a horizontal bar chart of ``table`` to ``path`` (.png or .svg) and return the path.

    Bars are sorted as the table (largest on top), coloured by category, with the
    count at each bar end; ``threshold`` (default: the table's ``above``) is drawn
    as a dashed line and bars at or below it are faded. A table made with ``by``
    is drawn as grouped bars of per-group percentages unless ``variant="total"``.
    """
    target = _check_path(path)
    fig = theme_figure(table, **options)
    kwargs: dict[str, object] = {"format": target.suffix.lower()[1:]}
    if target.suffix.lower() == ".svg":
        kwargs["metadata"] = {"Date": None}  # reproducible files
    else:
        kwargs["dpi"] = 150
    with atomic_output(target) as handle:
        fig.savefig(handle, **kwargs)
    return target
