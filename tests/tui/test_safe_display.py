"""The UI never writes a control character from the project to the terminal: document names,
code names, transcript text and notifications show them as visible symbols instead.

What is checked is exactly what Textual writes to the terminal for the whole screen.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from lo_codebook.core.importing import import_files
from lo_codebook.db.models import Code, Coding, Document, Suggestion
from lo_codebook.tui.app import CodebookApp
from lo_codebook.tui.screens.main import MainScreen
from lo_codebook.tui.screens.review import ReviewScreen
from lo_codebook.tui.screens.themes import ThemesScreen

from .conftest import Sample
from .pilot import SIZE, settle

pytestmark = pytest.mark.anyio
OSC52 = "\x1b]52;c;ZXZpbA==\x07"  # write "evil" to the clipboard
PAYLOADS = (OSC52, "\x1b]52", "\x07", "\x9b", "\u202e", "\u202c")
EVIL_DOC = f"gesprek{OSC52}\u202eevil"
EVIL_CODE = f"Werk{OSC52}\u202edruk\x9b2J"
TEXT = f"Interviewer: Hoe gaat het?\n\nRespondent: Goed{OSC52}. Echt\u202e waar\u202c\x07, \x9b31m rood.\n"


def add_evil(sample: Sample) -> tuple[int, int]:
    path = sample.path.parent / "data" / f"{EVIL_DOC}.txt"
    path.write_text(TEXT, encoding="utf-8")
    import_files(sample.project, [path], case="Gemeente Evil")
    with sample.project.write("legacy-code", undoable=False) as unit:
        # Names are refused now; an older project (or another tool) may still hold one.
        code = Code(
            name=EVIL_CODE, description=f"over{OSC52}", keywords=[f"kw{OSC52}"], color="#e6194b"
        )
        unit.session.add(code)
        unit.session.flush()
        doc = unit.session.scalars(select(Document).where(Document.name == EVIL_DOC)).one()
        start = doc.text.index("Goed")
        unit.session.add(
            Coding(
                document_id=doc.id,
                code_id=code.id,
                coder_id=unit.coder.id,
                start=start,
                end=start + 10,
            )
        )
        unit.session.add(
            Suggestion(
                document_id=doc.id,
                code_id=code.id,
                start=start,
                end=len(doc.text),
                score=100.0,
                method="keyword",
                evidence=f"keyword 'goed{OSC52}'",
                status="pending",
            )
        )
        return doc.id, code.id


def terminal_output(app: CodebookApp) -> str:
    """Everything Textual would write to the terminal to draw the current screen."""
    update = app.screen._compositor.render_full_update()
    return update.render_segments(app.console)


def assert_clean(output: str, where: str) -> None:
    leaked = [repr(p) for p in PAYLOADS if p in output]
    assert not leaked, f"{where}: {leaked} reach the terminal"


async def test_no_control_character_reaches_the_terminal(sample: Sample) -> None:
    doc_id, code_id = add_evil(sample)
    app = CodebookApp(sample.project)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        main = app.screen
        assert isinstance(main, MainScreen)
        main.open_document(doc_id)
        main.view.select_span(
            main.view.source.index("Goed") + 2, main.view.source.index("Goed") + 2
        )
        main.tree.select_code(code_id)
        await settle(app, pilot)
        main._show_code_info(code_id)
        app.notify(f"wrote {EVIL_DOC}.csv", title=f"export {OSC52}")
        await settle(app, pilot)
        shown = terminal_output(app)
        assert_clean(shown, "main screen")
        assert "gesprek␛]52;c;ZXZpbA==␇" in shown  # the name, visibly
        assert "ZXZpbA==␇. Echt\ufffd waar" in shown  # the text, visibly
        # Offsets are unchanged: the selection still maps to the stored text.
        assert main.view.selected_span()[0] == main.view.source.index("Goed") + 2

        await pilot.press("R")
        await settle(app, pilot)
        review = app.screen
        assert isinstance(review, ReviewScreen)
        for _ in range(len(review.queue)):
            if review.current is not None and review.current.code == EVIL_CODE:
                break
            await pilot.press("s")  # skip to our suggestion
            await pilot.pause()
        assert review.current is not None and review.current.code == EVIL_CODE
        assert_clean(terminal_output(app), "review screen")
        await pilot.press("escape")
        await settle(app, pilot)

        await pilot.press("T")
        await settle(app, pilot)
        assert isinstance(app.screen, ThemesScreen)
        assert_clean(terminal_output(app), "themes screen")


async def test_no_control_character_reaches_the_terminal_from_the_survey_grid(
    sample: Sample,
) -> None:
    from lo_codebook.core.importing import import_survey
    from lo_codebook.tui.screens.grid import GridScreen

    survey = sample.path.parent / "data" / "evil_survey.csv"
    survey.write_text(f'id,answer,size\nR_evil,"{TEXT.strip()}","G4{OSC52}"\n', encoding="utf-8")
    import_survey(
        sample.project, survey, id_col="id", text_cols=["answer"], attr_cols=["size=size_class"]
    )
    with sample.project.write("legacy-code", undoable=False) as unit:
        code = Code(name=EVIL_CODE, description="", keywords=[], color="#e6194b")
        unit.session.add(code)
        unit.session.flush()
        doc = unit.session.scalars(select(Document).where(Document.name == "R_evil")).one()
        unit.session.add(
            Coding(
                document_id=doc.id,
                code_id=code.id,
                coder_id=unit.coder.id,
                start=0,
                end=len(doc.text),
            )
        )
    app = CodebookApp(sample.project)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("g")
        await settle(app, pilot)
        grid = app.screen
        assert isinstance(grid, GridScreen)
        for _ in range(200):  # down to our answer, so the detail pane shows it too
            if "Goed" in terminal_output(app) and "R_evil" in terminal_output(app):
                break
            await pilot.press("down")
        shown = terminal_output(app)
        assert "R_evil" in shown
        assert_clean(shown, "survey grid")
