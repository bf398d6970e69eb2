"""The `lo-codebook` group, its global options and the helpers every command module shares.

Command modules (`cli.py`, `cli_admin.py`, `cli_teams.py`, any other `cli_*.py`) import from
here (or, as before, from `lo_codebook.cli`, which re-exports all of this) and add commands
with `@cli.command()`. The group loads them by name the first time it lists or looks up a
command (`CommandGroup`), so no module has to import every command module and the command
modules never import each other in a ring (tests/test_architecture_imports.py).
"""

from __future__ import annotations

import importlib
import json
import os
import pkgutil
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

from lo_codebook import __version__
from lo_codebook.errors import UserError
from lo_codebook.i18n import LANGUAGES as OUTPUT_LANGUAGES
from lo_codebook.safe_output import printable, terminal_json

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def echo(message: object = "", *, err: bool = False, nl: bool = True) -> None:
    """`click.echo` for everything but JSON: text from transcripts, file names and code names
    never sends a control character (escape sequence, BEL, bidi override) to the terminal."""
    click.echo(printable(str(message)), err=err, nl=nl)


#: Lines for stderr once the command has succeeded (e.g. "opened read-only"): a command that
#: fails prints only its one error line.
_NOTES: list[str] = []


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
                _NOTES.append(self._project.notice)
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


def command_modules() -> list[str]:
    """`lo_codebook.cli` and every `lo_codebook.cli_*` module but this one: where commands live."""
    names = [
        info.name
        for info in pkgutil.iter_modules([str(Path(__file__).parent)])
        if info.name == "cli" or (info.name.startswith("cli_") and info.name != "cli_base")
    ]
    return [f"lo_codebook.{name}" for name in sorted(names, key=lambda name: (name != "cli", name))]


class CommandGroup(click.Group):
    """A click group that imports the command modules before it lists or finds a command.

    Each command module registers its commands on `cli` when imported; loading them here, by
    name, means a new `cli_*.py` needs no line anywhere else."""

    _loaded = False

    def _load_commands(self) -> None:
        if not CommandGroup._loaded:
            CommandGroup._loaded = True
            for name in command_modules():
                importlib.import_module(name)

    def list_commands(self, ctx: click.Context) -> list[str]:
        self._load_commands()
        return super().list_commands(ctx)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        self._load_commands()
        return super().get_command(ctx, cmd_name)


@click.group(cls=CommandGroup, context_settings=CONTEXT_SETTINGS, invoke_without_command=True)
@click.option(
    "--db",
    metavar="PATH_OR_URL",
    help="Project database: a SQLite file or any SQLAlchemy URL. Default: $LO_CODEBOOK_DB or ./lo_codebook.db.",
)
@click.option(
    "--coder", metavar="NAME", help="Who is coding. Default: $LO_CODEBOOK_CODER or your user name."
)
@click.option(
    "--lang",
    type=click.Choice(OUTPUT_LANGUAGES, case_sensitive=False),
    default=None,
    help="Language of screens, tables, charts and numbers. Default: $LO_CODEBOOK_LANG, else the "
    "project's ui_language setting, else its language.",
)
@click.version_option(__version__, prog_name="lo-codebook")
@click.pass_context
def cli(ctx: click.Context, db: str | None, coder: str | None, lang: str | None) -> None:
    """Code interview transcripts and open survey answers with a codebook.

    \b
    Examples:
      lo-codebook demo                      # sample project, opens the UI
      lo-codebook --db study.db import interviews/
      lo-codebook themes --above 10 --by size_class
    """
    ctx.obj = AppContext(db, coder, lang.lower() if lang else None)
    if ctx.invoked_subcommand is None:
        ctx.invoke(cli.get_command(ctx, "tui"))  # type: ignore[arg-type]


def echo_language(note: Any, *, err: bool = False) -> None:
    """The line an import prints when it chose (or could not choose) the project's language."""
    if note is not None:
        echo(note.message(), err=err)


def main(argv: Sequence[str] | None = None) -> None:
    """Console entry point: user errors become one line on stderr and exit code 1."""
    _NOTES.clear()
    try:
        result = cli.main(
            args=list(argv) if argv is not None else None,
            prog_name="lo-codebook",
            standalone_mode=False,
        )
    except UserError as exc:
        echo(printable(f"lo-codebook: error: {exc}", newlines=False), err=True)
        sys.exit(1)
    except click.exceptions.Abort:
        echo("lo-codebook: aborted", err=True)
        sys.exit(1)
    except click.ClickException as exc:
        message = " ".join(exc.format_message().split())
        echo(printable(f"lo-codebook: error: {message}", newlines=False), err=True)
        sys.exit(1)
    except KeyboardInterrupt:
        echo("lo-codebook: interrupted", err=True)
        sys.exit(130)
    except Exception as exc:
        if os.environ.get("LO_CODEBOOK_DEBUG"):
            raise
        echo(
            printable(
                f"lo-codebook: internal error: {exc.__class__.__name__}: {exc} "
                "(set LO_CODEBOOK_DEBUG=1 for the traceback and please report it)",
                newlines=False,
            ),
            err=True,
        )
        sys.exit(2)
    for note in _NOTES:
        click.echo(note, err=True)
    _NOTES.clear()
    sys.exit(result if isinstance(result, int) else 0)
