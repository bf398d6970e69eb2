"""A document's suggestions must not depend on which other documents were processed with it."""

from __future__ import annotations

import csv
import os
import threading

import pytest

from lo_codebook.nlp import match
from lo_codebook.nlp.match import (
    CodeSpec,
    DocumentInput,
    SuggestionEngine,
    default_workers,
    fork_is_safe,
)

from .conftest import SAMPLE


def _key(s):  # type: ignore[no-untyped-def]
    return (
        s.document_id,
        s.code_id,
        s.start,
        s.end,
        round(s.score, 6),
        s.method,
        s.evidence,
        s.pattern,
    )


def _sample() -> tuple[list[CodeSpec], list[DocumentInput]]:
    with (SAMPLE / "codebook.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    parents = {r["parent"] for r in rows if r["parent"]}
    specs = [
        CodeSpec(i, r["name"], [k for k in r["keywords"].split(";") if k], r["parent"] or None)
        for i, r in enumerate(rows)
        if r["name"] not in parents
    ]
    with (SAMPLE / "survey" / "lo_enquete_qualtrics.csv").open(
        encoding="utf-8-sig", newline=""
    ) as handle:
        records = list(csv.DictReader(handle))[2:]
    docs = [
        DocumentInput(i, r["Q4"], [], "survey") for i, r in enumerate(records) if r["Q4"].strip()
    ]
    return specs, docs


def test_suggestions_do_not_depend_on_batch_or_order() -> None:
    specs, docs = _sample()

    def key(s):  # type: ignore[no-untyped-def]
        return (s.document_id, s.code_id, s.start, s.end, round(s.score, 6), s.method)

    whole = sorted(map(key, SuggestionEngine(specs).suggest(docs)))
    half = len(docs) // 2
    reversed_halves = SuggestionEngine(specs).suggest(docs[half:]) + SuggestionEngine(
        specs
    ).suggest(docs[:half])
    one_by_one_engine = SuggestionEngine(specs)
    one_by_one = [s for d in reversed(docs) for s in one_by_one_engine.suggest([d])]
    assert whole and sorted(map(key, reversed_halves)) == whole
    assert sorted(map(key, one_by_one)) == whole


def test_forked_workers_give_exactly_the_serial_suggestions() -> None:
    specs, docs = _sample()
    assert fork_is_safe(), (
        f"another thread is alive, forking would be refused: {threading.enumerate()}"
    )
    serial = sorted(map(_key, SuggestionEngine(specs).suggest(docs, workers=1)))
    engine = SuggestionEngine(specs)
    parts = list(engine.suggest_parts(docs, workers=3))
    assert len(parts) == 3 and all(parts)  # really split over two forked children
    assert sorted(_key(s) for part in parts for s in part) == serial
    assert sorted(map(_key, SuggestionEngine(specs).suggest(docs, workers=2))) == serial


def _dying_part(index: int) -> list:
    os._exit(3)  # a worker killed half-way (out of memory, kill -9)


def test_a_dead_worker_is_redone_here(monkeypatch: pytest.MonkeyPatch) -> None:
    specs, docs = _sample()
    serial = sorted(map(_key, SuggestionEngine(specs).suggest(docs)))
    monkeypatch.setattr(match, "_suggest_part", _dying_part)
    assert sorted(map(_key, SuggestionEngine(specs).suggest(docs, workers=2))) == serial


def test_no_fork_beside_another_thread() -> None:
    specs, docs = _sample()
    release = threading.Event()
    thread = threading.Thread(target=release.wait)
    thread.start()
    try:
        assert not fork_is_safe()
        assert default_workers(10**9) == 1
        parts = list(SuggestionEngine(specs).suggest_parts(docs, workers=4))
        assert len(parts) == 1
    finally:
        release.set()
        thread.join()


def test_default_workers_only_for_a_large_corpus() -> None:
    assert default_workers(1_000) == 1
    assert default_workers(10**9) == max(1, min(4, os.cpu_count() or 1))
