"""Pilot tests: help, command palette, quit, and a user's own keymap."""

from __future__ import annotations

import pytest
from textual.binding import Binding
from textual.widgets import DataTable, Input

from lo_codebook.tui import keymap
from lo_codebook.tui.app import CodebookApp
from lo_codebook.tui.screens.help import key_text
from lo_codebook.tui.screens.main import MainScreen
from lo_codebook.tui.screens.modals import CodePicker
from lo_codebook.tui.screens.themes import ThemesScreen

from .conftest import Sample
from .pilot import SIZE, make_app, open_document, settle

pytestmark = pytest.mark.anyio


async def test_help_palette_and_quit(sample: Sample) -> None:
    app = make_app(sample)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("f1")
        await pilot.pause()
        assert app.screen.__class__.__name__ == "HelpScreen"
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"themes")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, ThemesScreen)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert app.return_code == 0


async def test_user_keymap_remaps_bindings(sample: Sample, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    keymap_file = tmp_path / "keymap.toml"
    keymap_file.write_text(
        '[keymap]\n"doc.code" = "enter"\n"app.themes" = "f9"\n"nope" = "x"\n', encoding="utf-8"
    )
    monkeypatch.setenv("LO_CODEBOOK_KEYMAP", str(keymap_file))
    app = CodebookApp(sample.project)
    async with app.run_test(size=SIZE) as pilot:
        main = await open_document(app, pilot, sample, "interview_a")
        assert any("unknown binding id 'nope'" in n.message for n in app._notifications)
        main.view.select_span(0, 11)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CodePicker)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("f9")
        await settle(app, pilot)
        assert isinstance(app.screen, ThemesScreen)
        # The help table and the palette's help show the user's key, not the default "T".
        themes = next(a for a in keymap.actions(keymap.APP) if a.id == "app.themes")
        assert app.user_keymap["app.themes"] == "f9"
        assert key_text(app.user_keymap, themes, app.get_key_display) == app.get_key_display(
            Binding("f9", themes.action)
        )


async def test_remapped_screen_keys_work_as_soon_as_the_screen_opens(
    sample: Sample, tmp_path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """Newcomer trial: a key remapped to a letter worked on the theme table only after the focus
    left the threshold field (which took the letter as input)."""
    keymap_file = tmp_path / "keymap.toml"
    keymap_file.write_text(
        '[keymap]\n"themes.close" = "q"\n"themes.threshold" = "t"\n', encoding="utf-8"
    )
    monkeypatch.setenv("LO_CODEBOOK_KEYMAP", str(keymap_file))
    app = CodebookApp(sample.project)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("T")
        await settle(app, pilot)
        themes = app.screen
        assert isinstance(themes, ThemesScreen)
        assert themes.focused is themes.query_one("#themes-table", DataTable)
        await pilot.press("t", "1", "enter")  # remapped threshold key, a number, back to the table
        await settle(app, pilot)
        assert themes.query_one("#above", Input).value == "1"
        assert themes.focused is themes.query_one("#themes-table", DataTable)
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
