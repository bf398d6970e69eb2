"""The `lo-codebook` command line: the click group `cli`, its global options, and `main`.

The commands live in the modules of this package, one subject each (`project`, `importing`,
`suggest`, `themes`, ...); each registers its commands on `cli` with `@cli.command()` when it
is imported, and takes what they share from `context`, `options` and `output`. The group
imports a command module only when it needs it (`CommandGroup`): running one command loads
the module that holds it, listing the commands (`--help`) loads them all. This module imports
none of them, so they never import each other in a ring (tests/test_architecture_imports.py).
"""

from __future__ import annotations

import importlib
import os
import pkgutil
import sys
from collections.abc import Sequence
from pathlib import Path

import click

from lo_codebook import __version__
from lo_codebook.cli.context import NOTES, AppContext
from lo_codebook.cli.output import echo
from lo_codebook.errors import UserError
from lo_codebook.i18n import LANGUAGES as OUTPUT_LANGUAGES
from lo_codebook.safe_output import printable

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}

#: Where each command lives, so that running one imports one module. A command missing here
#: is still found (the group then imports every module); tests/test_architecture_imports.py checks
#: that this table names every command and its module.
COMMAND_MODULES: dict[str, str] = {
    **dict.fromkeys(
        ("tui", "demo", "init", "settings", "status", "documents", "undo", "redo", "log"),
        "project",
    ),
    **dict.fromkeys(("import", "import-survey", "import-codings", "codebook"), "importing"),
    **dict.fromkeys(("suggest", "suggestions", "accept", "reject"), "suggest"),
    **dict.fromkeys(("themes", "discover", "export-quotes"), "themes"),
    **dict.fromkeys(("backup", "restore", "names"), "admin"),
    **dict.fromkeys(("agreement", "consensus", "cooccurrence"), "teams"),
    **dict.fromkeys(("merge-codebook", "unmerge", "merge-project"), "merge"),
    **dict.fromkeys(("export-qdpx", "import-qdpx"), "refi"),
    **dict.fromkeys(("memo", "memos", "cases"), "notes"),
    "report": "report",
    "validate": "validate",
    **dict.fromkeys(("retrieve", "search"), "workbench"),
}


#: The modules of this package that hold no commands: what the command modules share.
SHARED_MODULES = ("context", "options", "output")


def command_modules() -> list[str]:
    """Every module of this package but the shared ones: where the commands live."""
    return sorted(
        f"{__name__}.{info.name}"
        for info in pkgutil.iter_modules([str(Path(__file__).parent)])
        if info.name not in SHARED_MODULES
    )


class CommandGroup(click.Group):
    """A click group that imports a command's module before it finds the command, and every
    command module before it lists them.

    Each command module registers its commands on `cli` when imported; loading them here, by
    name, means a new module in this package is found with no line anywhere else (a line in
    `COMMAND_MODULES` only makes its commands start faster)."""

    _loaded_all = False

    def _load_all(self) -> None:
        if not CommandGroup._loaded_all:
            CommandGroup._loaded_all = True
            for name in command_modules():
                importlib.import_module(name)

    def list_commands(self, ctx: click.Context) -> list[str]:
        self._load_all()
        return super().list_commands(ctx)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        module = COMMAND_MODULES.get(cmd_name)
        if module is not None:
            importlib.import_module(f"{__name__}.{module}")
        command = super().get_command(ctx, cmd_name)
        if command is None:
            self._load_all()
            command = super().get_command(ctx, cmd_name)
        return command


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


def main(argv: Sequence[str] | None = None) -> None:
    """Console entry point: user errors become one line on stderr and exit code 1."""
    NOTES.clear()
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
    for note in NOTES:
        click.echo(note, err=True)
    NOTES.clear()
    sys.exit(result if isinstance(result, int) else 0)
