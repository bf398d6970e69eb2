"""Options and arguments several commands share, each written once: a flag means the same
(type, default, the default shown in --help) wherever it appears."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import click

Decorator = Callable[[Callable[..., Any]], Callable[..., Any]]

# -- general shapes -----------------------------------------------------------------------


def format_option(*choices: str, default: str = "table") -> Decorator:
    """--format: how the command prints its result (table, csv, json, ...)."""
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(list(choices)),
        default=default,
        show_default=True,
        help="Output format.",
    )


def choice_option(*decls: str, choices: Sequence[str], help: str | None = None) -> Decorator:
    """One of a few words; the first is the default (shown in --help)."""
    return click.option(
        *decls, type=click.Choice(list(choices)), default=choices[0], show_default=True, help=help
    )


def flag_option(*decls: str, help: str) -> Decorator:
    """A switch: off unless given."""
    return click.option(*decls, is_flag=True, help=help)


def file_argument(*, required: bool = True) -> Decorator:
    """FILE: the file a command reads or writes."""
    return click.argument("file", required=required, type=click.Path(path_type=Path))


def output_option() -> Decorator:
    """-o FILE: write there instead of to the terminal."""
    return click.option(
        "-o",
        "--output",
        type=click.Path(path_type=Path),
        help="Write to FILE instead of the terminal.",
    )


def limit_option(default: int, help: str) -> Decorator:
    """--limit: how many rows a listing shows."""
    return click.option(
        "--limit", type=click.IntRange(min=1), default=default, show_default=True, help=help
    )


# -- the words of the study ---------------------------------------------------------------


def coder_option(
    help: str, *, multiple: bool = False, metavar: str = "NAME", required: bool = False
) -> Decorator:
    """--coder: whose codings (one name, `coder_name`; or several, `coder_names`)."""
    return click.option(
        "--coder",
        "coder_names" if multiple else "coder_name",
        metavar=metavar,
        multiple=multiple,
        required=required,
        help=help,
    )


def coders_option(help: str) -> Decorator:
    """--coders A,B: the two coders to compare or reconcile."""
    return click.option("--coders", "coders", required=True, metavar="A,B", help=help)


def score_option(*decls: str, default: float | None = None, help: str | None = None) -> Decorator:
    """A suggestion or match score from 0 to 100."""
    return click.option(
        *decls,
        type=click.FloatRange(0, 100),
        default=default,
        show_default=default is not None,
        help=help,
    )


def above_option(default: int | None, help: str) -> Decorator:
    """--above N: keep what is mentioned MORE than N times (the threshold of a theme table)."""
    return click.option(
        "--above",
        type=click.IntRange(min=0),
        default=default,
        show_default=default is not None,
        metavar="N",
        help=help,
    )


def kind_option() -> Decorator:
    """--kind: only documents of one kind (survey, transcript, text)."""
    return click.option(
        "--kind",
        type=click.Choice(["survey", "transcript", "text"]),
        default=None,
        help="Only documents of this kind.",
    )


def case_filter_option(help: str) -> Decorator:
    """--by ATTR=VALUE: only the cases with this attribute value (repeatable)."""
    return click.option("--by", "by", metavar="ATTR=VALUE", multiple=True, help=help)


def pseudonymise_option(help: str) -> Decorator:
    """--pseudonymise (or -ize): write the name list's pseudonyms instead of the names."""
    return click.option("--pseudonymise", "--pseudonymize", "pseudonymise", is_flag=True, help=help)
