"""Quality of the suggestion engine: document-level P/R/F1 against hand-coded gold.

Run with `-s` to see the figures:

    pytest tests/test_suggesting_quality.py -s

* sample survey (transcripts/survey, 133 respondents): cold (codebook only) on all
  respondents; warm (`learn` from the gold codings of the first 40 respondents as
  whole-document codings) on the other 93; a naive keyword-substring baseline beside them;
  the set of themes mentioned by more than 10 respondents.
* our own held-out answers (tests/fixtures/nlp/heldout_*.csv), written in other words than the
  sample (other synonyms, inflections, compounds, typos), to check that the engine generalises.
* a second held-out set (heldout2_*.csv, 60 answers) written blind by another developer from
  the theme names and descriptions only (not the keywords), with paraphrases, typos,
  abbreviations and negated themes. The engine's first run on it: F1 0.917 (baseline 0.728);
  its misses then led to general changes (split compounds with an inflected head, a verb stem
  as compound modifier, more "not an issue" cues) and a few synonyms in the codebook, so it
  is no longer blind.
* the sample interviews (respondent turns only), when the ingest module can read them.

A document-code pair is predicted when it has >= 1 suggestion with score >=
`DEFAULT_ACCEPT_SCORE`.
"""

from __future__ import annotations

import csv
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from lo_codebook.nlp.match import (
    DEFAULT_ACCEPT_SCORE,
    CodedExample,
    CodeSpec,
    DocumentInput,
    SuggestionEngine,
)

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "transcripts"
FIXTURES = Path(__file__).parent / "fixtures" / "nlp"


def load_codebook(path: Path) -> list[CodeSpec]:
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


def load_qualtrics(
    path: Path, id_col: str = "ResponseId", text_col: str = "Q4"
) -> list[DocumentInput]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    header = rows[0]
    body = rows[3:]  # row 2: question texts, row 3: ImportId JSON
    i_id, i_text = header.index(id_col), header.index(text_col)
    return [DocumentInput(r[i_id], r[i_text], [], "survey") for r in body if len(r) > i_text]


def load_gold(path: Path, key: str = "respondent_id") -> dict[str, set[str]]:
    gold: dict[str, set[str]] = defaultdict(set)
    with path.open(encoding="utf-8-sig", newline="") as fh:
        for r in csv.DictReader(fh):
            gold[r[key]].add(r["code"])
    return gold


def predict(suggestions, threshold: float = DEFAULT_ACCEPT_SCORE) -> dict[str, set[str]]:
    pred: dict[str, set[str]] = defaultdict(set)
    for s in suggestions:
        if s.score >= threshold:
            pred[s.document_id].add(s.code_id)
    return pred


def prf(pred: dict, gold: dict, ids) -> tuple[float, float, float]:
    tp = sum(len(pred.get(i, set()) & gold.get(i, set())) for i in ids)
    fp = sum(len(pred.get(i, set()) - gold.get(i, set())) for i in ids)
    fn = sum(len(gold.get(i, set()) - pred.get(i, set())) for i in ids)
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def baseline(docs: list[DocumentInput], codes: list[CodeSpec]) -> dict[str, set[str]]:
    """Naive autocoding: a code when one of its keywords (or its name) is a substring."""
    parents = {c.parent for c in codes if c.parent}
    pred: dict[str, set[str]] = defaultdict(set)
    for d in docs:
        low = d.text.lower()
        for c in codes:
            if c.id in parents:
                continue
            if any(k.lower() in low for k in [c.name, *c.keywords] if k.strip()):
                pred[d.id].add(c.id)
    return pred


def _row(label: str, figures: tuple[float, float, float]) -> str:
    p, r, f = figures
    return f"  {label:40s} P {p:.3f}  R {r:.3f}  F1 {f:.3f}"


needs_sample = pytest.mark.skipif(
    not (SAMPLE / "survey" / "gold.csv").exists() or not (SAMPLE / "codebook.csv").exists(),
    reason="sample data (transcripts/) not present",
)


@pytest.fixture(scope="module")
def codes() -> list[CodeSpec]:
    path = SAMPLE / "codebook.csv"
    if not path.exists():
        pytest.skip("transcripts/codebook.csv not present")
    return load_codebook(path)


