"""The UI speaks one language: after `ui_language` changes, the main screen, its footer, the
help and the themes screen show only that language (words of the other from a small list
are looked for on the whole screen)."""

from __future__ import annotations

import html
import re

import pytest
from sqlalchemy import update

from lo_codebook.core.settings import change_setting
from lo_codebook.db.models import Suggestion
from lo_codebook.tui.app import CodebookApp
from lo_codebook.tui.screens.agreement import AgreementScreen
from lo_codebook.tui.screens.consensus import ConsensusScreen
from lo_codebook.tui.screens.discover import DiscoverScreen
from lo_codebook.tui.screens.grid import GridScreen
from lo_codebook.tui.screens.main import MainScreen
from lo_codebook.tui.screens.merge import MergeScreen
from lo_codebook.tui.screens.modals import CodePicker, Confirm, ImportDialog, TextPrompt
from lo_codebook.tui.screens.review import ReviewScreen
from lo_codebook.tui.screens.themes import ThemesScreen

from ..helpers import words_found as found
from .conftest import Sample
from .pilot import SIZE
from .pilot import drain as settle  # this file's settle(pilot) waits for chains of workers
from .test_consensus import add_bob

pytestmark = pytest.mark.anyio
# UI words of one language that the other's screens must not show. Case-sensitive, whole
# words; none of them is in the sample's (Dutch) texts or code names.
ENGLISH = [
    "Documents", "Codebook", "pending", "coded", "Quit", "Undo", "Help", "Review", "Suggest",
    "Themes", "Theme", "Share", "Mentions", "Export", "Close", "threshold", "coders", "coder",
    "rows", "More than", "All cases", "Any code", "palette", "documents in scope", "Threshold",
    # review, grid, agreement, consensus, discover, merge, the dialogs
    "accepted", "rejected", "skipped", "to go", "answers", "Answer", "Your codes", "your codes", "Coder", "Unit",
    "Disagreements", "Candidate", "Phrases", "First example", "Source", "Cancel", "Rename", "Delete", "Import",
    "Files", "Survey", "Merge", "Store", "decision", "undecided", "version", "Keywords", "evidence", "keyword",
    "mentioned", "least certain", "both", "agree", "Where", "Name", "Under", "Add", "Yes", "every case",
    "any code", "matched", "without a match", "Apply", "automatic", "new code", "all codes", "mean kappa",
    "computing", "type to search", "Coded by", "Not by", "choose", "Examples",
]  # fmt: skip
DUTCH = [
    "Documenten", "Codeboek", "gecodeerd", "Stoppen", "Ongedaan", "Hulp", "Beoordelen",
    "Voorstellen", "Thema's", "Thema", "Aandeel", "Vermeldingen", "Exporteren", "Sluiten",
    "drempel", "codeurs", "codeur", "rijen", "Meer dan", "Alle casussen", "Elke code",
    "opdrachten", "documenten in scope", "Drempel",
    "geaccepteerd", "afgewezen", "overgeslagen", "te gaan", "antwoorden", "Antwoord", "Jouw codes", "jouw codes",
    "Codeur", "Eenheid", "Verschillen", "Kandidaat", "Woordgroepen", "Eerste voorbeeld", "Bron", "Annuleren",
    "hernoemen", "verwijderen", "Importeren", "Bestanden", "Enquête", "Samenvoegen", "Opslaan", "besluit",
    "onbeslist", "versie", "Trefwoorden", "trefwoord", "onderbouwing", "genoemd", "minst zekere", "beide", "eens",
    "Waar", "Naam", "Onder", "Toevoegen", "elke casus", "elke code", "gekoppeld", "zonder tegenhanger", "Toepassen",
    "automatisch", "nieuwe code", "alle codes", "gemiddelde kappa", "berekenen", "typ om", "Gecodeerd door",
    "Niet door", "kies", "Voorbeelden",
]  # fmt: skip


def screen_text(app: CodebookApp) -> str:
    """Every character on the screen, as the SVG screenshot has it (spaces normalised)."""
    svg = app.export_screenshot()
    lines: dict[str, list[str]] = {}
    for y, text in re.findall(r'<text[^>]*?y="([\d.]+)"[^>]*>(.*?)</text>', svg):
        lines.setdefault(y, []).append(html.unescape(text).replace("\xa0", " "))
    return "\n".join("".join(parts) for parts in lines.values())


@pytest.mark.parametrize("lang", ["nl", "en"])
async def test_main_and_themes_screens_show_one_language(
    sample: Sample, monkeypatch, lang: str
) -> None:  # type: ignore[no-untyped-def]
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
        assert (
            {"Documenten", "Codeboek", "Stoppen"} <= set(found(main, own))
            if lang == "nl"
            else {"Documents", "Codebook", "Quit"} <= set(found(main, own))
        )
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
        assert (
            found(
                help_text,
                ["Everywhere", "Main screen"] if lang == "nl" else ["Overal", "Hoofdscherm"],
            )
            == []
        )
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


