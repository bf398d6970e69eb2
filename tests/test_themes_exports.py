"""Theme table exports: exact JSON shape, and CSV/Markdown/Excel files that read back."""

from __future__ import annotations

import io
import json

import openpyxl
import pandas as pd
import pytest

from lo_codebook.analysis.frames import make_codes, make_documents, make_pairs
from lo_codebook.analysis.themes import (
    render_text,
    theme_table,
    to_csv,
    to_json,
    to_markdown,
    to_records,
    to_xlsx,
    write_table,
)
from lo_codebook.errors import UserError


@pytest.fixture()
def frames() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    codes = make_codes(
        [
            (1, "Ontwikkeling", None),
            (2, "Leiderschap", 1),
            (3, "Werkdruk | stress", 1),
            (4, "Overig", None),
        ]
    )
    pairs = make_pairs([(2, 1, 2), (2, 2, 1), (2, 3, 1), (3, 1, 1), (4, 4, 3)])
    documents = make_documents(
        [(1, "R1", "A"), (2, "R2", "B"), (3, "R3", "C"), (4, "R4", "D")],
        size_class=["<20.000", "G4", "<20.000", None],
    )
    return codes, pairs, documents


def test_records_match_spec_exactly(frames):
    table = theme_table(*frames)
    assert to_records(table) == [
        {
            "code": "Leiderschap",
            "category": "Ontwikkeling",
            "documents": 3,
            "mentions": 4,
            "share": 0.75,
        },
        {"code": "Overig", "category": None, "documents": 1, "mentions": 3, "share": 0.25},
        {
            "code": "Werkdruk | stress",
            "category": "Ontwikkeling",
            "documents": 1,
            "mentions": 1,
            "share": 0.25,
        },
    ]


def test_records_with_by_have_int_counts_per_group_in_order(frames):
    records = to_records(theme_table(*frames, by="size_class"))
    assert records[0] == {
        "code": "Leiderschap",
        "category": "Ontwikkeling",
        "documents": 3,
        "mentions": 4,
        "share": 0.75,
        "by": {"<20.000": 2, "G4": 1, "(onbekend)": 0},
    }
    assert list(records[1]["by"]) == ["<20.000", "G4", "(onbekend)"]
    for record in records:
        assert set(record) == {"code", "category", "documents", "mentions", "share", "by"}
        assert all(type(v) is int for v in record["by"].values())
        assert type(record["documents"]) is int and type(record["share"]) is float


def test_json_text_round_trips_and_keeps_order(frames):
    table = theme_table(*frames, above=0)
    data = json.loads(to_json(table))
    assert data == to_records(table)
    docs = [r["documents"] for r in data]
    assert docs == sorted(docs, reverse=True)


def test_render_text_has_caption_and_aligned_columns(frames):
    text = render_text(theme_table(*frames, above=0, coder="anna"))
    lines = text.splitlines()
    assert lines[0].startswith("Thema's: 4 documenten in scope")
    assert "drempel: > 0 documenten" in lines[0]
    assert "eenheid: documenten" in lines[0] and "codeur: anna" in lines[0]
    header, rule, *body = lines[2:]
    assert "Thema" in header and "Documenten" in header
    # Right-aligned count column: every row ends the Documenten column at the same place.
    end = header.index("Documenten") + len("Documenten")
    for row in body:
        assert row[end - 1].isdigit() and row[end] == " "
    assert "75,0%" in body[0]


def test_render_text_english_and_no_threshold(frames):
    text = render_text(theme_table(*frames), lang="en")
    assert text.splitlines()[0].startswith("Themes: 4 documents in scope · threshold: none")
    assert "75.0%" in text


def test_render_text_empty_table(frames):
    text = render_text(theme_table(*frames, above=100))
    assert "(geen thema's)" in text


def test_csv_reads_back(frames, tmp_path):
    table = theme_table(*frames, by="size_class")
    path = tmp_path / "themes.csv"
    to_csv(table, path)
    back = pd.read_csv(path, keep_default_na=False)
    assert list(back.columns[:5]) == ["code", "category", "documents", "mentions", "share"]
    assert back["code"].tolist() == ["Leiderschap", "Overig", "Werkdruk | stress"]
    assert back["documents"].tolist() == [3, 1, 1]
    assert back["size_class=<20.000"].tolist() == [2, 0, 1]
    assert back["size_class=G4 share"].tolist() == [1.0, 0.0, 0.0]
    assert back["category"].tolist() == ["Ontwikkeling", "", "Ontwikkeling"]


def test_csv_to_buffer_and_string(frames):
    table = theme_table(*frames)
    buffer = io.StringIO()
    assert to_csv(table, buffer) is None
    assert buffer.getvalue() == to_csv(table)
    assert buffer.getvalue().splitlines()[0] == "code,category,documents,mentions,share"


