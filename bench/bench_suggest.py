"""End-to-end suggestion benchmark: bare spaCy vs import-survey + suggest with database writes.

    python bench/bench_suggest.py [--words 300000] [--big 1000000] [--runs 5] [--cold 3]

In the same run it measures
  (a) bare `nlp.pipe(texts)` with the sentencizer and lookup lemmatizer (the baseline,
      one process), and
  (b) `import-survey` of those texts as open answers + `suggest` (engine + DB writes),
      as `lo-codebook suggest` runs by default (workers: the cores, up to 4, for a corpus
      this size) and with `--workers 1` (one process, like the baseline);
then prints medians, words/s and the ratio (b)/(a) in words/s (target >= 0.5).

"whole processes" (--process N) measures what the issue's target names, on --big words: (a) a
bare spaCy process (start, load, read the CSV, `nlp.pipe`; `bare_spacy.py`) with spaCy's own
components, and (a') the same with lo-codebook's faster tuned pipeline, against (b) the
commands `lo-codebook import-survey` and `lo-codebook suggest` run as a researcher runs them,
each its own process (start, imports, database, work; the project and codebook set up before).

"warm" repeats (a) and (b) in this process, so spaCy's vocabulary already holds the corpus's
words; "cold" starts a fresh process for every measurement, as a researcher running the
command does (the lexemes are created during the timing, in (a) and in (b) alike).
Also: the suggest time on --big words (target < 6 s) and peak memory (max RSS of this
process and of the largest child).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import statistics
import subprocess
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
from lo_codebook.nlp.match import default_workers  # noqa: E402
from lo_codebook.nlp.pipeline import get_pipeline  # noqa: E402

CODEBOOK = ROOT / "transcripts" / "codebook.csv"
BARE_SPACY = ROOT / "bench" / "bare_spacy.py"


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


def end_to_end(
    texts: list[str], tmp: Path, tag: str, workers: int | None
) -> tuple[float, float, int]:
    """Seconds for import-survey + suggest (project and codebook set up beforehand)."""
    survey = tmp / f"survey-{tag}.csv"
    write_survey(survey, texts)
    project = Project.open(tmp / f"bench-{tag}.db", "bench")
    import_codebook(project, CODEBOOK)
    start = time.perf_counter()
    import_survey(project, survey, id_col="ResponseId", text_cols=["Q4"])
    imported = time.perf_counter()
    report = run_suggest(project, workers=workers)
    done = time.perf_counter()
    project.close()
    return done - start, done - imported, report.new


def one_cold(args: argparse.Namespace) -> None:
    """Child mode: one measurement in this fresh process, printed as JSON."""
    get_pipeline("nl")  # loading the pipeline is not timed, in (a) and (b) alike
    texts, _ = corpus(args.words)
    if args.one == "bare":
        print(json.dumps({"seconds": bare(texts)}))
        return
    with tempfile.TemporaryDirectory() as name:
        total, _, _ = end_to_end(texts, Path(name), "cold", None if args.one == "default" else 1)
    print(json.dumps({"seconds": total}))


def cold(mode: str, words: int) -> float:
    out = subprocess.run(
        [sys.executable, __file__, "--one", mode, "--words", str(words)],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])["seconds"]


def process_seconds(*command: str | Path) -> float:
    """Wall-clock seconds of one command in its own process, start to exit."""
    start = time.perf_counter()
    subprocess.run([str(c) for c in command], check=True, capture_output=True)
    return time.perf_counter() - start


def whole_processes(texts: list[str], words: int, tmp: Path, runs: int) -> None:
    """The issue's comparison: bare spaCy processes against the lo-codebook commands."""
    survey = tmp / "survey-process.csv"
    write_survey(survey, texts)
    command = [sys.executable, "-m", "lo_codebook", "--coder", "bench", "--db"]
    spacy_own, tuned, ours, suggest_only = [], [], [], []
    for run in range(runs):
        db = tmp / f"process-{run}.db"
        project = Project.open(db, "bench")
        import_codebook(project, CODEBOOK)
        project.close()
        spacy_own.append(process_seconds(sys.executable, BARE_SPACY, survey, "Q4"))
        imported = process_seconds(
            *command, db, "import-survey", survey, "--id-col", "ResponseId", "--text-col", "Q4"
        )
        suggested = process_seconds(*command, db, "suggest")
        ours.append(imported + suggested)
        suggest_only.append(suggested)
        tuned.append(process_seconds(sys.executable, BARE_SPACY, survey, "Q4", "--tuned"))
    a, a1, b, s = (statistics.median(x) for x in (spacy_own, tuned, ours, suggest_only))
    print(f"whole processes on {words:,} words (start, load, read, work), median of {runs}:")
    report_line("(a) bare spaCy process, spaCy's own", a, words)
    report_line("(a') bare process, our tuned pipeline", a1, words)
    report_line("(b) lo-codebook import-survey; suggest", b, words)
    report_line("    of which the suggest command", s, words)
    print(f"ratio (b)/(a) in words/s: {a / b:.2f} (target >= 0.5)   (b)/(a'): {a1 / b:.2f}")