# A codebook to merge in: one code this project has (a sure match), one it lacks.
MERGE_SOURCE = "name,parent,description,keywords\nOmgevingswet,,De wet,omgevingswet\nKoffiepauze,,Pauzes,koffie\n"


@pytest.mark.parametrize("lang", ["nl", "en"])
async def test_every_other_screen_and_dialog_shows_one_language(
    sample: Sample, monkeypatch, lang: str
) -> None:  # type: ignore[no-untyped-def]
    """Review, survey grid, agreement, consensus, discover, merge and the dialogs of the
    codebook (rename, delete, move) and of import: no word of the other language, and
    decimals with the language's mark."""
    monkeypatch.delenv("LO_CODEBOOK_LANG")
    change_setting(sample.project, "ui_language", lang)
    add_bob(sample)  # a second coder: agreement and consensus have something to show
    with sample.project.write("plain-evidence", undoable=False) as unit:
        # the engine stores the words it found as evidence (the seeded rows say "keyword 'x'")
        unit.session.execute(update(Suggestion).values(evidence=Suggestion.pattern))
    (sample.path.parent / "andere.csv").write_text(MERGE_SOURCE, encoding="utf-8")
    other = ENGLISH if lang == "nl" else DUTCH
    app = CodebookApp(sample.project, load_user_keymap=False)
    seen: dict[str, str] = {}

    async def look(name: str, kind: type, *keys: str) -> str:
        await pilot.press(*keys)
        await settle(pilot)
        assert isinstance(app.screen, kind), (name, app.screen)
        text = seen[name] = screen_text(app)
        assert found(text, other) == [], (name, found(text, other), text)
        return text

    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        review = await look("review", ReviewScreen, "R")
        assert found(
            review,
            ["geaccepteerd", "te gaan", "trefwoord"]
            if lang == "nl"
            else ["accepted", "to go", "keyword"],
        )
        grid = await look("grid", GridScreen, "escape", "g")
        assert found(grid, ["Antwoord", "Jouw codes"] if lang == "nl" else ["Answer", "Your codes"])
        agreement = await look("agreement", AgreementScreen, "escape", "G")
        assert found(
            agreement,
            ["Codeur", "Eenheid", "Verschillen"]
            if lang == "nl"
            else ["Coder", "Unit", "Disagreements"],
        )
        # kappas and alpha: 0,50 (nl) or 0.50 (en); shares as whole percents
        assert (
            re.search(r"\d,\d\d\b", agreement)
            if lang == "nl"
            else re.search(r"\d\.\d\d\b", agreement)
        )
        assert not (
            re.search(r"\d\.\d\d\b", agreement)
            if lang == "nl"
            else re.search(r"\d,\d\d\b", agreement)
        )
        consensus = await look("consensus", ConsensusScreen, "c")
        assert found(
            consensus, ["besluit", "onbeslist"] if lang == "nl" else ["decision", "undecided"]
        )
        discover = await look("discover", DiscoverScreen, "escape", "escape", "F")
        assert found(
            discover, ["Kandidaat", "Woordgroepen"] if lang == "nl" else ["Candidate", "Phrases"]
        )
        await pilot.press("escape", "C", *"andere.csv", "enter")
        merge = await look("merge", MergeScreen)
        assert found(merge, ["Bron", "automatisch"] if lang == "nl" else ["Source", "automatic"])
        assert (
            re.search(r"score \d+,\d\b", merge)
            if lang == "nl"
            else re.search(r"score \d+\.\d\b", merge)
        )

        # dialogs: import, and rename / delete / move on the codebook tree
        imported = await look("import", ImportDialog, "escape", "I")
        assert found(
            imported, ["Importeren", "Annuleren"] if lang == "nl" else ["Import", "Cancel"]
        )
        await pilot.press("escape")
        await settle(pilot)
        main = app.screen
        assert isinstance(main, MainScreen)
        main.tree.select_code(sample.codes["Omgevingswet"])
        main.tree.focus()
        rename = await look("rename", TextPrompt, "e")
        assert ("hernoemen" in rename) == (lang == "nl") and ("Rename" in rename) == (lang == "en")
        delete = await look("delete", Confirm, "escape", "x")
        assert found(
            delete, ["Code verwijderen", "Annuleren"] if lang == "nl" else ["Delete code", "Cancel"]
        )
        move = await look("move", CodePicker, "n", "M")
        assert ("typ om codes te zoeken" in move) == (lang == "nl")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
    assert set(seen) == {
        "review",
        "grid",
        "agreement",
        "consensus",
        "discover",
        "merge",
        "import",
        "rename",
        "delete",
        "move",
    }
