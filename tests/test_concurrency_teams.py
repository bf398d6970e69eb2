"""Team mode: several OS processes write one project at once, on SQLite and on PostgreSQL.

No write is lost, and two coders creating the same code at the same moment end with one
code and one clear message for the one who lost the race. Coders deciding the same
suggestions at once decide each exactly once, and codings are the accepted suggestions.
"""

from __future__ import annotations

import multiprocessing as mp
import re
import threading
import time
import traceback
from typing import Any

import pytest
from sqlalchemy import func, select

from lo_codebook.core.codebook import add_code, create_code
from lo_codebook.core.coding import code_span
from lo_codebook.core.importing import import_files
from lo_codebook.core.project import Project
from lo_codebook.core.suggest_service import decide, decide_matching
from lo_codebook.db.models import AuditEntry, Code, Coder, Coding, Document, Suggestion
from lo_codebook.errors import UserError

from .conftest import SAMPLE

CODINGS_PER_PROCESS = 500
JUST_CREATED = "was just created by someone else; it is in the codebook now"
CLEAR_MESSAGE = re.compile(
    r"^a code named '(?P<name>[^']+)' (was just created by someone else; it is in the codebook now"
    r"|already exists at the top level)$"
)


def _code_many(url: str, coder: str, doc_id: int, code_id: int, barrier: Any, results: Any) -> None:
    """One coder in its own process: 500 codings, each its own `code_span` transaction."""
    try:
        project = Project.open(url, coder)
        barrier.wait(timeout=60)
        done = 0
        for k in range(CODINGS_PER_PROCESS):
            code_span(project, doc_id, k, k + 1, code_id)
            done += 1
        project.close()
        results.put((coder, done, None))
    except BaseException:  # noqa: BLE001 - report everything to the parent
        results.put((coder, -1, traceback.format_exc()))


def _create_same(url: str, coder: str, names: list[str], barrier: Any, results: Any) -> None:
    """One coder in its own process: create each name at the same moment as the other coder."""
    try:
        project = Project.open(url, coder)
        for name in names:
            barrier.wait(timeout=60)
            try:
                create_code(project, name)
                results.put((coder, name, "ok", ""))
            except UserError as exc:
                results.put((coder, name, "error", str(exc)))
        project.close()
    except BaseException:  # noqa: BLE001
        results.put((coder, "", "crash", traceback.format_exc()))


def _run(target: Any, args_per_process: list[tuple[Any, ...]], expected_results: int) -> list[Any]:
    ctx = mp.get_context("spawn")
    barrier = ctx.Barrier(len(args_per_process))
    results = ctx.Queue()
    processes = [
        ctx.Process(target=target, args=(*args, barrier, results)) for args in args_per_process
    ]
    for process in processes:
        process.start()
    out = [results.get(timeout=300) for _ in range(expected_results)]
    for process in processes:
        process.join(timeout=60)
        assert process.exitcode == 0
    return out


@pytest.fixture
def shared(db_url: str) -> Any:
    project = Project.open(db_url, "setup")
    import_files(project, [SAMPLE / "interviews" / "interview_01_lindewaard.txt"])
    code_id = create_code(project, "Werkdruk")
    with project.read() as session:
        doc = session.scalars(select(Document)).one()
        assert len(doc.text) > CODINGS_PER_PROCESS
        doc_id = doc.id
    yield db_url, project, doc_id, code_id
    project.close()


