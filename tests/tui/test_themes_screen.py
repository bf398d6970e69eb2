"""Pilot tests: the themes screen (threshold, breakdown, exports, whose codings count)."""

from __future__ import annotations

import pytest
from textual.widgets import DataTable, Input, Select, Static

from lo_codebook.tui.screens.main import MainScreen
from lo_codebook.tui.screens.themes import ThemesScreen

from .conftest import CODER, Sample, add_second_coder
from .pilot import SIZE, make_app, settle

pytestmark = pytest.mark.anyio


async def test_themes_threshold_breakdown_and_export(sample: Sample, tmp_path) -> None:  # type: ignore[no-untyped-def]
    app = make_app(sample)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("T")
        await settle(app, pilot)
        themes = app.screen
        assert isinstance(themes, ThemesScreen)
        table = themes.query_one(DataTable)
        assert table.row_count == 5  # every theme, also with 0 documents
        await pilot.press("ctrl+t", "1")
        await settle(app, pilot)
        assert [table.get_row_at(i)[0] for i in range(table.row_count)] == [
            "Digitalisering",
            "Arbeidsmarkt",
        ]
        await pilot.press("backspace", "2")
        await settle(app, pilot)
        assert [table.get_row_at(i)[0] for i in range(table.row_count)] == ["Digitalisering"]
        await pilot.press("backspace", "0")
        await settle(app, pilot)
        assert [table.get_row_at(i)[0] for i in range(table.row_count)] == [
            "Digitalisering",
            "Arbeidsmarkt",
            "Omgevingswet",
        ]
        themes.query_one("#by", Select).value = "size_class"
        await settle(app, pilot)
        groups = [str(c.label) for c in table.columns.values()][5:]
        assert groups == ["<20.000 (n=2)", "20.000-50.000 (n=2)", ">100.000 (n=2)"]
        assert "█" in str(themes.query_one("#themes-chart").render())
        for name in ("out.csv", "out.md", "out.xlsx"):
            # Enter in the path field (a click on Export can land on the previous export's toast).
            path_input = themes.query_one("#export-path", Input)
            path_input.value = name
            path_input.focus()
            await pilot.press("enter")
            await settle(app, pilot)
            assert (tmp_path / name).stat().st_size > 0
        assert "Digitalisering" in (tmp_path / "out.csv").read_text(encoding="utf-8")
        themes.query_one("#export-path", Input).value = "out.doc"
        await pilot.click("#export-go")
        await pilot.pause()
        assert any("unknown export format" in n.message for n in app._notifications)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)


async def test_theme_settings_are_kept_for_the_session(sample: Sample) -> None:
    """Newcomer trial: threshold and breakdown were back to none each time T opened."""
    app = make_app(sample)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("T")
        await settle(app, pilot)
        themes = app.screen
        assert isinstance(themes, ThemesScreen)
        await pilot.press("ctrl+t", "1", "enter")
        themes.query_one("#by", Select).value = "size_class"
        themes.query_one("#unit", Select).value = "mention"
        await settle(app, pilot)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        await pilot.press("T")
        await settle(app, pilot)
        again = app.screen
        assert isinstance(again, ThemesScreen) and again is not themes
        assert again.query_one("#above", Input).value == "1"
        assert again.query_one("#by", Select).value == "size_class"
        assert again.query_one("#unit", Select).value == "mention"
        assert again.table is not None and (
            again.table.above,
            again.table.by,
            again.table.unit,
        ) == (1, "size_class", "mention")
        assert [
            str(again.query_one(DataTable).get_row_at(i)[0])
            for i in range(again.query_one(DataTable).row_count)
        ] == ["Digitalisering", "Arbeidsmarkt"]


async def test_a_breakdown_gets_the_whole_width_for_its_columns(sample: Sample) -> None:
    """Newcomer trial: with --by the table stayed in its left part and cut the group columns."""
    app = make_app(sample)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("T")
        await settle(app, pilot)
        themes = app.screen
        assert isinstance(themes, ThemesScreen)
        table = themes.query_one("#themes-table", DataTable)
        assert table.region.width < SIZE[0] * 0.7  # without a breakdown the chart sits beside it
        themes.query_one("#by", Select).value = "size_class"
        await settle(app, pilot)
        await pilot.pause()
        assert table.region.width >= SIZE[0] - 2
        assert table.max_scroll_x == 0  # every group column in view
        chart = themes.query_one("#themes-chart-box")
        assert (
            chart.region.width >= SIZE[0] - 2 and chart.region.y >= table.region.bottom
        )  # below it
        assert "█" in str(themes.query_one("#themes-chart").render())


@pytest.mark.slow
async def test_themes_png_chart_export(sample: Sample, tmp_path) -> None:  # type: ignore[no-untyped-def]
    app = make_app(sample)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("T")
        await settle(app, pilot)
        themes = app.screen
        themes.query_one("#export-path", Input).value = "chart.png"
        await pilot.click("#export-go")
        await settle(app, pilot)
        assert (tmp_path / "chart.png").read_bytes()[:4] == b"\x89PNG"


def theme_counts(themes: ThemesScreen) -> dict[str, int]:
    table = themes.query_one("#themes-table", DataTable)
    return {
        str(table.get_row_at(i)[0]): int(str(table.get_row_at(i)[2]))
        for i in range(table.row_count)
    }


async def test_themes_count_this_coder_with_a_visible_notice_and_a_coder_choice(
    sample: Sample,
) -> None:
    """Newcomer trial: a second coder's codings were pooled into the theme table unannounced."""
    add_second_coder(
        sample
    )  # bob: R_1 Digitalisering (as tester), R_3 Omgevingswet (tester: R_4 only)
    app = make_app(sample)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("T")
        await settle(app, pilot)
        themes = app.screen
        assert isinstance(themes, ThemesScreen)
        assert theme_counts(themes)["Omgevingswet"] == 1  # tester's own coding only
        notice = str(themes.query_one("#themes-coders", Static).render())
        assert CODER in notice and "bob" in notice
        assert "tester" in str(themes.query_one("#themes-caption", Static).render())
        coder = themes.query_one("#coder", Select)
        assert coder.value == CODER
        coder.value = "all"
        await settle(app, pilot)
        assert theme_counts(themes)["Omgevingswet"] == 2
        assert "pooled" in str(themes.query_one("#themes-coders", Static).render())
        coder.value = "bob"
        await settle(app, pilot)
        assert theme_counts(themes) == {
            "Digitalisering": 1,
            "Omgevingswet": 1,
            "Arbeidsmarkt": 0,
            "Leiderschap": 0,
            "Hybride werken": 0,
        }
