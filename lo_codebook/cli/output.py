"""How text leaves the command line: `echo` (never a control character), JSON, aligned
tables, CSV onto the terminal, and the lines several commands print alike."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import click

from lo_codebook.safe_output import printable, terminal_json
from lo_codebook.words import plural


def echo(message: object = "", *, err: bool = False, nl: bool = True) -> None:
    """`click.echo` for everything but JSON: text from transcripts, file names and code names
    never sends a control character (escape sequence, BEL, bidi override) to the terminal."""
    click.echo(printable(str(message)), err=err, nl=nl)


class EchoStream:
    """A text stream onto `echo`, for csv writers (CliRunner and pipes see the same).

    Control characters in cells are shown as visible symbols (`safe_output.printable`) like
    all terminal output; JSON output (`--format json`) keeps every character exactly."""

    def write(self, text: str) -> int:
        echo(text, nl=False)
        return len(text)


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


def wrote(count: int, noun: str, path: object) -> str:
    """The line a command prints when it has written a file: "wrote 12 codes to codebook.md"."""
    return f"wrote {plural(count, noun)} to {path}"


def echo_language(note: Any, *, err: bool = False) -> None:
    """The line an import prints when it chose (or could not choose) the project's language."""
    if note is not None:
        echo(note.message(), err=err)
