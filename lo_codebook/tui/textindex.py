"""Offsets <-> (row, column) and span layout per line, so the document view stays O(visible lines).

Textual's `Document` splits text with `str.splitlines()`; this index mirrors that exactly, so a
`(row, col)` from the TextArea maps to the Python `str` index stored in the database (code
points, end exclusive) for every kind of line break (`\\n`, `\\r\\n`, form feed, U+2028, ...).
Nothing here imports Textual: the mapping is tested on its own.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from typing import Generic, TypeVar

from rich.cells import cell_len

T = TypeVar("T")

_NEWLINE_ENDINGS = ("\r\n", "\n", "\r")
_WORD = re.compile(r"[\w][\w'’\-]*[\w]|[\w]", re.UNICODE)
# A sentence ends after . ! ? … (plus closing quotes/brackets) followed by white space.
_SENTENCE_END = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s)|\n\s*\n")


class LineIndex:
    """Source offset where each TextArea row starts, and its length; `bisect` maps back.

    Rows are either the text's own lines (`LineIndex(text)`, mirroring `Document`), or the
    visual rows of `wrap_text` (long paragraphs broken at spaces). Either way a row is a
    contiguous slice of the source text, so `(row, col) -> starts[row] + col` is exact.
    """

    __slots__ = ("starts", "lengths", "text_length")

    def __init__(self, text: str = "", *, rows: tuple[list[int], list[int]] | None = None):
        if rows is not None:
            starts, lengths = rows
        else:
            starts, lengths = [], []
            position = 0
            for line in text.splitlines(keepends=True):
                starts.append(position)
                lengths.append(len(line.splitlines()[0]) if line else 0)
                position += len(line)
            if not text or text.endswith(_NEWLINE_ENDINGS):
                # Textual's Document adds an empty last line after a trailing newline.
                starts.append(position)
                lengths.append(0)
        self.starts = starts
        self.lengths = lengths
        self.text_length = len(text)

    def __len__(self) -> int:
        return len(self.starts)

    def offset(self, location: tuple[int, int]) -> int:
        """The text offset of a (row, column) location (clamped to the row)."""
        row, column = location
        row = max(0, min(row, len(self.starts) - 1))
        column = max(0, min(column, self.lengths[row]))
        return self.starts[row] + column

    def location(self, offset: int) -> tuple[int, int]:
        """The (row, column) of a text offset; an offset inside a line break maps to the row end."""
        offset = max(0, min(offset, self.text_length))
        row = bisect_right(self.starts, offset) - 1
        return row, min(offset - self.starts[row], self.lengths[row])

    def rows_of(self, start: int, end: int) -> range:
        """Rows that the span [start, end) touches."""
        first = bisect_right(self.starts, start) - 1
        last = bisect_right(self.starts, max(start, end - 1)) - 1
        return range(max(first, 0), max(last, 0) + 1)


_TOKEN = re.compile(r"\S+|\s+")
# Characters that always take exactly one cell (ASCII, Latin, Greek, Cyrillic, common
# punctuation); a line made only of these can be wrapped with `str.rfind`, no per-word loop.
_NOT_NARROW = re.compile(
    r"[^\u0020-\u007e\u00a0-\u02ff\u0370-\u04ff\u2010-\u2027\u2030-\u205e\u20ac]"
)


def _cells(text: str) -> int:
    """Terminal cells of `text`; a tab counts as the most it can expand to (4)."""
    if "\t" in text:
        text = text.replace("\t", "    ")
    return len(text) if text.isascii() and text.isprintable() else cell_len(text)


def wrap_text(text: str, width: int) -> tuple[str, LineIndex]:
    """Break long lines at spaces into rows of at most `width` cells.

    Returns the text for the TextArea (rows joined by "\n") and the row index that maps every
    row back to its slice of `text`. Nothing is added to or dropped from a row: the TextArea
    shows the source exactly, and original line breaks of any kind separate rows.
    """
    width = max(width, 8)
    starts: list[int] = []
    lengths: list[int] = []
    rows: list[str] = []
    position = 0

    def emit(start: int, end: int) -> None:
        starts.append(start)
        lengths.append(end - start)
        rows.append(text[start:end])

    lines = text.splitlines(keepends=True)
    for line in lines:
        content = line.splitlines()[0] if line else ""
        if len(content) <= width and _cells(content) <= width:
            emit(position, position + len(content))
        elif _NOT_NARROW.search(content) is None:
            # One cell per character: break after the last space that fits, else cut the word.
            row_start, end = 0, len(content)
            while end - row_start > width:
                limit = row_start + width
                space = content.rfind(" ", row_start, limit)
                cut = space + 1 if space > row_start else limit
                emit(position + row_start, position + cut)
                row_start = cut
            emit(position + row_start, position + end)
        else:
            row_start = position
            used = 0
            for match in _TOKEN.finditer(content):
                token = match.group()
                start = position + match.start()
                cells = _cells(token)
                if used + cells <= width:
                    used += cells
                    continue
                if token[0].isspace():
                    # Fill the row with as much of the white space as fits; the rest leads
                    # the next row.
                    fit = 0
                    while fit < len(token):
                        cell = _cells(token[fit])
                        if used + cell > width:
                            emit(row_start, start + fit)
                            row_start, used = start + fit, 0
                        used += cell
                        fit += 1
                    continue
                if start > row_start:
                    emit(row_start, start)
                    row_start, used = start, 0
                while _cells(text[row_start : start + len(token)]) > width:
                    cut = row_start
                    fill = 0
                    while fill + _cells(text[cut]) <= width:
                        fill += _cells(text[cut])
                        cut += 1
                    emit(row_start, cut)
                    row_start = cut
                used = _cells(text[row_start : start + len(token)])
            emit(row_start, position + len(content))
        position += len(line)
    if not text or text.endswith(_NEWLINE_ENDINGS):
        emit(position, position)
    return "\n".join(rows), LineIndex(text, rows=(starts, lengths))


class Piece(Generic[T]):
    """The part of a span that falls on one row, in row columns."""

    __slots__ = ("start", "end", "item")

    def __init__(self, start: int, end: int, item: T) -> None:
        self.start = start
        self.end = end
        self.item = item

    def __repr__(self) -> str:
        return f"Piece({self.start}, {self.end}, {self.item!r})"


def layout_by_line(
    index: LineIndex, spans: Iterable[tuple[int, int, T]]
) -> dict[int, list[Piece[T]]]:
    """Cut spans into per-line pieces: drawing a line then only looks at its own pieces."""
    by_line: dict[int, list[Piece[T]]] = {}
    starts, lengths = index.starts, index.lengths
    for start, end, item in spans:
        if end <= start:
            continue
        row = bisect_right(starts, start) - 1
        last = len(starts) - 1
        while row <= last:
            line_start = starts[row]
            if line_start >= end:
                break
            a = start - line_start if start > line_start else 0
            b = min(end - line_start, lengths[row])
            if b > a:
                pieces = by_line.get(row)
                if pieces is None:
                    by_line[row] = [Piece(a, b, item)]
                else:
                    pieces.append(Piece(a, b, item))
            row += 1
    return by_line


def word_bounds(text: str, offset: int) -> tuple[int, int] | None:
    """The word at (or just before) `offset`."""
    if not text:
        return None
    lo = max(0, offset - 80)
    for match in _WORD.finditer(text, lo, min(len(text), offset + 80)):
        if match.start() <= offset < match.end() or match.end() == offset:
            return match.start(), match.end()
        if match.start() > offset:
            return match.start(), match.end()
    return None


def next_word(text: str, offset: int) -> tuple[int, int] | None:
    """The first word that starts at or after `offset`."""
    match = _WORD.search(text, offset)
    return (match.start(), match.end()) if match else None


def sentence_bounds(
    text: str, offset: int, *, lo: int = 0, hi: int | None = None
) -> tuple[int, int]:
    """The sentence around `offset`, kept inside [lo, hi) (a speaker turn), trimmed of space."""
    hi = len(text) if hi is None else hi
    offset = max(lo, min(offset, hi - 1 if hi > lo else lo))
    start = lo
    for match in _SENTENCE_END.finditer(text, lo, offset):
        start = match.end()
    match = _SENTENCE_END.search(text, offset, hi)
    end = match.end() if match else hi
    if match and match.group().startswith("\n"):
        end = match.start()
    return trim(text, start, end)


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink [start, end) so it neither starts nor ends with white space."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def containing(spans: Sequence[tuple[int, int]], offset: int) -> list[int]:
    """Indices of spans that contain `offset` (end exclusive, but a caret at the end counts)."""
    return [i for i, (s, e) in enumerate(spans) if s <= offset < e or (offset == e and s < e)]
