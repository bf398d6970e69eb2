"""Offsets <-> TextArea rows: exact for every kind of line break, wide characters, long lines."""

from __future__ import annotations

import random

import pytest
from rich.cells import cell_len
from textual.document._document import Document

from lo_codebook.tui import keymap
from lo_codebook.tui.textindex import (
    LineIndex,
    layout_by_line,
    next_word,
    sentence_bounds,
    word_bounds,
    wrap_text,
)

PIECES = [
    "aa",
    "bbb",
    "Één",
    "café",
    "😀",
    "漢字",
    "x" * 40,
    "naïef",
    " ",
    " ",
    "  ",
    "\n",
    "\r\n",
    "\n\n",
    "\r",
    "\u2028",
    "\x0c",
    "\t",
    " " * 25,
    "\t" * 7,
]
BREAKS = "\n\r\u2028\x0c\x0b\x1c\x1d\x1e\x85\u2029"


def random_text(rng: random.Random) -> str:
    return "".join(rng.choice(PIECES) for _ in range(rng.randint(0, 80)))


@pytest.mark.parametrize("seed", range(40))
def test_line_index_matches_textual_document(seed: int) -> None:
    text = random_text(random.Random(seed))
    document = Document(text)
    index = LineIndex(text)
    assert len(index) == document.line_count
    for row in range(document.line_count):
        line = document.get_line(row)
        for column in range(len(line) + 1):
            offset = index.offset((row, column))
            assert text[offset : offset + len(line) - column] == line[column:]
            assert index.location(offset) == (row, column)


@pytest.mark.parametrize("seed", range(60))
def test_wrap_text_rows_are_source_slices(seed: int) -> None:
    rng = random.Random(seed)
    text = random_text(rng)
    width = rng.randint(8, 40)
    shown, index = wrap_text(text, width)
    document = Document(shown)
    assert document.line_count == len(index)
    covered = 0
    for row in range(document.line_count):
        line = document.get_line(row)
        start = index.offset((row, 0))
        assert text[start : start + len(line)] == line
        assert cell_len(line.replace("\t", "    ")) <= width or len(line) == 1
        covered += len(line)
    assert covered == len(text) - sum(text.count(ch) for ch in BREAKS)


def test_offsets_round_trip_through_wrapped_rows() -> None:
    text = "Respondent: " + "één café 😀 digitalisering " * 30 + "\r\nInterviewer: ja?\n"
    _, index = wrap_text(text, 30)
    for offset in range(len(text) + 1):
        row, column = index.location(offset)
        back = index.offset((row, column))
        # offsets inside a line break map to the end of the row before it
        assert back == offset or text[back:offset].strip("\r\n") == ""


def test_layout_by_line_cuts_spans_at_rows() -> None:
    text = "abc def ghi jkl mno pqr stu"
    _, index = wrap_text(text, 8)
    pieces = layout_by_line(index, [(2, 13, "x")])
    rebuilt = "".join(
        text[index.starts[row] + p.start : index.starts[row] + p.end]
        for row in sorted(pieces)
        for p in pieces[row]
    )
    assert rebuilt == text[2:13]


def test_word_and_sentence_bounds() -> None:
    text = "Eerste zin hier. Tweede zin, met café-gesprek! Derde"
    assert text[slice(*word_bounds(text, text.index("afé")))] == "café-gesprek"
    assert text[slice(*next_word(text, text.index("zin,") + 3))] == "met"
    assert text[slice(*sentence_bounds(text, text.index("met")))] == "Tweede zin, met café-gesprek!"
    assert text[slice(*sentence_bounds(text, len(text) - 1))] == "Derde"


def test_keymap_file(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "keymap.toml"
    path.write_text(
        '"doc.code" = ["enter", "c"]\n"app.undo" = ""\n"nope" = "x"\n', encoding="utf-8"
    )
    mapping, problems = keymap.load_keymap(path)
    assert mapping == {"doc.code": "enter,c"}
    assert any("app.undo" in p for p in problems) and any("nope" in p for p in problems)
    path.write_text("not toml [", encoding="utf-8")
    assert keymap.load_keymap(path)[0] == {} and keymap.load_keymap(path)[1]
    assert keymap.load_keymap(tmp_path / "missing.toml") == ({}, [])


def test_every_action_has_a_unique_id_and_description() -> None:
    ids = [a.id for a in keymap.ACTIONS]
    assert len(ids) == len(set(ids))
    assert all(a.description and a.scope in keymap.SCOPE_TITLES for a in keymap.ACTIONS)


def test_core_does_not_import_textual() -> None:
    """The core must stay usable without Textual (the CLI and scripts use it)."""
    import subprocess
    import sys

    code = (
        "import sys, importlib.abc\n"
        "class Block(importlib.abc.MetaPathFinder):\n"
        "    def find_spec(self, name, path, target=None):\n"
        "        if name == 'textual' or name.startswith('textual.'):\n"
        "            raise ImportError('textual blocked')\n"
        "sys.meta_path.insert(0, Block())\n"
        "import lo_codebook.core.queries, lo_codebook.core.coding, lo_codebook.core.codebook\n"
        "import lo_codebook.core.themes_service, lo_codebook.core.project\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
