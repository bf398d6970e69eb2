"""Pseudonymisation gaps: e-mail addresses, handles and hashtags, diminutives, accents, and
`export-qdpx --pseudonymise` with every selection still on the text it coded."""

from __future__ import annotations

import textwrap
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree
from sqlalchemy import select

from lo_codebook.core.codebook import create_code
from lo_codebook.core.coding import add_memo, code_span
from lo_codebook.core.importing import import_files
from lo_codebook.core.privacy import (
    OffsetMap,
    Pseudonymiser,
    add_name,
    apply_replacements,
    export_quotes,
    pseudonymiser_for,
)
from lo_codebook.core.project import Project
from lo_codebook.core.refi_mapping import export_qdpx
from lo_codebook.db.models import Coding, Document
from lo_codebook.errors import UserError
from lo_codebook.interop import read_qdpx

from .conftest import REFI_SAMPLES, run_cli

PEOPLE = [
    ("Marieke de Vries", "Respondent A"),
    ("Jan Willem Bakker", "Respondent B"),
    ("José Müller", "Respondent C"),
    ("Piet", "Respondent D"),
]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # E-mail addresses, listed or not, never leave.
        ("Mail marieke.devries@gemeente.nl of hr@x.nl.", "Mail [e-mailadres] of [e-mailadres]."),
        # Handles and hashtags that spell a listed name, however written.
        ("Volg @marieke_devries en #MariekeDeVries", "Volg @RespondentA en #RespondentA"),
        ("dank @JanWillemBakker2024!", "dank @RespondentB!"),
        ("#januari en #pietenpraat blijven", "#januari en #pietenpraat blijven"),
        ("@piet zei het", "@RespondentD zei het"),
        # Dutch diminutives of a first name.
        (
            "Jantje en Janneke en Jannie kwamen",
            "Respondent B en Respondent B en Respondent B kwamen",
        ),
        ("Pietje en Pietjes fiets", "Respondent D en Respondent D's fiets"),
        ("Jansen en Pieters blijven", "Jansen en Pieters blijven"),
        # With or without accents, both ways.
        ("Jose Muller en José Müller", "Respondent C en Respondent C"),
        ("Muller zei het, Müllers team ook", "Respondent C zei het, Respondent C's team ook"),
        ("Josè kwam", "Respondent C kwam"),
    ],
)
def test_the_gaps_are_closed(text: str, expected: str) -> None:
    assert Pseudonymiser(PEOPLE).apply(text) == expected


def test_accented_listing_and_plain_text_and_the_reverse() -> None:
    assert Pseudonymiser([("Jose Muller", "P")]).apply("José Müller en Müller") == "P en P"
    assert Pseudonymiser([("Zoë", "Q")]).apply("Zoe, Zoë en Zoëtje") == "Q, Q en Q"


def test_offsets_found_on_the_folded_text_fit_the_original() -> None:
    text = "Café met José Müller en Zoë"
    p = Pseudonymiser([("José Müller", "X")])
    [mention] = p.find(text)
    assert text[mention.start : mention.end] == "José Müller"


pieces = st.sampled_from(
    [
        "Marieke de Vries",
        "Jantje",
        "José",
        "Muller",
        " ",
        ", ",
        "tekst ",
        "a@b.nl",
        "#MariekeDeVries",
        "\n",
        "é",
    ]
)


@settings(max_examples=200, deadline=None)
@given(parts=st.lists(pieces, min_size=1, max_size=14), data=st.data())
def test_offset_map_moves_every_span_onto_its_pseudonymised_text(
    parts: list[str], data: st.DataObject
) -> None:
    text = "".join(parts)
    mentions = Pseudonymiser(PEOPLE).find(text)
    new = apply_replacements(text, mentions)
    offsets = OffsetMap(mentions)
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    new_start, new_end = offsets.span(start, end)
    assert new[new_start:new_end] == apply_replacements(text, mentions, start, end)


INTERVIEW = textwrap.dedent(
    """\
    Interviewer: Welkom. Kunt u zich voorstellen?

    Marieke de Vries: Ik ben Marieke de Vries (marieke.devries@gemeente.nl), adviseur L&O. Jantje Bakker en José Müller helpen.

    Interviewer: En online?

    Jan Willem Bakker: Volg @marieke_devries en #MariekeDeVries; Muller schrijft mee.
    """
)


