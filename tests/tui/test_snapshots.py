"""Snapshots of each main screen at 160x48 on the deterministic sample project.

Update after an intended change with `pytest tests/tui --snapshot-update` and review the SVGs.
"""

from __future__ import annotations

from textual.pilot import Pilot

from lo_codebook.tui.app import CodebookApp
from lo_codebook.tui.screens.main import MainScreen

from .conftest import Sample
from .pilot import SIZE, steady


def test_main_screen(sample: Sample, snap_compare) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot: Pilot) -> None:
        await pilot.pause()
        main = pilot.app.screen
        assert isinstance(main, MainScreen)
        text = sample.text("interview_a")
        start = text.index("We werken")
        main.view.select_span(start, start + len("We werken nu hybride"))
        await steady(pilot)

    assert snap_compare(CodebookApp(sample.project), terminal_size=SIZE, run_before=run_before)


def test_code_picker(sample: Sample, snap_compare) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot: Pilot) -> None:
        await pilot.pause()
        main = pilot.app.screen
        assert isinstance(main, MainScreen)
        text = sample.text("interview_a")
        start = text.index("hybride")
        main.view.select_span(start, start + len("hybride"))
        await pilot.press("c", *"hyb")
        await steady(pilot)

    assert snap_compare(CodebookApp(sample.project), terminal_size=SIZE, run_before=run_before)


def test_review_queue(sample: Sample, snap_compare) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot: Pilot) -> None:
        await pilot.pause()
        await pilot.press("R", "s")
        await steady(pilot)

    assert snap_compare(CodebookApp(sample.project), terminal_size=SIZE, run_before=run_before)


def test_themes_screen(sample: Sample, snap_compare) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot: Pilot) -> None:
        await pilot.pause()
        await pilot.press("T")
        await steady(pilot)
        await pilot.press("ctrl+t", "0")
        await steady(pilot)
        pilot.app.screen.query_one("#by").value = "size_class"
        await steady(pilot)

    assert snap_compare(CodebookApp(sample.project), terminal_size=SIZE, run_before=run_before)


def test_help_screen(sample: Sample, snap_compare) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot: Pilot) -> None:
        await pilot.pause()
        await pilot.press("f1")
        await steady(pilot)

    assert snap_compare(CodebookApp(sample.project), terminal_size=SIZE, run_before=run_before)


def test_delete_confirmation(sample: Sample, snap_compare) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot: Pilot) -> None:
        await pilot.pause()
        main = pilot.app.screen
        assert isinstance(main, MainScreen)
        main.tree.focus()
        main.tree.select_code(sample.codes["Digitalisering"])
        await pilot.pause()
        await pilot.press("delete")
        await steady(pilot)

    assert snap_compare(CodebookApp(sample.project), terminal_size=SIZE, run_before=run_before)


def test_agreement_screen(sample: Sample, snap_compare) -> None:  # type: ignore[no-untyped-def]
    from .conftest import add_second_coder

    add_second_coder(sample)

    async def run_before(pilot: Pilot) -> None:
        await pilot.pause()
        await pilot.press("G")
        await steady(pilot)

    assert snap_compare(CodebookApp(sample.project), terminal_size=SIZE, run_before=run_before)


def test_grid_screen(tmp_path, monkeypatch, snap_compare) -> None:  # type: ignore[no-untyped-def]
    """The survey grid on the bundled survey: chips, a pending suggestion, the detail pane."""
    from lo_codebook.core import coding, grid

    from .test_grid import build_survey, code_id, seed_pending

    monkeypatch.setenv("LO_CODEBOOK_KEYMAP", "/nonexistent/lo-codebook/keymap.toml")
    monkeypatch.chdir(tmp_path)
    project = build_survey(tmp_path)
    with project.read() as session:
        ids = grid.answer_ids(session, "tester")
    for index, names in (
        (0, ("Omgevingswet", "Digitalisering", "Samenwerken")),
        (2, ("Omgevingswet", "Wet open overheid")),
        (3, ("Arbeidsmarkt",)),
    ):
        for name in names:
            coding.toggle_whole_document_coding(project, ids[index], code_id(project, name))
    seed_pending(project, [(ids[4], "Strategische personeelsplanning")])

    async def run_before(pilot: Pilot) -> None:
        await pilot.pause()
        await pilot.press("g", "down", "down", "4")
        await steady(pilot)

    try:
        assert snap_compare(CodebookApp(project), terminal_size=SIZE, run_before=run_before)
    finally:
        project.close()


def test_memos_screen(sample: Sample, snap_compare) -> None:  # type: ignore[no-untyped-def]
    """The memo overview: every kind of memo with what it is about, the detail below."""
    from sqlalchemy import select

    from lo_codebook.core import memos
    from lo_codebook.db.models import Coding

    project = sample.project
    memos.add_memo(project, memos.PROJECT, "Onderzoeksvraag: welke L&O-thema's spelen er?")
    memos.add_memo(
        project,
        memos.MemoTarget("document", sample.docs["interview_b"]),
        "Respondent twijfelt\nover het opleidingsplan.",
    )
    memos.add_memo(
        project,
        memos.MemoTarget("code", sample.codes["Arbeidsmarkt"]),
        "Krapte en werving tellen mee.",
    )
    with project.read() as session:
        start = sample.text("interview_a").index("krapte")
        coding_id = session.scalar(
            select(Coding.id).where(
                Coding.document_id == sample.docs["interview_a"], Coding.start == start
            )
        )
    memos.add_memo(
        project, memos.MemoTarget("coding", coding_id), "Gaat over vacatures, niet over werkdruk."
    )

    async def run_before(pilot: Pilot) -> None:
        await pilot.pause()
        await pilot.press("O")
        await steady(pilot)
        await pilot.press("down")
        await steady(pilot)

    assert snap_compare(CodebookApp(sample.project), terminal_size=SIZE, run_before=run_before)
