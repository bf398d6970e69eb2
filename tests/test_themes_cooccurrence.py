"""Co-occurrence matrix: hand-counted pairs, theme-table consistency, coder split, exports."""

from __future__ import annotations

import io
import itertools

import numpy as np
import pandas as pd
import pytest

from lo_codebook.analysis import cooccurrence as co_module
from lo_codebook.analysis.cooccurrence import (
    cooccurrence,
    cooccurrence_by_coder,
    render_text,
    to_csv,
    to_records,
)
from lo_codebook.analysis.frames import make_codes, make_documents, make_pairs
from lo_codebook.analysis.themes import theme_table
from lo_codebook.errors import UserError


@pytest.fixture()
def codes() -> pd.DataFrame:
    return make_codes(
        [
            (1, "Welzijn", None),
            (2, "Werkdruk", 1),
            (3, "Vitaliteit", 1),
            (4, "Leiderschap", None),
            (5, "Overig", 1),
            (6, "Overig", None),
        ]
    )


@pytest.fixture()
def pairs() -> pd.DataFrame:
    # doc 1: Werkdruk + Vitaliteit + Leiderschap; doc 2: Werkdruk + Vitaliteit;
    # doc 3: Werkdruk; doc 4: Welzijn (category itself) + Leiderschap; doc 9: out of scope
    return make_pairs(
        [(2, 1, 2), (3, 1, 1), (4, 1, 1), (2, 2, 1), (3, 2, 3), (2, 3, 1), (1, 4, 1), (4, 4, 1)]
        + [(2, 9, 1), (3, 9, 1)]
    )


@pytest.fixture()
def documents() -> pd.DataFrame:
    return make_documents([(d, f"R{d}", None) for d in range(1, 6)])


def test_theme_matrix_hand_counted(codes, pairs, documents):
    co = cooccurrence(codes, pairs, documents)
    # Codebook order: Leiderschap, Overig (root), then Welzijn's children by name.
    assert co.labels == ["Leiderschap", "Overig", "Welzijn/Overig", "Vitaliteit", "Werkdruk"]
    m = co.matrix
    assert m.loc["Werkdruk", "Vitaliteit"] == 2  # docs 1, 2 (doc 9 out of scope)
    assert m.loc["Werkdruk", "Leiderschap"] == 1
    assert m.loc["Vitaliteit", "Leiderschap"] == 1
    assert m.loc["Werkdruk", "Werkdruk"] == 3
    assert m.loc["Overig", "Overig"] == 0
    assert (m.to_numpy() == m.to_numpy().T).all()
    assert co.scope == 5


def test_diagonal_equals_theme_table_documents(codes, pairs, documents):
    co = cooccurrence(codes, pairs, documents)
    table = theme_table(codes, pairs, documents)
    by_id = dict(zip(table.rows["code_id"], table.rows["documents"], strict=True))
    diagonal = np.diag(co.matrix.to_numpy())
    assert [by_id[i] for i in co.code_ids] == diagonal.tolist()


def test_category_level_rolls_up_descendants(codes, pairs, documents):
    co = cooccurrence(codes, pairs, documents, level="category")
    assert co.labels == ["Welzijn"]
    assert co.matrix.iloc[0, 0] == 4  # docs 1, 2, 3 via themes, doc 4 coded on the category


def test_code_level_counts_own_codings_only(codes, pairs, documents):
    co = cooccurrence(codes, pairs, documents, level="code")
    assert co.matrix.loc["Welzijn", "Welzijn"] == 1
    assert co.matrix.loc["Welzijn", "Leiderschap"] == 1
    assert co.matrix.loc["Welzijn", "Werkdruk"] == 0


def test_without_documents_scope_is_all_coded_documents(codes, pairs):
    co = cooccurrence(codes, pairs)
    assert co.scope == 5  # docs 1, 2, 3, 4, 9
    assert co.matrix.loc["Werkdruk", "Vitaliteit"] == 3


def test_by_coder(codes, documents):
    pairs = make_pairs([(2, 1, 1), (3, 1, 1), (2, 2, 1), (3, 2, 1)])
    pairs["coder"] = ["anna", "anna", "bram", "anna"]
    split = cooccurrence_by_coder(codes, pairs, documents)
    assert list(split) == ["anna", "bram"]
    assert split["anna"].matrix.loc["Werkdruk", "Vitaliteit"] == 1
    assert split["bram"].matrix.loc["Werkdruk", "Vitaliteit"] == 0
    assert split["bram"].coder == "bram"
    with pytest.raises(ValueError, match="coder"):
        cooccurrence(codes, pairs.drop(columns="coder"), coder="anna")


def test_blocked_gram_equals_naive(monkeypatch):
    rng = np.random.default_rng(5)
    n_codes, n_docs = 12, 300
    codes = make_codes([(i, f"T{i}", None) for i in range(1, n_codes + 1)])
    rows = {
        (int(c), int(d))
        for c, d in zip(
            rng.integers(1, n_codes + 1, 1500), rng.integers(1, n_docs + 1, 1500), strict=True
        )
    }
    pairs = make_pairs([(c, d, 1) for c, d in sorted(rows)])
    monkeypatch.setattr(co_module, "_CHUNK_CELLS", 50)  # force many dense blocks
    co = cooccurrence(codes, pairs)
    docs_of = {c: {d for cc, d in rows if cc == c} for c in range(1, n_codes + 1)}
    for (i, a), (j, b) in itertools.product(enumerate(co.code_ids), repeat=2):
        assert co.matrix.iloc[i, j] == len(docs_of[a] & docs_of[b])


def test_records_csv_and_text(codes, pairs, documents):
    co = cooccurrence(codes, pairs, documents)
    assert to_records(co) == [
        {"code_a": "Vitaliteit", "code_b": "Werkdruk", "documents": 2},
        {"code_a": "Leiderschap", "code_b": "Vitaliteit", "documents": 1},
        {"code_a": "Leiderschap", "code_b": "Werkdruk", "documents": 1},
    ]
    back = pd.read_csv(io.StringIO(to_csv(co)), index_col="code")
    assert back.loc["Werkdruk", "Vitaliteit"] == 2
    assert list(back.columns) == co.labels
    text = render_text(co)
    lines = text.splitlines()
    assert lines[0] == "Thema's: 5 documenten in scope"
    assert lines[2].split() == ["1", "2", "3", "4", "5"]
    assert lines[-1].split()[-5:] == ["1", "0", "0", "2", "3"]  # Werkdruk row


def test_unknown_level(codes, pairs):
    with pytest.raises(UserError):
        cooccurrence(codes, pairs, level="segment")


def test_empty_inputs(codes):
    co = cooccurrence(codes, make_pairs([]), make_documents([]))
    assert co.matrix.to_numpy().sum() == 0
    assert "(geen thema's)" not in render_text(co)
    empty = cooccurrence(make_codes([]), make_pairs([]))
    assert "(geen thema's)" in render_text(empty)
