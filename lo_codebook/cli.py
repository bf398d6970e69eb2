"""The `lo-codebook` commands for a project's daily work: parse arguments, call the core, print.

The group, its options and the shared helpers live in `cli_base` and are re-exported here, so
`from lo_codebook.cli import cli, echo, pass_app, main, ...` works for every command module."""

from __future__ import annotations

import os
from pathlib import Path

import click

from lo_codebook.cli_base import (
    CONTEXT_SETTINGS,
    AppContext,
    EchoStream,
    cli,
    echo,
    echo_language,
    emit_json,
    format_option,
    main,
    pass_app,
    render_rows,
)
from lo_codebook.core.defaults import DISCOVER_ABOVE
from lo_codebook.errors import UserError
from lo_codebook.i18n import t
from lo_codebook.ingest.layouts import layout_help, layout_names
from lo_codebook.nlp.language import LANGUAGES
from lo_codebook.safe_output import safe_cell, safe_row, terminal_json
from lo_codebook.words import plural

__all__ = [
    "CONTEXT_SETTINGS",
    "AppContext",
    "EchoStream",
    "cli",
    "echo",
    "echo_language",
    "emit_json",
    "format_option",
    "main",
    "pass_app",
    "render_rows",
]

SUGGESTION_CSV = ["document", "case", "code", "start", "end", "score", "method", "text", "evidence"]


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
@click.argument("file", type=click.Path(path_type=Path))
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
@click.argument("file", type=click.Path(path_type=Path))
@click.option(
    "--coder", "coder_name", required=True, metavar="NAME", help="Coder who made these codings."
)
@click.option(
    "--create-codes", is_flag=True, help="Add unknown codes to the codebook instead of failing."
)
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
@click.argument("file", type=click.Path(path_type=Path))
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


@codebook.command("export")
@click.argument("file", type=click.Path(path_type=Path))
@pass_app
def codebook_export(app: AppContext, file: Path) -> None:
    """Export the codebook to .csv, .md or .qdc (by extension).

    \b
    Example:
      lo-codebook codebook export codebook.md
    """
    from lo_codebook.core.codebook import export_codebook

    count = export_codebook(app.project(create=False), file)
    echo(f"wrote {plural(count, 'code')} to {file}")


@cli.command()
@click.option("--no-tui", is_flag=True, help="Print the theme table instead of opening the UI.")
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
@click.option(
    "--limit", default=30, show_default=True, type=click.IntRange(min=1), help="How many entries."
)
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


@cli.command()
@click.option(
    "--min-score",
    type=click.FloatRange(0, 100),
    default=None,
    help="Store only suggestions scoring at least this (0-100; default 50: below it a suggestion is more likely wrong than right).",
)
@click.option(
    "--document",
    "document_names",
    multiple=True,
    metavar="NAME",
    help="Only these documents; repeatable.",
)
@click.option(
    "--span",
    type=click.Choice(["sentence", "match", "turn"]),
    default="sentence",
    show_default=True,
    help="What a suggestion covers.",
)
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
@click.option(
    "--status",
    type=click.Choice(["pending", "accepted", "rejected", "all"]),
    default="pending",
    show_default=True,
)
@click.option("--code", metavar="NAME", help="Only suggestions of this code.")
@click.option("--min-score", type=click.FloatRange(0, 100), default=None)
@click.option(
    "--order",
    type=click.Choice(["document", "uncertain", "score"]),
    default="document",
    show_default=True,
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
    @click.option(
        "--min-score",
        type=click.FloatRange(0, 100),
        default=None,
        help=f"Only {verb} suggestions scoring at least this.",
    )
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


@cli.command()
@click.option(
    "--above",
    type=click.IntRange(min=0),
    default=None,
    metavar="N",
    help="Keep themes mentioned MORE than N times.",
)
@click.option(
    "--unit", type=click.Choice(["document", "mention"]), default="document", show_default=True
)
@click.option("--by", metavar="ATTR", help="Break down by a case attribute (e.g. size_class).")
@click.option(
    "--coder",
    "coder_names",
    metavar="NAME",
    multiple=True,
    help="Whose codings count: NAME (repeat, or A,B to pool several), 'all' to pool every "
    "coder, or 'consensus' for the consensus coding. Default: yours when you have codings, "
    "else everyone's. A line on stderr says which.",
)
@click.option(
    "--level", type=click.Choice(["theme", "category"]), default="theme", show_default=True
)
@click.option(
    "--kind",
    type=click.Choice(["survey", "transcript", "text"]),
    default=None,
    help="Only documents of this kind.",
)
@format_option("table", "csv", "xlsx", "md", "json")
@click.option(
    "-o", "--output", type=click.Path(path_type=Path), help="Write to FILE instead of the terminal."
)
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
        echo(f"wrote {plural(len(table), 'row')} to {output}", err=True)
    if chart is not None:
        echo(f"chart: {chart}", err=True)


@cli.command()
@click.option(
    "--above",
    type=click.IntRange(min=0),
    default=DISCOVER_ABOVE,
    show_default=True,
    metavar="N",
    help="Keep candidates mentioned by MORE than N documents.",
)
@click.option(
    "--new",
    "only_new",
    is_flag=True,
    help="Leave out what the codebook's names and keywords already cover.",
)
@click.option(
    "--kind",
    type=click.Choice(["survey", "transcript", "text"]),
    default=None,
    help="Only documents of this kind.",
)
@click.option(
    "--add",
    "add",
    multiple=True,
    metavar="N|LABEL",
    help="Add candidate number N (or with this label) to the codebook; repeatable.",
)
@click.option("--parent", metavar="CODE", help="With --add: the category to put it under.")
@click.option(
    "--limit", type=click.IntRange(min=1), default=40, show_default=True, help="Rows to show."
)
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
