"""Theme table exports: JSON records, terminal text, CSV, Markdown and Excel.

One place decides how a :class:`ThemeTable` looks in every format, so the CLI,
the TUI and scripts show the same numbers with the same scope and threshold.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import IO, Any

import pandas as pd

from lo_codebook import __version__
from lo_codebook.analysis.labels import check_lang, fmt_percent, t, threshold_text
from lo_codebook.analysis.table import ThemeTable
from lo_codebook.errors import UserError
from lo_codebook.safe_output import safe_cell, write_bytes, write_text

FORMATS = ("table", "csv", "xlsx", "md", "json")
_TEXT_MAX_NAME = 60


def to_records(table: ThemeTable) -> list[dict[str, Any]]:
    """The SPEC's JSON rows: ``{"code", "category", "documents", "mentions", "share"}`` (+ ``"by"``).

    Sorted by ``documents`` descending as the SPEC promises, whatever unit the table
    uses for its threshold (ties keep the table's order: mentions, then name).
    """
    records: list[dict[str, Any]] = []
    counts = table.by_counts
    for i, row in enumerate(table.rows.itertuples(index=False)):
        record: dict[str, Any] = {
            "code": str(row.code),
            "category": None
            if row.category is None or pd.isna(row.category)
            else str(row.category),
            "documents": int(row.documents),
            "mentions": int(row.mentions),
            "share": float(row.share),
        }
        if counts is not None:
            record["by"] = {str(g): int(n) for g, n in counts.iloc[i].items()}
        if table.coders:
            record["coders"] = list(table.coders)
        if table.estimates is not None:
            record.update(_estimate_record(table, i))
        if table.by_estimates is not None:
            record["by_estimate"] = {
                str(g): {key: _number(frame.at[i, key]) for key in ("estimate", "low", "high")}
                for g, frame in table.by_estimates.items()
            }
        records.append(record)
    records.sort(key=lambda r: -r["documents"])  # stable: ties keep the table's order
    return records


def _number(value: Any) -> float | None:
    return None if value is None or pd.isna(value) else round(float(value), 1)


def _estimate_record(table: ThemeTable, i: int) -> dict[str, Any]:
    """``estimate, low, high`` (validation sample) and, with a threshold, whether it is uncertain."""
    assert table.estimates is not None
    out: dict[str, Any] = {
        key: _number(table.estimates.at[i, key]) for key in ("estimate", "low", "high")
    }
    if table.above is not None:
        out["uncertain"] = table.uncertain(i)
        out["note"] = uncertain_note(table, i) or None
    return out


def uncertain_note(table: ThemeTable, i: int, lang: str = "en") -> str:
    """``> 10: uncertain`` when row ``i``'s estimated interval straddles the threshold."""
    return f"> {table.above}: {t('uncertain', lang)}" if table.uncertain(i) else ""


def estimate_text(table: ThemeTable, i: int, group: str | None = None) -> str:
    """``34 (26–48)``, or ``-`` without an estimate for the row (of one `by` group)."""
    frame = table.estimates if group is None else (table.by_estimates or {}).get(group)
    if frame is None:
        return ""
    value, low, high = (frame.at[i, k] for k in ("estimate", "low", "high"))
    if pd.isna(value):
        return "-"
    return f"{value:.0f} ({low:.0f}–{high:.0f})"


def _group_estimate_groups(table: ThemeTable) -> list[str]:
    """The `by` groups that have an estimate column (a sample stratified by `by`)."""
    return [g for g in table.groups if table.by_estimates is not None and g in table.by_estimates]


def to_json(table: ThemeTable) -> str:
    """The records as pretty JSON text (UTF-8 names kept readable)."""
    return json.dumps(to_records(table), ensure_ascii=False, indent=2)


def _group_header(table: ThemeTable, group: str) -> str:
    """Group column title with its size, e.g. ``<20.000 (n=40)``."""
    return f"{group} (n={table.group_sizes.get(group, 0)})"


def _column_titles(table: ThemeTable, lang: str) -> tuple[str, str]:
    """Titles of the name and category columns for the table's level."""
    if table.level == "category":
        return t("category_col", lang), t("parent", lang)
    return t("theme", lang), t("category_col", lang)


def _display_rows(table: ThemeTable, lang: str) -> tuple[list[str], list[list[str]], list[bool]]:
    """Header, string cells and right-alignment flags for the text and Markdown tables."""
    name_title, cat_title = _column_titles(table, lang)
    header = [name_title, cat_title, t("documents", lang), t("mentions", lang), t("share", lang)]
    right = [False, False, True, True, True]
    header += [_group_header(table, g) for g in table.groups]
    right += [True] * len(table.groups)
    with_estimates = table.estimates is not None
    with_note = with_estimates and table.above is not None
    if with_estimates:
        header.append(t("estimate_col", lang))
        right.append(True)
    estimated_groups = _group_estimate_groups(table)
    header += [f"{t('estimate_col', lang)} {g}" for g in estimated_groups]
    right += [True] * len(estimated_groups)
    if with_note:
        header.append(t("validation_col", lang))
        right.append(False)
    cells: list[list[str]] = []
    for i, row in enumerate(table.rows.itertuples(index=False)):
        category = "" if row.category is None or pd.isna(row.category) else str(row.category)
        line = [
            str(row.code),
            category,
            str(int(row.documents)),
            str(int(row.mentions)),
            fmt_percent(float(row.share), lang),
        ]
        if table.by_counts is not None and table.by_share is not None:
            for g in table.groups:
                n = int(table.by_counts.at[i, g])
                line.append(f"{n} ({fmt_percent(float(table.by_share.at[i, g]), lang)})")
        if with_estimates:
            line.append(estimate_text(table, i))
        line += [estimate_text(table, i, g) for g in estimated_groups]
        if with_note:
            line.append(uncertain_note(table, i, lang))
        cells.append(line)
    return header, cells, right


def _coders_text(table: ThemeTable) -> str:
    """The counted coders; one consensus coder as `consensus (anna + bram)` (`table.coder`)."""
    if len(table.coders) == 1 and table.coder:
        return table.coder
    return ", ".join(table.coders)


def caption(table: ThemeTable, lang: str = "nl") -> str:
    """One line with what a reader needs to reproduce the table: scope, threshold, unit."""
    title = t("categories_title" if table.level == "category" else "themes_title", lang)
    parts = [
        f"{title}: {table.scope} {t('in_scope', lang)}",
        threshold_text(table.above, table.unit, lang),
        f"{t('unit', lang)}: {t('unit_' + table.unit, lang)}",
    ]
    if table.coders:
        label = t("coder" if len(table.coders) == 1 else "coders", lang)
        parts.append(f"{label}: {_coders_text(table)}")
    elif table.coder:
        parts.append(f"{t('coder', lang)}: {table.coder}")
    if table.by:
        parts.append(f"{t('by', lang)}: {table.by}")
    if table.estimates_source:
        parts.append(table.estimates_source)
    return " · ".join(parts)


def _clip(text: str, width: int) -> str:
    """Shorten very long names for the terminal, marking the cut."""
    return text if len(text) <= width else text[: width - 1] + "…"


def render_text(table: ThemeTable, lang: str = "nl") -> str:
    """An aligned plain-text table for the terminal, under a caption line."""
    check_lang(lang)
    header, cells, right = _display_rows(table, lang)
    cells = [[_clip(c, _TEXT_MAX_NAME) if j < 2 else c for j, c in enumerate(r)] for r in cells]
    widths = [max([len(header[j])] + [len(r[j]) for r in cells]) for j in range(len(header))]

    def line(values: list[str]) -> str:
        out = [
            v.rjust(w) if r else v.ljust(w) for v, w, r in zip(values, widths, right, strict=True)
        ]
        return "  ".join(out).rstrip()

    lines = [caption(table, lang), "", line(header), "  ".join("-" * w for w in widths)]
    lines += [line(r) for r in cells] or [t("no_rows", lang)]
    return "\n".join(lines) + "\n"


def _escape_md(text: str) -> str:
    """Keep a cell inside its Markdown pipe-table column."""
    return " ".join(text.replace("\\", "\\\\").replace("|", "\\|").split())


def to_markdown(table: ThemeTable, lang: str = "nl") -> str:
    """A GitHub pipe table (numbers right-aligned), ready to paste into a report."""
    check_lang(lang)
    header, cells, right = _display_rows(table, lang)
    rows = [
        "| " + " | ".join(_escape_md(h) for h in header) + " |",
        "|" + "|".join("---:" if r else ":---" for r in right) + "|",
    ]
    rows += ["| " + " | ".join(_escape_md(c) for c in r) + " |" for r in cells]
    return "\n".join(rows) + "\n"


def spreadsheet_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy whose text cells and column titles cannot run as spreadsheet formulas
    (`safe_output.safe_cell`: a leading `'`); numeric columns are left as they are."""
    out = frame.copy()
    out.columns = [safe_cell(str(c)) for c in out.columns]
    for column in out.columns:
        if not pd.api.types.is_numeric_dtype(out[column]):
            out[column] = out[column].map(safe_cell).astype("object")
    return out


def csv_frame(table: ThemeTable, lang: str | None = None) -> pd.DataFrame:
    """Flat frame for CSV: shares as fractions, numbers unformatted (machine-readable).

    Headers in `lang` (the output language, as the terminal table and Excel have them);
    None: the stable English names `code,category,documents,mentions,share` for scripts.
    Names and group labels are escaped for spreadsheets (`spreadsheet_safe`)."""
    frame = table.rows[["code", "category", "documents", "mentions", "share"]].copy()
    share_word = "share"
    if lang is not None:
        check_lang(lang)
        name_title, cat_title = _column_titles(table, lang)
        frame.columns = [
            name_title,
            cat_title,
            t("documents", lang),
            t("mentions", lang),
            t("share", lang),
        ]
        share_word = t("share", lang).lower()
    if table.by_counts is not None and table.by_share is not None:
        for g in table.groups:
            frame[f"{table.by}={g}"] = table.by_counts[g].to_numpy()
            frame[f"{table.by}={g} {share_word}"] = table.by_share[g].to_numpy()
    if table.coders:
        frame["coders" if lang is None else t("coders", lang)] = ";".join(table.coders)
    if table.estimates is not None:
        for key in ("estimate", "low", "high"):
            frame[key] = table.estimates[key].round(1).to_numpy()
        _add_group_estimates(table, frame)
        if table.above is not None:
            frame["note"] = [uncertain_note(table, i) for i in range(len(table))]
    return spreadsheet_safe(frame)


def _add_group_estimates(table: ThemeTable, frame: pd.DataFrame) -> None:
    """Columns ``ATTR=GROUP estimate|low|high`` (a sample stratified by the table's `by`)."""
    for g in _group_estimate_groups(table):
        assert table.by_estimates is not None
        for key in ("estimate", "low", "high"):
            frame[f"{table.by}={g} {key}"] = table.by_estimates[g][key].round(1).to_numpy()


def to_csv(
    table: ThemeTable,
    path_or_buffer: str | Path | IO[str] | None = None,
    *,
    lang: str | None = None,
) -> str | None:
    """Write UTF-8 CSV to a path (atomically) or text buffer; with None, return the CSV text."""
    if isinstance(path_or_buffer, (str, Path)):
        write_text(path_or_buffer, csv_frame(table, lang).to_csv(index=False, lineterminator="\n"))
        return None
    return csv_frame(table, lang).to_csv(path_or_buffer, index=False, lineterminator="\n")


def _metadata(table: ThemeTable, lang: str) -> list[tuple[str, str]]:
    """Key/value rows for the Excel metadata sheet."""
    meta = [
        (t("in_scope", lang), str(table.scope)),
        (t("threshold", lang), threshold_text(table.above, table.unit, lang).split(": ", 1)[1]),
        (t("unit", lang), t("unit_" + table.unit, lang)),
        (t("level", lang), t("level_" + table.level, lang)),
    ]
    if table.by:
        meta.append((t("by", lang), table.by))
        meta += [(f"{table.by} = {g}", str(n)) for g, n in table.group_sizes.items()]
    if table.coders:
        meta.append((t("coder" if len(table.coders) == 1 else "coders", lang), _coders_text(table)))
    elif table.coder:
        meta.append((t("coder", lang), table.coder))
    meta.append((t("created", lang), table.created.isoformat(timespec="seconds")))
    meta.append((t("generator", lang), f"lo-codebook {__version__}"))
    return meta


def to_xlsx(table: ThemeTable, path: str | Path | IO[bytes], lang: str = "nl") -> None:
    """Write an Excel workbook: the table (bold header, sized columns) and a metadata sheet.
    A path is written atomically (the workbook is built in memory first)."""
    if isinstance(path, (str, Path)):
        buffer = io.BytesIO()
        to_xlsx(table, buffer, lang=lang)
        write_bytes(path, buffer.getvalue())
        return
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    check_lang(lang)
    name_title, cat_title = _column_titles(table, lang)
    frame = pd.DataFrame(
        {
            name_title: table.rows["code"].astype("object"),
            cat_title: table.rows["category"].astype("object"),
            t("documents", lang): table.rows["documents"],
            t("mentions", lang): table.rows["mentions"],
            t("share", lang): table.rows["share"],
        }
    )
    percent_cols = {t("share", lang)}
    if table.by_counts is not None and table.by_share is not None:
        for g in table.groups:
            frame[_group_header(table, g)] = table.by_counts[g].to_numpy()
            frame[f"{g} %"] = table.by_share[g].to_numpy()
            percent_cols.add(f"{g} %")
    if table.estimates is not None:
        for key in ("estimate", "low", "high"):
            frame[key] = table.estimates[key].round(1).to_numpy()
        _add_group_estimates(table, frame)
        if table.above is not None:
            frame[t("validation_col", lang)] = [
                uncertain_note(table, i, lang) for i in range(len(table))
            ]
    meta = pd.DataFrame(
        _metadata(table, lang), columns=[t("meta_key", lang), t("meta_value", lang)]
    )
    # Code names, group labels (respondents' own answers) and coder names are text, never
    # formulas; counts and shares stay numbers.
    frame, meta = spreadsheet_safe(frame), spreadsheet_safe(meta)
    percent_cols = {safe_cell(c) for c in percent_cols}
    sheet = t("categories_title" if table.level == "category" else "sheet_table", lang)
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        frame.to_excel(writer, sheet_name=sheet, index=False)
        meta.to_excel(writer, sheet_name=t("sheet_meta", lang), index=False)
        for name, data in ((sheet, frame), (t("sheet_meta", lang), meta)):
            ws = writer.sheets[name]
            for j, column in enumerate(data.columns, start=1):
                ws.cell(row=1, column=j).font = Font(bold=True)
                values = [str(column)] + ["" if pd.isna(v) else str(v) for v in data[column]]
                width = min(max(len(v) for v in values) + 2, 60)
                ws.column_dimensions[get_column_letter(j)].width = max(width, 8)
                if column in percent_cols:
                    for r in range(2, len(data) + 2):
                        ws.cell(row=r, column=j).number_format = "0.0%"
            ws.freeze_panes = "A2"
        writer.sheets[sheet].auto_filter.ref = writer.sheets[sheet].dimensions


def write_table(
    table: ThemeTable,
    fmt: str,
    path: str | Path | None = None,
    *,
    lang: str = "nl",
) -> str | None:
    """Render ``table`` as ``fmt`` (table|csv|xlsx|md|json); write to ``path`` if given.

    Returns the text for the text formats (also when written), None for xlsx.
    """
    if fmt not in FORMATS:
        raise UserError(
            f"unknown format {fmt!r}; use one of: {', '.join(FORMATS)}", where="--format"
        )
    if fmt == "xlsx":
        if path is None:
            raise UserError("xlsx needs an output file (-o FILE.xlsx)", where="--format")
        # Built in memory, then written at once: a full disk fails in our writer, never
        # inside a half-saved zip archive.
        buffer = io.BytesIO()
        to_xlsx(table, buffer, lang=lang)
        write_bytes(path, buffer.getvalue())
        return None
    if fmt == "csv":
        buffer = io.StringIO()
        to_csv(table, buffer, lang=lang)
        text = buffer.getvalue()
    elif fmt == "md":
        text = to_markdown(table, lang=lang)
    elif fmt == "json":
        text = to_json(table) + "\n"
    else:
        text = render_text(table, lang=lang)
    if path is not None:
        write_text(path, text)
    return text
