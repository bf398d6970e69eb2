"""Limits benchmark: very long documents, and a project with 100k documents and 1M codings.

Part 1 imports transcripts of 1M and 5M characters, lists documents, and runs `suggest` on
them. Part 2 builds a project with bulk Core inserts into a database made by `Project.open`
(100,000 survey documents with cases and attributes, 1,000,000 codings by two coders, a
10,000-entry audit log), then times the everyday commands on it: `status`, `themes --above
10`, `themes --by ATTR`, `documents`, `log`, `undo` of a coding, and reports the file size.

Every measurement runs the real command in a fresh subprocess; the time is wall-clock and
the memory is that process's peak RSS. Prints medians of --runs runs.

    python bench/bench_limits.py [--runs 3] [--documents 100000] [--codings 1000000]
                                 [--sizes 500000,1000000,5000000] [--keep DIR]
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import math
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CODEBOOK = REPO / "transcripts" / "codebook.csv"
WORDS = (
    "de gemeente organisatie medewerkers leren ontwikkelen opleiding training omgevingswet "
    "digitalisering leiderschap samenwerken inwoners wendbaarheid budget teams thuiswerken "
    "vitaliteit arbeidsmarkt krapte werving privacy informatieveiligheid woo beleid college "
    "raad wethouder we hebben een nieuwe aanpak voor het leerplatform en dat werkt goed maar "
    "ook lastig omdat iedereen het druk heeft met de dagelijkse werkzaamheden eigenlijk "
    "integriteit inclusie diversiteit duurzame inzetbaarheid hybride werken"
).split()
SIZE_CLASSES = ["<20.000", "20.000-50.000", "50.000-100.000", ">100.000", "G4"]
PROVINCES = ["Groningen", "Friesland", "Drenthe", "Overijssel", "Gelderland", "Utrecht",
             "Noord-Holland", "Zuid-Holland", "Zeeland", "Noord-Brabant", "Limburg", "Flevoland"]  # fmt: skip


@dataclass
class Sample:
    seconds: float
    rss_mb: float
    code: int
    stderr: str


#: The code a measurement runs: None is this checkout; a path is a checkout of the baseline
#: (`--baseline REV`), put first on PYTHONPATH. Commands run from a neutral folder so that
#: `python -m` never picks up the checkout it was started in by accident.
CODE: Path | None = None
NEUTRAL_CWD = Path(tempfile.gettempdir())


def code_env(code: Path | None = None) -> dict[str, str]:
    """The environment of a measured process: its coder, and which lo-codebook it runs."""
    env = {**os.environ, "LO_CODEBOOK_CODER": "bench", "PYTHONWARNINGS": "ignore"}
    env.pop("LO_CODEBOOK_DB", None)
    code = CODE if code is None else code
    paths = [str(code or REPO)]
    if code is not None and (code / BASELINE_SITE).is_dir():
        paths.append(str(code / BASELINE_SITE))
    env["PYTHONPATH"] = os.pathsep.join([*paths, env.get("PYTHONPATH", "")])
    return env


def run(args: Sequence[str | Path], db: Path, *, timeout: float = 900) -> Sample:
    """`lo-codebook --db DB ARGS` in a fresh process: wall time and peak RSS."""
    env = code_env()
    command = [sys.executable, "-m", "lo_codebook", "--db", str(db), *map(str, args)]
    started = time.perf_counter()
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=NEUTRAL_CWD
    )
    deadline = started + timeout
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() > deadline:
            process.kill()
            pid, status, usage = os.wait4(process.pid, 0)
            break
        time.sleep(0.005)
    seconds = time.perf_counter() - started
    stderr = process.stderr.read().decode("utf-8", "replace") if process.stderr else ""
    if process.stderr:
        process.stderr.close()
    code = os.waitstatus_to_exitcode(status)
    process.returncode = code
    return Sample(seconds, usage.ru_maxrss / 1024, code, stderr.strip()[-300:])


def measure(
    label: str,
    args: Sequence[str | Path],
    db: Path,
    runs: int,
    *,
    before=None,
    timeout: float = 900,
) -> Sample:  # type: ignore[no-untyped-def]
    samples = []
    for _ in range(runs):
        if before is not None:
            before()
        samples.append(run(args, db, timeout=timeout))
        if samples[-1].seconds >= timeout:
            break  # killed at the time limit: once is enough to know
    failed = [s for s in samples if s.code != 0]
    median = Sample(
        statistics.median(s.seconds for s in samples),
        statistics.median(s.rss_mb for s in samples),
        failed[0].code if failed else 0,
        failed[0].stderr if failed else "",
    )
    note = f"  FAILED exit {median.code}: {median.stderr}" if failed else ""
    if samples[-1].seconds >= timeout:
        note = f"  KILLED at the {timeout:.0f} s limit (a lower bound)"
    print(f"  {label:<44} {median.seconds:8.2f} s  {median.rss_mb:7.0f} MB{note}", flush=True)
    return median


def sentence(rng: random.Random, low: int, high: int) -> str:
    return " ".join(rng.choices(WORDS, k=rng.randint(low, high))).capitalize() + "."


def db_size(db: Path) -> float:
    total = sum(
        p.stat().st_size
        for p in db.parent.glob(db.name + "*")
        if p.name in {db.name, db.name + "-wal"}
    )
    return total / 1_048_576


# ------------------------------------------------------------------------------- part 1


def make_transcript(path: Path, chars: int, rng: random.Random) -> None:
    turns: list[str] = []
    total = 0
    while total < chars:
        speaker = "Interviewer" if len(turns) % 2 == 0 else "Respondent"
        text = " ".join(sentence(rng, 6, 18) for _ in range(rng.randint(1, 8)))
        line = f"{speaker}: {text}"
        turns.append(line)
        total += len(line) + 2
    path.write_text("\n\n".join(turns) + "\n", encoding="utf-8")


def long_documents(folder: Path, sizes: list[int], runs: int) -> None:
    print("\n1. Long documents (one transcript per project)", flush=True)
    rng = random.Random(1)
    for chars in sizes:
        path = folder / f"lang_{chars // 1_000_000}M.txt"
        make_transcript(path, chars, rng)
        db = folder / f"lang_{chars}.db"
        print(f" {chars:,} characters ({path.stat().st_size / 1_048_576:.1f} MB file)", flush=True)

        def reset(db: Path = db) -> None:
            for p in db.parent.glob(db.name + "*"):
                p.unlink()
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "lo_codebook",
                    "--db",
                    str(db),
                    "codebook",
                    "import",
                    str(CODEBOOK),
                ],
                check=True,
                capture_output=True,
            )

        measure("import", ["import", path], db, runs, before=reset)
        measure("documents (table)", ["documents"], db, runs)
        measure("documents --format json (with text)", ["documents", "--format", "json"], db, runs)

        def clear_suggestions(db: Path = db) -> None:
            import sqlite3

            conn = sqlite3.connect(db)
            conn.execute("DELETE FROM suggestion")
            conn.execute("DELETE FROM audit_entry WHERE action = 'suggest'")
            conn.commit()
            conn.close()

        measure(
            "suggest",
            ["suggest"],
            db,
            max(1, runs if chars <= 1_000_000 else min(runs, 2)),
            before=clear_suggestions,
        )
        measure("themes --above 10", ["themes", "--above", "10"], db, runs)
        print(f"  {'database size':<44} {db_size(db):8.1f} MB", flush=True)


# ------------------------------------------------------------------------------- part 2


def build_big_project(db: Path, documents: int, codings: int, log_entries: int) -> None:
    """Bulk Core inserts into a project made by Project.open (schema, pragmas, coders)."""
    from datetime import datetime, timedelta

    from sqlalchemy import insert, select

    from lo_codebook.core.codebook import import_codebook
    from lo_codebook.core.importing import content_hash
    from lo_codebook.core.project import Project
    from lo_codebook.db.models import (
        AuditEntry,
        Case,
        CaseAttribute,
        Code,
        Coder,
        Coding,
        Document,
        Segment,
    )

    rng = random.Random(2)
    started = time.perf_counter()
    project = Project.open(db, "bench")
    import_codebook(project, CODEBOOK)
    engine = project.engine
    now = datetime.now(UTC)
    chunk = 20_000
    with engine.begin() as conn:
        codes = [row[0] for row in conn.execute(select(Code.id).where(Code.parent_id.is_not(None)))]
        coders = []
        for name in ("anna", "bram"):
            coders.append(
                conn.execute(
                    insert(Coder).returning(Coder.id), {"name": name, "created": now}
                ).scalar_one()
            )
    lengths: list[int] = []
    for first in range(0, documents, chunk):
        count = min(chunk, documents - first)
        with engine.begin() as conn:
            case_ids = (
                conn.execute(
                    insert(Case).returning(Case.id, sort_by_parameter_order=True),
                    [{"name": f"R{first + i:06d}", "created": now} for i in range(count)],
                )
                .scalars()
                .all()
            )
            conn.execute(
                insert(CaseAttribute),
                [
                    {"case_id": cid, "key": key, "value": value}
                    for cid in case_ids
                    for key, value in (
                        ("size_class", rng.choice(SIZE_CLASSES)),
                        ("province", rng.choice(PROVINCES)),
                    )
                ],
            )
            texts = [
                " ".join(sentence(rng, 5, 15) for _ in range(rng.randint(1, 4)))
                for _ in range(count)
            ]
            doc_ids = (
                conn.execute(
                    insert(Document).returning(Document.id, sort_by_parameter_order=True),
                    [
                        {
                            "name": f"R{first + i:06d}",
                            "case_id": cid,
                            "kind": "survey",
                            "source_format": "csv",
                            "question": "Q4",
                            "text": text,
                            "content_hash": content_hash(text),
                            "words": len(text.split()),
                            "created": now,
                        }
                        for i, (cid, text) in enumerate(zip(case_ids, texts, strict=True))
                    ],
                )
                .scalars()
                .all()
            )
            conn.execute(
                insert(Segment),
                [
                    {"document_id": did, "start": 0, "end": len(text), "speaker": None}
                    for did, text in zip(doc_ids, texts, strict=True)
                ],
            )
            lengths.extend(len(t) for t in texts)
    first_doc = 1
    rows: list[dict[str, object]] = []
    seen: set[tuple[int, int, int, int, int]] = set()
    made = 0
    while made < codings:
        doc = rng.randrange(documents)
        length = lengths[doc]
        start = rng.randrange(max(1, length - 10))
        end = min(length, start + rng.randint(5, 80))
        key = (first_doc + doc, rng.choice(codes), rng.choice(coders), start, end)
        if key in seen or end <= start:
            continue
        seen.add(key)
        rows.append(
            {
                "document_id": key[0],
                "code_id": key[1],
                "coder_id": key[2],
                "start": start,
                "end": end,
                "origin": "manual",
                "created": now,
            }
        )
        made += 1
        if len(rows) >= 50_000:
            with engine.begin() as conn:
                conn.execute(insert(Coding), rows)
            rows = []
    if rows:
        with engine.begin() as conn:
            conn.execute(insert(Coding), rows)
    with engine.begin() as conn:
        conn.execute(
            insert(AuditEntry),
            [
                {
                    "at": now - timedelta(minutes=log_entries - i),
                    "coder": rng.choice(["anna", "bram"]),
                    "action": "code",
                    "summary": f"R{rng.randrange(documents):06d} 0-20: Leiderschap",
                    "changes": [["i", "coding", {"id": 10**9 + i}]],
                    "undoable": True,
                    "undone": False,
                }
                for i in range(log_entries)
            ],
        )
        # The newest entry: the import that brought the documents in, recording every row
        # (as `note_bulk_insert` does), which `log` must list without reading.
        every = list(range(1, documents + 1))
        conn.execute(
            insert(AuditEntry),
            [
                {
                    "at": now,
                    "coder": "anna",
                    "action": "import-survey",
                    "summary": f"survey.csv: {documents} answers",
                    "changes": [
                        ["I", "case", every],
                        ["I", "document", every],
                        ["I", "segment", every],
                        ["I", "case_attribute", list(range(1, 2 * documents + 1))],
                    ],
                    "undoable": True,
                    "undone": False,
                }
            ],
        )
    project.close()
    print(
        f"  built in {time.perf_counter() - started:.1f} s: {documents:,} documents, {codings:,} codings, "
        f"{log_entries:,} log entries; {db_size(db):.0f} MB",
        flush=True,
    )


def big_project(folder: Path, documents: int, codings: int, runs: int) -> None:
    print(f"\n2. A project with {documents:,} documents and {codings:,} codings", flush=True)
    db = folder / "groot.db"
    # Built in a child process: a forked measurement would otherwise count this process's
    # memory (hundreds of MB after the build) as its own peak RSS.
    subprocess.run(
        [
            sys.executable,
            __file__,
            "--build",
            str(db),
            "--documents",
            str(documents),
            "--codings",
            str(codings),
        ],
        check=True,
    )
    measure("status", ["status"], db, runs)
    measure("themes --above 10", ["themes", "--above", "10"], db, runs)
    measure(
        "themes --above 10 --by size_class",
        ["themes", "--above", "10", "--by", "size_class"],
        db,
        runs,
    )
    measure(
        "themes --coder anna --unit mention",
        ["themes", "--coder", "anna", "--unit", "mention"],
        db,
        runs,
    )
    measure("documents (table)", ["documents"], db, runs)
    measure("documents --format json", ["documents", "--format", "json"], db, runs)
    measure("log --limit 30", ["log"], db, runs)
    measure("suggestions --format csv (none pending)", ["suggestions"], db, runs)

    from lo_codebook.core.coding import code_span
    from lo_codebook.core.project import Project

    def add_coding() -> None:
        project = Project.open(db, "bench")
        with project.read() as session:
            from sqlalchemy import select

            from lo_codebook.db.models import Code

            code_id = session.scalars(select(Code.id).where(Code.parent_id.is_not(None))).first()
        code_span(project, random.randrange(1, documents), 0, 3, code_id)
        project.close()

    measure("undo of a coding", ["undo"], db, runs, before=add_coding)
    measure(
        "backup (online copy, checked)", ["backup", folder / f"kopie_{time.time_ns()}.db"], db, 1
    )
    print(f"  {'database size':<44} {db_size(db):8.1f} MB", flush=True)


# ------------------------------------------------------------------------------- part 3


@contextlib.contextmanager
def running(code: Path | None) -> Iterator[None]:
    """Measure with the baseline checkout `code` (None: this checkout) inside the block."""
    global CODE
    saved, CODE = CODE, code
    try:
        yield
    finally:
        CODE = saved


def per_doubling(sizes: Sequence[int], seconds: Sequence[float]) -> str:
    """Growth of the time per doubling of the size: linear is 2x, quadratic 4x."""
    parts = []
    for (n0, t0), (n1, t1) in itertools.pairwise(zip(sizes, seconds, strict=True)):
        if t0 > 0 and t1 > 0 and n1 > n0:
            parts.append(f"{n0:,}->{n1:,}: {(t1 / t0) ** (1 / math.log2(n1 / n0)):.2f}x")
    return ", ".join(parts)


def refi_scaling(
    folder: Path, sizes: list[int], runs: int, baseline: Path | None, timeout: float
) -> None:
    """export-qdpx and import-qdpx at growing document counts: linear means 2x per doubling."""
    print("\n3. REFI-QDA exchange (export-qdpx, import-qdpx) by number of documents", flush=True)
    variants = [("after", None)] + ([("before", baseline)] if baseline is not None else [])
    times: dict[tuple[str, str], list[float]] = {}
    for documents in sizes:
        dbs = build_for_variants(
            folder / f"refi_{documents}.db", documents, documents * 2, 100, baseline
        )
        for label, code in variants:
            db = dbs[code]
            with running(code):
                out = folder / f"refi_{documents}_{label}.qdpx"
                exported = measure(
                    f"{label}: export-qdpx {documents:,} documents",
                    ["export-qdpx", out],
                    db,
                    runs,
                    timeout=timeout,
                )
                times.setdefault((label, "export"), []).append(exported.seconds)
                target = folder / f"refi_{documents}_{label}_in.db"
                source = out if out.exists() else folder / f"refi_{documents}_after.qdpx"

                def fresh(target: Path = target) -> None:
                    for p in target.parent.glob(target.name + "*"):
                        p.unlink()

                imported = measure(
                    f"{label}: import-qdpx {documents:,} documents",
                    ["import-qdpx", source],
                    target,
                    runs,
                    before=fresh,
                    timeout=timeout,
                )
                times.setdefault((label, "import"), []).append(imported.seconds)
        # Removed only now: a baseline killed before it wrote its file imports this code's.
        for path in [*dbs.values(), *folder.glob(f"refi_{documents}_*.qdpx")]:
            path.unlink(missing_ok=True)
    for (label, what), seconds in times.items():
        print(
            f"  {label} {what}: growth per doubling {per_doubling(sizes, seconds)} (linear = 2x)",
            flush=True,
        )


# ------------------------------------------------------------------------------- part 4


async def _tui_probe(db: Path, presses: int) -> dict[str, float]:
    """In this process: the app on `db`, headless. First screen: start until the first
    document's text is painted (the documents list is filled before that). Redraws: a key
    press until the app is idle again (`pilot.pause`), for moving down the documents list,
    opening the next document, and coding a selected word (which refreshes the list)."""
    started = time.perf_counter()  # imports count: the user waits for them too
    from lo_codebook.core.project import Project
    from lo_codebook.tui.app import CodebookApp
    from lo_codebook.tui.widgets.document_view import DocumentView

    painted: list[float] = []
    original = DocumentView.render_lines

    def render_lines(view, crop):  # type: ignore[no-untyped-def]
        strips = original(view, crop)
        if view.detail is not None:
            painted.append(time.perf_counter())
        return strips

    DocumentView.render_lines = render_lines  # type: ignore[method-assign]
    project = Project.open(db, "bench")
    app = CodebookApp(project, load_user_keymap=False, tune_gc=True)
    out: dict[str, float] = {}
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        assert painted, "no document shown"
        out["first_screen_ms"] = (painted[0] - started) * 1000
        main = app.screen
        documents = main.documents  # type: ignore[attr-defined]
        documents.focus()
        await pilot.pause()
        for key, what in (("down", "list_down_ms"), ("enter", "open_next_ms")):
            samples = []
            for _ in range(presses):
                if key == "enter":
                    await pilot.press("down")
                    await pilot.pause()
                moment = time.perf_counter()
                await pilot.press(key)
                await pilot.pause()
                samples.append((time.perf_counter() - moment) * 1000)
            out[what] = statistics.median(samples)
        view = main.view  # type: ignore[attr-defined]
        app.recent_codes = [main.codes[-1].id]  # type: ignore[attr-defined]
        samples = []
        for n in range(presses):
            text = view.source
            start = text.find(" ", n * 3) + 1
            end = start + max(1, text[start:].find(" "))
            view.select_span(start, end)
            await pilot.pause()
            moment = time.perf_counter()
            await pilot.press("1")
            await pilot.pause()
            samples.append((time.perf_counter() - moment) * 1000)
        out["code_key_ms"] = statistics.median(samples)
        app.exit()
    project.close()
    return out


def tui_probe(db: Path, presses: int) -> None:
    """Print the probe's figures as JSON (run in a fresh process per code version)."""
    import asyncio
    import json

    print(json.dumps(asyncio.run(_tui_probe(db, presses))), flush=True)


