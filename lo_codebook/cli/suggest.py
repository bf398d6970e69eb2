"""The suggestion engine and the review of what it suggests: suggest, suggestions, accept,
reject."""

from __future__ import annotations

import click

from lo_codebook.cli import cli
from lo_codebook.cli.context import AppContext, pass_app
from lo_codebook.cli.options import choice_option, format_option, score_option
from lo_codebook.cli.output import EchoStream, echo, emit_json, render_rows
from lo_codebook.errors import UserError
from lo_codebook.i18n import t
from lo_codebook.safe_output import safe_cell
from lo_codebook.words import plural

SUGGESTION_CSV = ["document", "case", "code", "start", "end", "score", "method", "text", "evidence"]


@cli.command()
@score_option(
    "--min-score",
    help="Store only suggestions scoring at least this (0-100; default 50: below it a suggestion is more likely wrong than right).",
)
@click.option(
    "--document",
    "document_names",
    multiple=True,
    metavar="NAME",
    help="Only these documents; repeatable.",
)
@choice_option("--span", choices=("sentence", "match", "turn"), help="What a suggestion covers.")
@click.option(
    "--workers",
    type=click.IntRange(0, 64),
    default=0,
    show_default=True,
    help="Processes for a large corpus (0: the cores, up to 4; 1: one). Same suggestions for any number.",
)
@pass_app
def suggest(
    app: AppContext,
    min_score: float | None,
    document_names: tuple[str, ...],
    span: str,
    workers: int,
) -> None:
    """Run the suggestion engine (keywords, fuzzy, learned from your codings).

    Re-running never duplicates a suggestion nor revives a rejected one.

    \b
    Example:
      lo-codebook suggest --min-score 60
    """
    from sqlalchemy import select

    from lo_codebook.core.suggest_service import run_suggest
    from lo_codebook.db.models import Document

    project = app.project(create=False)
    ids = None
    if document_names:
        with project.read() as session:
            found = dict(
                session.execute(
                    select(Document.name, Document.id).where(Document.name.in_(document_names))
                ).all()
            )
        missing = [n for n in document_names if n not in found]
        if missing:
            raise UserError(f"unknown document {missing[0]!r}", where="--document")
        ids = list(found.values())
    report = run_suggest(
        project, document_ids=ids, min_score=min_score, span=span, workers=workers or None
    )
    echo(report.summary(app.lang()))


@cli.command()
@choice_option("--status", choices=("pending", "accepted", "rejected", "all"))
@click.option("--code", metavar="NAME", help="Only suggestions of this code.")
@score_option("--min-score")
@choice_option(
    "--order",
    choices=("document", "uncertain", "score"),
    help="document: in reading order; uncertain: least sure first; score: highest first.",
)
@format_option("csv", "json", "table", default="csv")
@pass_app
def suggestions(
    app: AppContext, status: str, code: str | None, min_score: float | None, order: str, fmt: str
) -> None:
    """List suggestions: document,case,code,start,end,score,method,text,evidence.

    `--order uncertain` lists first the suggestions the engine is least sure of (scores
    nearest 50): deciding those teaches the next `suggest` run the most.

    \b
    Example:
      lo-codebook suggestions --status pending --format json
    """
    import csv as csv_module

    from lo_codebook.core.suggest_service import visible_suggestions

    project = app.project(create=False)
    with project.read() as session:
        rows, held_back = visible_suggestions(
            session, project.coder_name, status=status, code=code, min_score=min_score, order=order
        )
    records = [r.as_record() for r in rows]
    if fmt == "json":
        emit_json(
            [{**record, "id": r.id} for record, r in zip(records, rows, strict=True)]
        )  # id: accept ID
    elif fmt == "csv":
        writer = csv_module.DictWriter(EchoStream(), fieldnames=SUGGESTION_CSV, lineterminator="\n")
        writer.writeheader()
        writer.writerows({key: safe_cell(value) for key, value in r.items()} for r in records)
    else:
        echo(
            render_rows(
                [
                    "id",
                    *(
                        t(f"col.{c}", app.lang())
                        for c in ("document", "code", "score", "evidence", "text")
                    ),
                ],
                [
                    (
                        row.id,
                        r["document"],
                        r["code"],
                        r["score"],
                        str(r["evidence"])[:40],
                        str(r["text"])[:60].replace("\n", " "),
                    )
                    for row, r in zip(rows, records, strict=True)
                ],
            )
        )
    if held_back:
        echo(
            f"note: {plural(held_back, 'suggestion')} on your validation sample held back "
            "(blind until you mark each document done: lo-codebook validate)",
            err=True,
        )


def _review_command(accept: bool):  # type: ignore[no-untyped-def]
    verb = "accept" if accept else "reject"

    @click.argument("ids", nargs=-1, type=int, metavar="[ID]...")
    @score_option("--min-score", help=f"Only {verb} suggestions scoring at least this.")
    @click.option("--code", metavar="NAME", help=f"Only {verb} suggestions of this code.")
    @pass_app
    def command(
        app: AppContext, ids: tuple[int, ...], min_score: float | None, code: str | None
    ) -> None:
        from lo_codebook.core.suggest_service import decide, decide_matching

        project = app.project(create=False)
        if ids:
            if min_score is not None or code is not None:
                raise UserError("give suggestion ids or --min-score/--code, not both", where="ID")
            count = decide(project, ids, accept=accept, require_known=True)
            left = len(set(ids)) - count
            echo(
                f"{verb}ed {plural(count, 'suggestion')}"
                + (f" ({left} already decided)" if left else "")
            )
            return
        count = decide_matching(project, accept=accept, min_score=min_score, code=code)
        echo(f"{verb}ed {plural(count, 'suggestion')}")

    command.__doc__ = (
        f"{verb.capitalize()} pending suggestions: the ids given (`suggestions --format json`), "
        "or in bulk (all of them without a filter).\n\n"
        f"\b\nExamples:\n  lo-codebook {verb} --min-score 80 --code Omgevingswet\n  lo-codebook {verb} 12 15"
    )
    return cli.command(name=verb)(command)


accept = _review_command(True)
reject = _review_command(False)
