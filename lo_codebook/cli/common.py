"""What every command module shares: `AppContext` (the global options and the project opened
lazily), `pass_app`, the shared options, and the output helpers (`echo`, `emit_json`,
`render_rows`, `EchoStream`, `echo_language`).

Command modules import these from here and the group from `lo_codebook.cli`; this module
imports no command module, so none of them import each other in a ring.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import click

from lo_codebook.safe_output import printable, terminal_json


def echo(message: object = "", *, err: bool = False, nl: bool = True) -> None:
    """`click.echo` for everything but JSON: text from transcripts, file names and code names
    never sends a control character (escape sequence, BEL, bidi override) to the terminal."""
    click.echo(printable(str(message)), err=err, nl=nl)


#: Lines for stderr once the command has succeeded (e.g. "opened read-only"): a command that
#: fails prints only its one error line (`lo_codebook.cli.main` prints them).
NOTES: list[str] = []


class EchoStream:
    """A text stream onto `echo`, for csv writers (CliRunner and pipes see the same).

    Control characters in cells are shown as visible symbols (`safe_output.printable`) like
    all terminal output; JSON output (`--format json`) keeps every character exactly."""

    def write(self, text: str) -> int:
        echo(text, nl=False)
        return len(text)


class AppContext:
    """Global options, and the project opened lazily on first use."""

    def __init__(self, db: str | None, coder: str | None, lang: str | None = None):
        self.db = db
        self.coder = coder
        self.lang_option = lang
        self._project: Any = None
        self._lang: str | None = None

    def lang(self) -> str:
        """The output language of tables, CSV/XLSX headers, charts and numbers (one for all)."""
        if self._lang is None:
            from lo_codebook.core.settings import output_language

            self._lang = output_language(self.project(create=False), self.lang_option)
        return self._lang

    def project(self, *, create: bool = True) -> Any:
        from lo_codebook.core.project import Project

        if self._project is None:
            self._project = Project.open(self.db, self.coder, create=create)
            self._project.on_wait = lambda line: echo(line, err=True)
            context = click.get_current_context(silent=True)
            if context is not None:  # connections closed, temporary copies removed at the end
                context.find_root().call_on_close(self._project.close)
            if self._project.notice:
                NOTES.append(self._project.notice)
            if self._project.backup_path is not None:
                echo(
                    f"Upgraded the project; the previous version is saved as {self._project.backup_path}",
                    err=True,
                )
        return self._project


pass_app = click.make_pass_decorator(AppContext)


def emit_json(data: Any) -> None:
    """Exact JSON (readable UTF-8); the controls JSON leaves raw are written as \\u escapes."""
    click.echo(terminal_json(json.dumps(data, ensure_ascii=False, indent=2)))


def render_rows(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """A plain aligned table; numbers right-aligned; each cell one line of visible text."""
    cells = [[printable(str(h), newlines=False) for h in headers]] + [
        ["" if v is None else printable(str(v), newlines=False) for v in row] for row in rows
    ]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    numeric = [
        all(isinstance(row[i], (int, float)) for row in rows) if rows else False
        for i in range(len(headers))
    ]
    lines = []
    for n, row in enumerate(cells):
        parts = [
            c.rjust(w) if numeric[i] and n else c.ljust(w)
            for i, (c, w) in enumerate(zip(row, widths, strict=True))
        ]
        lines.append("  ".join(parts).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def format_option(*choices: str, default: str = "table"):  # type: ignore[no-untyped-def]
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(list(choices)),
        default=default,
        show_default=True,
        help="Output format.",
    )


def echo_language(note: Any, *, err: bool = False) -> None:
    """The line an import prints when it chose (or could not choose) the project's language."""
    if note is not None:
        echo(note.message(), err=err)
