"""Pilot tests: from the agreement screen, resolve every disagreement of two coders by keys.

The expected consensus and its theme counts are written out by hand from the phrases each
coder coded (see `add_bob`), then compared with what the database and `themes` say.
"""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from lo_codebook.core.project import Project
from lo_codebook.core.themes_service import build_theme_table
from lo_codebook.db.models import Code, Coder, Coding, Document
from lo_codebook.tui.app import CodebookApp
from lo_codebook.tui.screens.agreement import AgreementScreen
from lo_codebook.tui.screens.consensus import ConsensusScreen
from lo_codebook.tui.screens.modals import Confirm

from ..conftest import run_cli
from .conftest import Sample
from .pilot import SIZE, settle, steady

pytestmark = pytest.mark.anyio

# 'tester' (the sample's coder) coded: R_1 "Digitalisering" Digitalisering, R_1 "arbeidsmarkt"
# Arbeidsmarkt, R_3 "digitalisering" Digitalisering, R_4 "Omgevingswet" Omgevingswet,
# interview_a "digitalisering" Digitalisering and "krapte" Arbeidsmarkt (both in turn 2).
BOB = [
    ("R_1", "Digitalisering en de", "Digitalisering"),  # agrees with tester's (joined)
    ("R_3", "processen", "Omgevingswet"),  # only bob
    ("interview_a", "Vooral digitalisering", "Digitalisering"),  # agrees, same turn
    ("interview_a", "hybride", "Hybride werken"),  # only bob, turn 2
    ("interview_a", "Omgevingswet", "Omgevingswet"),  # only bob, turn 4
]


def add_bob(sample: Sample) -> None:
    from lo_codebook.core import coding

    bob = Project.open(sample.path, "bob")
    try:
        for doc, phrase, code in BOB:
            start = sample.text(doc).index(phrase)
            coding.code_span(bob, sample.docs[doc], start, start + len(phrase), sample.codes[code])
    finally:
        bob.close()


def stored(sample: Sample, coder: str = "consensus") -> set[tuple[str, str, int, int]]:
    with sample.project.read() as session:
        rows = session.execute(
            select(Document.name, Code.name, Coding.start, Coding.end)
            .join(Document, Document.id == Coding.document_id)
            .join(Code, Code.id == Coding.code_id)
            .join(Coder, Coder.id == Coding.coder_id)
            .where(Coder.name == coder)
        ).all()
    return {(r[0], r[1], r[2], r[3]) for r in rows}


def coded(sample: Sample, doc: str, phrase: str, code: str) -> tuple[str, str, int, int]:
    start = sample.text(doc).index(phrase)
    return doc, code, start, start + len(phrase)


async def open_consensus(app: CodebookApp, pilot) -> ConsensusScreen:  # type: ignore[no-untyped-def]
    await pilot.pause()
    await pilot.press("G")
    await settle(app, pilot)
    assert isinstance(app.screen, AgreementScreen)
    await pilot.press("c")
    await settle(app, pilot)
    screen = app.screen
    assert isinstance(screen, ConsensusScreen) and screen.plan is not None
    return screen


def rendered(screen: ConsensusScreen, widget: str) -> str:
    return str(screen.query_one(widget).render())


