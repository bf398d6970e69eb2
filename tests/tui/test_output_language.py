"""The UI speaks one language: after `ui_language` changes, the main screen, its footer, the
help and the themes screen show only that language (words of the other from a small list
are looked for on the whole screen)."""

from __future__ import annotations

import html
import re

import pytest
from textual.pilot import Pilot

from lo_codebook.core.settings import change_setting
from lo_codebook.tui.app import CodebookApp
from lo_codebook.tui.screens.main import MainScreen
from lo_codebook.tui.screens.themes import ThemesScreen

from .conftest import Sample

pytestmark = pytest.mark.anyio
SIZE = (160, 48)
# UI words of one language that the other's screens must not show. Case-sensitive, whole
# words; none of them is in the sample's (Dutch) texts or code names.
ENGLISH = [
    "Documents", "Codebook", "pending", "coded", "Quit", "Undo", "Help", "Review", "Suggest",
    "Themes", "Theme", "Share", "Mentions", "Export", "Close", "threshold", "coders", "coder",
    "rows", "More than", "All cases", "Any code", "palette", "documents in scope", "Threshold",
]  # fmt: skip
DUTCH = [
    "Documenten", "Codeboek", "gecodeerd", "Stoppen", "Ongedaan", "Hulp", "Beoordelen",
    "Voorstellen", "Thema's", "Thema", "Aandeel", "Vermeldingen", "Exporteren", "Sluiten",
    "drempel", "codeurs", "codeur", "rijen", "Meer dan", "Alle casussen", "Elke code",
    "opdrachten", "documenten in scope", "Drempel",
]  # fmt: skip


def screen_text(app: CodebookApp) -> str:
    """Every character on the screen, as the SVG screenshot has it (spaces normalised)."""
    svg = app.export_screenshot()
    lines: dict[str, list[str]] = {}
    for y, text in re.findall(r'<text[^>]*?y="([\d.]+)"[^>]*>(.*?)</text>', svg):
        lines.setdefault(y, []).append(html.unescape(text).replace("\xa0", " "))
    return "\n".join("".join(parts) for parts in lines.values())


def found(text: str, words: list[str]) -> list[str]:
    return [w for w in words if re.search(rf"(?<![\w']){re.escape(w)}(?![\w'])", text)]


async def settle(pilot: Pilot) -> None:
    for _ in range(3):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()


@pytest.mark.parametrize("lang", ["nl", "en"])
async def test_main_and_themes_screens_show_one_language(sample: Sample, monkeypatch, lang: str) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("LO_CODEBOOK_LANG")
    change_setting(sample.project, "ui_language", lang)
    other = ENGLISH if lang == "nl" else DUTCH
    own = DUTCH if lang == "nl" else ENGLISH
    app = CodebookApp(sample.project, load_user_keymap=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.lang == lang
        assert isinstance(app.screen, MainScreen)
        main = screen_text(app)
        assert found(main, other) == [], main
        assert {"Documenten", "Codeboek", "Stoppen"} <= set(found(main, own)) if lang == "nl" else {
            "Documents", "Codebook", "Quit"} <= set(found(main, own))
        # The footer's descriptions come from the localized bindings, not the class's.
        footer = {b.description for _, b, _, _ in app.screen.active_bindings.values() if b.show}
        assert ("Ongedaan" in footer) == (lang == "nl") and ("Undo" in footer) == (lang == "en")

        await pilot.press("T")
        await settle(pilot)
        assert isinstance(app.screen, ThemesScreen)
        themes = screen_text(app)
        assert found(themes, other) == [], themes
        if lang == "nl":
            assert "Thema's:" in themes and "Aandeel" in themes and "Codeurs: telt tester" in themes
            assert re.search(r"\d+,\d%", themes) and not re.search(r"\d+\.\d%", themes)
        else:
            assert "Themes:" in themes and "Share" in themes and "Coders: counting tester" in themes
            assert re.search(r"\d+\.\d%", themes) and not re.search(r"\d+,\d%", themes)

        await pilot.press("escape", "f1")
        await settle(pilot)
        help_text = screen_text(app)
        assert found(help_text, ["Everywhere", "Main screen"] if lang == "nl" else ["Overal", "Hoofdscherm"]) == []
        assert ("Overal" in help_text) == (lang == "nl")


async def test_switching_the_setting_switches_the_next_session(sample: Sample, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The sample's texts are Dutch: without a setting the UI is Dutch; `ui_language en`
    (stored in the project) makes the next session English, and `LO_CODEBOOK_LANG` wins."""
    monkeypatch.delenv("LO_CODEBOOK_LANG")
    assert CodebookApp(sample.project, load_user_keymap=False).lang == "nl"
    change_setting(sample.project, "ui_language", "en")
    assert CodebookApp(sample.project, load_user_keymap=False).lang == "en"
    monkeypatch.setenv("LO_CODEBOOK_LANG", "nl")
    assert CodebookApp(sample.project, load_user_keymap=False).lang == "nl"
    assert CodebookApp(sample.project, load_user_keymap=False, lang="en").lang == "en"
