"""A document's suggestions must not depend on which other documents were processed with it."""

from __future__ import annotations

import csv

from lo_codebook.nlp.match import CodeSpec, DocumentInput, SuggestionEngine

from .conftest import SAMPLE


def test_suggestions_do_not_depend_on_batch_or_order() -> None:
    with (SAMPLE / "codebook.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    parents = {r["parent"] for r in rows if r["parent"]}
    specs = [
        CodeSpec(i, r["name"], [k for k in r["keywords"].split(";") if k], r["parent"] or None)
        for i, r in enumerate(rows)
        if r["name"] not in parents
    ]
    with (SAMPLE / "survey" / "lo_enquete_qualtrics.csv").open(encoding="utf-8-sig", newline="") as handle:
        records = list(csv.DictReader(handle))[2:]
    docs = [DocumentInput(i, r["Q4"], [], "survey") for i, r in enumerate(records) if r["Q4"].strip()]

    def key(s):  # type: ignore[no-untyped-def]
        return (s.document_id, s.code_id, s.start, s.end, round(s.score, 6), s.method)

    whole = sorted(map(key, SuggestionEngine(specs).suggest(docs)))
    half = len(docs) // 2
    reversed_halves = SuggestionEngine(specs).suggest(docs[half:]) + SuggestionEngine(specs).suggest(docs[:half])
    one_by_one_engine = SuggestionEngine(specs)
    one_by_one = [s for d in reversed(docs) for s in one_by_one_engine.suggest([d])]
    assert whole and sorted(map(key, reversed_halves)) == whole
    assert sorted(map(key, one_by_one)) == whole
