"""Suggestion quality on survey datasets, measured through the CLI as a new team would run it.

    python bench/bench_quality.py [DATASET_DIR ...] [--warm 0.3] [--seed 0] [--min-score 0]

A dataset is a folder with `codebook.csv` (name,parent,description,keywords[,examples]),
`answers.csv` (respondent_id,group,answer) and `gold.csv` (respondent_id,code). With no
arguments every folder under bench/quality/ is measured.

For each dataset, in one run:
  * baseline: keyword substring (a theme is predicted when its name or a keyword occurs in
    the lower-cased answer);
  * cold: `init`, `codebook import`, `import-survey`, `suggest`; every pending suggestion
    with score >= --min-score is a prediction (respondent x theme);
  * warm: the same project after `import-codings` of the gold codes of a seeded --warm share
    of the respondents (whole answers, as a coder who coded them), then `suggest` again;
    cold and warm are compared on the other respondents only.
It prints micro P/R/F1, the mean relative count error over themes with gold mentions, and
whether the set of themes mentioned by more than --above respondents equals gold's.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATASETS = ROOT / "bench" / "quality"

Pairs = set[tuple[str, str]]


@dataclass
class Scores:
    precision: float
    recall: float
    f1: float
    count_error: float
    above_equal: bool
    above_missing: list[str]
    above_extra: list[str]

    def row(self) -> str:
        flag = "yes" if self.above_equal else "NO"
        extra = ""
        if not self.above_equal:
            extra = f" (missing {', '.join(self.above_missing) or '-'}; extra {', '.join(self.above_extra) or '-'})"
        return (
            f"P {self.precision:.3f}  R {self.recall:.3f}  F1 {self.f1:.3f}  "
            f"count err {self.count_error:.2f}  >N equal {flag}{extra}"
        )


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def score(
    pred: Pairs, gold: Pairs, themes: Iterable[str], respondents: set[str], above: int
) -> Scores:
    pred = {p for p in pred if p[0] in respondents}
    gold = {g for g in gold if g[0] in respondents}
    tp = len(pred & gold)
    p = tp / len(pred) if pred else 0.0
    r = tp / len(gold) if gold else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    pc = Counter(code for _, code in pred)
    gc = Counter(code for _, code in gold)
    errors = [abs(pc[t] - gc[t]) / gc[t] for t in themes if gc[t]]
    gold_above = {t for t in themes if gc[t] > above}
    pred_above = {t for t in themes if pc[t] > above}
    return Scores(
        p,
        r,
        f1,
        sum(errors) / len(errors) if errors else 0.0,
        gold_above == pred_above,
        sorted(gold_above - pred_above),
        sorted(pred_above - gold_above),
    )


def themes_of(codebook: list[dict[str, str]]) -> list[str]:
    """The codes a respondent can be coded with: every code that is no other code's parent
    (a flat codebook has no parents; a category with sub-codes is not itself a theme)."""
    parents = {r.get("parent") for r in codebook if r.get("parent")}
    return [r["name"] for r in codebook if r["name"] not in parents]


def baseline(codebook: list[dict[str, str]], answers: dict[str, str]) -> Pairs:
    themes = set(themes_of(codebook))
    terms = {
        r["name"]: [r["name"].lower()]
        + [k.strip().lower() for k in (r.get("keywords") or "").split(";") if k.strip()]
        for r in codebook
        if r["name"] in themes
    }
    return {
        (rid, code)
        for rid, text in answers.items()
        for code, words in terms.items()
        if any(w in text.lower() for w in words)
    }


def cli(*args: str | Path) -> str:
    """`lo-codebook ARGS` in this process (spaCy loads once); exits non-zero on failure."""
    from click.testing import CliRunner

    from lo_codebook.cli import main

    runner = CliRunner()
    with runner.isolation() as streams:
        try:
            main([str(a) for a in args])
            code = 0
        except SystemExit as exc:
            code = int(exc.code or 0) if not isinstance(exc.code, str) else 1
        out = streams[0].getvalue().decode("utf-8", "replace")
        err = streams[1].getvalue().decode("utf-8", "replace")
    if code:
        raise SystemExit(f"lo-codebook {' '.join(map(str, args))} failed ({code}): {err.strip()}")
    return out


def new_project(db: Path, folder: Path) -> Path:
    """init + codebook import + import-survey of a dataset folder, as a researcher would."""
    cli("--db", db, "--coder", "bench", "init")
    cli("--db", db, "--coder", "bench", "codebook", "import", folder / "codebook.csv")
    cli(
        "--db",
        db,
        "--coder",
        "bench",
        "import-survey",
        folder / "answers.csv",
        "--id-col",
        "respondent_id",
        "--text-col",
        "answer",
        "--attr-col",
        "group",
    )
    return db


def suggestion_rows(db: Path) -> list[dict]:
    return json.loads(cli("--db", db, "suggestions", "--format", "json"))


def predictions(db: Path, min_score: float) -> Pairs:
    rows = json.loads(cli("--db", db, "suggestions", "--format", "json"))
    return {(r["document"], r["code"]) for r in rows if float(r["score"]) >= min_score}


def run_dataset(folder: Path, warm_share: float, seed: int, min_score: float, above: int) -> dict:
    codebook = read_csv(folder / "codebook.csv")
    themes = themes_of(codebook)
    answers = {r["respondent_id"]: r["answer"] for r in read_csv(folder / "answers.csv")}
    gold = {(r["respondent_id"], r["code"]) for r in read_csv(folder / "gold.csv")}
    everyone = set(answers)
    ids = sorted(everyone)
    random.Random(seed).shuffle(ids)
    coded = set(ids[: round(len(ids) * warm_share)])
    rest = everyone - coded
    out: dict = {"name": folder.name, "respondents": len(answers), "themes": len(themes)}
    base = baseline(codebook, answers)
    out["baseline"] = score(base, gold, themes, everyone, above)
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        cold_db = new_project(Path(tmp) / "cold.db", folder)
        cli("--db", cold_db, "suggest")
        cold = predictions(cold_db, min_score)
        out["seconds"] = time.perf_counter() - started
        out["cold"] = score(cold, gold, themes, everyone, above)
        out["cold_rest"] = score(cold, gold, themes, rest, above * len(rest) / len(everyone))
        # warm: a fresh project whose coder has coded the sampled respondents first
        warm_db = new_project(Path(tmp) / "warm.db", folder)
        codings = Path(tmp) / "codings.csv"
        with codings.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(["document", "code"])
            for rid, code in sorted(g for g in gold if g[0] in coded):
                writer.writerow([rid, code])
        cli("--db", warm_db, "import-codings", codings, "--coder", "coder")
        cli("--db", warm_db, "suggest")
        warm = predictions(warm_db, min_score)
        out["warm_rest"] = score(warm, gold, themes, rest, above * len(rest) / len(everyone))
        out["cold_rows"] = suggestion_rows(cold_db)
        out["warm_rows"] = suggestion_rows(warm_db)
        out["rest"] = rest
        out["gold"] = gold
    out["keyword_share"] = keyword_share(codebook, answers, gold)
    return out


def keyword_share(codebook: list[dict[str, str]], answers: dict[str, str], gold: Pairs) -> float:
    """Share of gold mentions whose answer holds one of the theme's keywords literally."""
    kws = {
        r["name"]: [k.strip().lower() for k in (r.get("keywords") or "").split(";") if k.strip()]
        for r in codebook
    }
    hits = sum(
        1 for rid, code in gold if any(k in answers.get(rid, "").lower() for k in kws.get(code, []))
    )
    return hits / len(gold) if gold else 0.0


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folders", nargs="*", type=Path)
    parser.add_argument(
        "--warm", type=float, default=0.3, help="share of respondents coded for the warm run"
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--min-score", type=float, default=0.0, help="suggestions below this do not count"
    )
    parser.add_argument(
        "--above", type=int, default=10, help="the 'mentioned more than N times' threshold"
    )
    args = parser.parse_args(argv)
    folders = args.folders or sorted(p for p in DATASETS.iterdir() if (p / "gold.csv").exists())
    results = []
    for folder in folders:
        r = run_dataset(folder, args.warm, args.seed, args.min_score, args.above)
        results.append(r)
        print(
            f"\n{r['name']}: {r['respondents']} respondents, {r['themes']} themes, "
            f"keyword share of gold mentions {r['keyword_share']:.2f}, cold run {r['seconds']:.1f} s"
        )
        print(f"  baseline (substring)   {r['baseline'].row()}")
        print(f"  cold, all              {r['cold'].row()}")
        print(f"  cold, uncoded {1 - args.warm:.0%}      {r['cold_rest'].row()}")
        print(f"  warm, uncoded {1 - args.warm:.0%}      {r['warm_rest'].row()}")
    if len(results) > 1:

        def macro(key: str) -> float:
            return sum(r[key].f1 for r in results) / len(results)

        print(
            f"\nmacro F1: baseline {macro('baseline'):.3f}  cold {macro('cold'):.3f}  "
            f"cold (uncoded) {macro('cold_rest'):.3f}  warm (uncoded) {macro('warm_rest'):.3f}"
        )
        print(
            f"min precision cold {min(r['cold'].precision for r in results):.3f}  "
            f"max count error cold {max(r['cold'].count_error for r in results):.2f}  "
            f"themes >N equal on {sum(r['cold'].above_equal for r in results)}/{len(results)}"
        )


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