def test_two_processes_code_500_spans_each_without_losing_one(shared: Any) -> None:
    url, project, doc_id, code_id = shared
    started = time.perf_counter()
    results = _run(_code_many, [(url, "Anna", doc_id, code_id), (url, "Bram", doc_id, code_id)], 2)
    elapsed = time.perf_counter() - started
    for coder, done, error in results:
        assert error is None, f"{coder}: {error}"
        assert done == CODINGS_PER_PROCESS
    with project.read() as session:
        assert session.scalar(select(func.count()).select_from(Coding)) == 2 * CODINGS_PER_PROCESS
        per_coder = dict(
            session.execute(
                select(Coder.name, func.count(Coding.id))
                .join(Coding, Coding.coder_id == Coder.id)
                .group_by(Coder.name)
            ).all()
        )
        assert per_coder == {"Anna": CODINGS_PER_PROCESS, "Bram": CODINGS_PER_PROCESS}
        spans = set(session.execute(select(Coding.coder_id, Coding.start, Coding.end)).all())
        assert len(spans) == 2 * CODINGS_PER_PROCESS
        # Every coding is its own audited action, so each coder can undo their own.
        logged = session.scalar(
            select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "code")
        )
        assert logged == 2 * CODINGS_PER_PROCESS
    print(f"{url.split(':')[0]}: 2 x {CODINGS_PER_PROCESS} codings in {elapsed:.1f}s")


def test_two_processes_create_the_same_code_at_once(shared: Any) -> None:
    url, project, _doc_id, _code_id = shared
    names = [f"Thema {i}" for i in range(5)]
    results = _run(_create_same, [(url, "Anna", names), (url, "Bram", names)], 2 * len(names))
    crashes = [r for r in results if r[2] == "crash"]
    assert not crashes, crashes
    for name in names:
        outcome = [r for r in results if r[1] == name]
        assert sorted(r[2] for r in outcome) == ["error", "ok"], outcome
        (error,) = [r[3] for r in outcome if r[2] == "error"]
        match = CLEAR_MESSAGE.match(error)
        assert match and match.group("name") == name, error
    with project.read() as session:
        for name in names:
            assert (
                session.scalar(select(func.count()).select_from(Code).where(Code.name == name)) == 1
            )
        # Only the winners' actions are logged; the losers' transactions left nothing behind.
        logged = session.scalar(
            select(func.count())
            .select_from(AuditEntry)
            .where(AuditEntry.action == "code-add", AuditEntry.summary.like("%Thema%"))
        )
        assert logged == len(names)


def test_insert_race_gives_the_clear_message(db_url: str) -> None:
    """Force the race: coder A has inserted (not committed) when coder B checks and inserts.

    On PostgreSQL B's check sees nothing, its INSERT waits on the unique index and fails when
    A commits: `add_code` turns that IntegrityError into the clear message. On SQLite writers
    queue (BEGIN IMMEDIATE), so B waits and then finds the code in its check.
    """
    first = Project.open(db_url, "Anna")
    second = Project.open(db_url, "Bram")
    create_code(second, "warm-up")  # Bram's coder row exists; his write below only adds the code
    outcome: list[tuple[str, str]] = []

    def race() -> None:
        try:
            create_code(second, "Werkdruk")
            outcome.append(("ok", ""))
        except UserError as exc:
            outcome.append(("error", str(exc)))

    with first.write("code-add") as unit:
        add_code(unit, "Werkdruk")
        thread = threading.Thread(target=race)
        thread.start()
        time.sleep(1.0)
        assert thread.is_alive()  # B is waiting for A (row lock or write lock)
        unit.summary = "added code 'Werkdruk'"
    thread.join(timeout=60)
    assert outcome and outcome[0][0] == "error", outcome
    if db_url.startswith("postgresql"):
        assert outcome[0][1] == f"a code named 'Werkdruk' {JUST_CREATED}"
    else:
        assert CLEAR_MESSAGE.match(outcome[0][1]), outcome
    with first.read() as session:
        assert (
            session.scalar(select(func.count()).select_from(Code).where(Code.name == "Werkdruk"))
            == 1
        )
    # B's transaction was rolled back cleanly: B can go on working.
    create_code(second, "Werkdruk 2")
    first.close()
    second.close()


# -- deciding suggestions at once -------------------------------------------------------------

SUGGESTIONS_PER_ROUND = 150
ROUNDS = 3


