"""Benchmark: the terminal UI on a 50,000-word transcript with 2,000 codings, and the survey grid.

Targets: first paint < 300 ms; code key -> highlighted span and stored row < 100 ms;
100 pages of scrolling; a 300,000-character document opens whole (no chunking).
Survey grid (the bundled 133-respondent survey, and a generated 10,000-answer project):
first open and open again, scroll a row / a page, toggle a theme (key -> stored coding +
repainted row) < 100 ms.
Coded retrieval: 500 segments of one code (250 survey answers, 250 spans of a 50,000-word
transcript, among 2,500 codings) from `retrieval.retrieve_segments`, against a plain SQL
select of the same rows (text included) in the same run, and the coded-segments screen (Q
to the painted list) < 300 ms.
Runs the real app headless (`App.run_test`) on SQLite projects built through the core
API, and prints medians.

    .venv/bin/python bench/bench_tui.py [--runs 5] [--words 50000] [--codings 2000]
                                        [--answers 10000] [--segments 500]
                                        [--only document|grid|retrieval]
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from lo_codebook.core import codebook, coding, queries  # noqa: E402
from lo_codebook.core.importing import import_files  # noqa: E402
from lo_codebook.core.project import Project  # noqa: E402

SIZE = (160, 48)
FIRST_PAINT_MS = 300
CODE_KEY_MS = 100
GRID_KEY_MS = 100
RETRIEVAL_MS = 300
ROOT = Path(__file__).resolve().parents[1]
SAMPLE_CODEBOOK = ROOT / "transcripts" / "codebook.csv"
SAMPLE_SURVEY = ROOT / "transcripts" / "survey" / "lo_enquete_qualtrics.csv"
SIZE_CLASSES = ["<20.000", "20.000-50.000", "50.000-100.000", ">100.000", "G4"]
PROVINCES = [
    "Groningen",
    "Friesland",
    "Drenthe",
    "Overijssel",
    "Flevoland",
    "Gelderland",
    "Utrecht",
    "Noord-Holland",
    "Zuid-Holland",
    "Zeeland",
    "Noord-Brabant",
    "Limburg",
]
WORDS = [
    "wij",
    "hebben",
    "in",
    "de",
    "gemeente",
    "veel",
    "aandacht",
    "voor",
    "leren",
    "en",
    "ontwikkelen",
    "maar",
    "de",
    "krapte",
    "op",
    "arbeidsmarkt",
    "maakt",
    "het",
    "lastig",
    "digitalisering",
    "vraagt",
    "nieuwe",
    "vaardigheden",
    "van",
    "medewerkers",
    "leidinggevenden",
    "moeten",
    "coachen",
    "en",
    "het",
    "gesprek",
    "voeren",
    "over",
    "duurzame",
    "inzetbaarheid",
    "Omgevingswet",
    "informatieveiligheid",
    "phishing",
    "hybride",
    "werken",
    "samenwerking",
    "één",
    "café",
    "naïef",
    "overleg",
    "budget",
]


def make_transcript(words: int, seed: int = 3) -> str:
    """Speaker turns of 40-160 words, sentences of 8-20 words, paragraphs separated by a blank line."""
    rng = random.Random(seed)
    turns: list[str] = []
    written = 0
    speaker = 0
    while written < words:
        n = min(rng.randint(40, 160), words - written)
        sentences, left = [], n
        while left > 0:
            k = min(rng.randint(8, 20), left)
            sentence = " ".join(rng.choice(WORDS) for _ in range(k))
            sentences.append(sentence[0].upper() + sentence[1:] + ".")
            left -= k
        turns.append(("Interviewer: " if speaker == 0 else "Respondent: ") + " ".join(sentences))
        written += n
        speaker = 1 - speaker
    return "\n\n".join(turns) + "\n"


def build_project(folder: Path, words: int, n_codings: int) -> tuple[Project, int, int]:
    """Project with the big transcript, a 20-code codebook, `n_codings` codings; and a 300k-char doc."""
    project = Project.open(folder / "bench.db", "bench")
    book = folder / "codebook.csv"
    with book.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["name", "parent", "description", "keywords"])
        writer.writerow(["Thema's", "", "", ""])
        for i in range(1, 21):
            writer.writerow([f"Thema {i:02d}", "Thema's", "", ""])
    codebook.import_codebook(project, book)
    big = folder / "interview_big.txt"
    text = make_transcript(words)
    big.write_text(text, encoding="utf-8")
    huge = folder / "interview_300k.txt"
    huge_text = make_transcript(60_000, seed=11)
    huge.write_text(huge_text[:300_000].rstrip() + "\n", encoding="utf-8")
    import_files(project, [big, huge])
    with project.read() as session:
        docs = {d.name: d.id for d in queries.document_summaries(session)}
    rng = random.Random(5)
    rows = folder / "codings.csv"
    seen = set()
    with rows.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["document", "code", "start", "end"])
        while len(seen) < n_codings:
            start = rng.randrange(0, len(text) - 200)
            end = start + rng.randint(5, 180)
            key = (start, end)
            if key in seen:
                continue
            seen.add(key)
            writer.writerow(["interview_big", f"Thema {rng.randint(1, 20):02d}", start, end])
    coding.import_codings(project, rows, coder="bench")
    return project, docs["interview_big"], docs["interview_300k"]


class PaintClock:
    """Records when the document view finished painting rows (wraps `render_lines`).

    `pilot.pause()` waits for the process to be idle in 20 ms steps, so timing around it
    measures the test harness; this clock measures when the text was really on screen.
    """

    def __init__(self) -> None:
        from lo_codebook.tui.widgets.document_view import DocumentView

        self.painted: list[float] = []
        original = DocumentView.render_lines
        clock = self

        def render_lines(view, crop):  # type: ignore[no-untyped-def]
            strips = original(view, crop)
            if view.detail is not None:
                clock.painted.append(time.perf_counter())
            return strips

        DocumentView.render_lines = render_lines  # type: ignore[method-assign]

    def first_after(self, moment: float) -> float:
        later = [t for t in self.painted if t >= moment]
        assert later, "nothing painted"
        return later[0] - moment


async def first_paint(project: Project, clock: PaintClock) -> float:
    """App start until the first document's text is painted (compose, mount, load, render)."""
    from lo_codebook.tui.app import CodebookApp

    started = time.perf_counter()
    app = CodebookApp(project, load_user_keymap=False, tune_gc=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        view = app.screen.view  # type: ignore[attr-defined]
        assert view.detail is not None and len(view.detail.codings) >= 2000, (
            "first document not shown"
        )
        app.exit()
    return clock.first_after(started)


async def interactive(
    project: Project, big_id: int, huge_id: int, runs: int, clock: PaintClock
) -> dict[str, list[float]]:
    from lo_codebook.db.models import Coding
    from lo_codebook.tui.app import CodebookApp

    timings: dict[str, list[float]] = {"open": [], "code_key": [], "page": [], "open_300k": []}
    app = CodebookApp(project, load_user_keymap=False, tune_gc=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        main = app.screen
        view = main.view  # type: ignore[attr-defined]
        for _ in range(runs):
            main.open_document(huge_id)  # type: ignore[attr-defined]
            await pilot.pause()
            started = time.perf_counter()
            main.open_document(big_id)  # type: ignore[attr-defined]
            await pilot.pause()
            timings["open"].append(clock.first_after(started))
        # code key: select a word, press 1 (recent code) -> stored row + highlighted span
        app.recent_codes = [main.codes[1].id]  # type: ignore[attr-defined]
        text = view.source
        rng = random.Random(9)
        for _ in range(max(runs * 4, 20)):
            start = rng.randrange(0, len(text) - 50)
            while not text[start].isalpha() or text[start - 1].isalpha():
                start += 1
            end = start
            while text[end].isalpha():
                end += 1
            view.select_span(start, end)
            await pilot.pause()
            started = time.perf_counter()
            await pilot.press("1")
            await pilot.pause()
            elapsed = clock.first_after(started)
            with project.read() as session:
                stored = (
                    session.query(Coding)
                    .filter_by(document_id=big_id, start=start, end=end)
                    .count()
                )
            row, column = view.index.location(start)
            painted = any(
                s.start <= column < s.end and s.style.bgcolor for s in view.get_line(row).spans
            )
            assert stored == 1 and painted, (stored, painted)
            timings["code_key"].append(elapsed)
        # scrolling: 100 pages down from the top, each page painted
        view.select_span(0, 0)
        view.focus()
        await pilot.pause()
        for _ in range(100):
            started = time.perf_counter()
            await pilot.press("pagedown")
            await pilot.pause()
            timings["page"].append(clock.first_after(started))
        # 300,000 characters open whole
        for _ in range(runs):
            main.open_document(big_id)  # type: ignore[attr-defined]
            await pilot.pause()
            started = time.perf_counter()
            main.open_document(huge_id)  # type: ignore[attr-defined]
            await pilot.pause()
            timings["open_300k"].append(clock.first_after(started))
        # the whole text is in the one TextArea: every row maps to the source, the last one to its end
        assert len(view.source) >= 299_000
        assert view.document.line_count == len(view.index)
        assert view.index.offset((len(view.index) - 1, 10**9)) == len(view.source)
        view.select_span(len(view.source) - 5, len(view.source) - 1)
        await pilot.pause()
        assert view.scroll_y > 0, "the end of the 300k document is reachable"
        app.exit()
    return timings


def ms(values: list[float]) -> float:
    return statistics.median(values) * 1000


# survey grid --------------------------------------------------------------------------------------
def build_sample_survey(folder: Path) -> Project:
    """The bundled sample: `codebook import` + `import-survey ... --attr-col Q2=size_class`."""
    from lo_codebook.core.importing import import_survey

    project = Project.open(folder / "sample.db", "bench")
    codebook.import_codebook(project, SAMPLE_CODEBOOK)
    import_survey(
        project, SAMPLE_SURVEY, id_col="ResponseId", text_cols=["Q4"], attr_cols=["Q2=size_class"]
    )
    return project


def build_big_survey(folder: Path, answers: int, seed: int = 17) -> Project:
    """`answers` generated answers (5-60 words) with size class and province, the study's
    codebook, about 1.5 whole-answer codings per answer and 3,000 pending suggestions."""
    from lo_codebook.core.importing import import_survey
    from lo_codebook.db.models import Suggestion

    rng = random.Random(seed)
    survey = folder / "big_survey.csv"
    with survey.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "size_class", "province", "answer"])
        for i in range(answers):
            words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(5, 60)))
            writer.writerow(
                [
                    f"R_{i:06d}",
                    rng.choice(SIZE_CLASSES),
                    rng.choice(PROVINCES),
                    words.capitalize() + ".",
                ]
            )
    project = Project.open(folder / "big.db", "bench")
    codebook.import_codebook(project, SAMPLE_CODEBOOK)
    import_survey(
        project, survey, id_col="id", text_cols=["answer"], attr_cols=["size_class", "province"]
    )
    with project.read() as session:
        themes = [c.name for c in queries.codebook_tree(session) if c.parent_id is not None]
        docs = [d.id for d in queries.document_summaries(session)]
    rows = folder / "big_codings.csv"
    with rows.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["document", "code"])
        for i in range(answers):
            for theme in rng.sample(themes, rng.choice((0, 1, 1, 2, 2, 3))):
                writer.writerow([f"R_{i:06d}", theme])
    coding.import_codings(project, rows, coder="bench")
    with project.read() as session:
        code_ids = [c.id for c in queries.codebook_tree(session) if c.parent_id is not None]
    with project.write("seed-suggestions", undoable=False) as unit:
        for doc_id in rng.sample(docs, min(3000, len(docs))):
            unit.session.add(
                Suggestion(
                    document_id=doc_id,
                    code_id=rng.choice(code_ids),
                    start=0,
                    end=3,
                    score=80.0,
                    method="keyword",
                    status="pending",
                )
            )
    return project


