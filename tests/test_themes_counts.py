"""Theme table counts on a small hand-built project where every number is known."""

from __future__ import annotations

import time

import numpy as np
import pandas as pd
import pytest

from lo_codebook.analysis.frames import make_codes, make_documents, make_pairs
from lo_codebook.analysis.groups import group_sort_key, parse_number, sort_groups
from lo_codebook.analysis.themes import theme_table
from lo_codebook.errors import UserError

# Codebook:                       pairs (docs):
#   Ontwikkeling (1)                coded directly on doc 25
#     Leiderschap (2)               docs 1..11, 2 mentions each      -> 11 docs, 22 mentions
#     Talent (3)                    docs 1..10, 1 mention each       -> 10 docs, 10 mentions
#   Welzijn (4)
#     Vitaliteit (5)                docs 5, 6, 7                     ->  3 docs,  3 mentions
#     Werkdruk (6)                  never                            ->  0
#     Mentaal (8)
#       Stress (9)                  docs 7, 8                        ->  2 docs,  2 mentions
#   Overig (7, root theme)          doc 20, 4 mentions               ->  1 doc,   4 mentions
# Documents in scope: 1..30; a pair on document 99 is out of scope.
SIZE = {
    **{d: "<20.000" for d in range(1, 11)},
    **{d: "20.000-50.000" for d in range(11, 21)},
    **{d: ">100.000" for d in range(21, 26)},
    **{d: "G4" for d in range(26, 29)},
    29: None,
    30: "  ",
}


@pytest.fixture()
def codes() -> pd.DataFrame:
    return make_codes(
        [
            (1, "Ontwikkeling", None),
            (2, "Leiderschap", 1),
            (3, "Talent", 1),
            (4, "Welzijn", None),
            (5, "Vitaliteit", 4),
            (6, "Werkdruk", 4),
            (7, "Overig", None),
            (8, "Mentaal", 4),
            (9, "Stress", 8),
        ]
    )


@pytest.fixture()
def pairs() -> pd.DataFrame:
    rows = [(2, d, 2) for d in range(1, 12)]
    rows += [(3, d, 1) for d in range(1, 11)]
    rows += [(5, d, 1) for d in (5, 6, 7)]
    rows += [(9, d, 1) for d in (7, 8)]
    rows += [(7, 20, 4), (1, 25, 1), (2, 99, 5)]
    return make_pairs(rows)


@pytest.fixture()
def documents() -> pd.DataFrame:
    ids = range(1, 31)
    return make_documents(
        [(d, f"R{d}", f"Gemeente {d}") for d in ids], size_class=[SIZE[d] for d in ids]
    )


def by_code(table) -> dict[str, dict]:
    return {row["code"]: row for row in table.rows.to_dict("records")}


def test_theme_rows_are_leaf_codes_with_parent_as_category(codes, pairs, documents):
    table = theme_table(codes, pairs, documents)
    rows = by_code(table)
    assert set(rows) == {"Leiderschap", "Talent", "Vitaliteit", "Werkdruk", "Stress", "Overig"}
    assert rows["Leiderschap"]["category"] == "Ontwikkeling"
    assert rows["Stress"]["category"] == "Mentaal"
    assert rows["Overig"]["category"] is None
    assert (rows["Leiderschap"]["documents"], rows["Leiderschap"]["mentions"]) == (11, 22)
    assert (rows["Overig"]["documents"], rows["Overig"]["mentions"]) == (1, 4)
    assert (rows["Werkdruk"]["documents"], rows["Werkdruk"]["mentions"]) == (0, 0)


def test_out_of_scope_document_is_ignored_and_share_uses_scope(codes, pairs, documents):
    table = theme_table(codes, pairs, documents)
    rows = by_code(table)
    assert table.scope == 30
    assert rows["Leiderschap"]["documents"] == 11  # doc 99 not counted
    assert rows["Leiderschap"]["share"] == pytest.approx(11 / 30, abs=1e-12)
    assert rows["Werkdruk"]["share"] == 0.0


def test_threshold_is_strict_exactly_ten_excluded_eleven_included(codes, pairs, documents):
    table = theme_table(codes, pairs, documents, above=10)
    assert table.rows["code"].tolist() == ["Leiderschap"]  # 11 docs; Talent has exactly 10
    assert theme_table(codes, pairs, documents, above=9).rows["code"].tolist() == [
        "Leiderschap",
        "Talent",
    ]


def test_above_zero_drops_unused_themes(codes, pairs, documents):
    assert "Werkdruk" not in theme_table(codes, pairs, documents, above=0).rows["code"].tolist()


