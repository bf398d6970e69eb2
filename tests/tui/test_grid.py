"""The survey grid on the bundled sample survey (133 respondents; the answers to Q4).

The project is built with the real commands (`codebook import`, `import-survey ... --attr-col
Q2=size_class`); the tests press keys and check both the screen and the database: codings of
the current coder over the whole answer, and undo taking them back.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select
from textual.pilot import Pilot
from textual.widgets import Select, Static

from lo_codebook.core import grid, queries
from lo_codebook.core.project import Project
from lo_codebook.db.models import CaseAttribute, Code, Coder, Coding, Document, Suggestion
from lo_codebook.tui.app import CodebookApp
from lo_codebook.tui.screens.grid import GridScreen
from lo_codebook.tui.screens.main import MainScreen
from lo_codebook.tui.screens.modals import CodePicker

from ..conftest import run_cli
from .conftest import CODER
from .pilot import SIZE

ROOT = Path(__file__).resolve().parents[2]
CODEBOOK_CSV = ROOT / "transcripts" / "codebook.csv"
SURVEY_CSV = ROOT / "transcripts" / "survey" / "lo_enquete_qualtrics.csv"
pytestmark = pytest.mark.anyio


def build_survey(tmp_path: Path) -> Project:
    env = {"LO_CODEBOOK_DB": str(tmp_path / "study.db"), "LO_CODEBOOK_CODER": CODER}
    for args in (
        ("codebook", "import", CODEBOOK_CSV),
        (
            "import-survey",
            SURVEY_CSV,
            "--id-col",
            "ResponseId",
            "--text-col",
            "Q4",
            "--attr-col",
            "Q2=size_class",
        ),
    ):
        result = run_cli(*args, env=env)
        assert result.code == 0, result.err
    return Project.open(tmp_path / "study.db", CODER)


@pytest.fixture
def survey(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Project]:
    monkeypatch.setenv("LO_CODEBOOK_KEYMAP", "/nonexistent/lo-codebook/keymap.toml")
    monkeypatch.chdir(tmp_path)
    project = build_survey(tmp_path)
    yield project
    project.close()


def code_id(project: Project, name: str) -> int:
    with project.read() as session:
        found = session.scalar(select(Code.id).where(Code.name == name))
    assert found is not None, name
    return int(found)


def my_codings(project: Project, document_id: int) -> list[tuple[str, int, int]]:
    """(code, start, end) of the tester's codings of one answer."""
    with project.read() as session:
        rows = session.execute(
            select(Code.name, Coding.start, Coding.end)
            .join(Code, Code.id == Coding.code_id)
            .join(Coder, Coder.id == Coding.coder_id)
            .where(Coding.document_id == document_id, Coder.name == CODER)
            .order_by(Coding.id)
        ).all()
    return [(name, start, end) for name, start, end in rows]


def answer_text(project: Project, document_id: int) -> str:
    with project.read() as session:
        return str(session.scalar(select(Document.text).where(Document.id == document_id)))


def seed_pending(project: Project, pairs: list[tuple[int, str]]) -> None:
    """Pending suggestions (as the engine stores them) without running the engine."""
    with project.write("seed-suggestions", undoable=False) as unit:
        for document_id, code in pairs:
            text = answer_text(project, document_id)
            unit.session.add(
                Suggestion(
                    document_id=document_id,
                    code_id=code_id(project, code),
                    start=0,
                    end=min(len(text), 12),
                    score=88.0,
                    method="keyword",
                    evidence="keyword",
                    pattern="",
                    status="pending",
                )
            )


async def open_grid(pilot: Pilot) -> GridScreen:
    await pilot.pause()
    await pilot.press("g")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, GridScreen)
    return screen


