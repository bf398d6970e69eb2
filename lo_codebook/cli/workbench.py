"""The researcher's workbench on the command line: coded retrieval and text search (and code)."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

from lo_codebook.cli import cli
from lo_codebook.cli.context import AppContext, pass_app
from lo_codebook.cli.options import (
    case_filter_option,
    coder_option,
    flag_option,
    format_option,
    output_option,
)
from lo_codebook.cli.output import EchoStream, echo, emit_json, render_rows, wrote
from lo_codebook.errors import UserError
from lo_codebook.safe_output import safe_cell, write_text
from lo_codebook.words import plural


def _in_context(before: str, text: str, after: str) -> str:
    from lo_codebook.core.passages import kwic

    left, centre, right = kwic(before, text, after, side=24, middle=56)
    return f"{left}[{centre}]{right}"


def _context_table(lang: str, items: Sequence[Any], *fields: str) -> str:
    """The terminal table of `retrieve` and `search`: the named fields of each segment or hit,
    then its text in context. Headers in the output language (CSV and JSON keep English)."""
    from lo_codebook.i18n import t

    return render_rows(
        [t(f"col.{key}", lang) for key in (*fields, "in_context")],
        [
            (*(getattr(item, f) for f in fields), _in_context(item.before, item.text, item.after))
            for item in items
        ],
    )


@cli.command()
@click.option(
    "--code",
    required=True,
    metavar="NAME",
    help="The code (a name or Category/Name path; a category brings its themes).",
)
@coder_option(
    "Whose codings: NAME (repeat, or A,B), 'all', or 'consensus'. Default as for themes: "
    "yours when you have codings, else everyone's. A line on stderr says which.",
    multiple=True,
)
@case_filter_option("Only cases with this attribute value (e.g. size_class=G4); repeatable.")
@format_option("table", "csv", "json", "md")
@output_option()
@pass_app
def retrieve(
    app: AppContext,
    code: str,
    coder_names: tuple[str, ...],
    by: tuple[str, ...],
    fmt: str,
    output: Path | None,
) -> None:
    """Every segment coded with a code: document, case, coder, place, text and context.

    JSON rows: document, case, code, coder, start, end, text, attributes. CSV adds the text
    before and after each segment and a column per case attribute.

    \b
    Examples:
      lo-codebook retrieve --code Werkdruk
      lo-codebook retrieve --code Werkdruk --by size_class=G4 --coder all
      lo-codebook retrieve --code Werkdruk --format md -o werkdruk.md
    """
    from lo_codebook.core.retrieval import render_segments, retrieve_segments

    result = retrieve_segments(
        app.project(create=False), code, coder=list(coder_names) or None, by=by
    )
    lang = app.lang()
    if fmt == "table":
        fields = ("document", "case", "code", "coder", "start", "end")
        text = _context_table(lang, result.segments, *fields) + "\n"
    else:
        text = render_segments(result, fmt, lang)
    echo(result.notice(), err=True)
    if output is not None:
        write_text(output, text)
        echo(wrote(len(result.segments), "segment", output), err=True)
    elif fmt == "json":
        emit_json([s.as_record() for s in result.segments])
    else:
        echo(text.rstrip("\n"))


@cli.command()
@click.argument("query")
@flag_option(
    "--regex",
    "use_regex",
    help="QUERY is a regular expression (case-insensitive; stops after 5 s).",
)
@flag_option(
    "--lemma", "use_lemma", help="Find every form of the words (werken: werkt, werkte, gewerkt)."
)
@click.option(
    "--code",
    metavar="NAME",
    help="Code every hit with this code (yours; one log entry that undo takes back).",
)
@case_filter_option("Only cases with this attribute value; repeatable.")
@format_option("table", "csv", "json")
@pass_app
def search(
    app: AppContext,
    query: str,
    use_regex: bool,
    use_lemma: bool,
    code: str | None,
    by: tuple[str, ...],
    fmt: str,
) -> None:
    """Find a word, phrase, lemma or regular expression in every document (and code the hits).

    Words and phrases match case-insensitively with any whitespace between the words. JSON
    rows: document, case, start, end, text.

    \b
    Examples:
      lo-codebook search "hybride werken"
      lo-codebook search leidinggevende --lemma --format json
      lo-codebook search "werk ?druk" --regex --code Werkdruk
    """
    from lo_codebook.core.search import code_hits, search_documents

    if use_regex and use_lemma:
        raise UserError("choose --regex or --lemma, not both", where="--lemma")
    project = app.project(create=False)
    if code is not None:
        project.require_writable("search --code")
    mode = "regex" if use_regex else "lemma" if use_lemma else "words"
    result = search_documents(project, query, mode=mode, by=by)
    coded = code_hits(project, result.hits, code, query=query) if code is not None else None
    if fmt == "json":
        emit_json([h.as_record() for h in result.hits])
    elif fmt == "csv":
        writer = csv.writer(EchoStream(), lineterminator="\n")
        writer.writerow(["document", "case", "start", "end", "text"])
        for h in result.hits:
            writer.writerow(
                [safe_cell(v) for v in (h.document, h.case or "", h.start, h.end, h.text)]
            )
    else:
        echo(_context_table(app.lang(), result.hits, "document", "case", "start", "end"))
    echo(result.summary(), err=True)
    if coded is not None:
        if coded.coded:
            echo(coded.summary(), err=True)
        else:
            echo(
                f"nothing coded: {plural(coded.already, 'hit')} already had {coded.code!r}"
                if coded.already
                else "nothing coded: no hits",
                err=True,
            )