def test_sorted_by_documents_then_name(codes, pairs, documents):
    table = theme_table(codes, pairs, documents)
    assert table.rows["code"].tolist() == [
        "Leiderschap",
        "Talent",
        "Vitaliteit",
        "Stress",
        "Overig",
        "Werkdruk",
    ]


def test_ties_sorted_by_name_case_insensitively():
    codes = make_codes([(1, "zorg", None), (2, "Arbeid", None), (3, "beleid", None)])
    pairs = make_pairs([(1, 1, 1), (2, 1, 1), (3, 1, 1)])
    documents = make_documents([(1, "R1", None)])
    assert theme_table(codes, pairs, documents).rows["code"].tolist() == [
        "Arbeid",
        "beleid",
        "zorg",
    ]


def test_category_level_counts_distinct_documents_over_all_descendants(codes, pairs, documents):
    table = theme_table(codes, pairs, documents, level="category")
    rows = by_code(table)
    assert set(rows) == {"Ontwikkeling", "Welzijn", "Mentaal"}
    # docs 1..10 have both Leiderschap and Talent: counted once; doc 25 coded on the category.
    assert rows["Ontwikkeling"]["documents"] == 12
    assert rows["Ontwikkeling"]["mentions"] == 22 + 10 + 1
    # Vitaliteit {5,6,7} and Stress (two levels down) {7,8}: doc 7 once.
    assert rows["Welzijn"]["documents"] == 4
    assert rows["Welzijn"]["mentions"] == 5
    assert rows["Mentaal"]["documents"] == 2
    assert rows["Mentaal"]["category"] == "Welzijn"
    assert rows["Ontwikkeling"]["category"] is None
    assert rows["Welzijn"]["share"] == pytest.approx(4 / 30)
    assert table.rows["code"].tolist() == ["Ontwikkeling", "Welzijn", "Mentaal"]


def test_duplicate_pairs_count_one_document_and_sum_mentions():
    codes = make_codes([(1, "Werkdruk", None)])
    pairs = make_pairs([(1, 1, 2), (1, 1, 3), (1, 2, 1)])
    documents = make_documents([(1, "R1", None), (2, "R2", None), (3, "R3", None)])
    row = theme_table(codes, pairs, documents).rows.iloc[0]
    assert (row["documents"], row["mentions"]) == (2, 6)


def test_mention_unit_uses_mentions_for_threshold_and_order(codes, pairs, documents):
    table = theme_table(codes, pairs, documents, unit="mention", above=3)
    # Vitaliteit has exactly 3 mentions: excluded; Overig's 4 mentions in one doc: included.
    assert table.rows["code"].tolist() == ["Leiderschap", "Talent", "Overig"]
    assert table.metric == "mentions"
    assert table.rows["documents"].tolist() == [11, 10, 1]


def test_by_group_counts_percentages_and_natural_order(codes, pairs, documents):
    table = theme_table(codes, pairs, documents, by="size_class")
    assert table.groups == ["<20.000", "20.000-50.000", ">100.000", "G4", "(onbekend)"]
    assert table.group_sizes == {
        "<20.000": 10,
        "20.000-50.000": 10,
        ">100.000": 5,
        "G4": 3,
        "(onbekend)": 2,  # None and a blank value
    }
    i = table.rows.index[table.rows["code"] == "Leiderschap"][0]
    assert table.by_counts.loc[i].to_dict() == {
        "<20.000": 10,
        "20.000-50.000": 1,
        ">100.000": 0,
        "G4": 0,
        "(onbekend)": 0,
    }
    assert table.by_share.loc[i, "<20.000"] == pytest.approx(1.0)
    assert table.by_share.loc[i, "20.000-50.000"] == pytest.approx(0.1)
    # Counts per group add up to the row's documents.
    assert (table.by_counts.sum(axis=1) == table.rows["documents"]).all()


def test_by_missing_attribute_group_and_english_label(codes, documents):
    pairs = make_pairs([(7, 29, 1), (7, 30, 1), (7, 1, 1)])
    table = theme_table(codes, pairs, documents, by="size_class", missing_label="(missing)")
    i = table.rows.index[table.rows["code"] == "Overig"][0]
    assert table.by_counts.loc[i, "(missing)"] == 2
    assert table.by_share.loc[i, "(missing)"] == pytest.approx(1.0)
    assert table.groups[-1] == "(missing)"


def test_by_rows_follow_threshold_filter(codes, pairs, documents):
    table = theme_table(codes, pairs, documents, by="size_class", above=10)
    assert len(table.by_counts) == len(table.rows) == 1
    assert table.by_counts.iloc[0]["<20.000"] == 10