def shown(screen: GridScreen, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


async def test_grid_filter_toggle_with_keys_and_undo(survey: Project) -> None:
    with survey.read() as session:
        total = int(session.scalar(select(func.count()).where(Document.kind == "survey")) or 0)
        small = set(
            session.scalars(
                select(Document.id)
                .join(CaseAttribute, CaseAttribute.case_id == Document.case_id)
                .where(CaseAttribute.key == "size_class", CaseAttribute.value == "<20.000")
            )
        )
        values = queries.attribute_values(session)["size_class"]
    assert total >= 130 and 20 < len(small) < total
    app = CodebookApp(survey)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_grid(pilot)
        assert len(screen.grid.ids) == total
        assert f"{total} answers" in shown(screen, "#grid-count")
        header = screen.grid.render_line(0).text
        for title in ("Respondent", "size_class", "Answer", "Your codes"):
            assert title in header
        # filter by attribute with the keyboard: f focuses the filter, enter opens it
        await pilot.press("f", "enter")
        await pilot.pause()
        await pilot.press(*["down"] * (values.index("<20.000") + 1), "enter")
        await pilot.pause()
        assert screen.query_one("#grid-attribute", Select).value == ("size_class", "<20.000")
        assert set(screen.grid.ids) == small
        assert f"{len(small)} of {total} answers" in shown(screen, "#grid-count")
        assert all("<20.000" in screen.grid.row_text(i) for i in range(5))
        assert screen.grid.has_focus  # back on the rows after choosing a filter
        # "no code yet": nothing is coded, so the same rows
        await pilot.press("n")
        await pilot.pause()
        assert screen.filter.status == grid.UNCODED and set(screen.grid.ids) == small
        # the third row: 1 toggles the first theme on the whole answer
        await pilot.press("down", "down")
        await pilot.pause()
        target = screen.grid.current_id
        assert target is not None and screen.grid.cursor == 2
        text = answer_text(survey, target)
        assert text.strip() in shown(screen, "#grid-detail")  # the whole answer under the grid
        first_theme = screen.codes_by_id[screen.keys[0]].name
        assert first_theme == "Omgevingswet"  # the codebook's first theme
        third_theme = screen.codes_by_id[screen.keys[2]].name
        await pilot.press("1")
        await pilot.pause()
        assert my_codings(survey, target) == [(first_theme, 0, len(text))]
        assert "1·Omgevingswet" in screen.grid.row_text(2)
        assert target in screen.grid.ids  # coded rows stay until the filters change
        # 3 on, 3 off again
        await pilot.press("3")
        await pilot.pause()
        assert [c[0] for c in my_codings(survey, target)] == [first_theme, third_theme]
        assert "3·" in screen.grid.row_text(2)
        await pilot.press("3")
        await pilot.pause()
        assert [c[0] for c in my_codings(survey, target)] == [first_theme]
        assert "3·" not in screen.grid.row_text(2)
        # c: any code, searched by name
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, CodePicker)
        await pilot.press(*"wendb", "enter")
        await pilot.pause()
        assert app.screen is screen
        assert [c[0] for c in my_codings(survey, target)] == [first_theme, "Wendbaarheid"]
        assert "Wendbaarheid" in screen.grid.row_text(2) and "Wendbaarheid" in shown(
            screen, "#grid-detail"
        )
        # undo: the last toggle first, each one in turn
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert [c[0] for c in my_codings(survey, target)] == [first_theme]
        assert "Wendbaarheid" not in screen.grid.row_text(2)
        await pilot.press("ctrl+z")  # undoes "3 off": the code is back
        await pilot.pause()
        assert [c[0] for c in my_codings(survey, target)] == [first_theme, third_theme]
        await pilot.press("ctrl+z", "ctrl+z")
        await pilot.pause()
        assert my_codings(survey, target) == []
        assert "·" not in screen.grid.row_text(2)
        assert screen.grid.current_id == target  # the cursor stays on the answer
        # code it again, then apply "no code yet" afresh: the coded answer leaves the list
        await pilot.press("2")
        await pilot.pause()
        assert len(my_codings(survey, target)) == 1
        await pilot.press("n", "n")
        await pilot.pause()
        assert screen.filter.status == grid.UNCODED
        assert target not in screen.grid.ids and len(screen.grid.ids) == len(small) - 1
        # clear every filter
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert len(screen.grid.ids) == total and screen.filter == grid.GridFilter()