def report_line(label: str, seconds: float, words: int, extra: str = "") -> None:
    print(f"{label:38s} median {seconds:6.2f} s  {words / seconds:>10,.0f} words/s{extra}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=300_000)
    parser.add_argument("--big", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--cold", type=int, default=3, help="fresh-process repetitions (0: skip)")
    parser.add_argument(
        "--process", type=int, default=3, help="whole-process repetitions on --big words (0: skip)"
    )
    parser.add_argument("--one", choices=["bare", "default", "single"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        one_cold(args)
        return
    get_pipeline("nl")  # load once, outside the timings
    texts, words = corpus(args.words)
    chars = sum(len(t) for t in texts)
    print(
        f"corpus: {len(texts):,} answers, {words:,} words; default workers here: "
        f"{default_workers(chars)} ({os.cpu_count()} cores)"
    )
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        bare_t, default_t, single_t, suggest_t = [], [], [], []
        new = 0
        bare(texts)  # the first pass creates the corpus's lexemes: "warm" starts after it
        for run in range(args.runs):
            bare_t.append(bare(texts))
            total, suggest_only, new = end_to_end(texts, tmp, f"d{run}", None)
            default_t.append(total)
            suggest_t.append(suggest_only)
            single_t.append(end_to_end(texts, tmp, f"s{run}", 1)[0])
        a, b, b1, s = (statistics.median(x) for x in (bare_t, default_t, single_t, suggest_t))
        print(f"warm, median of {args.runs}:")
        report_line("(a) bare nlp.pipe (1 process)", a, words)
        report_line("(b) import-survey + suggest (default)", b, words, f"  ({new:,} suggestions)")
        report_line("    of which suggest", s, words)
        report_line("(b1) the same with --workers 1", b1, words)
        print(f"ratio (b)/(a) in words/s: {a / b:.2f}   (b1)/(a): {a / b1:.2f}   (target >= 0.5)")
        if args.cold:
            ca = statistics.median(cold("bare", args.words) for _ in range(args.cold))
            cb = statistics.median(cold("default", args.words) for _ in range(args.cold))
            cb1 = statistics.median(cold("single", args.words) for _ in range(args.cold))
            print(f"cold (a fresh process per measurement), median of {args.cold}:")
            report_line("(a) bare nlp.pipe (1 process)", ca, words)
            report_line("(b) import-survey + suggest (default)", cb, words)
            report_line("(b1) the same with --workers 1", cb1, words)
            print(
                f"ratio (b)/(a) in words/s: {ca / cb:.2f}   (b1)/(a): {ca / cb1:.2f}   (target >= 0.5)"
            )
        if args.big:
            big_texts, big_words = corpus(args.big)
            total, suggest_only, new = end_to_end(big_texts, tmp, "big", None)
            print(
                f"{big_words:,} words: import+suggest {total:.2f} s, suggest {suggest_only:.2f} s "
                f"(target < 6 s), {new:,} suggestions (default workers)"
            )
            total, suggest_only, new = end_to_end(big_texts, tmp, "big1", 1)
            print(
                f"{big_words:,} words, --workers 1: import+suggest {total:.2f} s, suggest {suggest_only:.2f} s"
            )
            if args.process:
                whole_processes(big_texts, big_words, tmp, args.process)
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(
        f"peak memory: {own:.0f} MB this process, {child:.0f} MB largest child "
        "(forked workers share the parent's pages until they write to them)"
    )


if __name__ == "__main__":
    main()
