"""The project itself: open it (UI, demo), create it, its settings, what it holds, and its
history (log, undo, redo)."""

from __future__ import annotations

import os

import click

from lo_codebook.cli import cli
from lo_codebook.cli.context import AppContext, pass_app
from lo_codebook.cli.options import flag_option, format_option, limit_option
from lo_codebook.cli.output import echo, emit_json, render_rows
from lo_codebook.i18n import t
from lo_codebook.nlp.language import LANGUAGES


@cli.command()
@pass_app
def tui(app: AppContext) -> None:
    """Open the terminal UI on the project.

    \b
    Example:
      lo-codebook --db study.db tui
    """
    from lo_codebook.tui.app import run_app

    run_app(app.project(), lang=app.lang_option)


@cli.command()
@click.option(
    "--language",
    type=click.Choice(LANGUAGES, case_sensitive=False),
    default=None,
    help="Language of the texts. Default: detected on the first import (else nl).",
)
@pass_app
def init(app: AppContext, language: str | None) -> None:
    """Create the project database, or upgrade an older one (after a backup).

    \b
    Examples:
      lo-codebook --db study.db init
      lo-codebook --db study.db init --language en
    """
    project = app.project()
    project.require_writable("init")
    echo(f"Project ready: {project.display_name}")
    if language is not None:
        from lo_codebook.core.settings import change_setting

        echo(f"language: {change_setting(project, 'language', language)}")


@cli.group(invoke_without_command=True)
@format_option("table", "json")
@click.pass_context
def settings(ctx: click.Context, fmt: str) -> None:
    """List the project's settings; change one with `settings set KEY VALUE`.

    \b
    Examples:
      lo-codebook settings
      lo-codebook settings --format json
      lo-codebook settings set language en
    """
    if ctx.invoked_subcommand is not None:
        return
    from lo_codebook.core.settings import list_settings

    app = ctx.find_object(AppContext)
    values = list_settings(app.project(create=False))
    if fmt == "json":
        emit_json({v.key: v.value for v in values})
    else:
        lang = app.lang()
        echo(
            render_rows(
                [t(f"col.{c}", lang) for c in ("setting", "value", "source", "meaning")],
                [(v.key, v.value, t(f"source.{v.source}", lang), v.help) for v in values],
            )
        )


@settings.command("set")
@click.argument("key")
@click.argument("value")
@pass_app
def settings_set(app: AppContext, key: str, value: str) -> None:
    """Change a project setting (imports never overwrite a language set here).

    \b
    Example:
      lo-codebook settings set language en
    """
    from lo_codebook.core.settings import change_setting

    echo(f"{key}: {change_setting(app.project(), key, value)}")


@cli.command()
@format_option("table", "json")
@pass_app
def status(app: AppContext, fmt: str) -> None:
    """Counts of cases, documents, codes, codings, suggestions and coders.

    \b
    Example:
      lo-codebook status --format json
    """
    from lo_codebook.core.queries import status_counts

    project = app.project(create=False)
    with project.read() as session:
        counts = status_counts(session)
    if fmt == "json":
        emit_json(counts)
    else:
        lang = app.lang()
        echo(t("project_line", lang, name=project.display_name, coder=project.coder_name))
        echo(
            render_rows(
                [t("col.what", lang), t("col.count", lang)],
                [(_status_word(k, lang), v) for k, v in counts.items()],
            )
        )


def _status_word(key: str, lang: str) -> str:
    """The row name of a `status` count in the output language (JSON keeps the key)."""
    try:
        return t(f"status.{key}", lang)
    except KeyError:
        return key.replace("_", " ")


@cli.command()
@format_option("table", "json")
@pass_app
def documents(app: AppContext, fmt: str) -> None:
    """One row per document, with its case, kind, words and attributes.

    \b
    Example:
      lo-codebook documents --format json > documents.json
    """
    from lo_codebook.core.queries import documents_listing

    project = app.project(create=False)
    with project.read() as session:
        rows = documents_listing(session, with_text=fmt == "json", coder=project.coder_name)
    if fmt == "json":
        emit_json(rows)
        return
    lang = app.lang()
    sample = ["sample"] if rows and "sample" in rows[0] else []  # the coder's validation sample
    echo(
        render_rows(
            [
                t(f"col.{c}", lang)
                for c in ("name", "case", "kind", "words", "turns", "attributes", *sample)
            ],
            [
                (
                    r["name"],
                    r["case"],
                    _kind_word(r["kind"], lang),
                    r["words"],
                    len(r["segments"]),
                    ", ".join(f"{k}={v}" for k, v in r["attributes"].items()),
                    *([t(f"sample.{r['sample']}", lang) if r["sample"] else ""] if sample else []),
                )
                for r in rows
            ],
        )
    )


def _kind_word(kind: str, lang: str) -> str:
    """A document kind (transcript, survey, text) in the output language."""
    try:
        return t(f"kind.{kind}", lang)
    except KeyError:
        return kind


@cli.command()
@flag_option("--no-tui", help="Print the theme table instead of opening the UI.")
@pass_app
def demo(app: AppContext, no_tui: bool) -> None:
    """Build a project from the bundled sample data (interviews, survey, codebook).

    Writes to --db / $LO_CODEBOOK_DB, else demo.db here; refuses to overwrite a project that
    is not a demo.

    \b
    Example:
      lo-codebook demo --no-tui
    """
    from lo_codebook.core.demo import build_demo

    target = app.db or os.environ.get("LO_CODEBOOK_DB") or "demo.db"
    result = build_demo(target, coder=app.coder, echo=echo, lang=app.lang_option)
    if no_tui:
        echo(result.report)
        return
    from lo_codebook.tui.app import run_app

    run_app(result.project, lang=app.lang_option)


@cli.command()
@click.option(
    "--entry",
    "entry_id",
    type=int,
    metavar="N",
    help="Undo this entry of `lo-codebook log` instead of your last action.",
)
@pass_app
def undo(app: AppContext, entry_id: int | None) -> None:
    """Undo your last action (coding, import, codebook edit, accept/reject, merge...).

    \b
    Examples:
      lo-codebook undo
      lo-codebook undo --entry 42
    """
    echo(app.project(create=False).undo(entry_id=entry_id))


@cli.command()
@pass_app
def redo(app: AppContext) -> None:
    """Redo what the last undo reversed.

    \b
    Example:
      lo-codebook redo
    """
    echo(app.project(create=False).undo(redo=True))


@cli.command()
@limit_option(30, "How many entries.")
@format_option("table", "json")
@pass_app
def log(app: AppContext, limit: int, fmt: str) -> None:
    """The audit log: every change with coder and time, newest first.

    \b
    Example:
      lo-codebook log --limit 10
    """
    from lo_codebook.core.audit import log_rows

    with app.project(create=False).read() as session:
        rows = log_rows(session, limit)
    if fmt == "json":
        emit_json(rows)
    else:
        lang = app.lang()
        undone = f" ({t('undone', lang)})"
        echo(
            render_rows(
                ["#", *(t(f"col.{c}", lang) for c in ("when", "coder", "action", "summary"))],
                [
                    (
                        r["id"],
                        r["at"],
                        r["coder"],
                        r["action"] + (undone if r["undone"] else ""),
                        r["summary"],
                    )
                    for r in rows
                ],
            )
        )