async def test_grid_pending_filter_and_accept(survey: Project) -> None:
    with survey.read() as session:
        ids = grid.answer_ids(session, CODER)
    seed_pending(
        survey, [(ids[5], "Leiderschap"), (ids[9], "Samenwerken"), (ids[9], "Arbeidsmarkt")]
    )
    app = CodebookApp(survey)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_grid(pilot)
        assert screen.grid.row_text(9).rstrip().endswith(" 2")  # two codes suggested
        await pilot.press("s")
        await pilot.pause()
        assert screen.filter.status == grid.PENDING
        assert screen.grid.ids == [ids[5], ids[9]]
        await pilot.press("down")
        await pilot.pause()
        assert "suggested" in shown(screen, "#grid-detail")
        await pilot.press("a")
        await pilot.pause()
        assert sorted(c[0] for c in my_codings(survey, ids[9])) == ["Arbeidsmarkt", "Samenwerken"]
        with survey.read() as session:
            statuses = set(
                session.scalars(select(Suggestion.status).where(Suggestion.document_id == ids[9]))
            )
        assert statuses == {"accepted"}
        assert not screen.grid.row_text(1).rstrip().endswith(
            " 2"
        ) and "Samenwerken" in screen.grid.row_text(1)
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert my_codings(survey, ids[9]) == []
        assert screen.grid.row_text(1).rstrip().endswith(" 2")


async def test_grid_code_filter_pins_and_open_in_text(survey: Project) -> None:
    with survey.read() as session:
        ids = grid.answer_ids(session, CODER)
    app = CodebookApp(survey)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_grid(pilot)
        # pin a code: keys 1-9 now toggle the pinned codes
        await pilot.press("p")
        await pilot.pause()
        await pilot.press(*"samenw", "enter")
        await pilot.pause()
        assert screen.pinned and screen.keys == [code_id(survey, "Samenwerken")]
        assert "pinned" in shown(screen, "#grid-keys")
        await pilot.press("end", "1")
        await pilot.pause()
        assert screen.grid.cursor == len(ids) - 1
        assert [c[0] for c in my_codings(survey, ids[-1])] == ["Samenwerken"]
        await pilot.press("2")  # nothing on key 2: a warning, no coding
        await pilot.pause()
        assert any("no theme on key 2" in n.message for n in app._notifications)
        # filter by code (a category stands for its themes)
        screen.query_one("#grid-code", Select).value = code_id(
            survey, "Vaardigheden van de medewerker"
        )
        await pilot.pause()
        assert screen.grid.ids == [ids[-1]]
        # back to the first nine themes
        await pilot.press("P")
        await pilot.pause()
        assert not screen.pinned and len(screen.keys) == 9
        # open the answer in the document view; the main screen catches up on what changed
        await pilot.press("o")
        await pilot.pause()
        main = app.screen
        assert isinstance(main, MainScreen) and main.document_id == ids[-1]
        await pilot.pause()
        listed = next(d for d in main.documents.documents if d.id == ids[-1])
        assert listed.codings == 1
    # pins are kept in the project, per coder
    with survey.read() as session:
        assert grid.pinned_codes(session, CODER) == []


async def test_grid_from_palette_and_empty_project(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LO_CODEBOOK_KEYMAP", "/nonexistent/lo-codebook/keymap.toml")
    project = Project.open(tmp_path / "empty.db", CODER)
    app = CodebookApp(project)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            await pilot.press("ctrl+p")
            await pilot.pause()
            await pilot.press(*"survey grid")
            await pilot.pause(0.3)
            await pilot.press("enter")
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, GridScreen)
            assert "No survey answers" in shown(screen, "#grid-detail")
            await pilot.press("1", "c", "a", "down", "end", "o")
            await pilot.pause()
            assert app.is_running and app.screen is screen
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(app.screen, MainScreen)
    finally:
        project.close()


