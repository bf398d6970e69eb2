"""Write a `report_model.Report` as one self-contained HTML file, Markdown, or .docx.

The report is first laid out once as a list of blocks (headings, paragraphs, tables, charts,
quotes); each format only draws blocks, so the three files say exactly the same. Output is
reproducible: the same report gives the same bytes apart from its date line (charts are
PNGs without a timestamp, the .docx archive has fixed member dates and properties).
All text is escaped for its format; characters no document format may hold are dropped.
"""

from __future__ import annotations

import base64
import html
import io
import re
import struct
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote as url_quote

from lo_codebook.analysis.charts import theme_figure
from lo_codebook.analysis.labels import fmt_decimal, fmt_percent
from lo_codebook.analysis.report_model import Quote, Report, Section
from lo_codebook.analysis.report_words import w
from lo_codebook.safe_output import BIDI_CONTROLS, check_output_format, write_bytes

REPORT_FORMATS = (".html", ".htm", ".md", ".docx")
CHART_DPI = 110
_FIXED_ZIP_DATE = (1980, 1, 1, 0, 0, 0)
# Characters XML 1.0 (and so HTML and .docx) cannot hold, plus DEL, C1 and bidi controls.
_UNSAFE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff"
    + "".join(sorted(BIDI_CONTROLS))
    + "]"
)


def clean(text: object) -> str:
    """Text any of the three formats can hold: unsafe controls left out."""
    return _UNSAFE.sub("", str(text))


# --------------------------------------------------------------------------- blocks


@dataclass(frozen=True)
class Heading:
    level: int
    text: str


@dataclass(frozen=True)
class Paragraph:
    text: str
    role: str = ""  # "date": the one line that changes from run to run


@dataclass(frozen=True)
class Table:
    header: list[str]
    rows: list[list[str]]
    right: list[bool]
    group_rows: frozenset[int] = frozenset()  # rows that only name a category


@dataclass(frozen=True)
class Chart:
    png: bytes
    caption: str
    slug: str

    @property
    def size(self) -> tuple[int, int]:
        """Pixel width and height from the PNG header."""
        width, height = struct.unpack(">II", self.png[16:24])
        return int(width), int(height)


@dataclass(frozen=True)
class Quotes:
    items: list[tuple[str, str]] = field(default_factory=list)  # (quote, attribution)


Block = Heading | Paragraph | Table | Chart | Quotes


def _chart(section: Section, variant: str, title: str, lang: str, slug: str) -> Chart:
    figure = theme_figure(section.table, title=title, variant=variant, lang=lang)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=CHART_DPI, metadata={"Software": None})
    return Chart(buffer.getvalue(), title, slug)


def _category_order(report: Report) -> dict[str, int]:
    """Categories in codebook order."""
    order: dict[str, int] = {}
    for entry in report.codebook:
        if entry.parent is not None and entry.parent not in order:
            order[entry.parent] = len(order)
    return order


def _grouped_rows(report: Report, section: Section) -> list[tuple[str | None, list[int]]]:
    """Row numbers of the theme table per category (codebook order), largest first within."""
    order = _category_order(report)
    groups: dict[str | None, list[int]] = {}
    for i, category in enumerate(section.table.rows["category"]):
        key = None if category is None or category != category else str(category)
        groups.setdefault(key, []).append(i)
    return sorted(
        groups.items(),
        key=lambda kv: (kv[0] is None, order.get(kv[0] or "", len(order)), kv[0] or ""),
    )


def _kind_words(section: Section, lang: str) -> dict[str, str]:
    return {
        "kind": w(f"kind_{section.kind}", lang),
        "docs": w(f"docs_{section.kind}", lang),
        "cases_word": w(f"cases_{section.kind}", lang),
    }


def _attribution(quote: Quote, lang: str) -> str:
    who = quote.case or quote.document
    parts = [
        who
        if not quote.case or quote.case == quote.document
        else f"{quote.case} ({quote.document})"
    ]
    if quote.group:
        parts.append(quote.group)
    if quote.speaker:
        parts.append(f"{w('speaker', lang)}: {quote.speaker}")
    return ", ".join(parts)


