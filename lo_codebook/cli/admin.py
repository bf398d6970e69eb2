"""Keeping a project safe: backup, restore, and the name list for pseudonymised exports."""

from __future__ import annotations

import csv
from pathlib import Path

import click

from lo_codebook.cli import cli
from lo_codebook.cli.context import AppContext, file_command, pass_app
from lo_codebook.cli.options import file_argument, format_option
from lo_codebook.cli.output import EchoStream, echo, emit_json, render_rows
from lo_codebook.i18n import t
from lo_codebook.safe_output import safe_row
from lo_codebook.words import plural


def _size(n: int) -> str:
    return f"{n / 1_048_576:.1f} MB" if n >= 1_048_576 else f"{n / 1024:.0f} KB"


@cli.command()
@file_argument(required=False)
@pass_app
def backup(app: AppContext, file: Path | None) -> None:
    """Copy the project to a backup file (safe while others are working in it).

    Without FILE the copy is saved next to the project as <project>.bak-<timestamp> (as before
    an upgrade); a
    folder gets such a file in it. Backups never overwrite a file. For a project on a
    PostgreSQL server, use pg_dump.

    \b
    Examples:
      lo-codebook backup
      lo-codebook backup ~/backups/studie-2024-03-12.db
    """
    from lo_codebook.core.backup import backup_project, check_project_file

    target = backup_project(app.db, file)
    info = check_project_file(target, thorough=False)
    echo(
        f"backup: {target} ({_size(info.size)}, {plural(info.documents, 'document')}, {plural(info.codings, 'coding')})"
    )


@cli.command()
@file_argument()
@pass_app
def restore(app: AppContext, file: Path) -> None:
    """Replace the project with a backup FILE (the current project is backed up first).

    FILE must be an intact lo-codebook project; anything else is refused and nothing changes.

    \b
    Example:
      lo-codebook restore studie.db.bak-20240312-101500-000000
    """
    from lo_codebook.core.backup import restore_project

    result = restore_project(app.db, file, coder=app.coder)
    if result.previous_backup is not None:
        echo(f"the replaced project is saved as {result.previous_backup}")
    echo(
        f"restored {file} ({plural(result.restored.documents, 'document')}, {plural(result.restored.codings, 'coding')})"
    )


@cli.group()
def names() -> None:
    """The name list for pseudonymised exports: people and the pseudonyms written instead.

    \b
    Examples:
      lo-codebook names add "Marieke de Vries" --as "Respondent A"
      lo-codebook names import namen.csv          # columns name,pseudonym
      lo-codebook export-quotes citaten.xlsx --pseudonymise
    """


@names.command("add")
@click.argument("name")
@click.option(
    "--as",
    "pseudonym",
    metavar="PSEUDONYM",
    help="What exports write instead (default: Persoon A, B, ...).",
)
@pass_app
def names_add(app: AppContext, name: str, pseudonym: str | None) -> None:
    """Add a person (full name) to the list; first name, surname and possessives follow.

    \b
    Example:
      lo-codebook names add "Marieke de Vries" --as "Respondent A"
    """
    from lo_codebook.core.privacy import add_name

    entry = add_name(app.project(), name, pseudonym)
    echo(f"{entry.name} -> {entry.pseudonym}")


@names.command("list")
@format_option("table", "csv", "json")
@pass_app
def names_list(app: AppContext, fmt: str) -> None:
    """Show the name list.

    \b
    Example:
      lo-codebook names list --format csv > namen.csv
    """
    from lo_codebook.core.privacy import list_names

    with app.project(create=False).read() as session:
        entries = list_names(session)
    if fmt == "json":
        emit_json([{"name": e.name, "pseudonym": e.pseudonym} for e in entries])
    elif fmt == "csv":
        writer = csv.writer(EchoStream(), lineterminator="\n")
        writer.writerow(["name", "pseudonym"])
        writer.writerows([safe_row([e.name, e.pseudonym]) for e in entries])
    elif entries:
        lang = app.lang()
        echo(
            render_rows(
                [t("col.name", lang), t("col.pseudonym", lang)],
                [(e.name, e.pseudonym) for e in entries],
            )
        )
    else:
        echo(t("names.empty", app.lang()))


@names.command("remove")
@click.argument("name")
@pass_app
def names_remove(app: AppContext, name: str) -> None:
    """Take a person off the list.

    \b
    Example:
      lo-codebook names remove "Marieke de Vries"
    """
    from lo_codebook.core.privacy import remove_name

    entry = remove_name(app.project(create=False), name)
    echo(f"removed {entry.name} (was {entry.pseudonym})")


@file_command(names, "import", example="lo-codebook names import namen.csv")
def names_import(app: AppContext, file: Path) -> str:
    """Add the names of a .csv (columns name[,pseudonym]; naam/pseudoniem also work)."""
    from lo_codebook.core.privacy import import_names

    return import_names(app.project(), file).summary()
