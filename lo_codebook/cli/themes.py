"""What the coding says: the theme table, inductive theme candidates, and coded quotes."""

from __future__ import annotations

from pathlib import Path

import click

from lo_codebook.cli import cli
from lo_codebook.cli.context import AppContext, pass_app
from lo_codebook.cli.options import (
    above_option,
    choice_option,
    coder_option,
    file_argument,
    flag_option,
    format_option,
    kind_option,
    limit_option,
    output_option,
    pseudonymise_option,
)
from lo_codebook.cli.output import EchoStream, echo, emit_json, render_rows, wrote
from lo_codebook.core.defaults import DISCOVER_ABOVE
from lo_codebook.errors import UserError
from lo_codebook.i18n import t
from lo_codebook.safe_output import safe_row, terminal_json
from lo_codebook.words import plural


@cli.command()
@above_option(None, "Keep themes mentioned MORE than N times.")
@choice_option("--unit", choices=("document", "mention"))
@click.option("--by", metavar="ATTR", help="Break down by a case attribute (e.g. size_class).")
@coder_option(
    "Whose codings count: NAME (repeat, or A,B to pool several), 'all' to pool every "
    "coder, or 'consensus' for the consensus coding. Default: yours when you have codings, "
    "else everyone's. A line on stderr says which.",
    multiple=True,
)
@choice_option("--level", choices=("theme", "category"))
@kind_option()
@format_option("table", "csv", "xlsx", "md", "json")
@output_option()
@click.option(
    "--chart", type=click.Path(path_type=Path), help="Also draw a bar chart (.png or .svg)."
)
@pass_app
def themes(
    app: AppContext,
    above: int | None,
    unit: str,
    by: str | None,
    coder_names: tuple[str, ...],
    level: str,
    kind: str | None,
    fmt: str,
    output: Path | None,
    chart: Path | None,
) -> None:
    """The theme frequency table: documents (respondents) and mentions per theme.

    With several coders, only your codings count unless --coder says otherwise; the table's
    caption (and a line on stderr, and "coders" in each JSON row) names the coders counted.

    \b
    Examples:
      lo-codebook themes --above 10
      lo-codebook themes --above 10 --coder all
      lo-codebook themes --above 10 --by size_class --format xlsx -o themes.xlsx --chart themes.png
    """
    from lo_codebook.analysis.render import write_table
    from lo_codebook.core.themes_service import build_theme_table, coder_notice, write_chart

    project = app.project(create=False)
    lang = app.lang()
    table = build_theme_table(
        project,
        above=above,
        by=by,
        unit=unit,
        level=level,
        coder=list(coder_names) or None,
        kind=kind,
    )
    if chart is not None:
        write_chart(table, chart, lang=lang)
    text = write_table(table, fmt, output, lang=lang)
    # said once the table is made: a wrong option gives its one line only
    echo(coder_notice(table), err=True)
    for note in table.estimate_notes:
        echo(note, err=True)
    if output is None and text is not None:
        if fmt == "json":
            click.echo(terminal_json(text.rstrip("\n")))
        else:
            echo(text.rstrip("\n"))
    elif output is not None:
        echo(wrote(len(table), "row", output), err=True)
    if chart is not None:
        echo(f"chart: {chart}", err=True)