def _pending(project: Project, doc_id: int, code_name: str) -> list[int]:
    """Fresh pending suggestions of a new code, one per character span (as `suggest` stores them)."""
    code_id = create_code(project, code_name)
    with project.write("suggest", undoable=False) as unit:
        unit.session.add_all(
            Suggestion(
                document_id=doc_id,
                code_id=code_id,
                start=k,
                end=k + 1,
                score=90.0,
                method="keyword",
            )
            for k in range(SUGGESTIONS_PER_ROUND)
        )
    with project.read() as session:
        return list(
            session.scalars(
                select(Suggestion.id).where(Suggestion.code_id == code_id).order_by(Suggestion.id)
            )
        )


def _decide_at_once(url: str, plans: list[tuple[str, bool, list[int] | str]]) -> list[int]:
    """Coders in threads, each with its own connections, deciding at the same moment: in bulk
    (a code name: `accept --code`) or one suggestion at a time (ids: the review screen)."""
    projects = [Project.open(url, coder) for coder, _, _ in plans]
    barrier = threading.Barrier(len(plans))
    counts = [0] * len(plans)
    errors: list[str] = []

    def work(index: int, project: Project, accept: bool, what: list[int] | str) -> None:
        try:
            barrier.wait(timeout=60)
            if isinstance(what, str):
                counts[index] = decide_matching(project, accept=accept, code=what)
            else:
                counts[index] = sum(decide(project, [sid], accept=accept) for sid in what)
        except BaseException:  # noqa: BLE001 - reported below
            errors.append(traceback.format_exc())

    threads = [
        threading.Thread(target=work, args=(i, p, accept, what))
        for i, (p, (_, accept, what)) in enumerate(zip(projects, plans, strict=True))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    for project in projects:
        project.close()
    assert not errors, errors[0]
    return counts


def _assert_decided_once(project: Project, ids: list[int], counts: list[int]) -> None:
    assert sum(counts) == len(ids), f"decisions {counts} for {len(ids)} suggestions"
    with project.read() as session:
        rows = session.execute(
            select(
                Suggestion.status,
                Suggestion.document_id,
                Suggestion.code_id,
                Suggestion.start,
                Suggestion.end,
                Suggestion.decided_by_id,
            ).where(Suggestion.id.in_(ids))
        ).all()
        assert all(r.status != "pending" and r.decided_by_id is not None for r in rows)
        accepted = {
            (r.document_id, r.code_id, r.decided_by_id, r.start, r.end)
            for r in rows
            if r.status == "accepted"
        }
        code_ids = {r.code_id for r in rows}
        codings = session.execute(
            select(
                Coding.document_id, Coding.code_id, Coding.coder_id, Coding.start, Coding.end
            ).where(Coding.code_id.in_(code_ids))
        ).all()
    # Codings are exactly the accepted suggestions, each for the coder who accepted it.
    assert len(codings) == len(accepted) and set(codings) == accepted


@pytest.mark.parametrize(
    "verbs", [(True, False), (True, True)], ids=["accept-vs-reject", "accept-vs-accept"]
)
def test_concurrent_bulk_decisions_decide_each_suggestion_once(
    shared: Any, verbs: tuple[bool, bool]
) -> None:
    url, project, doc_id, _code_id = shared
    for round_ in range(ROUNDS):
        name = f"Ronde {round_}"
        ids = _pending(project, doc_id, name)
        counts = _decide_at_once(url, [("x1", verbs[0], name), ("x2", verbs[1], name)])
        _assert_decided_once(project, ids, counts)
        print(
            f"{url.split(':')[0]} round {round_}: x1 decided {counts[0]}, x2 {counts[1]} of {len(ids)}"
        )


def test_concurrent_single_decisions_decide_each_suggestion_once(shared: Any) -> None:
    url, project, doc_id, _code_id = shared
    ids = _pending(project, doc_id, "Een voor een")
    counts = _decide_at_once(url, [("x1", True, ids), ("x2", False, ids), ("x3", True, ids)])
    _assert_decided_once(project, ids, counts)
    print(f"{url.split(':')[0]}: one at a time, x1/x2/x3 decided {counts} of {len(ids)}")