async def test_resolve_every_disagreement_by_keys_then_themes_and_undo(sample: Sample) -> None:
    add_bob(sample)
    app = CodebookApp(sample.project)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_consensus(app, pilot)
        plan = screen.plan
        assert plan is not None and plan.coders == ("tester", "bob") and plan.unit == "segment"
        assert plan.documents == ["R_1", "R_3", "interview_a"]  # R_4: only tester coded it
        walk = [(i.info.document, i.code, plan.coders[i.coded_by]) for i in screen.items]
        assert walk == [
            ("R_1", "Arbeidsmarkt", "tester"),
            ("R_3", "Digitalisering", "tester"),
            ("R_3", "Omgevingswet", "bob"),
            ("interview_a", "Arbeidsmarkt", "tester"),
            ("interview_a", "Hybride werken", "bob"),
            ("interview_a", "Omgevingswet", "bob"),
        ]
        # The card shows both codings and the unit's text.
        assert "A tester: coded «arbeidsmarkt»" in rendered(screen, "#consensus-sides")
        assert "B bob: did not code it here" in rendered(screen, "#consensus-sides")
        assert rendered(screen, "#consensus-text") == "Digitalisering en de arbeidsmarkt"
        assert "1 of 6" in rendered(screen, "#consensus-progress")
        await pilot.press("a")  # R_1 Arbeidsmarkt: tester's version -> keep
        await pilot.pause()
        assert "2 of 6" in rendered(screen, "#consensus-progress")
        await pilot.press("p")  # back: the decision is shown
        await pilot.pause()
        assert "decision: tester's version → keep the code" in rendered(screen, "#consensus-choice")
        await pilot.press("n")
        await pilot.pause()
        # Turn 2 of interview_a, with its speaker, for the transcript's disagreements.
        for key in (
            "b",
            "2",
            "0",
        ):  # R_3 Digitalisering: bob's -> drop; R_3 Omgevingswet: both -> keep
            await pilot.press(key)  # interview_a Arbeidsmarkt: neither -> drop
            await pilot.pause()
        assert "Respondent" in rendered(screen, "#consensus-meta")
        assert "Vooral digitalisering" in rendered(screen, "#consensus-text")
        for key in (
            "b",
            "a",
        ):  # interview_a Hybride werken: bob's -> keep; Omgevingswet: tester's -> drop
            await pilot.press(key)
            await pilot.pause()
        assert screen.current is None
        assert "6 decided (3 kept, 3 dropped)" in rendered(screen, "#consensus-meta")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, AgreementScreen)  # stored and back

        want = {
            coded(sample, "R_1", "Digitalisering en de", "Digitalisering"),  # agreed, joined
            coded(
                sample, "interview_a", "Vooral digitalisering", "Digitalisering"
            ),  # agreed, joined
            coded(sample, "R_1", "arbeidsmarkt", "Arbeidsmarkt"),  # a
            coded(sample, "R_3", "processen", "Omgevingswet"),  # 2
            coded(sample, "interview_a", "hybride", "Hybride werken"),  # b
        }
        assert stored(sample) == want
        # Theme counts with --coder consensus, by hand: Digitalisering R_1 + interview_a;
        # Arbeidsmarkt R_1; Omgevingswet R_3; Hybride werken interview_a; one mention each.
        hand = {
            "Digitalisering": (2, 2),
            "Arbeidsmarkt": (1, 1),
            "Omgevingswet": (1, 1),
            "Hybride werken": (1, 1),
        }
        table = build_theme_table(sample.project, coder="consensus")
        assert {
            r.code: (r.documents, r.mentions) for r in table.rows.itertuples() if r.documents
        } == hand
        out = run_cli(
            "--db", str(sample.path), "themes", "--coder", "consensus", "--format", "json"
        )
        assert out.code == 0, out.err
        assert {
            r["code"]: (r["documents"], r["mentions"])
            for r in json.loads(out.out)
            if r["documents"]
        } == hand
        print(run_cli("--db", str(sample.path), "themes", "--coder", "consensus").out)

        await pilot.press("ctrl+z")  # the normal undo takes the consensus back
        await settle(app, pilot)
        assert stored(sample) == set()
        with sample.project.read() as session:
            assert session.scalar(select(Coder).where(Coder.name == "consensus")) is None
        assert any(
            "undone: " in str(n.message) and "consensus of tester and bob" in str(n.message)
            for n in app._notifications
        )
        gone = run_cli("--db", str(sample.path), "themes", "--coder", "consensus")
        assert gone.code == 1 and "make the consensus first" in gone.err


async def test_undecided_are_left_out_after_asking(sample: Sample) -> None:
    add_bob(sample)
    app = CodebookApp(sample.project)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_consensus(app, pilot)
        name = screen.query_one("#consensus-name")
        name.value = "final"  # type: ignore[attr-defined]
        await pilot.press("2")  # R_1 Arbeidsmarkt: keep; the other five undecided
        await pilot.press("escape")  # decisions not stored yet: asks
        await pilot.pause()
        assert isinstance(app.screen, Confirm)
        await pilot.press("n")
        await pilot.pause()
        assert app.screen is screen
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, Confirm)
        assert "5 of 6 disagreements are undecided" in str(
            app.screen.query_one("#confirm-message").render()
        )
        await pilot.press("y")
        await settle(app, pilot)
        assert isinstance(app.screen, AgreementScreen)
        assert stored(sample, "final") == {
            coded(sample, "R_1", "Digitalisering en de", "Digitalisering"),
            coded(sample, "interview_a", "Vooral digitalisering", "Digitalisering"),
            coded(sample, "R_1", "arbeidsmarkt", "Arbeidsmarkt"),
        }


def test_consensus_screen_snapshot(sample: Sample, snap_compare) -> None:  # type: ignore[no-untyped-def]
    add_bob(sample)

    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        app = pilot.app
        await open_consensus(app, pilot)
        for key in ("a", "b", "2"):  # to the first transcript disagreement (turn 2 of interview_a)
            await pilot.press(key)
            await pilot.pause()
        await steady(pilot)

    assert snap_compare(CodebookApp(sample.project), terminal_size=SIZE, run_before=run_before)
