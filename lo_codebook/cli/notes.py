"""Commands for the researcher's notes and context: memos, and the case table."""

from __future__ import annotations

from pathlib import Path

import click

from lo_codebook.cli import cli
from lo_codebook.cli.context import AppContext, file_command, pass_app
from lo_codebook.cli.options import file_argument, flag_option, format_option
from lo_codebook.cli.output import echo, emit_json, render_rows, wrote

PREVIEW = 70


def _one_line(text: str, limit: int = PREVIEW) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


# --------------------------------------------------------------------------- memos


@cli.group()
def memo() -> None:
    """Write, edit and delete memos on the project, a document, a code, a case or a coding.

    \b
    Examples:
      lo-codebook memo add --project "Onderzoeksvraag: welke L&O-thema's spelen er?"
      lo-codebook memo add --document interview_01_lindewaard "Respondent twijfelt over krapte"
      lo-codebook memo add --code Omgevingswet "Ook DSO-vragen hieronder"
      lo-codebook memo add --document R_1 --code Digitalisering "Alleen processen bedoeld?"
      lo-codebook memo edit 3 "Nieuwe tekst"
      lo-codebook memo delete c12
    """


@memo.command("add")
@click.argument("text")
@flag_option("--project", "on_project", help="A memo on the project as a whole.")
@click.option(
    "--document", metavar="NAME", help="A memo on this document (with --code: on that coding)."
)
@click.option(
    "--code", metavar="NAME", help="A memo on this code (with --document: on its coding there)."
)
@click.option("--case", "case_name", metavar="NAME", help="A memo on this case.")
@click.option(
    "--span",
    metavar="START-END",
    help="With --document and --code: which coding, when there are several.",
)
@click.option("--title", default="", help="A title (REFI-QDA exports show it).")
@pass_app
def memo_add(
    app: AppContext,
    text: str,
    on_project: bool,
    document: str | None,
    code: str | None,
    case_name: str | None,
    span: str | None,
    title: str,
) -> None:
    """Write a memo; `memos` lists them (a coding's memo gets a new paragraph).

    \b
    Examples:
      lo-codebook memo add --project "Eerste ronde: alleen Q4 gecodeerd"
      lo-codebook memo add --code Leiderschap "Ook 'leidinggevenden' telt mee"
      lo-codebook memo add --document interview_02_oosterbroek --code Arbeidsmarkt --span 120-245 "Twijfel"
    """
    from lo_codebook.core import memos

    project = app.project(create=False)
    with project.read() as session:
        target = memos.resolve_target(
            session,
            project.coder_name,
            project=on_project,
            document=document,
            code=code,
            case=case_name,
            span=span,
        )
        about = memos.target_name(session, target)
    ref = memos.add_memo(project, target, text, title=title)
    where = "the project" if target.kind == "project" else f"{target.kind} {about}"
    echo(f"memo {ref} on {where}")


@memo.command("edit")
@click.argument("ref", metavar="REF")
@click.argument("text")
@pass_app
def memo_edit(app: AppContext, ref: str, text: str) -> None:
    """Replace the text of memo REF (the number `memos` shows, e.g. 3 or c12).

    \b
    Example:
      lo-codebook memo edit 3 "Aangevuld na het tweede gesprek"
    """
    from lo_codebook.core import memos

    memos.edit_memo(app.project(create=False), ref, text)
    echo(f"memo {ref} edited")


@memo.command("delete")
@click.argument("ref", metavar="REF")
@pass_app
def memo_delete(app: AppContext, ref: str) -> None:
    """Delete memo REF (undo brings it back).

    \b
    Example:
      lo-codebook memo delete c12
    """
    from lo_codebook.core import memos

    about = memos.delete_memo(app.project(create=False), ref)
    echo(f"deleted memo {ref} on {about}")


@cli.command("memos")
@click.option(
    "--kind",
    type=click.Choice(["project", "document", "code", "case", "coding"]),
    default=None,
    help="Only memos of this kind.",
)
@format_option("table", "json")
@pass_app
def memos_cmd(app: AppContext, kind: str | None, fmt: str) -> None:
    """List every memo: what it is about (target, kind), who wrote it, the text.

    JSON rows are {"target", "kind", "coder", "text"}; a project memo's target is "".
    The table's first column is the REF that `memo edit` and `memo delete` take.

    \b
    Examples:
      lo-codebook memos
      lo-codebook memos --kind code --format json
    """
    from lo_codebook.core.memos import list_memos

    with app.project(create=False).read() as session:
        rows = [m for m in list_memos(session) if kind is None or m.kind == kind]
    if fmt == "json":
        emit_json([m.as_json() for m in rows])
    elif rows:
        echo(
            render_rows(
                ["ref", "kind", "target", "coder", "text"],
                [(m.ref, m.kind, m.target, m.coder, _one_line(m.text)) for m in rows],
            )
        )
    else:
        echo('no memos yet (write one: lo-codebook memo add --project "...")')


# --------------------------------------------------------------------------- cases


@cli.group(invoke_without_command=True)
@format_option("table", "json")
@click.pass_context
def cases(ctx: click.Context, fmt: str) -> None:
    """The case table: each case with its attributes (import and export it as .csv/.xlsx).

    JSON rows are {"case", "attributes": {...}}.

    \b
    Examples:
      lo-codebook cases
      lo-codebook cases --format json
      lo-codebook cases import transcripts/interviews/cases.csv
      lo-codebook cases export cases.xlsx
    """
    if ctx.invoked_subcommand is not None:
        return
    from lo_codebook.core.cases import attribute_keys, list_cases

    with ctx.find_object(AppContext).project(create=False).read() as session:
        rows = list_cases(session)
    if fmt == "json":
        emit_json([row.as_json() for row in rows])
        return
    if not rows:
        echo(
            "no cases yet (import documents, a survey, or a case table: lo-codebook cases import FILE)"
        )
        return
    keys = attribute_keys(rows)
    echo(
        render_rows(
            ["case", "documents", *keys],
            [(r.name, r.documents, *(r.attributes.get(k, "") for k in keys)) for r in rows],
        )
    )


@cases.command("import")
@file_argument()
@flag_option(
    "--update-only",
    help="Only update cases already in the project; an unknown case name is an error.",
)
@pass_app
def cases_import(app: AppContext, file: Path, update_only: bool) -> None:
    """Create or update cases from a .csv/.xlsx: the first column (or one named `case`) is the
    case name, the other columns are attributes. An empty cell leaves an attribute as it is; a
    `file` column (which documents belong to the case) is skipped. One transaction; undoable.

    \b
    Examples:
      lo-codebook cases import transcripts/interviews/cases.csv
      lo-codebook cases import gemeenten.xlsx --update-only
    """
    from lo_codebook.core.cases import import_cases

    report = import_cases(app.project(), file, update_only=update_only)
    echo(f"{file.name}: {report.summary()}")


@file_command(cases, "export", example="lo-codebook cases export cases.xlsx")
def cases_export(app: AppContext, file: Path) -> str:
    """Write the case table to .csv or .xlsx (header: case, then each attribute)."""
    from lo_codebook.core.cases import export_cases

    return wrote(export_cases(app.project(create=False), file), "case", file)
