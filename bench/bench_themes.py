"""Benchmark: theme table over 1M codings (100 codes, 200k documents) must take < 1 s.

Prints the median of 5 runs for ``theme_table`` (plain, ``--by``, category level)
and the ratio to a baseline measured in the same run: a bare
``pairs.groupby("code_id").agg(...)``, i.e. the least work any implementation
must do.

    .venv/bin/python bench/bench_themes.py [--codings 1000000] [--documents 200000]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from lo_codebook.analysis.themes import theme_table  # noqa: E402

BUDGET_SECONDS = 1.0
SIZE_CLASSES = ["<20.000", "20.000-50.000", "50.000-100.000", ">100.000", "G4", None]


def make_data(
    n_codings: int, n_documents: int, n_codes: int, seed: int = 7
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """A codebook of 10 categories x themes, codings aggregated to pairs, documents with a size class."""
    rng = np.random.default_rng(seed)
    n_categories = 10
    category_ids = np.arange(1, n_categories + 1)
    theme_ids = np.arange(n_categories + 1, n_codes + 1)
    codes = pd.DataFrame(
        {
            "id": np.concatenate([category_ids, theme_ids]),
            "name": [f"Categorie {i}" for i in category_ids] + [f"Thema {i}" for i in theme_ids],
            "parent_id": pd.array(
                np.concatenate(
                    [np.full(n_categories, -1), rng.choice(category_ids, len(theme_ids))]
                ),
                dtype="Int64",
            ),
        }
    )
    codes.loc[codes["parent_id"] == -1, "parent_id"] = pd.NA
    # Skewed theme popularity, as in real studies: a few themes are everywhere.
    weights = rng.zipf(1.6, len(theme_ids)).astype(float)
    weights /= weights.sum()
    codings = pd.DataFrame(
        {
            "code_id": rng.choice(theme_ids, n_codings, p=weights),
            "document_id": rng.integers(1, n_documents + 1, n_codings),
        }
    )
    pairs = codings.groupby(["code_id", "document_id"], sort=False).size().rename("mentions")
    pairs = pairs.reset_index()
    documents = pd.DataFrame(
        {
            "id": np.arange(1, n_documents + 1),
            "name": [f"R{i}" for i in range(1, n_documents + 1)],
            "case": [f"C{i}" for i in range(1, n_documents + 1)],
            "size_class": pd.Series(rng.choice(np.array(SIZE_CLASSES, dtype=object), n_documents)),
        }
    )
    return codes, pairs, documents


def median_seconds(fn: Callable[[], object], runs: int = 5) -> float:
    """Median wall time of ``runs`` calls after one warm-up."""
    fn()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--codings", type=int, default=1_000_000)
    parser.add_argument("--documents", type=int, default=200_000)
    parser.add_argument("--codes", type=int, default=100)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)

    codes, pairs, documents = make_data(args.codings, args.documents, args.codes)
    print(
        f"data: {args.codings:,} codings -> {len(pairs):,} (code, document) pairs, "
        f"{len(codes)} codes, {len(documents):,} documents"
    )

    def baseline() -> object:
        return pairs.groupby("code_id").agg(
            documents=("document_id", "size"), mentions=("mentions", "sum")
        )

    cases: dict[str, Callable[[], object]] = {
        "theme_table": lambda: theme_table(codes, pairs, documents, above=10),
        "theme_table by=size_class": lambda: theme_table(
            codes, pairs, documents, above=10, by="size_class"
        ),
        "theme_table level=category": lambda: theme_table(
            codes, pairs, documents, level="category", by="size_class"
        ),
    }
    base = median_seconds(baseline, args.runs)
    print(f"{'baseline groupby':32s} median {base * 1000:8.1f} ms")
    worst = 0.0
    for name, fn in cases.items():
        seconds = median_seconds(fn, args.runs)
        worst = max(worst, seconds)
        print(
            f"{name:32s} median {seconds * 1000:8.1f} ms  ratio to baseline {seconds / base:5.2f}x"
        )
    verdict = "OK" if worst < BUDGET_SECONDS else "TOO SLOW"
    print(f"budget {BUDGET_SECONDS:.1f} s: {verdict} (slowest {worst * 1000:.1f} ms)")
    return 0 if worst < BUDGET_SECONDS else 1


if __name__ == "__main__":
    raise SystemExit(main())