class GridClock:
    """When the survey grid finished painting rows (wraps `AnswerGrid.render_lines`)."""

    def __init__(self) -> None:
        from lo_codebook.tui.widgets.answer_grid import AnswerGrid

        self.painted: list[float] = []
        original = AnswerGrid.render_lines
        clock = self

        def render_lines(grid, crop):  # type: ignore[no-untyped-def]
            strips = original(grid, crop)
            if grid.ids:
                clock.painted.append(time.perf_counter())
            return strips

        AnswerGrid.render_lines = render_lines  # type: ignore[method-assign]

    def first_after(self, moment: float) -> float:
        later = [t for t in self.painted if t >= moment]
        assert later, "nothing painted"
        return later[0] - moment


async def grid_first_open(project: Project, clock: GridClock) -> float:
    """A fresh app: g until the grid's rows are painted (the screen is built and mounted)."""
    from lo_codebook.tui.app import CodebookApp
    from lo_codebook.tui.screens.grid import GridScreen

    app = CodebookApp(project, load_user_keymap=False, tune_gc=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        started = time.perf_counter()
        await pilot.press("g")
        await pilot.pause()
        assert isinstance(app.screen, GridScreen)
        app.exit()
    return clock.first_after(started)


async def grid_session(project: Project, runs: int, clock: GridClock) -> dict[str, list[float]]:
    """Open the grid again (g after esc), move a row (down), a page (pagedown), toggle a theme (1)."""
    from lo_codebook.db.models import Coder, Coding
    from lo_codebook.tui.app import CodebookApp
    from lo_codebook.tui.screens.grid import GridScreen

    timings: dict[str, list[float]] = {"open": [], "row": [], "page": [], "toggle": []}
    app = CodebookApp(project, load_user_keymap=False, tune_gc=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("g")
        await pilot.pause()
        for _ in range(runs):
            await pilot.press("escape")
            await pilot.pause()
            started = time.perf_counter()
            await pilot.press("g")
            await pilot.pause()
            timings["open"].append(clock.first_after(started))
            assert isinstance(app.screen, GridScreen)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("g")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, GridScreen)
        table = screen.grid
        for _ in range(min(100, len(table.ids) - 1)):
            started = time.perf_counter()
            await pilot.press("down")
            await pilot.pause()
            timings["row"].append(clock.first_after(started))
        await pilot.press("home")
        await pilot.pause()
        for _ in range(min(50, max(len(table.ids) // 40 - 1, 1))):
            started = time.perf_counter()
            await pilot.press("pagedown")
            await pilot.pause()
            timings["page"].append(clock.first_after(started))
        theme = screen.keys[0]
        for _ in range(max(runs * 4, 20)):
            await pilot.press("down")
            await pilot.pause()
            document_id = table.current_id
            started = time.perf_counter()
            await pilot.press("1")
            await pilot.pause()
            timings["toggle"].append(clock.first_after(started))
            with project.read() as session:
                stored = (
                    session.query(Coding)
                    .join(Coder, Coder.id == Coding.coder_id)
                    .filter(
                        Coding.document_id == document_id,
                        Coding.code_id == theme,
                        Coder.name == "bench",
                    )
                    .count()
                )
            row = table.current_row
            assert row is not None and (theme in row.codes) == bool(stored), (stored, row.codes)
        app.exit()
    return timings


def run_grid(args: argparse.Namespace, tmp: Path) -> list[tuple[str, float, int | None]]:
    results: list[tuple[str, float, int | None]] = []
    clock = GridClock()
    for label, build in (
        ("sample survey", lambda: build_sample_survey(tmp)),
        (f"{args.answers:,} answers", lambda: build_big_survey(tmp, args.answers)),
    ):
        started = time.perf_counter()
        project = build()
        with project.read() as session:
            answers = queries.status_counts(session)["documents"]
        print(
            f"setup: grid on the {label} ({answers:,} answers, {time.perf_counter() - started:.1f} s)"
        )
        first = [asyncio.run(grid_first_open(project, clock)) for _ in range(args.runs)]
        timings = asyncio.run(grid_session(project, args.runs, clock))
        project.close()
        results += [
            (f"grid first open ({label})", ms(first), None),
            (f"grid open again ({label})", ms(timings["open"]), None),
            (f"grid scroll one row ({label})", ms(timings["row"]), GRID_KEY_MS),
            (f"grid scroll one page ({label})", ms(timings["page"]), GRID_KEY_MS),
            (f"grid toggle key -> stored + row ({label})", ms(timings["toggle"]), GRID_KEY_MS),
        ]
    return results


# coded retrieval ----------------------------------------------------------------------------------
RETRIEVED_CODE = "Arbeidsmarkt"


def build_retrieval_project(folder: Path, segments: int, words: int, seed: int = 23) -> Project:
    """The study's codebook, 2,000 generated answers (with size class) and a `words`-word
    transcript; `segments` codings of one code (half whole answers, half transcript spans)
    and 2,000 codings of the other themes around them."""
    from lo_codebook.core.importing import import_survey

    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    survey = folder / "answers.csv"
    with survey.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "size_class", "answer"])
        for i in range(2000):
            text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(5, 60)))
            writer.writerow([f"R_{i:05d}", rng.choice(SIZE_CLASSES), text.capitalize() + "."])
    transcript = folder / "interview_retrieval.txt"
    text = make_transcript(words, seed=seed)
    transcript.write_text(text, encoding="utf-8")
    project = Project.open(folder / "retrieval.db", "bench")
    codebook.import_codebook(project, SAMPLE_CODEBOOK)
    import_survey(project, survey, id_col="id", text_cols=["answer"], attr_cols=["size_class"])
    import_files(project, [transcript], case="Dijkhaven", attributes={"size_class": "G4"})
    with project.read() as session:
        themes = [
            c.name
            for c in queries.codebook_tree(session)
            if c.parent_id is not None and c.name != RETRIEVED_CODE
        ]
    rows = folder / "retrieval_codings.csv"
    spans: set[tuple[int, int]] = set()
    with rows.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["document", "code", "start", "end"])
        for i in rng.sample(range(2000), segments // 2):
            writer.writerow([f"R_{i:05d}", RETRIEVED_CODE, "", ""])
        while len(spans) < segments - segments // 2:
            start = rng.randrange(0, len(text) - 300)
            spans.add((start, start + rng.randint(20, 280)))
        for start, end in sorted(spans):
            writer.writerow(["interview_retrieval", RETRIEVED_CODE, start, end])
        for i in range(2000):
            writer.writerow([f"R_{rng.randrange(2000):05d}", themes[i % len(themes)], "", ""])
    coding.import_codings(project, rows, coder="bench")
    return project


def baseline_select(project: Project, code_id: int, *, text: bool) -> list[tuple]:
    """The same rows with a plain SQL select through the DBAPI cursor (no context, no
    attributes): with `text`, the coded text too (`substr` of the document in SQL)."""
    coded = ', substr(d.text, c.start + 1, c."end" - c.start)' if text else ""
    with project.read() as session:
        cursor = session.connection().connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        try:
            cursor.execute(
                f'SELECT c.id, d.name, k.name, o.name, r.name, c.start, c."end"{coded} '
                "FROM coding c JOIN document d ON d.id = c.document_id LEFT JOIN cases k ON k.id = d.case_id "
                "JOIN code o ON o.id = c.code_id JOIN coder r ON r.id = c.coder_id "
                'WHERE c.code_id = ? ORDER BY c.document_id, c.start, c."end"',
                (code_id,),
            )
            return cursor.fetchall()
        finally:
            cursor.close()


class ListClock:
    """When the coded-segments list finished painting rows (wraps `PassageList.render_lines`)."""

    def __init__(self) -> None:
        from lo_codebook.tui.widgets.passage_list import PassageList

        self.painted: list[float] = []
        original = PassageList.render_lines
        clock = self

        def render_lines(widget, crop):  # type: ignore[no-untyped-def]
            strips = original(widget, crop)
            if widget.id == "retrieval-list" and widget.count:
                clock.painted.append(time.perf_counter())
            return strips

        PassageList.render_lines = render_lines  # type: ignore[method-assign]

    def first_after(self, moment: float) -> float:
        later = [t for t in self.painted if t >= moment]
        assert later, "nothing painted"
        return later[0] - moment


async def retrieval_screen(
    project: Project, code_id: int, segments: int, runs: int, clock: ListClock
) -> list[float]:
    """Q (the code highlighted in the codebook) until the list of segments is painted: the
    first time (the screen is built) and `runs` times again (after esc)."""
    from lo_codebook.tui.app import CodebookApp
    from lo_codebook.tui.screens.retrieval import RetrievalScreen

    timings: list[float] = []
    app = CodebookApp(project, load_user_keymap=False, tune_gc=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        main = app.screen
        main.tree.select_code(code_id)  # type: ignore[attr-defined]
        await pilot.pause()
        for _ in range(runs + 1):
            started = time.perf_counter()
            await pilot.press("Q")
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, RetrievalScreen) and screen.listing.count == segments
            timings.append(clock.first_after(started))
            await pilot.press("escape")
            await pilot.pause()
        app.exit()
    return timings


def run_retrieval(args: argparse.Namespace, tmp: Path) -> list[tuple[str, float, int | None]]:
    from sqlalchemy import select

    from lo_codebook.core.retrieval import retrieve_segments
    from lo_codebook.db.models import Code

    started = time.perf_counter()
    project = build_retrieval_project(tmp / "retrieval", args.segments, args.words)
    with project.read() as session:
        code_id = session.scalar(select(Code.id).where(Code.name == RETRIEVED_CODE))
    assert code_id is not None
    print(
        f"setup: {args.segments} segments of {RETRIEVED_CODE!r} among "
        f"{args.segments + 2000:,} codings ({time.perf_counter() - started:.1f} s)"
    )
    retrieve_segments(project, RETRIEVED_CODE, coder="all")  # warm: imports, first connection
    core: list[float] = []
    plain: list[float] = []
    plain_text: list[float] = []
    for _ in range(max(args.runs * 4, 20)):
        begin = time.perf_counter()
        result = retrieve_segments(project, RETRIEVED_CODE, coder="all")
        core.append(time.perf_counter() - begin)
        begin = time.perf_counter()
        rows = baseline_select(project, code_id, text=False)
        plain.append(time.perf_counter() - begin)
        begin = time.perf_counter()
        with_text = baseline_select(project, code_id, text=True)
        plain_text.append(time.perf_counter() - begin)
        assert len(result.segments) == len(rows) == args.segments, (len(result.segments), len(rows))
        assert [s.text for s in result.segments] == [r[7] for r in with_text]
    clock = ListClock()
    screen = asyncio.run(retrieval_screen(project, code_id, args.segments, args.runs, clock))
    project.close()
    for label, base in (
        ("the rows without text", plain),
        ("the rows with the coded text (SQL substr)", plain_text),
    ):
        print(
            f"retrieval: core / plain SQL select of {label} = {statistics.median(core) / statistics.median(base):.2f}x"
        )
    return [
        (f"retrieve {args.segments} segments (core, with context)", ms(core), RETRIEVAL_MS),
        (f"baseline: plain SQL select of the {args.segments} rows", ms(plain), None),
        ("baseline: the same with the coded text (SQL substr)", ms(plain_text), None),
        (
            f"coded-segments screen first open: Q -> {args.segments} listed",
            screen[0] * 1000,
            RETRIEVAL_MS,
        ),
        (f"coded-segments screen again: Q -> {args.segments} listed", ms(screen[1:]), RETRIEVAL_MS),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--words", type=int, default=50_000)
    parser.add_argument("--codings", type=int, default=2_000)
    parser.add_argument(
        "--answers", type=int, default=10_000, help="answers in the generated grid project"
    )
    parser.add_argument(
        "--segments", type=int, default=500, help="segments of one code in the retrieval part"
    )
    parser.add_argument(
        "--only", choices=("document", "grid", "retrieval"), help="run one part only"
    )
    args = parser.parse_args()
    results: list[tuple[str, float, int | None]] = []
    with tempfile.TemporaryDirectory() as tmp:
        import lo_codebook.core.themes_service  # noqa: F401  (the app warms this up after 0.8 s)

        if args.only in (None, "document"):
            started = time.perf_counter()
            project, big_id, huge_id = build_project(Path(tmp), args.words, args.codings)
            print(
                f"setup: {args.words:,}-word transcript, {args.codings:,} codings, 300k-char document "
                f"({time.perf_counter() - started:.1f} s)"
            )
            clock = PaintClock()
            paints = [asyncio.run(first_paint(project, clock)) for _ in range(args.runs)]
            timings = asyncio.run(interactive(project, big_id, huge_id, args.runs, clock))
            project.close()
            results += [
                ("first paint (app start -> document painted)", ms(paints), FIRST_PAINT_MS),
                ("open 50k-word document (with 2,000 codings)", ms(timings["open"]), None),
                ("code key -> stored row + highlighted span", ms(timings["code_key"]), CODE_KEY_MS),
                ("scroll one page (median of 100 pages)", ms(timings["page"]), None),
                (
                    "scroll 100 pages (total, key to painted page)",
                    sum(timings["page"]) * 1000,
                    None,
                ),
                ("open 300,000-character document, whole", ms(timings["open_300k"]), None),
            ]
        if args.only in (None, "grid"):
            results += run_grid(args, Path(tmp))
        if args.only in (None, "retrieval"):
            results += run_retrieval(args, Path(tmp))
    failed = False
    for label, value, budget in results:
        verdict = ""
        if budget is not None:
            ok = value < budget
            failed |= not ok
            verdict = f"  (target < {budget} ms: {'ok' if ok else 'MISSED'})"
        print(f"{label:<52} {value:8.1f} ms{verdict}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
