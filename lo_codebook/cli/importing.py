"""Bringing material in: transcripts and texts, survey answers, another tool's codings, and
the codebook (import and export)."""

from __future__ import annotations

from pathlib import Path

import click

from lo_codebook.cli import cli
from lo_codebook.cli.context import AppContext, file_command, pass_app
from lo_codebook.cli.options import coder_option, file_argument, flag_option
from lo_codebook.cli.output import echo, echo_language, wrote
from lo_codebook.ingest.layouts import layout_help, layout_names


@cli.command("import", epilog=f"\b\nLayouts (--layout NAME):\n{layout_help()}")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--case",
    "case_name",
    metavar="NAME",
    help="Case the documents belong to (default: one case per file, named after it).",
)
@click.option(
    "--attr", "attrs", multiple=True, metavar="KEY=VALUE", help="Case attribute; repeatable."
)
@click.option(
    "--layout",
    type=click.Choice(layout_names(), case_sensitive=False),
    default=None,
    help="Read every file with this transcript layout instead of detecting it (names below).",
)
@pass_app
def import_cmd(
    app: AppContext,
    paths: tuple[Path, ...],
    case_name: str | None,
    attrs: tuple[str, ...],
    layout: str | None,
) -> None:
    """Import transcripts and texts: .txt .md .docx .vtt .srt .pdf, or folders of them.

    The transcript layout (Otter.ai, Descript, Whisper, MS Teams, Zoom, Name: turns, ...) is
    detected per file and printed; timestamps become segment timestamps.

    \b
    Examples:
      lo-codebook import interviews/
      lo-codebook import teams_call.vtt --case Lindewaard --attr size_class=20.000-50.000
      lo-codebook import otter_export.txt --layout otter
    """
    from lo_codebook.core.importing import import_files, parse_attr_options

    attributes = parse_attr_options(attrs)
    report = import_files(
        app.project(), list(paths), case=case_name, attributes=attributes, layout=layout
    )
    echo(report.summary(app.lang()))
    for line in report.layout_lines():
        echo(line)
    echo_language(report.language)


@cli.command("import-survey")
@file_argument()
@click.option(
    "--id-col",
    required=True,
    metavar="COL",
    help="Column with the respondent id (one case per row).",
)
@click.option(
    "--text-col",
    "text_cols",
    required=True,
    multiple=True,
    metavar="COL",
    help="Open-answer column; repeatable.",
)
@click.option(
    "--attr-col",
    "attr_cols",
    multiple=True,
    metavar="COL[=NAME]",
    help="Column stored as case attribute (optionally renamed); repeatable.",
)
@click.option(
    "--qualtrics/--no-qualtrics",
    default=None,
    help="Qualtrics layout (current, 2016 or legacy V1… export). Detected automatically, as are SurveyMonkey and LimeSurvey.",
)
@pass_app
def import_survey_cmd(
    app: AppContext,
    file: Path,
    id_col: str,
    text_cols: tuple[str, ...],
    attr_cols: tuple[str, ...],
    qualtrics: bool | None,
) -> None:
    """Import open survey answers from .csv or .xlsx (Qualtrics exports understood).

    \b
    Example:
      lo-codebook import-survey export.csv --id-col ResponseId --text-col Q4 --attr-col Q2=size_class
    """
    from lo_codebook.core.importing import import_survey

    report = import_survey(
        app.project(),
        file,
        id_col=id_col,
        text_cols=text_cols,
        attr_cols=attr_cols,
        qualtrics=qualtrics,
    )
    if report.layout_note:
        echo(report.layout_note)
    echo(report.summary(app.lang()))
    echo_language(report.language)


@cli.command("import-codings")
@file_argument()
@coder_option("Coder who made these codings.", required=True)
@flag_option("--create-codes", help="Add unknown codes to the codebook instead of failing.")
@pass_app
def import_codings_cmd(app: AppContext, file: Path, coder_name: str, create_codes: bool) -> None:
    """Import codings from csv: document (or respondent_id/case), code[, start, end].

    \b
    Example:
      lo-codebook import-codings coder_b.csv --coder Bram
    """
    from lo_codebook.core.coding import import_codings

    report = import_codings(
        app.project(create=False), file, coder=coder_name, create_codes=create_codes
    )
    echo(report.summary(app.lang()))


@cli.group()
def codebook() -> None:
    """Import or export the codebook (.csv, .qdc; .md for export)."""


@codebook.command("import")
@file_argument()
@pass_app
def codebook_import(app: AppContext, file: Path) -> None:
    """Import a codebook (.csv with name,parent,description,keywords, Taguette's codebook
    .csv, or REFI-QDA .qdc).

    From a .qdc the codes keep their GUIDs, sets (ATLAS.ti code groups) become 'Set: NAME'
    memos and isCodable is remembered, so that an export matches the other tool again.

    \b
    Example:
      lo-codebook codebook import codebook.csv
    """
    from lo_codebook.core.codebook import import_codebook_file

    report = import_codebook_file(app.project(), file)
    echo(report.summary(app.lang()))
    for note in report.notes:
        echo(f"  note: {note}")
    for warning in report.warnings:
        echo(f"  warning: {warning}", err=True)


@file_command(codebook, "export", example="lo-codebook codebook export codebook.md")
def codebook_export(app: AppContext, file: Path) -> str:
    """Export the codebook to .csv, .md or .qdc (by extension)."""
    from lo_codebook.core.codebook import export_codebook

    return wrote(export_codebook(app.project(create=False), file), "code", file)
