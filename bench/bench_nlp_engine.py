"""Benchmark: suggestion engine vs bare `nlp.pipe` on generated, varied Dutch text.

    python bench/bench_nlp_engine.py [--words 300000] [--repeat 3] [--codebook transcripts/codebook.csv]

Prints median words/s of the bare pipeline (`nlp.pipe(texts)`, the same blank Dutch pipeline
the engine uses) and of `SuggestionEngine.suggest()` (pipeline + matching), and their ratio.
The text is generated: Dutch word forms from the lemma tables (Zipf-distributed, so the
vocabulary grows like real text), stop words, codebook keywords, inflected and misspelled
keywords and compounds, in survey answers and interview transcripts with speaker turns.
"""

from __future__ import annotations

import argparse
import csv
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from lo_codebook.nlp.match import CodeSpec, DocumentInput, SuggestionEngine  # noqa: E402
from lo_codebook.nlp.pipeline import get_pipeline, lemma_tables  # noqa: E402

FALLBACK_CODES = [
    CodeSpec(1, "Leiderschap", ["leidinggevende", "management", "coachend leiderschap"]),
    CodeSpec(2, "Hybride werken", ["thuiswerken", "werken op afstand"]),
    CodeSpec(3, "Wet open overheid", ["Woo", "Woo-verzoek", "informatiehuishouding"]),
    CodeSpec(4, "Duurzame inzetbaarheid", ["vitaliteit", "werkdruk", "DI", "verzuim"]),
    CodeSpec(5, "Digitalisering", ["digitaliseren", "automatisering", "AI", "data"]),
]


def load_codes(path: Path | None) -> list[CodeSpec]:
    if path is None or not path.exists():
        return FALLBACK_CODES
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    return [
        CodeSpec(
            r["name"],
            r["name"],
            [k.strip() for k in (r.get("keywords") or "").split(";") if k.strip()],
            r.get("parent") or None,
        )
        for r in rows
    ]


def _typo(word: str, rng: random.Random) -> str:
    if len(word) < 6:
        return word
    i = rng.randrange(1, len(word) - 1)
    op = rng.choice("dst")
    if op == "d":
        return word[:i] + word[i + 1 :]
    if op == "s":
        return word[:i] + rng.choice("aeiourtn") + word[i + 1 :]
    return word[:i] + word[i + 1] + word[i] + word[i + 2 :]


def generate(words: int, codes: list[CodeSpec], seed: int = 7) -> list[DocumentInput]:
    """Survey answers and transcripts totalling about `words` whitespace words."""
    rng = random.Random(seed)
    tables = lemma_tables("nl")
    pool = sorted(w for w in tables.lookup if w.isalpha() and 3 <= len(w) <= 16)
    rng.shuffle(pool)
    pool = pool[:60000]
    weights = [1.0 / (i + 1) for i in range(len(pool))]  # Zipf: word frequency ~ 1 / rank
    stop = sorted(get_pipeline("nl").Defaults.stop_words)
    keywords = [k for c in codes for k in [c.name, *c.keywords]]
    compounds = [
        k.lower() + rng.choice(["beleid", "training", "traject", "programma"])
        for k in keywords
        if k.isalpha() and len(k) > 6
    ]
    buffer = rng.choices(pool, weights, k=words + 1000)
    pos = 0

    def sentence() -> str:
        nonlocal pos
        n = rng.randint(6, 22)
        out = []
        for _ in range(n):
            r = rng.random()
            if r < 0.45:
                out.append(rng.choice(stop))
            elif r < 0.47:
                out.append(rng.choice(keywords))
            elif r < 0.475:
                out.append(_typo(rng.choice(keywords), rng))
            elif r < 0.478:
                out.append(rng.choice(compounds) if compounds else "omgevingswettraining")
            else:
                out.append(buffer[pos % len(buffer)])
                pos += 1
        text = " ".join(out)
        return text[:1].upper() + text[1:] + rng.choice([".", ".", ".", "?", "!", ","])

    docs: list[DocumentInput] = []
    total = 0
    n = 0
    while total < words:
        n += 1
        if rng.random() < 0.5:  # survey answer
            text = " ".join(sentence() for _ in range(rng.randint(1, 4)))
            docs.append(DocumentInput(f"s{n}", text, [], "survey"))
        else:  # transcript with turns
            parts: list[str] = []
            segs: list[tuple[int, int, str | None]] = []
            offset = 0
            for turn in range(rng.randint(20, 60)):
                speaker = "Interviewer" if turn % 2 == 0 else "Respondent"
                body = " ".join(
                    sentence() for _ in range(1 if turn % 2 == 0 else rng.randint(2, 8))
                )
                label = f"{speaker}: "
                start = offset + len(label)
                parts.append(label + body)
                segs.append((start, start + len(body), speaker))
                offset += len(label) + len(body) + 2
            text = "\n\n".join(parts)
            docs.append(DocumentInput(f"t{n}", text, segs, "transcript"))
        total += len(docs[-1].text.split())
    return docs


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--words", type=int, default=300_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--codebook", type=Path, default=ROOT / "transcripts" / "codebook.csv")
    args = ap.parse_args()

    t0 = time.perf_counter()
    nlp = get_pipeline("nl")
    codes = load_codes(args.codebook)
    print(f"pipeline load: {time.perf_counter() - t0:.2f} s; {len(codes)} codes")
    docs = generate(args.words, codes)
    texts = [d.text for d in docs]
    n_words = sum(len(t.split()) for t in texts)
    print(f"generated {len(docs)} documents, {n_words} words")

    def bare() -> None:
        for _ in nlp.pipe(texts, batch_size=1000):
            pass

    def engine(respondent_only: bool) -> int:
        eng = SuggestionEngine(codes, respondent_only=respondent_only)
        return len(eng.suggest(docs))

    bare()  # warm the vocabulary / caches the way a second run would see them
    # CPU time of this (single-threaded) process is the stable measure on a busy machine;
    # wall-clock time is printed beside it.
    cpu: dict[str, list[float]] = {"bare": [], "engine": [], "engine_all": []}
    wall: dict[str, list[float]] = {"bare": [], "engine": [], "engine_all": []}
    n_sug = 0

    def timed(name: str, fn) -> object:  # noqa: ANN001
        c, w = time.process_time(), time.perf_counter()
        out = fn()
        cpu[name].append(time.process_time() - c)
        wall[name].append(time.perf_counter() - w)
        return out

    for _ in range(args.repeat):
        timed("bare", bare)
        n_sug = timed("engine", lambda: engine(True))
        timed("engine_all", lambda: engine(False))
    med = {k: statistics.median(v) for k, v in cpu.items()}
    medw = {k: statistics.median(v) for k, v in wall.items()}
    wps = {k: n_words / v for k, v in med.items()}
    labels = {
        "bare": "bare nlp.pipe(texts)",
        "engine": "engine.suggest, respondent turns",
        "engine_all": "engine.suggest, all turns",
    }
    for k, label in labels.items():
        print(f"{label:34s} cpu {med[k]:6.2f} s  {wps[k]:>10,.0f} words/s   (wall {medw[k]:.2f} s)")
    print(f"suggestions: {n_sug}")
    print(
        f"ratio engine/bare words/s: respondent turns {wps['engine'] / wps['bare']:.2f}, "
        f"all turns {wps['engine_all'] / wps['bare']:.2f}"
    )
    print(f"projected for 1M words (all turns, cpu): {1e6 / wps['engine_all']:.2f} s")


if __name__ == "__main__":
    main()