@needs_sample
def test_sample_survey_cold_warm_and_baseline(codes):
    docs = load_qualtrics(SAMPLE / "survey" / "lo_enquete_qualtrics.csv")
    gold = load_gold(SAMPLE / "survey" / "gold.csv")
    ids = [d.id for d in docs]
    assert len(ids) == 133

    engine = SuggestionEngine(codes)
    cold_pred = predict(engine.suggest(docs))
    cold = prf(cold_pred, gold, ids)
    base = prf(baseline(docs, codes), gold, ids)

    train, test = ids[:40], ids[40:]
    by_id = {d.id: d for d in docs}
    examples = [CodedExample(i, c, 0, len(by_id[i].text)) for i in train for c in gold.get(i, ())]
    learned = engine.learn(examples, by_id)
    warm_pred = predict(engine.suggest([by_id[i] for i in test]))
    warm = prf(warm_pred, gold, test)
    cold_test = prf(cold_pred, gold, test)
    base_test = prf(baseline([by_id[i] for i in test], codes), gold, test)

    gold_n = Counter(c for i in ids for c in gold.get(i, ()))
    pred_n = Counter(c for i in ids for c in cold_pred.get(i, ()))
    gold_top = {c for c, n in gold_n.items() if n > 10}
    pred_top = {c for c, n in pred_n.items() if n > 10}

    print(f"\nsample survey, accept score {DEFAULT_ACCEPT_SCORE:g} (document level)")
    print(_row("baseline keyword substring, all 133", base))
    print(_row("cold (codebook only), all 133", cold))
    print(_row("baseline, respondents 41-133", base_test))
    print(_row("cold, respondents 41-133", cold_test))
    print(_row("warm (learned from 1-40), 41-133", warm))
    print(f"  learned patterns: {len(learned)}")
    print(
        f"  themes > 10 respondents: gold {len(gold_top)}, predicted {len(pred_top)}, "
        f"equal: {gold_top == pred_top}"
    )
    for c in sorted(gold_n, key=lambda c: -gold_n[c]):
        print(f"    {c:36s} gold {gold_n[c]:3d}  predicted {pred_n.get(c, 0):3d}")

    assert cold[2] >= 0.95
    assert cold[2] > base[2] + 0.05
    assert warm[2] >= 0.95
    assert warm[2] >= cold_test[2] - 0.01
    assert pred_top == gold_top


@pytest.mark.parametrize(
    ("name", "label"),
    [
        ("heldout", "written for this test"),
        ("heldout2", "written blind from the theme descriptions"),
    ],
)
def test_heldout_survey(name: str, label: str):
    if not (SAMPLE / "codebook.csv").exists():
        pytest.skip("transcripts/codebook.csv not present")
    codes = load_codebook(SAMPLE / "codebook.csv")
    with (FIXTURES / f"{name}_survey.csv").open(encoding="utf-8", newline="") as fh:
        docs = [
            DocumentInput(r["respondent_id"], r["text"], [], "survey") for r in csv.DictReader(fh)
        ]
    gold = load_gold(FIXTURES / f"{name}_gold.csv")
    ids = [d.id for d in docs]
    engine = SuggestionEngine(codes)
    pred = predict(engine.suggest(docs))
    cold = prf(pred, gold, ids)
    base = prf(baseline(docs, codes), gold, ids)
    print(f"\nheld-out survey {name} ({len(docs)} answers {label})")
    print(_row("baseline keyword substring", base))
    print(_row("cold (codebook only)", cold))
    misses = {
        i: (gold.get(i, set()) - pred.get(i, set()), pred.get(i, set()) - gold.get(i, set()))
        for i in ids
    }
    for i, (fn, fp) in misses.items():
        if fn or fp:
            print(f"    {i}: missed {sorted(fn)} extra {sorted(fp)}")
    assert cold[2] >= 0.90
    assert cold[2] > base[2]


@needs_sample
def test_sample_interviews_respondent_only(codes):
    ingest = pytest.importorskip("lo_codebook.ingest.registry")
    folder = SAMPLE / "interviews"
    gold = load_gold(folder / "gold.csv", key="file")
    docs = []
    for name in sorted(gold):
        path = folder / name
        if not path.exists():
            continue
        try:
            parsed = ingest.parse_file(path)
        except Exception as exc:  # another team's module; report, do not fail here
            pytest.skip(f"cannot parse {name}: {exc}")
        segs = [(s.start, s.end, s.speaker) for s in parsed.segments]
        docs.append(DocumentInput(name, parsed.text, segs, "transcript"))
    if not docs:
        pytest.skip("no interviews")
    ids = [d.id for d in docs]
    resp = prf(predict(SuggestionEngine(codes).suggest(docs)), gold, ids)
    every = prf(predict(SuggestionEngine(codes, respondent_only=False).suggest(docs)), gold, ids)
    print(f"\nsample interviews ({len(docs)} transcripts, document level)")
    print(_row("respondent turns only", resp))
    print(_row("all turns (interviewer too)", every))
    assert resp[0] >= every[0]
    assert resp[2] >= 0.6
