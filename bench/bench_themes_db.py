"""Benchmark: the theme table over 1M codings *from the project database*, and `themes` end to end.

`bench_themes.py` times the pandas analysis alone; this one times what a researcher waits for:

  (1) `build_theme_table` in-process (SQL aggregation + frames + analysis), plain, `--by`, and
      category level, against a baseline measured in the same run: the least SQL any
      implementation needs (one `GROUP BY code_id` with COUNT(DISTINCT document_id));
  (2) the CLI `lo-codebook themes --above 10` end to end, against `lo-codebook --version`
      (the cost of starting Python and the CLI at all).

    python bench/bench_themes_db.py [--codings 1000000] [--documents 100000] [--runs 5]

The project is built once per run in a temporary folder (not timed).
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_themes import median_seconds  # noqa: E402

from lo_codebook.core.project import Project  # noqa: E402
from lo_codebook.core.themes_service import build_theme_table  # noqa: E402

BUDGET_SECONDS = 1.0
SIZE_CLASSES = ["<20.000", "20.000-50.000", "50.000-100.000", ">100.000"]
CREATED = "2026-01-01 00:00:00.000000"


def build_project(
    path: Path, n_codings: int, n_documents: int, n_codes: int, seed: int = 7
) -> None:
    """A project with 10 categories of themes, survey documents with a size class, and codings
    of two coders with Zipf-skewed theme popularity. Written with sqlite3 directly (setup)."""
    Project.open(path, "bench").close()  # schema via the migrations
    rng = np.random.default_rng(seed)
    con = sqlite3.connect(path)
    with con:
        con.executemany(
            "INSERT INTO coder (id, name, created) VALUES (?, ?, ?)",
            [(100, "anna", CREATED), (101, "bram", CREATED)],
        )
        n_categories = 10
        codes = [(i, f"Categorie {i}", None) for i in range(1, n_categories + 1)]
        theme_ids = list(range(n_categories + 1, n_codes + 1))
        codes += [(t, f"Thema {t}", int(rng.integers(1, n_categories + 1))) for t in theme_ids]
        con.executemany(
            "INSERT INTO code (id, name, parent_id, description, keywords, position, created) VALUES (?, ?, ?, '', '[]', 0, ?)",
            [(*c, CREATED) for c in codes],
        )
        con.executemany(
            "INSERT INTO cases (id, name, created) VALUES (?, ?, ?)",
            [(i, f"C{i}", CREATED) for i in range(1, n_documents + 1)],
        )
        classes = rng.choice(len(SIZE_CLASSES), n_documents)
        con.executemany(
            "INSERT INTO case_attribute (case_id, key, value) VALUES (?, 'size_class', ?)",
            [(i + 1, SIZE_CLASSES[c]) for i, c in enumerate(classes.tolist())],
        )
        con.executemany(
            "INSERT INTO document (id, name, case_id, kind, source_format, text, content_hash, words, created) "
            "VALUES (?, ?, ?, 'survey', 'csv', 'antwoord', ?, 1, ?)",
            [(i, f"R{i}", i, f"h{i}", CREATED) for i in range(1, n_documents + 1)],
        )
        weights = rng.zipf(1.6, len(theme_ids)).astype(float)
        weights /= weights.sum()
        code_of = rng.choice(np.array(theme_ids), n_codings, p=weights).tolist()
        doc_of = rng.integers(1, n_documents + 1, n_codings).tolist()
        coder_of = rng.integers(100, 102, n_codings).tolist()
        con.executemany(
            "INSERT INTO coding (document_id, code_id, coder_id, start, \"end\", origin, created) VALUES (?, ?, ?, ?, ?, 'manual', ?)",
            [
                (d, c, k, i, i + 10, CREATED)
                for i, (d, c, k) in enumerate(zip(doc_of, code_of, coder_of, strict=True))
            ],
        )
    con.execute("ANALYZE")
    con.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--codings", type=int, default=1_000_000)
    parser.add_argument("--documents", type=int, default=100_000)
    parser.add_argument("--codes", type=int, default=100)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as name:
        path = Path(name) / "themes.db"
        start = time.perf_counter()
        build_project(path, args.codings, args.documents, args.codes)
        print(
            f"project: {args.codings:,} codings, {args.documents:,} documents, {args.codes} codes "
            f"(built in {time.perf_counter() - start:.1f} s, not timed)"
        )
        project = Project.open(path, "bench", create=False)

        def baseline() -> object:
            con = sqlite3.connect(path)
            try:
                return con.execute(
                    "SELECT code_id, COUNT(DISTINCT document_id), COUNT(*) FROM coding GROUP BY code_id"
                ).fetchall()
            finally:
                con.close()

        base = median_seconds(baseline, args.runs)
        print(f"{'(1) baseline SQL GROUP BY code':36s} median {base * 1000:8.1f} ms")
        cases: dict[str, Callable[[], object]] = {
            "build_theme_table --above 10": lambda: build_theme_table(project, above=10),
            "build_theme_table --by size_class": lambda: build_theme_table(
                project, above=10, by="size_class"
            ),
            "build_theme_table --level category": lambda: build_theme_table(
                project, level="category", by="size_class"
            ),
            "build_theme_table --coder anna": lambda: build_theme_table(
                project, above=10, coder="anna"
            ),
        }
        worst = 0.0
        for label, fn in cases.items():
            seconds = median_seconds(fn, args.runs)
            worst = max(worst, seconds)
            print(
                f"    {label:32s} median {seconds * 1000:8.1f} ms  ratio to baseline {seconds / base:5.2f}x"
            )
        project.close()
        print(
            f"budget {BUDGET_SECONDS:.1f} s in-process: {'OK' if worst < BUDGET_SECONDS else 'TOO SLOW'} "
            f"(slowest {worst * 1000:.0f} ms)"
        )

        exe = Path(sys.executable).with_name("lo-codebook")
        env = {**os.environ, "LO_CODEBOOK_CODER": "bench"}

        def cli(*argv: str) -> Callable[[], object]:
            return lambda: subprocess.run(
                [str(exe), *argv], check=True, capture_output=True, env=env
            )

        start_cost = median_seconds(cli("--version"), args.runs)
        themes = median_seconds(cli("--db", str(path), "themes", "--above", "10"), args.runs)
        print(
            f"(2) lo-codebook --version              median {start_cost * 1000:8.1f} ms (process start)"
        )
        print(
            f"    lo-codebook themes --above 10       median {themes * 1000:8.1f} ms  "
            f"(minus process start: {(themes - start_cost) * 1000:.0f} ms)"
        )
    return 0 if worst < BUDGET_SECONDS else 1


if __name__ == "__main__":
    raise SystemExit(main())