def tui_figures(db: Path, presses: int, timeout: float) -> dict[str, float] | str:
    """`tui_probe` in a fresh process running the current CODE: figures, or why none."""
    import json

    try:
        done = subprocess.run(
            [sys.executable, __file__, "--probe-tui", str(db), "--presses", str(presses)],
            env=code_env(),
            cwd=NEUTRAL_CWD,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        return f"no first screen within {timeout:.0f} s"
    if done.returncode != 0:
        return f"failed: {done.stderr.strip()[-300:]}"
    return json.loads(done.stdout.strip().splitlines()[-1])


def build_for_variants(
    db: Path, documents: int, codings: int, log_entries: int, baseline: Path | None
) -> dict[str | None, Path]:
    """The project for each code version: built by the baseline when there is one (its schema
    may be older), then copied and upgraded once for this code, outside any measurement."""
    with running(baseline):
        subprocess.run(
            [
                sys.executable,
                __file__,
                "--build",
                str(db),
                "--documents",
                str(documents),
                "--codings",
                str(codings),
                "--log-entries",
                str(log_entries),
            ],
            check=True,
            env=code_env(),
            cwd=NEUTRAL_CWD,
        )
    if baseline is None:
        return {None: db}
    mine = db.with_name(f"{db.stem}_after.db")
    shutil.copyfile(db, mine)
    subprocess.run(
        [sys.executable, "-m", "lo_codebook", "--db", str(mine), "status"],
        check=True,
        env=code_env(),
        cwd=NEUTRAL_CWD,
        capture_output=True,
    )
    return {baseline: db, None: mine}


def at_scale(
    folder: Path, documents: int, codings: int, runs: int, baseline: Path | None, timeout: float
) -> None:
    """A project of `documents` survey answers: TUI first screen and redraws, `suggest` peak
    RSS, `log`; the baseline's figures beside this code's when --baseline is given."""
    print(
        f"\n4. {documents:,} documents: TUI, suggest, log (targets: first screen < 2 s, redraw < 100 ms, "
        "suggest < 1 GB)",
        flush=True,
    )
    dbs = build_for_variants(folder / "scale.db", documents, codings, 10_000, baseline)
    variants = ([("before", baseline)] if baseline is not None else []) + [("after", None)]
    for label, code in variants:
        db = dbs[code]
        with running(code):
            figures = tui_figures(db, 5, timeout)
            if isinstance(figures, str):
                print(f"  {label}: TUI {figures}", flush=True)
            else:
                print(
                    f"  {label}: TUI first screen {figures['first_screen_ms']:8.0f} ms", flush=True
                )
                for key, text in (
                    ("list_down_ms", "down in the documents list"),
                    ("open_next_ms", "open the next document"),
                    ("code_key_ms", "code a word (list refreshed)"),
                ):
                    print(f"  {label}: TUI {text:<36} {figures[key]:8.0f} ms (median)", flush=True)
            measure(f"{label}: log", ["log"], db, runs, timeout=timeout)

            def clear(db: Path = db) -> None:
                import sqlite3

                conn = sqlite3.connect(db)
                conn.execute("DELETE FROM suggestion")
                conn.execute("DELETE FROM audit_entry WHERE action = 'suggest'")
                conn.commit()
                conn.close()

            measure(
                f"{label}: suggest (peak RSS)", ["suggest"], db, 1, before=clear, timeout=timeout
            )


#: A folder in the baseline checkout with a `sitecustomize` that takes this checkout's editable
#: install finder out of the import system: without it, `lo_codebook.migrations` (mapped by
#: the editable install) would resolve to this checkout's migrations, not the baseline's.
BASELINE_SITE = "_bench_site"


def baseline_checkout(rev: str, folder: Path) -> Path:
    """A detached git worktree of `rev` (the code before this branch) for before/after runs."""
    target = folder / "baseline"
    subprocess.run(
        ["git", "-C", str(REPO), "worktree", "add", "--detach", str(target), rev],
        check=True,
        capture_output=True,
    )
    site = target / BASELINE_SITE
    site.mkdir()
    (site / "sitecustomize.py").write_text(
        "import sys\n"
        "sys.meta_path[:] = [f for f in sys.meta_path\n"
        "                    if '__editable__' not in getattr(f, '__module__', '')]\n",
        encoding="utf-8",
    )
    return target


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--documents", type=int, default=100_000)
    parser.add_argument("--codings", type=int, default=1_000_000)
    parser.add_argument(
        "--sizes", default="500000,1000000,5000000", help="document sizes in characters"
    )
    parser.add_argument("--keep", type=Path, help="keep the generated files in this folder")
    parser.add_argument(
        "--skip", choices=["long", "big", "refi", "scale"], action="append", default=[]
    )
    parser.add_argument(
        "--refi-sizes", default="2000,8000,50000", help="document counts for part 3"
    )
    parser.add_argument(
        "--baseline", metavar="REV", help="also run the code of git revision REV (before/after)"
    )
    parser.add_argument(
        "--timeout", type=float, default=900, help="seconds before a measured command is killed"
    )
    parser.add_argument("--scale-documents", type=int, default=200_000, help="documents for part 4")
    parser.add_argument("--build", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--probe-tui", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--presses", type=int, default=5, help=argparse.SUPPRESS)
    parser.add_argument("--log-entries", type=int, default=10_000, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.probe_tui is not None:
        tui_probe(args.probe_tui, args.presses)
        return
    if args.build is not None:
        build_big_project(args.build, args.documents, args.codings, log_entries=args.log_entries)
        return
    sizes = [int(s) for s in args.sizes.split(",") if s]
    folder = args.keep or Path(tempfile.mkdtemp(prefix="lo_limits_"))
    folder.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    print(
        f"lo-codebook limits benchmark: {os.cpu_count()} CPUs, Python {sys.version.split()[0]}, medians of {args.runs}"
    )
    print(f"  {'what':<44} {'time':>10}  {'peak RSS':>10}")
    baseline = baseline_checkout(args.baseline, folder) if args.baseline else None
    try:
        if "long" not in args.skip:
            long_documents(folder, sizes, args.runs)
        if "big" not in args.skip:
            big_project(folder, args.documents, args.codings, args.runs)
        if "refi" not in args.skip:
            refi_scaling(
                folder,
                [int(n) for n in args.refi_sizes.split(",") if n],
                args.runs,
                baseline,
                args.timeout,
            )
        if "scale" not in args.skip:
            at_scale(
                folder,
                args.scale_documents,
                args.scale_documents * 2,
                args.runs,
                baseline,
                args.timeout,
            )
    finally:
        if baseline is not None:
            subprocess.run(
                ["git", "-C", str(REPO), "worktree", "remove", "--force", str(baseline)],
                check=False,
            )
        if args.keep is None:
            shutil.rmtree(folder, ignore_errors=True)
    print(f"\ntotal {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