async def test_grid_reads_only_visible_rows_and_a_toggle_reads_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """2,000 answers: opening reads a window, scrolling to the end another, a toggle one row."""
    monkeypatch.setenv("LO_CODEBOOK_KEYMAP", "/nonexistent/lo-codebook/keymap.toml")
    path = tmp_path / "big.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "size", "answer"])
        for i in range(2000):
            writer.writerow(
                [
                    f"R{i:05d}",
                    ("<20.000", "G4")[i % 2],
                    f"antwoord {i} over digitalisering en leiderschap",
                ]
            )
    env = {"LO_CODEBOOK_DB": str(tmp_path / "big.db"), "LO_CODEBOOK_CODER": CODER}
    assert run_cli("codebook", "import", CODEBOOK_CSV, env=env).code == 0
    assert (
        run_cli(
            "import-survey",
            path,
            "--id-col",
            "id",
            "--text-col",
            "answer",
            "--attr-col",
            "size=size_class",
            env=env,
        ).code
        == 0
    )
    project = Project.open(tmp_path / "big.db", CODER)
    app = CodebookApp(project)
    try:
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_grid(pilot)
            table = screen.grid
            assert len(table.ids) == 2000
            assert len(table.rows) <= 150  # a window, not 2,000 rows
            await pilot.press("end")
            await pilot.pause()
            assert table.cursor == 1999 and "R01999" in table.row_text(1999)
            assert len(table.rows) <= 300
            loads, cached = table.loads, dict(table.rows)
            await pilot.press("1")
            await pilot.pause()
            assert table.loads == loads + 1  # one row read again
            changed = [doc for doc, row in table.rows.items() if cached.get(doc) != row]
            assert changed == [table.ids[1999]]
            assert "1·Omgevingswet" in table.row_text(1999)
            assert my_codings(project, table.ids[1999])[0][0] == "Omgevingswet"
    finally:
        project.close()


def test_chips_fit_the_column_and_count_the_rest() -> None:
    from rich.style import Style

    from lo_codebook.tui.widgets.answer_grid import CodeLook, chips, fit

    looks = {
        1: CodeLook("Omgevingswet", Style(), 1),
        2: CodeLook("Informatieveiligheid en privacy", Style()),
        3: CodeLook("Woo", Style(), 4),
    }
    assert looks[2].label == "Informatievei…" and looks[1].label == "1·Omgevingswet"
    texts = [text for text, _ in chips([1, 2, 3], looks, 60)]
    assert texts == [" 1·Omgevingswet ", " ", " Informatievei… ", " ", " 4·Woo "]
    assert "".join(t for t, _ in chips([1, 2, 3], looks, 30)) == " 1·Omgevingswet  +2 more"
    assert "".join(t for t, _ in chips([1, 2, 3], looks, 20)) == " 1·Omgevingswet  +2"
    assert "".join(t for t, _ in chips([9], looks, 20)) == ""  # a code deleted meanwhile
    assert fit("digitalisering", 8) == "digital…" and fit("AI", 4) == "AI  " and fit("x", 0) == ""


async def test_grid_reopens_as_left_and_catches_up(survey: Project) -> None:
    """g again shows the same grid (filter, cursor) with what changed meanwhile."""
    from lo_codebook.core import coding

    with survey.read() as session:
        ids = grid.answer_ids(session, CODER)
    app = CodebookApp(survey)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_grid(pilot)
        await pilot.press("n", "down", "down", "down")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        coding.toggle_whole_document_coding(
            survey, ids[3], code_id(survey, "Leiderschap")
        )  # coded elsewhere
        assert await open_grid(pilot) is screen
        assert screen.filter.status == grid.UNCODED and screen.grid.current_id == ids[3]
        await pilot.pause()
        assert "Leiderschap" in screen.grid.row_text(3) and "Leiderschap" in shown(
            screen, "#grid-detail"
        )


async def test_grid_mouse_and_narrow_terminal(survey: Project) -> None:
    from lo_codebook.tui.widgets.answer_grid import AnswerGrid

    with survey.read() as session:
        ids = grid.answer_ids(session, CODER)
    app = CodebookApp(survey)
    async with app.run_test(size=(90, 30)) as pilot:
        screen = await open_grid(pilot)
        await pilot.click(AnswerGrid, offset=(3, 4))  # line 0 is the header: row 3
        await pilot.pause()
        assert screen.grid.current_id == ids[3]
        assert answer_text(survey, ids[3]).strip()[:40] in shown(screen, "#grid-detail")
        header = screen.grid.render_line(0).text
        assert header.startswith(" Respondent") and "Answer" in header and "Your codes" in header
        assert len(header) == screen.grid.scrollable_content_region.width  # beside the scrollbar
        await pilot.press("1")
        await pilot.pause()
        assert "1·Omgevingswet" in screen.grid.row_text(3)
