"""Bringing coders' work together: merge another codebook or project in, and undo a merge."""

from __future__ import annotations

from typing import Any

import click

from lo_codebook.cli import cli
from lo_codebook.cli.context import AppContext, pass_app
from lo_codebook.cli.options import flag_option, format_option, score_option
from lo_codebook.cli.output import echo, echo_language, emit_json, render_rows
from lo_codebook.i18n import count, format_number, merge_reason, t


def _plan_rows(plan: Any, lang: str = "en") -> list[tuple[Any, ...]]:
    rows: list[tuple[Any, ...]] = []
    for pair in plan.pairs:
        rows.append(
            (
                format_number(pair.score, lang, 1),
                t("merge.action.merge" if pair.auto else "merge.action.review", lang),
                pair.source_key,
                pair.target_path,
                ", ".join(merge_reason(reason, lang) for reason in pair.reasons),
            )
        )
    for code in plan.unmatched:
        where = (
            t("merge.under_parent", lang, parent=code.parent_key)
            if code.parent_key
            else t("picker.top_level", lang)
        )
        rows.append(("", t("merge.action.new", lang), code.key, where, ""))
    return rows


def _plan_header(lang: str) -> list[str]:
    return [t(f"col.{c}", lang) for c in ("score", "action", "source_code", "this_codebook", "why")]


@cli.command("merge-codebook")
@click.argument("source", metavar="SOURCE")
@score_option(
    "--auto", "auto_score", default=90.0, help="Merge pairs scoring at least this automatically."
)
@score_option(
    "--review-floor",
    default=60.0,
    help="List pairs from this score up for review; lower scores are different codes.",
)
@click.option(
    "--accept",
    "accept",
    multiple=True,
    metavar="CODE",
    help="Also merge this review pair (source code name or path); repeatable.",
)
@flag_option("--dry-run", help="Print the plan; change nothing.")
@format_option("table", "json")
@pass_app
def merge_codebook_cmd(
    app: AppContext,
    source: str,
    auto_score: float,
    review_floor: float,
    accept: tuple[str, ...],
    dry_run: bool,
    fmt: str,
) -> None:
    """Merge another codebook into this one: another project, a .qdc or a .csv codebook.

    Codes are matched by name (case, accents, punctuation, plural endings, typos) and
    keywords, aware of the tree. Pairs scoring at least --auto are merged; the others above
    --review-floor are listed for review (accept them with --accept or in the UI) and added
    as new codes; codings of a source project follow their codes. Undo with `unmerge`.

    \b
    Examples:
      lo-codebook merge-codebook bram.db --dry-run
      lo-codebook merge-codebook codebook_bram.qdc --auto 95 --accept Thuiswerken
      lo-codebook unmerge
    """
    from lo_codebook.core.merge import merge_codebook, plan_codebook_merge

    project = app.project(create=False)
    if dry_run:
        plan = plan_codebook_merge(
            project, source, auto_score=auto_score, review_floor=review_floor
        )
        if fmt == "json":
            emit_json({"dry_run": True, "plan": plan.to_json()})
            return
        lang = app.lang()
        echo(t("merge.cli_plan", lang, source=plan.source))
        echo(render_rows(_plan_header(lang), _plan_rows(plan, lang)))
        echo(
            t(
                "merge.cli_counts",
                lang,
                merge=len(plan.auto_pairs),
                review=len(plan.review_pairs),
                new=len(plan.unmatched),
            )
        )
        return
    plan, report = merge_codebook(
        project, source, auto_score=auto_score, review_floor=review_floor, accept=accept
    )
    accepted = set(accept)
    pending = [
        p
        for p in plan.review_pairs
        if p.source_key not in accepted and p.source_name not in accepted
    ]
    if fmt == "json":
        emit_json({"dry_run": False, "plan": plan.to_json(), "result": report.to_json()})
        return
    lang = app.lang()
    echo(render_rows(_plan_header(lang), _plan_rows(plan, lang)))
    echo(t("merge.cli_merged", lang, summary=report.summary(lang), entry=report.entry_id))
    if pending:
        pairs = count(len(pending), "pair", lang, thousands=False)
        echo(
            t(
                "merge.cli_pending_one" if len(pending) == 1 else "merge.cli_pending_many",
                lang,
                pairs=pairs,
            )
        )


@cli.command("unmerge")
@click.argument("entry", required=False, type=int, metavar="[ENTRY]")
@pass_app
def unmerge_cmd(app: AppContext, entry: int | None) -> None:
    """Undo a merge-codebook or merge-project (default: your latest one).

    \b
    Examples:
      lo-codebook unmerge
      lo-codebook unmerge 42        # the entry number from `lo-codebook log`
    """
    from lo_codebook.core.merge import unmerge

    echo(unmerge(app.project(create=False), entry))


@cli.command("merge-project")
@click.argument("other_db", metavar="OTHER_DB")
@format_option("table", "json")
@pass_app
def merge_project_cmd(app: AppContext, other_db: str, fmt: str) -> None:
    """Bring another coder's project in, keeping each coder's codings apart.

    Documents are matched by their text (content hash), cases and attributes united, codes
    merged when their names match closely (else added), codings kept per coder, memos
    copied. Running it again changes nothing. A SQLite project is backed up first.

    \b
    Examples:
      lo-codebook --db anna.db merge-project bram.db
      lo-codebook --db anna.db agreement --coders Anna,Bram
    """
    from lo_codebook.core.merge import merge_project

    report = merge_project(app.project(create=False), other_db)
    if fmt == "json":
        emit_json(report.to_json())
        echo_language(report.language, err=True)
        return
    if report.backup is not None:
        echo(f"backup: {report.backup}", err=True)
    echo(
        f"merged: {report.summary()} (log entry #{report.entry_id}; undo with `lo-codebook unmerge`)"
    )
    for old, new in report.documents_renamed:
        echo(f"  document {old!r} has another text here; imported as {new!r}")
    for conflict in report.attribute_conflicts:
        echo(f"  {conflict}")
    echo_language(report.language)