def test_markdown_is_a_pipe_table_with_escaped_pipes(frames):
    md = to_markdown(theme_table(*frames, by="size_class"))
    lines = md.strip().splitlines()
    assert lines[0].startswith("| Thema | Categorie | Documenten | Vermeldingen | Aandeel |")
    assert lines[1].startswith("|:---|:---|---:|---:|---:|")
    assert len(lines) == 2 + 3
    assert "Werkdruk \\| stress" in md
    # Escaped pipes do not add columns: every line has the same number of separators.
    counts = {line.replace("\\|", "").count("|") for line in lines}
    assert len(counts) == 1
    assert "<20.000 (n=2)" in lines[0] and "2 (100,0%)" in lines[2]


def test_xlsx_written_with_bold_header_widths_and_metadata(frames, tmp_path):
    table = theme_table(*frames, above=0, by="size_class")
    path = tmp_path / "themes.xlsx"
    to_xlsx(table, path)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Thema's", "Metadata"]
    sheet = book["Thema's"]
    header = [c.value for c in sheet[1]]
    assert header[:5] == ["Thema", "Categorie", "Documenten", "Vermeldingen", "Aandeel"]
    assert all(c.font.bold for c in sheet[1])
    assert [c.value for c in sheet[2]][:5] == ["Leiderschap", "Ontwikkeling", 3, 4, 0.75]
    assert sheet.cell(row=2, column=5).number_format == "0.0%"
    assert sheet.column_dimensions["A"].width >= len("Werkdruk | stress")
    assert sheet.max_row == 1 + 3
    meta = {row[0]: row[1] for row in book["Metadata"].iter_rows(min_row=2, values_only=True)}
    assert meta["documenten in scope"] == "4"
    assert meta["drempel"] == "> 0 documenten"
    assert "aangemaakt" in meta and meta["gemaakt met"].startswith("lo-codebook")
    assert meta["size_class = G4"] == "1"


def test_write_table_dispatches_every_format(frames, tmp_path):
    table = theme_table(*frames, above=0)
    assert write_table(table, "table") == render_text(table)
    assert write_table(table, "md") == to_markdown(table)
    assert json.loads(write_table(table, "json")) == to_records(table)
    assert write_table(table, "csv") == to_csv(table, lang="nl")  # headers in the table's language
    out = tmp_path / "t.json"
    text = write_table(table, "json", out)
    assert out.read_text(encoding="utf-8") == text
    xlsx = tmp_path / "t.xlsx"
    assert write_table(table, "xlsx", xlsx) is None
    assert openpyxl.load_workbook(xlsx).sheetnames[0] == "Thema's"


def test_write_table_errors_are_user_errors(frames, tmp_path):
    table = theme_table(*frames)
    with pytest.raises(UserError, match="unknown format"):
        write_table(table, "docx")
    with pytest.raises(UserError, match="xlsx needs an output file"):
        write_table(table, "xlsx")
    with pytest.raises(UserError):
        write_table(table, "csv", tmp_path / "missing-dir" / "t.csv")


def test_category_level_headers(frames):
    table = theme_table(*frames, level="category")
    assert render_text(table).splitlines()[2].startswith("Categorie")
    assert to_records(table) == [
        {"code": "Ontwikkeling", "category": None, "documents": 3, "mentions": 5, "share": 0.75}
    ]


def test_json_is_sorted_by_documents_also_with_the_mention_unit() -> None:
    from lo_codebook.analysis.render import to_records
    from lo_codebook.analysis.themes import theme_table

    codes = make_codes([(1, "Veel documenten", None), (2, "Veel vermeldingen", None)])
    # code 1: 3 documents, 3 mentions; code 2: 1 document, 9 mentions
    pairs = make_pairs([(1, 1, 1), (1, 2, 1), (1, 3, 1), (2, 1, 9)])
    documents = make_documents([(1, "a", None), (2, "b", None), (3, "c", None)])
    table = theme_table(codes, pairs, documents, unit="mention")
    assert list(table.rows["code"]) == ["Veel vermeldingen", "Veel documenten"]
    assert [r["code"] for r in to_records(table)] == ["Veel documenten", "Veel vermeldingen"]


def test_the_coders_counted_travel_with_every_rendering(frames, tmp_path):
    """A table says whose codings it counts: caption, JSON rows, CSV column, Excel metadata."""
    table = theme_table(
        *frames, coders=("anna", "bram"), coders_available=("anna", "bram", "carla")
    )
    assert "codeurs: anna, bram" in render_text(table).splitlines()[0]
    assert (
        "coder: anna"
        in render_text(theme_table(*frames, coders=("anna",)), lang="en").splitlines()[0]
    )
    assert all(r["coders"] == ["anna", "bram"] for r in to_records(table))
    back = pd.read_csv(io.StringIO(to_csv(table)), keep_default_na=False)
    assert set(back["coders"]) == {"anna;bram"}
    path = tmp_path / "t.xlsx"
    to_xlsx(table, path)
    meta = pd.read_excel(path, sheet_name=1)
    assert ["codeurs", "anna, bram"] in meta.values.tolist()
    # without coders (analysis on its own): the SPEC's rows, nothing added
    assert "coders" not in to_records(theme_table(*frames))[0]
