"""Discover-themes and merge-codebook screens on a real project (the Qualtrics survey).

The project is built with the core API: the study codebook (`transcripts/codebook.csv`) and
the survey's open question Q4. The screens call `discover_service` and `core.merge` in
workers; the database must agree with what the user did, and undo/unmerge must restore it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest
from sqlalchemy import select
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Select, Switch

from lo_codebook.core import codebook
from lo_codebook.core.importing import import_survey
from lo_codebook.core.project import Project
from lo_codebook.db.models import Code
from lo_codebook.tui.app import CodebookApp
from lo_codebook.tui.screens.discover import AddCandidateDialog, DiscoverScreen, quote_text, shorten
from lo_codebook.tui.screens.main import MainScreen
from lo_codebook.tui.screens.merge import MergeScreen
from lo_codebook.tui.screens.modals import Confirm

from .conftest import CODER
from .pilot import SIZE, steady
from .pilot import drain as settle  # this file's settle(pilot) waits for chains of workers

ROOT = Path(__file__).resolve().parents[2]
CODEBOOK_CSV = ROOT / "transcripts" / "codebook.csv"
SURVEY_CSV = ROOT / "transcripts" / "survey" / "lo_enquete_qualtrics.csv"
# Near-duplicates of the study codebook: a typo (review), a trailing blank (automatic), a
# synonym that is a keyword of "Hybride werken" (review), and one code with no match at all.
OTHER_CODEBOOK = "name,parent,description,keywords\nLeiderschp,,,\nOmgevingswet ,,,\nThuiswerken,,Werken vanuit huis,\nKoffie,,,\n"


@pytest.fixture
def survey_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Project]:
    monkeypatch.setenv("LO_CODEBOOK_KEYMAP", "/nonexistent/lo-codebook/keymap.toml")
    monkeypatch.chdir(tmp_path)
    project = Project.open(tmp_path / "study.db", CODER)
    codebook.import_codebook(project, CODEBOOK_CSV)
    import_survey(project, SURVEY_CSV, id_col="ResponseId", text_cols=["Q4"])
    (tmp_path / "other.csv").write_text(OTHER_CODEBOOK, encoding="utf-8")
    yield project
    project.close()


def code_named(project: Project, name: str) -> Code | None:
    with project.read() as session:
        code = session.scalar(select(Code).where(Code.name == name))
        if code is not None:
            session.expunge(code)
        return code


def codes_of(project: Project) -> dict[str, tuple[str | None, list[str], str]]:
    """name -> (parent name, keywords, description) of every code."""
    with project.read() as session:
        return {
            c.name: (
                c.parent.name if c.parent else None,
                list(c.keywords or []),
                c.description or "",
            )
            for c in session.scalars(select(Code))
        }


async def open_discover(pilot: Pilot) -> DiscoverScreen:
    await pilot.pause()
    await pilot.press("F")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, DiscoverScreen)
    return screen


async def add_highlighted(
    pilot: Pilot, *, name: str | None = None, parent: str | None = None
) -> None:
    await pilot.press("a")
    await pilot.pause()
    dialog = pilot.app.screen
    assert isinstance(dialog, AddCandidateDialog)
    if name is not None:
        dialog.query_one("#add-name", Input).value = name
    if parent is not None:
        dialog.query_one("#add-parent", Select).value = parent
    await pilot.pause()
    dialog.query_one("#add-name", Input).focus()
    await pilot.press("enter")
    await settle(pilot)


# -- discover -------------------------------------------------------------------------------


@pytest.mark.anyio
async def test_discover_lists_candidates_and_adds_one_undoably(survey_project: Project) -> None:
    project = survey_project
    before = codes_of(project)
    app = CodebookApp(project)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_discover(pilot)
        table = screen.query_one("#discover-table", DataTable)
        assert not table.loading
        assert screen.settings is not None and screen.settings.only_new
        assert table.row_count == len(screen.candidates) > 5
        # only what the codebook lacks: none of its names is a candidate
        labels = {c.label.casefold() for c in screen.candidates}
        assert not labels & {name.casefold() for name in before}
        # the highlighted candidate's quotes are shown beside the table
        first = screen.candidates[0]
        detail = str(screen.query_one("#discover-detail").render())
        assert first.label in detail and first.examples[0][:30] in " ".join(detail.split())
        table.move_cursor(row=1)
        await pilot.pause()
        second = screen.candidates[1]
        assert second.examples[0][:30] in " ".join(
            str(screen.query_one("#discover-detail").render()).split()
        )

        # add it under a category, with an edited name
        phrases = list(second.phrases)
        await add_highlighted(pilot, name="Ontdekt thema", parent="Organisatie")
        assert isinstance(app.screen, DiscoverScreen)
        added = codes_of(project).get("Ontdekt thema")
        assert added == ("Organisatie", phrases, "Found by `discover`.")
        assert any(
            "added code 'Organisatie/Ontdekt thema'" in n.message for n in app._notifications
        )

        # ctrl+z on this screen takes it out again; the list still works
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert codes_of(project) == before
        assert isinstance(app.screen, DiscoverScreen)
        assert screen.candidates and second.label in {c.label for c in screen.candidates}

        # add the first candidate as it is (top level), then return: the tree shows it
        table.move_cursor(row=0)
        await pilot.pause()
        first = screen.highlighted
        await add_highlighted(pilot)
        assert codes_of(project)[first.label] == (None, list(first.phrases), "Found by `discover`.")
        await pilot.press("escape")
        await pilot.pause()
        main = app.screen
        assert isinstance(main, MainScreen)
        new_id = next(c.id for c in main.codes if c.name == first.label)
        assert new_id in main.tree._tree_nodes_by_code()  # a node in the codebook tree
        # undo from the main screen removes it from the database and the tree
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert first.label not in codes_of(project)
        assert new_id not in main.codes_by_id and new_id not in main.tree._tree_nodes_by_code()


@pytest.mark.anyio
async def test_discover_opens_at_the_cli_threshold_with_its_table_focused(
    survey_project: Project,
) -> None:
    """Newcomer trial: the screen started at "more than 0" (505 candidates), the threshold focused."""
    from lo_codebook.cli.themes import discover as discover_command

    cli_default = next(p.default for p in discover_command.params if p.name == "above")
    assert (
        cli_default >= 2
    )  # "more than 1" kept the same list as "more than 0": one mention is no theme
    app = CodebookApp(survey_project)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("F")
        await pilot.pause()
        screen = pilot.app.screen
        assert isinstance(screen, DiscoverScreen)
        table = screen.query_one("#discover-table", DataTable)
        assert screen.focused is table  # at once, also while the first search runs
        await settle(pilot)
        assert screen.settings is not None and screen.settings.above == cli_default
        assert screen.query_one("#discover-above", Input).value == str(cli_default)
        assert screen.candidates and all(c.documents > cli_default for c in screen.candidates)
        assert screen.focused is table
        await pilot.press("down")  # the keys move in the list, not in the threshold field
        await pilot.pause()
        assert table.cursor_row == 1


@pytest.mark.anyio
async def test_discover_threshold_switch_and_kind_are_live(survey_project: Project) -> None:
    app = CodebookApp(survey_project)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_discover(pilot)
        lacking = len(screen.candidates)
        # n: everything, also what the codebook already has
        await pilot.press("n")
        await settle(pilot)
        assert not screen.query_one("#discover-only-new", Switch).value
        assert screen.settings is not None and not screen.settings.only_new
        everything = [c.label for c in screen.candidates]
        assert len(everything) > lacking and "digitalisering" in everything
        # the threshold: more than 20 documents, typed live
        await pilot.press("ctrl+t")
        await pilot.press("backspace", "2", "0", "enter")  # enter: back to the table
        await settle(pilot)
        assert screen.settings.above == 20
        assert screen.candidates and all(c.documents > 20 for c in screen.candidates)
        assert "more than 20 documents" in str(screen.query_one("#discover-caption").render())
        assert screen.focused is screen.query_one(DataTable)
        # interviews only: this project has none
        screen.query_one("#discover-kind", Select).value = "transcript"
        await settle(pilot)
        assert screen.candidates == [] and screen.query_one(DataTable).row_count == 0
        assert "No candidates here" in str(screen.query_one("#discover-detail").render())
        await pilot.press("a")  # nothing highlighted: a warning, no dialog
        await pilot.pause()
        assert isinstance(app.screen, DiscoverScreen)
        assert any("no candidate highlighted" in n.message for n in app._notifications)


@pytest.mark.anyio
async def test_discover_errors_become_notifications(
    survey_project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    from lo_codebook.core import discover_service
    from lo_codebook.errors import UserError

    def broken(*args: object, **kwargs: object) -> None:
        raise UserError("no language model for 'nl'")

    monkeypatch.setattr(discover_service, "discover_candidates", broken)
    app = CodebookApp(survey_project)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_discover(pilot)
        assert screen.candidates == []
        assert not screen.query_one(DataTable).loading
        assert any(
            n.severity == "error" and "no language model" in n.message for n in app._notifications
        )
        assert app.is_running


@pytest.mark.anyio
async def test_discover_add_refused_by_the_core_is_a_notification(survey_project: Project) -> None:
    app = CodebookApp(survey_project)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_discover(pilot)
        count = len(codes_of(survey_project))
        await add_highlighted(pilot, name="Leiderschap", parent="Organisatie")  # name taken there
        assert isinstance(app.screen, DiscoverScreen)
        assert len(codes_of(survey_project)) == count
        assert any(n.severity == "error" for n in app._notifications)
        assert screen.candidates


def test_shorten_and_quote_text() -> None:
    assert shorten("a  b\nc", 10) == "a b c"
    assert shorten("abcdefghij", 5) == "abcd…"
    text = quote_text("Werkdruk en hoge werkdruk", ["werkdruk"])
    assert text.plain == "“Werkdruk en hoge werkdruk”"
    assert sum(1 for span in text.spans if "underline" in str(span.style)) == 2


# -- merge codebook -------------------------------------------------------------------------


async def open_merge(pilot: Pilot, source: str) -> MergeScreen:
    await pilot.pause()
    await pilot.press("C")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, MergeScreen)
    assert screen.focused is screen.query_one("#merge-source", Input)
    await pilot.press(*source, "enter")
    await settle(pilot)
    return screen


@pytest.mark.anyio
async def test_merge_review_apply_and_unmerge(survey_project: Project) -> None:
    project = survey_project
    before = codes_of(project)
    app = CodebookApp(project)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_merge(pilot, "other.csv")
        plan = screen.plan
        assert plan is not None and plan.source_kind == "csv"
        assert [(p.source_key, p.target_path) for p in plan.auto_pairs] == [
            ("Omgevingswet", "Context & opgaven/Omgevingswet")
        ]
        assert {(p.source_key, p.target_path) for p in plan.review_pairs} == {
            ("Leiderschp", "Organisatie/Leiderschap"),
            ("Thuiswerken", "Organisatie/Hybride werken"),
        }
        table = screen.query_one("#merge-table", DataTable)
        assert table.row_count == 4 and screen.focused is table
        keys = [
            str(table.coordinate_to_cell_key((i, 0)).row_key.value) for i in range(table.row_count)
        ]
        assert keys[-1] == "Koffie"  # new codes last; review pairs first
        assert screen.accepted == {"Omgevingswet"}
        # accept the typo, leave the synonym out; space toggles, twice is back
        table.move_cursor(row=keys.index("Leiderschp"))
        await pilot.press("space")
        await pilot.pause()
        assert screen.accepted == {"Omgevingswet", "Leiderschp"}
        assert str(table.get_cell("Leiderschp", "accept")) == "[x]"
        table.move_cursor(row=keys.index("Thuiswerken"))
        await pilot.press("space", "space")
        await pilot.pause()
        assert screen.accepted == {"Omgevingswet", "Leiderschp"}
        assert "Organisatie/Hybride werken" in str(screen.query_one("#merge-detail").render())
        # a row without a match cannot be accepted
        table.move_cursor(row=keys.index("Koffie"))
        await pilot.press("space")
        await pilot.pause()
        assert any("no similar code" in n.message for n in app._notifications)
        # apply asks first
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, Confirm)
        await pilot.press("y")
        await settle(pilot)
        assert screen.applied and screen.report is not None
        after = codes_of(project)
        assert "Leiderschp" in after["Leiderschap"][1]  # the typo became a keyword
        assert after["Leiderschap"][1][:-1] == before["Leiderschap"][1]
        assert after["Thuiswerken"] == (None, [], "Werken vanuit huis")  # left out: added
        assert after["Koffie"] == (None, [], "")
        assert after["Omgevingswet"] == before["Omgevingswet"]  # same name: nothing to add
        assert set(after) == set(before) | {"Thuiswerken", "Koffie"}
        assert sorted(screen.report.codes_added) == ["Koffie", "Thuiswerken"]
        assert "2 added" in str(screen.query_one("#merge-report").render())
        # once applied, the plan is read-only
        await pilot.press("space")
        await pilot.pause()
        assert any("this plan is applied" in n.message for n in app._notifications)
        # the main screen's tree knows the new codes
        main = app.main
        assert {"Thuiswerken", "Koffie"} <= {c.name for c in main.codes}
        # u unmerges (asks first): everything as before
        await pilot.press("u")
        await pilot.pause()
        assert isinstance(app.screen, Confirm)
        await pilot.press("y")
        await settle(pilot)
        assert codes_of(project) == before
        assert not screen.applied and screen.accepted == {"Omgevingswet", "Leiderschp"}
        assert not {"Thuiswerken", "Koffie"} & {c.name for c in main.codes}
        # the same plan can be applied again; ctrl+z undoes it like any step
        await pilot.press("ctrl+s", "y")
        await settle(pilot)
        assert "Koffie" in codes_of(project)
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert codes_of(project) == before
        assert not screen.applied


@pytest.mark.anyio
async def test_merge_errors_become_notifications(survey_project: Project, tmp_path: Path) -> None:
    app = CodebookApp(survey_project)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_merge(pilot, "missing.csv")
        assert screen.plan is None
        assert any(
            n.severity == "error" and "file not found" in n.message for n in app._notifications
        )
        # the project itself is no source
        screen.query_one("#merge-source", Input).value = str(tmp_path / "study.db")
        await pilot.press("enter")
        await settle(pilot)
        assert any("this project itself" in n.message for n in app._notifications)
        # nothing to apply, nothing to unmerge yet
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert any("plan a merge first" in n.message for n in app._notifications)
        screen.query_one(DataTable).focus()
        await pilot.press("u")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert any("no merge of yours to undo" in n.message for n in app._notifications)
        assert app.is_running and isinstance(app.screen, MergeScreen)


@pytest.mark.anyio
async def test_merge_from_another_project(survey_project: Project, tmp_path: Path) -> None:
    """A project .db as the source: its codes match by name, nothing new is added."""
    other = Project.open(tmp_path / "other.db", "bob")
    codebook.import_codebook(other, CODEBOOK_CSV)
    other.close()
    before = codes_of(survey_project)
    app = CodebookApp(survey_project)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_merge(pilot, "other.db")
        assert screen.plan is not None and screen.plan.source_kind == "project"
        assert not screen.plan.review_pairs and not screen.plan.unmatched
        await pilot.press("ctrl+s", "y")
        await settle(pilot)
        assert screen.applied
        assert codes_of(survey_project) == before


@pytest.mark.anyio
async def test_palette_opens_discover_and_merge(survey_project: Project) -> None:
    app = CodebookApp(survey_project)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        for query, screen_class in (
            ("merge codebook", MergeScreen),
            ("discover themes", DiscoverScreen),
        ):
            await pilot.press("ctrl+p")
            await pilot.pause()
            await pilot.press(*query)
            await pilot.pause(0.3)
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(app.screen, screen_class)
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(app.screen, MainScreen)


@pytest.mark.anyio
async def test_empty_project_discover_and_merge(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LO_CODEBOOK_KEYMAP", "/nonexistent/keymap.toml")
    project = Project.open(tmp_path / "empty.db", CODER)
    app = CodebookApp(project)
    try:
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_discover(pilot)
            assert screen.candidates == []
            await pilot.press("a", "n", "escape")
            await settle(pilot)
            await pilot.press("C")
            await pilot.pause()
            await pilot.press("enter", "ctrl+s", "escape")
            await pilot.pause()
            assert app.is_running and isinstance(app.screen, MainScreen)
    finally:
        project.close()


# -- snapshots ------------------------------------------------------------------------------


FIXED_CANDIDATES = [
    SimpleNamespace(
        label=label, phrases=phrases, documents=documents, examples=examples, document_ids=[]
    )
    for label, phrases, documents, examples in (
        (
            "zelf opleiden",
            ["zelf opleiden", "opleiden"],
            9,
            [
                "We krijgen vacatures nauwelijks ingevuld, dus zelf opleiden in plaats van werven is voor ons het allerbelangrijkste.",
                "Zij-instromers zelf opleiden, met een leermeester op de werkvloer.",
            ],
        ),
        (
            "werkdruk",
            ["werkdruk", "hoge werkdruk", "werkdrukte"],
            7,
            [
                "De werkdruk is hoog; daar moet het aanbod rekening mee houden.",
                "Hoge werkdruk in het sociaal domein.",
            ],
        ),
        (
            "wendbaarheid",
            ["wendbaarheid", "wendbaar"],
            5,
            [
                "Wendbaarheid en veerkracht: de organisatie verandert continu en dat vraagt veel van mensen.",
            ],
        ),
        (
            "buitendienst",
            ["buitendienst"],
            3,
            ["Daarnaast duurzame inzetbaarheid van onze oudere medewerkers in de buitendienst."],
        ),
        ("[geen] markup", ["markup"], 2, ["Tekst met [haken] en [/b] erin blijft gewoon tekst."]),
    )
]


def test_discover_screen_snapshot(survey_project: Project, snap_compare, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Fixed candidates: the picture tests the screen, not the language model."""
    from lo_codebook.core import discover_service

    monkeypatch.setattr(
        discover_service, "discover_candidates", lambda project, **kwargs: FIXED_CANDIDATES
    )

    async def run_before(pilot: Pilot) -> None:
        await pilot.pause()
        await pilot.press("F")
        await steady(pilot)
        await pilot.press("down")
        await steady(pilot)

    assert snap_compare(CodebookApp(survey_project), terminal_size=SIZE, run_before=run_before)


def test_merge_screen_snapshot(survey_project: Project, snap_compare) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot: Pilot) -> None:
        await pilot.pause()
        await pilot.press("C")
        await pilot.pause()
        await pilot.press(*"other.csv", "enter")
        await steady(pilot)
        await pilot.press("space")
        await steady(pilot)

    assert snap_compare(CodebookApp(survey_project), terminal_size=SIZE, run_before=run_before)
