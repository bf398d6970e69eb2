"""Import benchmark: 10,000 survey answers and 200 transcripts of ~8,000 words.

Generates its own data, runs each measurement in a fresh subprocess (peak memory is that
process's max RSS), and prints medians of 3 runs, words/s, and the ratio of the full import
(parse + database) to the parse alone, measured in the same run.

    python bench/bench_import.py [--runs 3] [--answers 10000] [--transcripts 200]
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

WORDS = (
    "de gemeente organisatie medewerkers leren ontwikkelen opleiding training omgevingswet "
    "digitalisering leiderschap samenwerken inwoners wendbaarheid budget teams thuiswerken "
    "vitaliteit arbeidsmarkt krapte werving privacy informatieveiligheid woo beleid college "
    "raad wethouder we hebben een nieuwe aanpak voor het leerplatform en dat werkt goed maar "
    "ook lastig omdat iedereen het druk heeft met de dagelijkse werkzaamheden eigenlijk"
).split()


def _sentence(rng: random.Random, n: int) -> str:
    words = [rng.choice(WORDS) for _ in range(n)]
    return " ".join(words).capitalize() + "."


def make_survey(path: Path, answers: int, rng: random.Random) -> int:
    words = 0
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, quoting=csv.QUOTE_ALL)
        writer.writerow(["ResponseId", "Q2", "Q4"])
        writer.writerow(["Response ID", "Grootteklasse", "Wat zijn belangrijke thema's?"])
        writer.writerow(
            ['{"ImportId":"_recordId"}', '{"ImportId":"QID2"}', '{"ImportId":"QID4_TEXT"}']
        )
        for i in range(answers):
            text = " ".join(_sentence(rng, rng.randint(4, 14)) for _ in range(rng.randint(1, 4)))
            words += len(text.split())
            writer.writerow([f"R_{i:015d}", rng.choice(["<20.000", "20.000-50.000", "G4"]), text])
    return words


def make_transcripts(folder: Path, count: int, words_each: int, rng: random.Random) -> int:
    folder.mkdir(parents=True, exist_ok=True)
    total = 0
    for t in range(count):
        turns, words = [], 0
        while words < words_each:
            speaker = "Interviewer" if len(turns) % 2 == 0 else "Respondent"
            text = " ".join(_sentence(rng, rng.randint(6, 18)) for _ in range(rng.randint(1, 6)))
            words += len(text.split()) + 1
            turns.append(f"{speaker}: {text}")
        (folder / f"interview_{t:03d}.txt").write_text("\n\n".join(turns) + "\n", encoding="utf-8")
        total += words
    return total


CHILD = r"""
import json, resource, sys, time
from pathlib import Path
mode, data, db = sys.argv[1], Path(sys.argv[2]), sys.argv[3]
start = time.perf_counter()
if mode == "parse-survey":
    from lo_codebook.ingest.survey import read_survey
    read_survey(data, "ResponseId", ["Q4"], ["Q2=size_class"], None)
elif mode == "parse-transcripts":
    from lo_codebook.ingest.registry import collect_files, parse_file
    for path in collect_files([data]):
        parse_file(path)
elif mode == "import-survey":
    from lo_codebook.core.importing import import_survey
    from lo_codebook.core.project import Project
    import_survey(Project.open(db, "bench"), data, id_col="ResponseId", text_cols=["Q4"], attr_cols=["Q2=size_class"])
elif mode == "import-transcripts":
    from lo_codebook.core.importing import import_files
    from lo_codebook.core.project import Project
    import_files(Project.open(db, "bench"), [data])
seconds = time.perf_counter() - start
print(json.dumps({"seconds": seconds, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def run(mode: str, data: Path, tmp: Path, index: int) -> dict[str, float]:
    db = tmp / f"{mode}-{index}.db"
    done = subprocess.run(
        [sys.executable, "-c", CHILD, mode, str(data), str(db)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--answers", type=int, default=10_000)
    parser.add_argument("--transcripts", type=int, default=200)
    parser.add_argument("--words", type=int, default=8_000)
    args = parser.parse_args()
    rng = random.Random(42)
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        t0 = time.perf_counter()
        survey_words = make_survey(tmp / "survey.csv", args.answers, rng)
        transcript_words = make_transcripts(tmp / "interviews", args.transcripts, args.words, rng)
        print(
            f"generated {args.answers:,} answers ({survey_words:,} words) and {args.transcripts} "
            f"transcripts ({transcript_words:,} words) in {time.perf_counter() - t0:.1f} s"
        )
        print(f"{'measurement':<22} {'median s':>9} {'words/s':>12} {'peak MB':>8}")
        medians: dict[str, float] = {}
        for mode, data, words in (
            ("parse-survey", tmp / "survey.csv", survey_words),
            ("import-survey", tmp / "survey.csv", survey_words),
            ("parse-transcripts", tmp / "interviews", transcript_words),
            ("import-transcripts", tmp / "interviews", transcript_words),
        ):
            results = [run(mode, data, tmp, i) for i in range(args.runs)]
            median = statistics.median(r["seconds"] for r in results)
            peak = max(r["peak_mb"] for r in results)
            medians[mode] = median
            print(f"{mode:<22} {median:>9.2f} {words / median:>12,.0f} {peak:>8.0f}")
        print(
            f"ratio import/parse: survey {medians['import-survey'] / medians['parse-survey']:.1f}x, "
            f"transcripts {medians['import-transcripts'] / medians['parse-transcripts']:.1f}x"
        )
        print(
            f"targets: 10k answers < 10 s -> {medians['import-survey']:.2f} s; "
            f"1.6M transcript words < 30 s -> {medians['import-transcripts']:.2f} s"
        )


if __name__ == "__main__":
    main()