def test_by_category_level(codes, pairs, documents):
    table = theme_table(codes, pairs, documents, by="size_class", level="category")
    i = table.rows.index[table.rows["code"] == "Ontwikkeling"][0]
    assert table.by_counts.loc[i, ">100.000"] == 1  # doc 25, coded on the category itself
    assert table.by_counts.loc[i, "<20.000"] == 10


def test_unknown_by_attribute_is_a_user_error(codes, pairs, documents):
    with pytest.raises(UserError, match="provincie") as info:
        theme_table(codes, pairs, documents, by="provincie")
    assert "size_class" in str(info.value)


@pytest.mark.parametrize(
    ("kwargs", "option"),
    [({"level": "thema"}, "--level"), ({"unit": "words"}, "--unit"), ({"above": -1}, "--above")],
)
def test_bad_options_are_user_errors(codes, pairs, documents, kwargs, option):
    with pytest.raises(UserError) as info:
        theme_table(codes, pairs, documents, **kwargs)
    assert info.value.where == option


def test_empty_scope_gives_zero_share(codes, pairs):
    table = theme_table(codes, pairs, make_documents([]), by=None)
    assert table.scope == 0
    assert (table.rows["documents"] == 0).all()
    assert (table.rows["share"] == 0).all()


def test_empty_scope_with_by(codes, pairs):
    documents = make_documents([], size_class=[])
    table = theme_table(codes, pairs, documents, by="size_class")
    assert table.groups == []
    assert len(table.by_counts) == len(table.rows)


def test_empty_codebook():
    table = theme_table(make_codes([]), make_pairs([]), make_documents([(1, "R1", None)]))
    assert len(table) == 0


def test_codes_frame_must_follow_contract(pairs, documents):
    with pytest.raises(ValueError, match="parent_id"):
        theme_table(pd.DataFrame({"id": [1], "name": ["x"]}), pairs, documents)
    with pytest.raises(ValueError, match="duplicate"):
        theme_table(make_codes([(1, "a", None), (1, "b", None)]), pairs, documents)


def test_float_attribute_values_become_clean_labels(codes, pairs):
    documents = make_documents([(1, "R1", None), (2, "R2", None), (3, "R3", None)])
    documents["wave"] = [2.0, 10.0, np.nan]
    table = theme_table(codes, pairs, documents, by="wave", missing_label="(missing)")
    assert table.groups == ["2", "10", "(missing)"]


def test_group_sort_key_orders_municipality_size_classes():
    labels = ["G4", ">100.000", "(onbekend)", "50.000-100.000", "<20.000", "20.000-50.000"]
    assert sort_groups(labels, "(onbekend)") == [
        "<20.000",
        "20.000-50.000",
        "50.000-100.000",
        ">100.000",
        "G4",
        "(onbekend)",
    ]


def test_group_sort_key_numbers_and_text():
    assert sorted(["10", "9", "100", "Groep 10", "groep 2"], key=group_sort_key) == [
        "9",
        "10",
        "100",
        "groep 2",
        "Groep 10",
    ]
    assert sorted(["<=5", ">5", "5", "<5", ">=5"], key=group_sort_key) == [
        "<5",
        "<=5",
        "5",
        ">=5",
        ">5",
    ]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("20.000", 20000),
        ("20,000", 20000),
        ("1.000.000", 1e6),
        ("2,5", 2.5),
        ("2.5", 2.5),
        ("1.234,5", 1234.5),
        ("7", 7),
    ],
)
def test_parse_number_reads_grouping_and_decimals(text, value):
    assert parse_number(text) == value


@pytest.mark.slow
def test_one_million_codings_under_a_second():
    rng = np.random.default_rng(1)
    n_docs, n_codings = 200_000, 1_000_000
    codes = make_codes(
        [(i, f"C{i}", None) for i in range(1, 11)]
        + [(i, f"T{i}", int(rng.integers(1, 11))) for i in range(11, 101)]
    )
    codings = pd.DataFrame(
        {
            "code_id": rng.integers(11, 101, n_codings),
            "document_id": rng.integers(1, n_docs + 1, n_codings),
        }
    )
    pairs = codings.groupby(["code_id", "document_id"]).size().rename("mentions").reset_index()
    documents = pd.DataFrame(
        {
            "id": np.arange(1, n_docs + 1),
            "name": "R",
            "case": None,
            "size_class": rng.choice(["<20.000", "G4", "20.000-50.000"], n_docs),
        }
    )
    best = float("inf")
    for _ in range(3):
        start = time.process_time()  # CPU, not wall time: a busy machine must not fail it
        table = theme_table(codes, pairs, documents, above=10, by="size_class")
        best = min(best, time.process_time() - start)
    assert table.rows["mentions"].sum() == n_codings
    assert best < 4.0  # catches a per-row Python loop (minutes), not a slow machine