def _sources_blocks(report: Report, lang: str) -> list[Block]:
    blocks: list[Block] = [Heading(2, w("sources", lang))]
    parts = [
        w("source_part", lang, documents=s.documents, cases=s.cases, **_kind_words(s, lang))
        for s in report.sections
    ]
    joined = (
        parts[0]
        if len(parts) == 1
        else ", ".join(parts[:-1]) + f" {w('and', lang)} " + parts[-1]
        if parts
        else "-"
    )
    blocks.append(Paragraph(w("sources_intro", lang, parts=joined)))
    blocks.append(
        Table(
            [w("source", lang), w("documents", lang), w("cases", lang), w("words", lang)],
            [
                [w(f"kind_{s.kind}", lang), str(s.documents), str(s.cases), str(s.words)]
                for s in report.sections
            ],
            [False, True, True, True],
        )
    )
    if report.cases_without_documents:
        many = "many" if report.cases_without_documents != 1 else "one"
        blocks.append(
            Paragraph(w(f"without_documents_{many}", lang, n=report.cases_without_documents))
        )
    for section in report.sections:
        for attribute in section.attributes:
            words = _kind_words(section, lang)
            blocks.append(Paragraph(w("per_attribute", lang, key=attribute.key, **words)))
            blocks.append(
                Table(
                    [attribute.key, w("n", lang)],
                    [[value, str(n)] for value, n in attribute.counts],
                    [False, True],
                )
            )
    return blocks


def _theme_table(report: Report, section: Section, lang: str) -> Table:
    rows: list[list[str]] = []
    group_rows: set[int] = set()
    frame = section.table.rows
    for category, members in _grouped_rows(report, section):
        group_rows.add(len(rows))
        rows.append([category if category is not None else w("no_category", lang), "", "", ""])
        for i in members:
            rows.append(
                [
                    str(frame.at[i, "code"]),
                    str(int(frame.at[i, "documents"])),
                    str(int(frame.at[i, "mentions"])),
                    fmt_percent(float(frame.at[i, "share"]), lang),
                ]
            )
    header = [w("theme", lang), w("documents", lang), w("mentions", lang), w("share", lang)]
    return Table(header, rows, [False, True, True, True], frozenset(group_rows))


def _by_table(section: Section, lang: str) -> Table:
    table = section.table
    assert table.by_counts is not None and table.by_share is not None
    header = [w("theme", lang), f"{w('documents', lang)} (n={table.scope})"]
    header += [f"{g} (n={table.group_sizes.get(g, 0)})" for g in table.groups]
    rows = []
    for i in range(len(table.rows)):
        line = [str(table.rows.at[i, "code"]), str(int(table.rows.at[i, "documents"]))]
        for g in table.groups:
            n = int(table.by_counts.at[i, g])
            line.append(f"{n} ({fmt_percent(float(table.by_share.at[i, g]), lang, 0)})")
        rows.append(line)
    return Table(header, rows, [False] + [True] * (len(header) - 1))


def _section_blocks(report: Report, section: Section, number: int, lang: str) -> list[Block]:
    table = section.table
    words = _kind_words(section, lang)
    above = report.methods.above
    title_key = "section_title_applied" if section.threshold_applied else "section_title_all"
    blocks: list[Block] = [
        Heading(2, w(title_key, lang, above=above, n=section.documents, **words))
    ]
    total = len(
        {entry.name for entry in report.codebook} - {e.parent for e in report.codebook if e.parent}
    )
    if not len(table):
        blocks.append(
            Paragraph(w("no_themes" if section.threshold_applied else "nothing_coded", lang))
        )
        return blocks
    intro_key = "applied_intro" if section.threshold_applied else "all_intro"
    blocks.append(
        Paragraph(
            w(
                intro_key,
                lang,
                shown=len(table),
                total=total,
                above=above,
                n=section.documents,
                **words,
            )
        )
    )
    blocks.append(_theme_table(report, section, lang))
    blocks.append(
        _chart(
            section,
            "total",
            w("chart_total", lang, n=section.documents, **words),
            lang,
            f"{number}-{section.kind}-themes",
        )
    )
    if table.by is not None and table.by_counts is not None:
        blocks.append(Heading(3, w("by_title", lang, by=table.by, **words)))
        blocks.append(Paragraph(w("by_intro", lang, by=table.by, **words)))
        blocks.append(_by_table(section, lang))
        if any(section.group_cases.get(g, 0) != table.group_sizes.get(g, 0) for g in table.groups):
            counts = ", ".join(f"{g} {section.group_cases.get(g, 0)}" for g in table.groups)
            blocks.append(Paragraph(w("group_cases", lang, counts=counts, **words).capitalize()))
        blocks.append(
            _chart(
                section,
                "by",
                w("chart_by", lang, by=table.by, **words),
                lang,
                f"{number}-{section.kind}-by-{_slug(table.by)}",
            )
        )
    blocks.append(Heading(3, w("quotes_title", lang, **words)))
    intro = w("quotes_intro", lang)
    if report.methods.pseudonymised:
        intro += " " + w("quotes_pseudonymised", lang)
    blocks.append(Paragraph(intro))
    frame = table.rows
    for _category, members in _grouped_rows(report, section):
        for i in members:
            code_id = int(frame.at[i, "code_id"])
            blocks.append(Heading(4, str(frame.at[i, "code"])))
            quotes = section.quotes.get(code_id, ())
            if quotes:
                blocks.append(
                    Quotes(
                        [(q.text + ("…" if q.cut else ""), _attribution(q, lang)) for q in quotes]
                    )
                )
            else:
                blocks.append(Paragraph(w("no_quotes", lang)))
    return blocks


