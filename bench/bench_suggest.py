"""End-to-end suggestion benchmark: bare spaCy vs import-survey + suggest with database writes.

    python bench/bench_suggest.py [--words 300000] [--big 1000000] [--runs 3]

In the same run it measures
  (a) bare `nlp.pipe(texts)` with the sentencizer and lookup lemmatizer (the baseline), and
  (b) `import-survey` of those texts as open answers + `suggest` (engine + DB writes),
then prints medians, words/s, the ratio (b)/(a) (target >= 0.5), the suggest time on
--big words (target < 6 s) and peak memory (max RSS of this process).
"""

from __future__ import annotations

import argparse
import csv
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from bench_nlp_engine import generate, load_codes  # noqa: E402

from lo_codebook.core.codebook import import_codebook  # noqa: E402
from lo_codebook.core.importing import import_survey  # noqa: E402
from lo_codebook.core.project import Project  # noqa: E402
from lo_codebook.core.suggest_service import run_suggest  # noqa: E402
from lo_codebook.nlp.pipeline import get_pipeline  # noqa: E402

CODEBOOK = ROOT / "transcripts" / "codebook.csv"


def write_survey(path: Path, texts: list[str]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["ResponseId", "Q4"])
        for i, text in enumerate(texts):
            writer.writerow([f"R_{i:08d}", text])


def corpus(words: int) -> tuple[list[str], int]:
    texts = [d.text for d in generate(words, load_codes(CODEBOOK))]
    return texts, sum(len(t.split()) for t in texts)


def bare(texts: list[str]) -> float:
    nlp = get_pipeline("nl")
    start = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=1000):
        pass
    return time.perf_counter() - start


def end_to_end(texts: list[str], tmp: Path, tag: str) -> tuple[float, float, int]:
    """Seconds for import-survey + suggest (project and codebook set up beforehand)."""
    survey = tmp / f"survey-{tag}.csv"
    write_survey(survey, texts)
    project = Project.open(tmp / f"bench-{tag}.db", "bench")
    import_codebook(project, CODEBOOK)
    start = time.perf_counter()
    import_survey(project, survey, id_col="ResponseId", text_cols=["Q4"])
    imported = time.perf_counter()
    report = run_suggest(project)
    done = time.perf_counter()
    project.close()
    return done - start, done - imported, report.new


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=300_000)
    parser.add_argument("--big", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    get_pipeline("nl")  # load once, outside the timings
    texts, words = corpus(args.words)
    print(f"corpus: {len(texts):,} answers, {words:,} words")
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        bare_times, e2e_times, suggest_times = [], [], []
        for run in range(args.runs):
            bare_times.append(bare(texts))
            total, suggest_only, new = end_to_end(texts, tmp, f"r{run}")
            e2e_times.append(total)
            suggest_times.append(suggest_only)
        a, b, s = (statistics.median(x) for x in (bare_times, e2e_times, suggest_times))
        print(f"(a) bare nlp.pipe             median {a:6.2f} s  {words / a:>10,.0f} words/s")
        print(f"(b) import-survey + suggest   median {b:6.2f} s  {words / b:>10,.0f} words/s  ({new:,} suggestions)")
        print(f"    of which suggest          median {s:6.2f} s  {words / s:>10,.0f} words/s")
        print(f"ratio (b)/(a) in words/s: {a / b:.2f}  (target >= 0.5)")
        if args.big:
            big_texts, big_words = corpus(args.big)
            total, suggest_only, new = end_to_end(big_texts, tmp, "big")
            print(f"{big_words:,} words: import+suggest {total:.2f} s, suggest {suggest_only:.2f} s "
                  f"(target < 6 s), {new:,} suggestions")
    print(f"peak memory: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