@pytest.fixture
def named(project: Project, tmp_path: Path) -> Project:
    """An interview full of listed people, coded on spans that start and end inside names."""
    path = tmp_path / "interview_marieke_de_vries.txt"
    path.write_text(INTERVIEW, encoding="utf-8")
    import_files(project, [path], case="Marieke de Vries")
    for name, pseudonym in PEOPLE:
        add_name(project, name, pseudonym)
    code = create_code(project, "Rollen")
    with project.read() as session:
        doc = session.scalars(select(Document)).one()
    text = doc.text
    spans = [
        (text.index("Ik ben"), text.index("adviseur")),
        (text.index("ieke de Vries (mar"), text.index("Jantje") + 3),  # both ends inside names
        (text.index("Müller helpen"), text.index("helpen.") + 7),
        (text.index("Volg"), len(text.rstrip())),
        (text.index("@marieke"), text.index("@marieke") + 4),
    ]
    for start, end in spans:
        code_span(project, doc.id, start, end, code)
    add_memo(
        project,
        "Gesprek met Marieke de Vries, mail marieke.devries@gemeente.nl",
        document_id=doc.id,
    )
    return project


def test_export_qdpx_pseudonymised_keeps_every_selection_on_its_text(
    named: Project, tmp_path: Path
) -> None:
    out = tmp_path / "shared.qdpx"
    report = export_qdpx(named, out, pseudonymise=True)
    assert report.pseudonymised and report.replaced > 0
    with named.read() as session:
        doc = session.scalars(select(Document)).one()
        spans = sorted((c.start, c.end) for c in session.scalars(select(Coding)))
        mentions = pseudonymiser_for(session).find(doc.text)
        original = doc.text
    refi = read_qdpx(out)
    [source] = refi.sources
    assert source.text == apply_replacements(original, mentions)
    assert len(source.selections) == len(spans)
    covered = sorted(
        (sel.start, sel.end, source.text[sel.start : sel.end]) for sel in source.selections
    )
    expected = sorted(
        (*OffsetMap(mentions).span(start, end), apply_replacements(original, mentions, start, end))
        for start, end in spans
    )
    assert covered == expected
    everything = "\n".join(
        [
            source.text,
            source.name,
            *(c.name for c in refi.cases),
            *(n.text for n in refi.notes),
            *(s.name for s in source.selections),
        ]
    )
    for leak in (
        "Marieke",
        "Vries",
        "Jantje",
        "José",
        "Müller",
        "Muller",
        "@marieke",
        "gemeente.nl",
        "marieke",
    ):
        assert leak not in everything, leak
    # Still a valid REFI-QDA project.
    xsd = REFI_SAMPLES.parent / "Project.xsd"
    if not xsd.exists():
        xsd = Path(__file__).parent / "fixtures" / "interop" / "Project.xsd"
    with zipfile.ZipFile(out) as archive:
        etree.XMLSchema(etree.parse(str(xsd))).assertValid(
            etree.fromstring(archive.read("project.qde"))
        )


def test_export_qdpx_without_the_option_is_verbatim(named: Project, tmp_path: Path) -> None:
    out = tmp_path / "own.qdpx"
    export_qdpx(named, out)
    assert "Marieke de Vries" in read_qdpx(out).sources[0].text


def test_quotes_export_closes_the_same_gaps(named: Project, tmp_path: Path) -> None:
    out = tmp_path / "quotes.csv"
    export_quotes(named, out, pseudonymise=True)
    written = out.read_text(encoding="utf-8")
    for leak in ("Marieke", "Jantje", "José", "Müller", "Muller", "gemeente.nl"):
        assert leak not in written, leak
    assert "[e-mailadres]" in written and "@RespondentA" in written


def test_export_qdpx_pseudonymise_from_the_command_line(
    tmp_path: Path, cli_env: dict[str, str]
) -> None:
    interview = tmp_path / "gesprek.txt"
    interview.write_text(
        "Interviewer: Hoi.\n\nRespondent: Ik ben Jantje, jan@x.nl.\n", encoding="utf-8"
    )
    assert run_cli("import", interview, env=cli_env).code == 0
    empty = run_cli("export-qdpx", tmp_path / "a.qdpx", "--pseudonymise", env=cli_env)
    assert (
        empty.code == 1
        and "name list is empty" in empty.err
        and len(empty.err.strip().splitlines()) == 1
    )
    assert not (tmp_path / "a.qdpx").exists()
    assert run_cli("names", "add", "Jan", "--as", "Persoon X", env=cli_env).code == 0
    result = run_cli("export-qdpx", tmp_path / "b.qdpx", "--pseudonymise", env=cli_env)
    assert result.code == 0, result.err
    assert "2 mentions of 1 listed name replaced" in result.out
    text = read_qdpx(tmp_path / "b.qdpx").sources[0].text
    assert "Ik ben Persoon X, [e-mailadres]." in text


def test_an_empty_name_list_is_refused_before_writing(project: Project, tmp_path: Path) -> None:
    with pytest.raises(UserError, match="name list is empty"):
        export_qdpx(project, tmp_path / "x.qdpx", pseudonymise=True)
    assert not (tmp_path / "x.qdpx").exists()
