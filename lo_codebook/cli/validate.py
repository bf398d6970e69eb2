"""`lo-codebook validate`: the validation sample that measures what suggestion review misses."""

from __future__ import annotations

import click

from lo_codebook.cli import cli
from lo_codebook.cli.context import AppContext, pass_app
from lo_codebook.cli.options import choice_option, flag_option, format_option
from lo_codebook.cli.output import echo, emit_json, render_rows
from lo_codebook.errors import UserError


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value * 100:.0f}%"


def _range(value: float | None, low: float | None, high: float | None, *, percent: bool) -> str:
    if value is None or low is None or high is None:
        return "-"
    if percent:
        return f"{_pct(value)} ({low * 100:.0f}–{high * 100:.0f})"
    return f"{value:.0f} ({low:.0f}–{high:.0f})"


@cli.command()
@click.option(
    "--size", type=int, default=None, metavar="N", help="Draw a sample of N documents (e.g. 40)."
)
@click.option(
    "--by",
    metavar="ATTR",
    help="Stratify the draw by a case attribute (proportional, at least 1 per group).",
)
@click.option(
    "--seed",
    type=int,
    default=None,
    metavar="S",
    help="Random seed (default: a new one, printed, so the draw can be repeated).",
)
@flag_option("--replace", help="Replace your existing sample (its done marks are dropped).")
@flag_option(
    "--report", help="Precision and recall of the engine, and the estimated count per theme."
)
@click.option(
    "--done", multiple=True, metavar="NAME", help="Mark a sample document done (repeatable)."
)
@click.option(
    "--undone", multiple=True, metavar="NAME", help="Mark a sample document not done again."
)
@choice_option(
    "--level",
    choices=("theme", "category"),
    help="With --report: one row per theme or per category.",
)
@format_option("table", "json")
@pass_app
def validate(
    app: AppContext,
    size: int | None,
    by: str | None,
    seed: int | None,
    replace: bool,
    report: bool,
    done: tuple[str, ...],
    undone: tuple[str, ...],
    level: str,
    fmt: str,
) -> None:
    """A random sample of documents you code fully by hand, to measure what review misses.

    Reviewing suggestions shows the engine's false positives, never its misses, so counts
    built from reviewed suggestions can be far too low. Draw a sample (unit: a document, i.e.
    a transcript or one survey answer), code each sample document completely by hand (the UI
    shows them blind: no suggestions, no other coder's codes, until you mark them done with
    V), then --report gives per theme the engine's precision and recall on the sample and the
    estimated number of documents in the whole project that mention it, with 95% intervals.
    Without options: your sample and what is done. Method: docs/VALIDATION.md.

    \b
    Examples:
      lo-codebook validate --size 40 --by size_class --seed 7
      lo-codebook validate --done R_1abc
      lo-codebook validate --report --format json
    """
    from lo_codebook.core import validation

    chosen = [
        name
        for name, on in (
            ("--size", size is not None),
            ("--report", report),
            ("--done/--undone", bool(done or undone)),
        )
        if on
    ]
    if len(chosen) > 1:
        raise UserError(f"use one of {', '.join(chosen)} at a time", where=chosen[1])
    if size is None and (by or seed is not None or replace):
        raise UserError("--by, --seed and --replace go with --size N (the draw)", where="--size")
    if size is not None:
        drawn = validation.draw_validation(
            app.project(create=False), size=size, by=by, seed=seed, replace=replace
        )
        for line in drawn.summary():
            echo(line)
        return
    if done or undone:
        project = app.project(create=False)
        for line in validation.mark_done_by_name(project, done) + validation.mark_done_by_name(
            project, undone, done=False
        ):
            echo(line)
        return
    if report:
        result = validation.validation_report(app.project(create=False), level=level)
        if fmt == "json":
            emit_json([row.record() for row in result.rows])
        else:
            echo(result.caption())
            echo("")
            echo(
                render_rows(
                    [
                        "code",
                        "category",
                        "in sample",
                        "precision (95%)",
                        "recall (95%)",
                        "suggested",
                        "estimate (95%)",
                    ],
                    [
                        (
                            r.code,
                            r.category or "",
                            r.estimate.positives,
                            _range(
                                r.estimate.precision.value,
                                r.estimate.precision.low,
                                r.estimate.precision.high,
                                percent=True,
                            ),
                            _range(
                                r.estimate.recall.value,
                                r.estimate.recall.low,
                                r.estimate.recall.high,
                                percent=True,
                            ),
                            r.suggested,
                            _range(
                                r.estimate.total.value,
                                r.estimate.total.low,
                                r.estimate.total.high,
                                percent=False,
                            ),
                        )
                        for r in result.rows
                    ],
                )
            )
        for note in result.notes():
            echo(note, err=True)
        if fmt == "json":
            echo(result.caption(), err=True)
        return
    project = app.project(create=False)
    with project.read() as session:
        status = validation.sample_status(session, project.coder_name)
    if status is None:
        raise UserError(
            f"{project.coder_name} has no validation sample; draw one: lo-codebook validate --size 40"
        )
    if fmt == "json":
        emit_json(
            [
                {"document": d.name, "position": d.position, "stratum": d.stratum, "done": d.done}
                for d in status.documents
            ]
        )
        return
    echo(
        f"validation sample of {status.coder}: {status.done} of {len(status.documents)} done (seed {status.seed}"
        + (f", by {status.by}" if status.by else "")
        + ")"
    )
    echo(
        render_rows(
            ["#", "document", *(["stratum"] if status.by else []), "done"],
            [
                (
                    d.position,
                    d.name,
                    *([d.stratum or ""] if status.by else []),
                    "yes" if d.done else "",
                )
                for d in status.documents
            ],
        )
    )