def _shell_word(text: str) -> str:
    """A word as a shell reads it back (quoted when it holds anything unusual)."""
    import shlex

    return shlex.quote(text)


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower() or "group"


def _methods_blocks(report: Report, lang: str) -> list[Block]:
    m = report.methods
    blocks: list[Block] = [Heading(2, w("methods", lang))]
    text: list[str] = []
    if m.consensus is not None and len(m.coders) == 1:
        text.append(
            w("coding_consensus", lang, label=m.coders[0], a=m.consensus[0], b=m.consensus[1])
        )
        if not m.coder_chosen:
            text.append(w("coding_default_consensus", lang))
    elif len(m.coders) == 1:
        text.append(w("coding_one", lang, coder=m.coders[0]))
    elif m.coders:
        text.append(w("coding_pooled", lang, coders=", ".join(m.coders)))
    if m.other_coders:
        text.append(w("coding_others", lang, others=", ".join(m.other_coders)))
    total = sum(m.origins.values())
    if total:
        known = ("manual", "accepted", "imported", "consensus", "merged")
        parts = [w(f"origin_{o}", lang, n=m.origins[o]) for o in known if m.origins.get(o)]
        parts += [
            w("origin_other", lang, n=n, origin=o)
            for o, n in m.origins.items()
            if o not in known and n
        ]
        joined = (
            parts[0]
            if len(parts) == 1
            else ", ".join(parts[:-1]) + f" {w('and', lang)} " + parts[-1]
        )
        text.append(w("origins", lang, total=total, parts=joined))
    blocks.append(Paragraph(" ".join(text) or w("nothing_coded", lang)))

    if not m.agreements and m.coders:
        blocks.append(Paragraph(w("agreement_single", lang)))
    for a in m.agreements:
        if a.documents == 0 or (
            a.alpha is None and a.alpha_all_codes is None and a.mean_kappa is None
        ):
            blocks.append(
                Paragraph(
                    w("agreement_none", lang, a=a.coders[0], b=a.coders[1], note=a.note or "-")
                )
            )
            continue
        blocks.append(
            Paragraph(
                w(
                    "agreement",
                    lang,
                    a=a.coders[0],
                    b=a.coders[1],
                    n=a.documents,
                    alpha=fmt_decimal(a.alpha, lang, 3),
                    used=a.codes_used,
                    alpha_all=fmt_decimal(a.alpha_all_codes, lang, 3),
                    codes=a.codes,
                    kappa=fmt_decimal(a.mean_kappa, lang, 3),
                    pooled=fmt_decimal(a.pooled_kappa, lang, 3),
                )  # fmt: skip
            )
        )
    if m.validation:
        sample = m.validation_sample
        text_v = w("validation", lang)
        if sample.get("done") is not None and sample.get("coder"):
            text_v = (
                w("validation_sample", lang, done=sample["done"], coder=sample["coder"])
                + " "
                + text_v
            )
        blocks.append(Paragraph(text_v))
        rows = []
        for v in m.validation:
            interval = (
                "-"
                if v.low is None or v.high is None
                else f"{fmt_decimal(v.low, lang, 0)}–{fmt_decimal(v.high, lang, 0)}"
            )
            rows.append(
                [
                    v.code,
                    "-" if v.precision is None else fmt_percent(v.precision, lang, 0),
                    "-" if v.recall is None else fmt_percent(v.recall, lang, 0),
                    fmt_decimal(v.estimate, lang, 0),
                    interval,
                    f"> {m.above}: {w('uncertain', lang)}" if v.uncertain else "",
                ]
            )
        header = [
            w("code", lang),
            w("precision", lang),
            w("recall", lang),
            w("estimate", lang),
            w("interval", lang),
            w("validation_col", lang),
        ]
        blocks.append(Table(header, rows, [False, True, True, True, True, False]))
        if any(v.uncertain for v in m.validation):
            blocks.append(Paragraph(w("uncertain_rule", lang, above=m.above)))
    blocks.append(Paragraph(w("threshold_rule", lang, above=m.above, doc="document")))
    settings = ", ".join(
        [
            w("setting_language", lang, value=report.language),
            w("setting_above", lang, value=m.above),
            w("setting_by", lang, value=m.by or w("none", lang)),
            w("setting_coder", lang, value=", ".join(m.coders) or w("none", lang)),
            w("setting_pseudonymise", lang, value=w("yes" if m.pseudonymised else "no", lang)),
        ]
    )
    blocks.append(Paragraph(w("tool", lang, version=m.version, settings=settings)))
    command = f"lo-codebook report -o FILE --above {m.above}"
    if m.by:
        command += f" --by {_shell_word(m.by)}"
    if m.coder_option:
        command += f" --coder {_shell_word(m.coder_option)}"
    if m.pseudonymised:
        command += " --pseudonymise"
    blocks.append(Paragraph(w("command", lang, command=command)))
    return blocks


