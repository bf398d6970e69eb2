"""What the commands share besides output: `AppContext` (the global options, and the project
opened lazily), `pass_app`, and `file_command` for commands on one file.

Command modules import these from here, the group from `lo_codebook.cli`, output helpers from
`output`; none of these modules imports a command module, so they never import each other in
a ring.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from lo_codebook.cli.options import file_argument
from lo_codebook.cli.output import echo

#: Lines for stderr once the command has succeeded (e.g. "opened read-only"): a command that
#: fails prints only its one error line (`lo_codebook.cli.main` prints them).
NOTES: list[str] = []


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


def file_command(
    group: click.Group, name: str, *, example: str
) -> Callable[[Callable[[AppContext, Path], str]], click.Command]:
    """`GROUP NAME FILE`, for a command on one file that prints one line: the decorated
    function returns that line. Its help is the function's docstring and then the example."""

    def decorate(function: Callable[[AppContext, Path], str]) -> click.Command:
        help_text = f"{inspect.cleandoc(function.__doc__ or '')}\n\n\b\nExample:\n  {example}"

        @group.command(name, help=help_text)
        @file_argument()
        @pass_app
        @functools.wraps(function)  # the command's function keeps its name and module
        def command(app: AppContext, file: Path) -> None:
            echo(function(app, file))

        return command

    return decorate
