"""REFI-QDA projects (.qdpx): exchange with ATLAS.ti, MAXQDA, NVivo and QualCoder."""

from __future__ import annotations

from pathlib import Path

from lo_codebook.cli import cli
from lo_codebook.cli.context import AppContext, pass_app
from lo_codebook.cli.options import file_argument, format_option, pseudonymise_option
from lo_codebook.cli.output import echo, echo_language, emit_json


@cli.command("export-qdpx")
@file_argument()
@pseudonymise_option(
    "Replace the people on the name list (texts, names, notes); selections follow their text."
)
@pass_app
def export_qdpx_cmd(app: AppContext, file: Path, pseudonymise: bool) -> None:
    """Export the project as REFI-QDA (.qdpx) for ATLAS.ti, MAXQDA, NVivo, QualCoder.

    \b
    Examples:
      lo-codebook export-qdpx study.qdpx
      lo-codebook export-qdpx shared.qdpx --pseudonymise
    """
    from lo_codebook.core.refi_mapping import export_qdpx

    report = export_qdpx(app.project(create=False), file, pseudonymise=pseudonymise)
    echo(report.summary())
    for warning in report.warnings:
        echo(f"  warning: {warning}", err=True)


@cli.command("import-qdpx")
@file_argument()
@format_option("table", "json")
@pass_app
def import_qdpx_cmd(app: AppContext, file: Path, fmt: str) -> None:
    """Import a REFI-QDA project (.qdpx): sources, cases, variables, codebook, codings, notes.

    Importing the same file again adds nothing. Users become coders by name.

    \b
    Example:
      lo-codebook import-qdpx from_atlas.qdpx
    """
    from lo_codebook.core.refi_mapping import import_qdpx

    report = import_qdpx(app.project(), file)
    if fmt == "json":
        emit_json(report.to_json())
        echo_language(report.language, err=True)
        return
    echo("imported " + report.summary())
    for old, new in report.documents_renamed:
        echo(f"  source {old!r}: a different text has that name here; imported as {new!r}")
    for conflict in report.attribute_conflicts:
        echo(f"  {conflict}")
    for note in report.notes:
        echo(f"  note: {note}")
    for warning in report.warnings:
        echo(f"  warning: {warning}", err=True)
    echo_language(report.language)