def _appendix_blocks(report: Report, lang: str) -> list[Block]:
    blocks: list[Block] = [
        Heading(2, w("appendix", lang)),
        Paragraph(w("appendix_intro", lang, n=len(report.codebook))),
    ]
    rows = [[e.name, e.parent or "", e.description] for e in report.codebook]
    header = [w("code", lang), w("category", lang), w("description", lang)]
    blocks.append(Table(header, rows, [False, False, False]))
    return blocks


def report_blocks(report: Report) -> list[Block]:
    """The report laid out once, for every format."""
    lang = report.language
    blocks: list[Block] = [
        Heading(1, f"{w('title', lang)}: {report.project}"),
        Paragraph(w("date", lang, date=report.date), role="date"),
    ]
    blocks += _sources_blocks(report, lang)
    for number, section in enumerate(report.sections, start=1):
        blocks += _section_blocks(report, section, number, lang)
    blocks += _methods_blocks(report, lang)
    blocks += _appendix_blocks(report, lang)
    return blocks


# --------------------------------------------------------------------------- HTML

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a;line-height:1.45}
h1{font-size:1.7rem;margin-bottom:.2rem}h2{margin-top:2.2rem;border-bottom:1px solid #ddd;padding-bottom:.2rem}
h4{margin:1.2rem 0 .3rem}.date{color:#666;margin-top:0}
table{border-collapse:collapse;margin:.8rem 0;font-size:.92rem}
th,td{border:1px solid #ccc;padding:.25rem .55rem;vertical-align:top;text-align:left}
th{background:#f2f2f2}td.num,th.num{text-align:right;white-space:nowrap}
tr.group td{background:#f8f8f8;font-weight:600}
figure{margin:1rem 0}figure img{max-width:100%;height:auto;display:block}
figcaption{color:#555;font-size:.9rem}
blockquote{margin:.4rem 0 .6rem 0;padding:.3rem .8rem;border-left:3px solid #9ab;background:#f7f9fb}
blockquote p{margin:0;white-space:pre-wrap}blockquote footer{color:#555;font-size:.85rem;margin-top:.2rem}
""".strip()


def _e(text: object) -> str:
    return html.escape(clean(text), quote=True)


def _html_table(table: Table) -> str:
    cls = lambda right: ' class="num"' if right else ""  # noqa: E731
    lines = [
        "<table>",
        "<thead><tr>"
        + "".join(
            f"<th{cls(r)}>{_e(h)}</th>" for h, r in zip(table.header, table.right, strict=True)
        )
        + "</tr></thead>",
        "<tbody>",
    ]
    for i, row in enumerate(table.rows):
        if i in table.group_rows:
            lines.append(
                f'<tr class="group"><td colspan="{len(table.header)}">{_e(row[0])}</td></tr>'
            )
        else:
            lines.append(
                "<tr>"
                + "".join(
                    f"<td{cls(r)}>{_e(c)}</td>" for c, r in zip(row, table.right, strict=True)
                )
                + "</tr>"
            )
    lines += ["</tbody>", "</table>"]
    return "\n".join(lines)


def render_html(blocks: Sequence[Block], lang: str, title: str) -> str:
    """One self-contained HTML file: CSS inline, charts as data: PNGs, no external assets."""
    out = [
        "<!DOCTYPE html>",
        f'<html lang="{_e(lang)}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(title)}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
    ]
    for block in blocks:
        if isinstance(block, Heading):
            out.append(f"<h{block.level}>{_e(block.text)}</h{block.level}>")
        elif isinstance(block, Paragraph):
            role = f' class="{block.role}"' if block.role else ""
            out.append(f"<p{role}>{_e(block.text)}</p>")
        elif isinstance(block, Table):
            out.append(_html_table(block))
        elif isinstance(block, Chart):
            width, height = block.size
            data = base64.b64encode(block.png).decode("ascii")
            out.append(
                f'<figure><img src="data:image/png;base64,{data}" alt="{_e(block.caption)}" '
                f'width="{width}" height="{height}"><figcaption>{_e(block.caption)}</figcaption></figure>'
            )
        elif isinstance(block, Quotes):
            for text, who in block.items:
                out.append(
                    f"<blockquote><p>“{_e(text)}”</p><footer>— {_e(who)}</footer></blockquote>"
                )
    out += ["</body>", "</html>", ""]
    return "\n".join(out)


# --------------------------------------------------------------------------- Markdown

# Escaped everywhere: what starts code, emphasis, links, HTML, entities or table cells.
# An underscore only at a word edge (intraword `size_class` is never emphasis).
_MD_SPECIAL = re.compile(r"([\\`*\[\]<>|&~])|(?<![^\W_])_|_(?![^\W_])")
# At the start of a line: headings, quotes, list items, thematic breaks.
_MD_LINE_START = re.compile(r"^(#|>|[-+]|\d+[.)])(?=\s|$)|^(#|>)")


def _md(text: object) -> str:
    """Inline Markdown text: special characters escaped, one line."""
    flat = " ".join(clean(text).split())
    flat = _MD_SPECIAL.sub(lambda m: "\\" + m.group(0), flat)
    return _MD_LINE_START.sub(_escape_line_start, flat)


def _escape_line_start(match: re.Match[str]) -> str:
    """`# x` -> `\\# x`; `1. x` -> `1\\. x` (the mark after the number is what counts)."""
    mark = match.group(0)
    return mark[:-1] + "\\" + mark[-1] if mark[0].isdigit() else "\\" + mark


def _md_table(table: Table) -> list[str]:
    lines = [
        "| " + " | ".join(_md(h) for h in table.header) + " |",
        "|" + "|".join("---:" if r else ":---" for r in table.right) + "|",
    ]
    for i, row in enumerate(table.rows):
        cells = (
            [f"**{_md(row[0])}**", *[""] * (len(row) - 1)]
            if i in table.group_rows
            else [_md(c) for c in row]
        )
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def render_markdown(blocks: Sequence[Block], chart_names: dict[str, str]) -> str:
    """Markdown with pipe tables; charts linked as PNG files beside it (`chart_names`)."""
    out: list[str] = []
    for block in blocks:
        if isinstance(block, Heading):
            out += ["#" * block.level + " " + _md(block.text), ""]
        elif isinstance(block, Paragraph):
            out += [_md(block.text), ""]
        elif isinstance(block, Table):
            out += [*_md_table(block), ""]
        elif isinstance(block, Chart):
            out += [f"![{_md(block.caption)}]({url_quote(chart_names[block.slug])})", ""]
        elif isinstance(block, Quotes):
            for text, who in block.items:
                lines = [_md(line) for line in clean(text).split("\n") if line.strip()]
                lines[0] = "“" + lines[0]
                lines[-1] = lines[-1] + "”"
                out += [*("> " + line for line in lines), ">", f"> — {_md(who)}", ""]
    return "\n".join(out).rstrip() + "\n"


# --------------------------------------------------------------------------- .docx


def _docx_table(document, table: Table) -> None:  # type: ignore[no-untyped-def]
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    grid = document.add_table(rows=1, cols=len(table.header))
    grid.style = "Table Grid"
    for cell, text, right in zip(grid.rows[0].cells, table.header, table.right, strict=True):
        cell.text = ""
        run = cell.paragraphs[0].add_run(clean(text))
        run.bold = True
        if right:
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for i, row in enumerate(table.rows):
        cells = grid.add_row().cells
        if i in table.group_rows:
            merged = cells[0].merge(cells[-1]) if len(cells) > 1 else cells[0]
            merged.text = ""
            merged.paragraphs[0].add_run(clean(row[0])).bold = True
            continue
        for cell, text, right in zip(cells, row, table.right, strict=True):
            cell.text = clean(text)
            if right:
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT


def _stable_zip(data: bytes) -> bytes:
    """The same archive with fixed member dates, so equal content gives equal bytes."""
    source = zipfile.ZipFile(io.BytesIO(data))
    target = io.BytesIO()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=_FIXED_ZIP_DATE)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            out.writestr(fixed, source.read(info.filename))
    return target.getvalue()


def render_docx(blocks: Sequence[Block], lang: str, title: str, day: str) -> bytes:
    """A Word document (python-docx's default template), charts as pictures."""
    from datetime import datetime

    from docx import Document
    from docx.shared import Inches

    document = Document()
    props = document.core_properties
    props.title = clean(title)
    props.language = lang
    props.author = "lo-codebook"
    props.last_modified_by = "lo-codebook"
    props.revision = 1
    try:
        stamp = datetime.fromisoformat(day)
    except ValueError:
        stamp = datetime(2000, 1, 1)
    props.created = stamp
    props.modified = stamp
    for block in blocks:
        if isinstance(block, Heading):
            document.add_heading(
                clean(block.text), level=0 if block.level == 1 else min(block.level - 1, 9)
            )
        elif isinstance(block, Paragraph):
            document.add_paragraph(clean(block.text))
        elif isinstance(block, Table):
            _docx_table(document, block)
        elif isinstance(block, Chart):
            width, height = block.size
            document.add_picture(io.BytesIO(block.png), width=Inches(min(6.3, width / CHART_DPI)))
            document.add_paragraph(clean(block.caption), style="Caption")
        elif isinstance(block, Quotes):
            for text, who in block.items:
                document.add_paragraph(f"“{clean(text)}”", style="Quote")
                document.add_paragraph(f"— {clean(who)}")
    buffer = io.BytesIO()
    document.save(buffer)
    return _stable_zip(buffer.getvalue())


# --------------------------------------------------------------------------- files


def check_report_path(path: str | Path) -> Path:
    """Only the formats we write: fail before any work, naming the file."""
    return check_output_format(path, REPORT_FORMATS, "report", ".html, .md or .docx", "-o")


def write_report(report: Report, path: str | Path) -> list[Path]:
    """Write the report to `path` (format by extension); return every file written.

    Markdown gets its charts beside it as `<name>-<n>-<what>.png`. Each file is written
    atomically (a kill never leaves half a report).
    """
    target = check_report_path(path)
    suffix = target.suffix.lower()
    blocks = report_blocks(report)
    title = next((b.text for b in blocks if isinstance(b, Heading)), "")
    written: list[Path] = []
    if suffix in (".html", ".htm"):
        write_bytes(target, render_html(blocks, report.language, title).encode("utf-8"))
    elif suffix == ".md":
        names: dict[str, str] = {}
        for block in blocks:
            if isinstance(block, Chart):
                names[block.slug] = f"{target.stem}-{block.slug}.png"
                chart_path = target.with_name(names[block.slug])
                write_bytes(chart_path, block.png)
                written.append(chart_path)
        write_bytes(target, render_markdown(blocks, names).encode("utf-8"))
    else:
        write_bytes(target, render_docx(blocks, report.language, title, report.date))
    return [target, *written]
