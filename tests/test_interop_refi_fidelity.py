"""REFI-QDA fidelity: what other tools wrote comes back when we export it again.

GUIDs of codes, names with '/', isCodable="false", code sets (ATLAS.ti code groups, MAXQDA
sets) and sources with equal text. Fixtures in tests/fixtures/interop/tools/ are written by
hand in MAXQDA's and ATLAS.ti's shapes (our own codes and text).
"""

from __future__ import annotations

import uuid
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from sqlalchemy import select

from lo_codebook.core.codebook import (
    export_codebook,
    import_codebook_file,
    rename_code,
    resolve_code,
)
from lo_codebook.core.project import Project
from lo_codebook.core.refi_extras import NOT_CODABLE_SETTING
from lo_codebook.core.refi_mapping import export_qdpx, import_qdpx
from lo_codebook.db.models import Code, Coding, Document, Memo, Setting
from lo_codebook.interop import normalise_guid, read_codebook, read_qdpx

from .conftest import run_cli

# The assertions read the English lines of the CLI (see `english_output`).
pytestmark = pytest.mark.usefixtures("english_output")

HERE = Path(__file__).parent / "fixtures" / "interop"
TOOLS = HERE / "tools"
MAXQDA = TOOLS / "maxqda_codebook.qdc"
ATLAS = TOOLS / "atlas_codebook.qdc"


def schema(name: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(HERE / name)))


def tree(path: Path) -> list[tuple[str, str, bool, int]]:
    """(guid, name, isCodable, depth) of every code of a .qdc, in order."""
    book = read_codebook(path)
    out: list[tuple[str, str, bool, int]] = []

    def walk(code, depth):  # type: ignore[no-untyped-def]
        out.append((code.guid, code.name, code.is_codable, depth))
        for sub in code.children:
            walk(sub, depth + 1)

    for top in book.codes:
        walk(top, 0)
    return out


def sets(path: Path) -> list[tuple[str, str, str | None, list[str]]]:
    return [(s.guid, s.name, s.description, s.code_guids) for s in read_codebook(path).sets]


def test_maxqda_codebook_round_trip_keeps_everything(project: Project, tmp_path: Path) -> None:
    report = import_codebook_file(project, MAXQDA)
    assert (report.created, report.guids_kept, report.guids_in_file) == (7, 7, 7)
    out = tmp_path / "back.qdc"
    export_codebook(project, out)
    assert schema("Codebook.xsd").validate(etree.parse(str(out))), schema("Codebook.xsd").error_log
    # same GUIDs, same names (with their '/'), same hierarchy, isCodable="false" kept
    assert tree(out) == tree(MAXQDA)
    assert ("6e1b7c2a-94d3-4f0b-a1c8-3b2e5d7f9a01", "Werk en privé", False, 0) in tree(out)
    assert sets(out) == sets(MAXQDA)
    assert sets(out)[0][3] == [
        "6e1b7c2a-94d3-4f0b-a1c8-3b2e5d7f9a02",
        "6e1b7c2a-94d3-4f0b-a1c8-3b2e5d7f9a07",
    ]
    # what the import had to keep differently, it said
    assert any(
        "'Work\u2215life balance'" in note and "exported with '/' again" in note
        for note in report.notes
    )
    assert any("2 code(s) marked not codable" in note for note in report.notes)
    assert any("1 set(s) from the codebook" in note for note in report.notes)


def test_names_with_a_slash_are_found_as_typed(project: Project) -> None:
    import_codebook_file(project, MAXQDA)
    with project.read() as session:
        code = resolve_code(session, "Work/life balance")
        assert code.name == "Work\u2215life balance" and code.parent is not None
        assert resolve_code(session, "Leiderschap/Wet/regelgeving").name == "Wet\u2215regelgeving"


def test_reimport_adds_nothing_and_finds_renamed_codes_by_guid(
    project: Project, tmp_path: Path
) -> None:
    import_codebook_file(project, MAXQDA)
    with project.read() as session:
        code_id = session.scalar(select(Code.id).where(Code.name == "Thuiswerken"))
    assert code_id is not None
    rename_code(project, code_id, "Hybride werken")
    again = import_codebook_file(project, MAXQDA)
    assert (again.created, again.guids_kept) == (0, 7)
    assert any("already here" in note for note in again.notes)
    with project.read() as session:
        assert session.scalar(select(Code.name).where(Code.id == code_id)) == "Hybride werken"
        assert len(list(session.scalars(select(Code)))) == 7
        assert len(list(session.scalars(select(Memo)))) == 1
    out = tmp_path / "renamed.qdc"
    export_codebook(project, out)
    assert [guid for guid, *_ in tree(out)] == [guid for guid, *_ in tree(MAXQDA)]