@cli.command()
@above_option(DISCOVER_ABOVE, "Keep candidates mentioned by MORE than N documents.")
@flag_option(
    "--new", "only_new", help="Leave out what the codebook's names and keywords already cover."
)
@kind_option()
@click.option(
    "--add",
    "add",
    multiple=True,
    metavar="N|LABEL",
    help="Add candidate number N (or with this label) to the codebook; repeatable.",
)
@click.option("--parent", metavar="CODE", help="With --add: the category to put it under.")
@limit_option(40, "Rows to show.")
@format_option("table", "json", "csv")
@pass_app
def discover(
    app: AppContext,
    above: int,
    only_new: bool,
    kind: str | None,
    add: tuple[str, ...],
    parent: str | None,
    limit: int,
    fmt: str,
) -> None:
    """Inductive theme candidates: key phrases grouped by similarity, with document counts.

    \b
    Examples:
      lo-codebook discover --above 5 --new
      lo-codebook discover --new --add 1 --parent Organisatie
    """
    from lo_codebook.core.discover_service import add_candidate, discover_candidates

    project = app.project(create=False)
    candidates = discover_candidates(project, above=above, only_new=only_new, kind=kind)
    if add:
        for ref in add:
            if ref.isdigit() and 1 <= int(ref) <= len(candidates):
                chosen = candidates[int(ref) - 1]
            else:
                from lo_codebook.db.names import pick

                chosen = pick(candidates, ref, lambda c: c.label)
                if chosen is None:
                    raise UserError(
                        f"no candidate {ref!r} (numbers go from 1 to {len(candidates)})",
                        where="--add",
                    )
            path = add_candidate(project, chosen.label, chosen.phrases, parent=parent)
            echo(f"added {path!r} with keywords: {', '.join(chosen.phrases)}")
        return
    records = [
        {
            "rank": i,
            "label": c.label,
            "documents": c.documents,
            "phrases": c.phrases,
            "examples": c.examples,
        }
        for i, c in enumerate(candidates[:limit], start=1)
    ]
    if fmt == "json":
        emit_json(records)
    elif fmt == "csv":
        import csv as csv_module

        lang = app.lang()
        writer = csv_module.writer(EchoStream(), lineterminator="\n")
        writer.writerow(
            [t(f"col.{c}", lang) for c in ("rank", "label", "documents", "phrases", "example")]
        )
        for r in records:
            writer.writerow(
                safe_row(
                    [
                        r["rank"],
                        r["label"],
                        r["documents"],
                        ";".join(r["phrases"]),
                        (r["examples"] or [""])[0],
                    ]
                )
            )
    else:
        lang = app.lang()
        echo(
            render_rows(
                ["#", *(t(f"col.{c}", lang) for c in ("candidate", "documents", "phrases"))],
                [
                    (r["rank"], r["label"], r["documents"], ", ".join(r["phrases"])[:80])
                    for r in records
                ],
            )
        )
        if len(candidates) > limit:
            echo(t("more_rows", lang, n=len(candidates) - limit))


@cli.command("export-quotes")
@file_argument()
@click.option(
    "--code", metavar="NAME", help="Only quotes of this code (a category: all its themes)."
)
@coder_option(
    "Only this coder's codings; `all`: everyone's (default: the consensus when one exists, else everyone's).",
    metavar="NAME|all",
)
@pseudonymise_option(
    "Replace the people on the name list (and their speaker labels) by their pseudonyms."
)
@pass_app
def export_quotes_cmd(
    app: AppContext, file: Path, code: str | None, coder_name: str | None, pseudonymise: bool
) -> None:
    """Export coded quotes (document, case, code, coder, speaker, text) to .csv, .md or .xlsx.

    \b
    Examples:
      lo-codebook export-quotes citaten.md --code Vitaliteit
      lo-codebook export-quotes citaten.xlsx --pseudonymise
    """
    from lo_codebook.core.privacy import export_quotes

    report = export_quotes(
        app.project(create=False), file, code=code, coder=coder_name, pseudonymise=pseudonymise
    )
    text = wrote(report.quotes, "quote", report.path)
    if pseudonymise:
        text += f" ({plural(report.replaced, 'mention')} of {plural(report.names_listed, 'listed name')} replaced)"
    echo(text)
    if report.consensus:
        echo(
            f"note: quotes of the consensus coding {report.consensus}; --coder all for every coder's",
            err=True,
        )
    if report.truncated:
        echo(
            f"note: {plural(report.truncated, 'quote')} longer than Excel's 32,767 characters {'was' if report.truncated == 1 else 'were'} shortened",
            err=True,
        )
    if report.held_back:
        echo(
            f"note: {plural(report.held_back, 'quote')} of other coders on your validation sample left out "
            "(blind until you mark each document done: lo-codebook validate)",
            err=True,
        )
    if not pseudonymise and report.names_listed:
        echo(
            f"note: {plural(report.names_listed, 'name')} {'is' if report.names_listed == 1 else 'are'} on the name list; add --pseudonymise to replace {'it' if report.names_listed == 1 else 'them'}",
            err=True,
        )
