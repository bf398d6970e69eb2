"""Pilot tests: the agreement screen on two coders' work."""

from __future__ import annotations

import pytest
from textual.widgets import DataTable

from lo_codebook.tui.screens.main import MainScreen

from .conftest import Sample, add_second_coder
from .pilot import SIZE, make_app, settle

pytestmark = pytest.mark.anyio


async def test_agreement_screen(sample: Sample) -> None:
    from lo_codebook.tui.screens.agreement import AgreementScreen

    add_second_coder(sample)
    app = make_app(sample)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("G")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, AgreementScreen)
        assert screen.report is not None and screen.report.coders == ("tester", "bob")
        codes = screen.query_one("#agreement-codes", DataTable)
        assert codes.row_count >= 3
        diffs = screen.query_one("#agreement-diffs", DataTable)
        assert diffs.row_count == len(screen.rows) > 0
        first = screen.rows[0]
        diffs.focus()
        await pilot.press("enter")
        await pilot.pause()
        main = app.screen
        assert isinstance(main, MainScreen)
        assert main.view.detail is not None and main.view.detail.name == first["document"]