def test_undo_takes_back_the_sets_and_codability(project: Project) -> None:
    import_codebook_file(project, MAXQDA)
    project.undo()
    with project.read() as session:
        assert not list(session.scalars(select(Code)))
        assert not list(session.scalars(select(Memo)))
        assert session.get(Setting, NOT_CODABLE_SETTING) is None


def test_atlas_code_groups_via_the_cli(cli_env: dict[str, str], tmp_path: Path) -> None:
    result = run_cli("codebook", "import", ATLAS, env=cli_env)
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[0] == "codebook: 4 codes added, 0 updated; GUIDs kept for 4 of 4 codes"
    assert any(
        "2 set(s) from the codebook ('Barrières', 'Kansen'; 4 codes) kept as project memos 'Set: NAME'"
        in line
        for line in lines
    )
    out = tmp_path / "atlas_back.qdc"
    assert run_cli("codebook", "export", out, env=cli_env).code == 0
    # ATLAS.ti's braces and capitals are one spelling of the same GUID
    assert tree(out) == tree(ATLAS)
    assert sets(out) == sets(ATLAS)
    assert {normalise_guid("{0B7D2E51-3C1A-4A8E-8F20-6D5C4B3A2F01}")} <= {s[0] for s in sets(out)}


def test_a_307_code_maxqda_codebook_keeps_every_guid(
    cli_env: dict[str, str], tmp_path: Path
) -> None:
    """The reported case: 0 of 307 GUIDs came back. Now all do."""
    rng = uuid.UUID(int=307)
    guids = [str(uuid.uuid5(rng, str(i))).upper() for i in range(307)]
    parts = [
        '<?xml version="1.0" encoding="utf-8"?>\n<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="MAXQDA 2022 (Release 22.7.0)"><Codes>'
    ]
    index = 0
    for top in range(7):
        parts.append(
            f'<Code guid="{guids[index]}" name="Categorie {top + 1}" isCodable="false" color="#336699">'
        )
        index += 1
        for child in range(43 if top < 6 else 42):
            slash = "/variant" if child % 10 == 0 else ""
            parts.append(
                f'<Code guid="{guids[index]}" name="Thema {top + 1}.{child + 1}{slash}" isCodable="true" color="#6699CC"/>'
            )
            index += 1
        parts.append("</Code>")
    parts.append("</Codes></CodeBook>")
    assert index == 307
    source = tmp_path / "maxqda_307.qdc"
    source.write_text("".join(parts), encoding="utf-8")
    result = run_cli("codebook", "import", source, env=cli_env)
    assert result.code == 0, result.err
    assert (
        result.out.splitlines()[0]
        == "codebook: 307 codes added, 0 updated; GUIDs kept for 307 of 307 codes"
    )
    out = tmp_path / "back.qdc"
    assert run_cli("codebook", "export", out, env=cli_env).code == 0
    assert tree(out) == tree(source)
    print(
        f"GUIDs kept: {sum(1 for a, b in zip(tree(out), tree(source), strict=True) if a[0] == b[0])} of 307"
    )


# -- projects (.qdpx) ----------------------------------------------------------------------

NS = "urn:QDA-XML:project:1.0"
TEMPLATE = "Vraag 1. Wat zijn belangrijke thema's?\nVraag 2. Wat mist u?\n"


def _atlas_project(path: Path) -> Path:
    """An ATLAS.ti-shaped project: .qde named after the project, two sources with the same
    text (an empty interview template used twice), a code group and a document group."""
    qde = f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="{NS}" name="Gemeentestudie" origin="ATLAS.ti 26.0.1">
 <Users><User guid="{{A1000000-0000-4000-8000-000000000001}}" name="Noor"/></Users>
 <CodeBook><Codes>
  <Code guid="{{C1000000-0000-4000-8000-000000000001}}" name="Thema's" isCodable="false">
   <Code guid="{{C1000000-0000-4000-8000-000000000002}}" name="Vitaliteit" isCodable="true"/>
   <Code guid="{{C1000000-0000-4000-8000-000000000003}}" name="Werk/privé" isCodable="true"/>
  </Code>
 </Codes></CodeBook>
 <Sources>
  <TextSource guid="{{D1000000-0000-4000-8000-000000000001}}" name="Sjabloon Ede" plainTextPath="internal://D1000000-0000-4000-8000-000000000001.txt">
   <PlainTextSelection guid="{{E1000000-0000-4000-8000-000000000001}}" startPosition="0" endPosition="7" creatingUser="{{A1000000-0000-4000-8000-000000000001}}">
    <Coding guid="{{F1000000-0000-4000-8000-000000000001}}"><CodeRef targetGUID="{{C1000000-0000-4000-8000-000000000002}}"/></Coding>
   </PlainTextSelection>
  </TextSource>
  <TextSource guid="{{D1000000-0000-4000-8000-000000000002}}" name="Sjabloon Zeist" plainTextPath="internal://D1000000-0000-4000-8000-000000000002.txt">
   <PlainTextSelection guid="{{E1000000-0000-4000-8000-000000000002}}" startPosition="8" endPosition="9" creatingUser="{{A1000000-0000-4000-8000-000000000001}}">
    <Coding guid="{{F1000000-0000-4000-8000-000000000002}}"><CodeRef targetGUID="{{C1000000-0000-4000-8000-000000000003}}"/></Coding>
   </PlainTextSelection>
  </TextSource>
 </Sources>
 <Sets>
  <Set guid="{{B1000000-0000-4000-8000-000000000001}}" name="Balans"><MemberCode targetGUID="{{C1000000-0000-4000-8000-000000000003}}"/></Set>
  <Set guid="{{B1000000-0000-4000-8000-000000000002}}" name="Kleine gemeenten">
   <Description>Document group</Description>
   <MemberSource targetGUID="{{D1000000-0000-4000-8000-000000000001}}"/>
   <MemberSource targetGUID="{{D1000000-0000-4000-8000-000000000002}}"/>
  </Set>
 </Sets>
</Project>"""
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("Gemeentestudie.qde", qde)
        for n in (1, 2):
            archive.writestr(f"sources/D1000000-0000-4000-8000-00000000000{n}.txt", TEMPLATE)
    return path


def test_qdpx_sources_with_equal_text_stay_two_documents(project: Project, tmp_path: Path) -> None:
    source = _atlas_project(tmp_path / "atlas.qdpx")
    report = import_qdpx(project, source)
    assert sorted(report.documents_added) == ["Sjabloon Ede", "Sjabloon Zeist"]
    with project.read() as session:
        docs = {d.name: d for d in session.scalars(select(Document))}
        assert docs["Sjabloon Ede"].text == docs["Sjabloon Zeist"].text == TEMPLATE
        coded = {(c.document.name, c.code.name) for c in session.scalars(select(Coding))}
    assert coded == {("Sjabloon Ede", "Vitaliteit"), ("Sjabloon Zeist", "Werk\u2215privé")}
    assert any(
        "2 set(s) from the project ('Balans', 'Kleine gemeenten'; 1 codes, 2 documents)" in n
        for n in report.notes
    )
    assert any("1 code(s) marked not codable" in n for n in report.notes)
    again = import_qdpx(project, source)
    assert (again.documents_added, again.documents_matched, again.codings_added) == ([], 2, 0)
    assert any("already here" in n for n in again.notes)


def test_qdpx_round_trip_keeps_sets_codability_and_guids(project: Project, tmp_path: Path) -> None:
    original = read_qdpx(_atlas_project(tmp_path / "atlas.qdpx"))
    import_qdpx(project, tmp_path / "atlas.qdpx")
    out = tmp_path / "back.qdpx"
    export_report = export_qdpx(project, out)
    assert not export_report.warnings
    with zipfile.ZipFile(out) as archive:
        xml = etree.fromstring(archive.read("project.qde"))
    assert schema("Project.xsd").validate(xml), schema("Project.xsd").error_log
    back = read_qdpx(out)
    assert [(s.guid, s.name, s.description, s.code_guids, s.source_guids) for s in back.sets] == [
        (s.guid, s.name, s.description, s.code_guids, s.source_guids) for s in original.sets
    ]
    assert [(c.guid, c.name, c.is_codable) for c in back.all_codes()] == [
        (c.guid, c.name, c.is_codable) for c in original.all_codes()
    ]
    assert sorted(s.guid for s in back.sources) == sorted(s.guid for s in original.sources)
    assert not back.notes  # the sets' memos went out as sets, not as notes as well


@pytest.mark.parametrize("fixture", [MAXQDA, ATLAS])
def test_merge_codebook_still_reads_tool_codebooks(project: Project, fixture: Path) -> None:
    """merge-codebook reads the code tree of the same files (sets stay with `codebook import`)."""
    from lo_codebook.core.refi_mapping import code_rows_from_qdc

    warnings: list[str] = []
    rows = code_rows_from_qdc(fixture, warnings)
    assert all(row.guid for row in rows)
    assert any("not imported (only the code tree was read)" in w for w in warnings)
