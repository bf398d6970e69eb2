"""REFI-QDA projects: exports validate against Project.xsd and round-trip through our reader."""

from __future__ import annotations

import copy
import unicodedata
import zipfile
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from lo_codebook.errors import UserError
from lo_codebook.interop import (
    RefiCase,
    RefiCode,
    RefiCoding,
    RefiNote,
    RefiProject,
    RefiSelection,
    RefiSource,
    RefiUser,
    RefiVariable,
    new_guid,
    read_qdpx,
    write_qdpx,
)
from lo_codebook.interop.model import derived_guid
from lo_codebook.interop.qdpx import project_xml

FIXTURES = Path(__file__).parent / "fixtures" / "interop"
HAND = FIXTURES / "hand_authored"
UTC = UTC


@pytest.fixture(scope="module")
def project_schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(FIXTURES / "Project.xsd")))


def assert_valid(schema: etree.XMLSchema, xml: bytes) -> None:
    doc = etree.fromstring(xml)
    ok = schema.validate(doc)
    assert ok, "\n".join(str(e) for e in schema.error_log)


def sample_project() -> RefiProject:
    """A small study touching every mapped element: nested codes, variables, cases, notes."""
    ann = RefiUser(guid=new_guid(), name="Ann de Vries")
    bob = RefiUser(guid=new_guid(), name="Bob")
    werkdruk = RefiCode(
        guid=new_guid(), name="Werkdruk", color="#ff0000", description="Te veel werk"
    )
    leren = RefiCode(guid=new_guid(), name="Leren & ontwikkelen", color=None)
    thema = RefiCode(
        guid=new_guid(),
        name="Thema's",
        is_codable=False,
        description="Categorie\nmet twee regels",
        children=[werkdruk, leren],
    )
    text = (
        "Interviewer: Wat zijn belangrijke thema's?\n"
        "Gemeente: Werkdruk 😀 en leren — café, naïef.\n"
        "\n"
        "Tweede alinea met 𝒳 wiskunde.\n"
    )
    start = text.index("Werkdruk")
    coding1 = RefiCoding(
        new_guid(), werkdruk.guid, ann.guid, datetime(2024, 3, 1, 9, 30, tzinfo=UTC)
    )
    coding2 = RefiCoding(
        new_guid(), leren.guid, bob.guid, datetime(2024, 3, 2, 10, 0, 0, 123000, tzinfo=UTC)
    )
    sel1 = RefiSelection(
        guid=new_guid(),
        name="Werkdruk 😀",
        start=start,
        end=start + len("Werkdruk 😀"),
        codings=[coding1, coding2],
        user_guid=ann.guid,
        created=datetime(2024, 3, 1, 9, 30, tzinfo=UTC),
        description="memo bij selectie",
    )
    sel2 = RefiSelection(
        guid=new_guid(),
        name="",
        start=text.index("Tweede"),
        end=len(text) - 1,
        codings=[RefiCoding(new_guid(), leren.guid, None, None)],
        user_guid=None,
        created=None,
    )
    empty_sel = RefiSelection(
        guid=new_guid(), name="leeg", start=5, end=5, codings=[], user_guid=bob.guid, created=None
    )
    src1 = RefiSource(
        guid=new_guid(),
        name="Interview Utrecht",
        text=text,
        selections=[sel1, sel2, empty_sel],
        description="Getranscribeerd",
    )
    src2 = RefiSource(
        guid=new_guid(), name="R_0042/Q4", text="Meer ruimte voor leren.", selections=[]
    )
    size = RefiVariable(guid=new_guid(), name="size_class", type_name="Text")
    inhabitants = RefiVariable(guid=new_guid(), name="inwoners", type_name="Integer")
    share = RefiVariable(guid=new_guid(), name="aandeel", type_name="Float")
    g4 = RefiVariable(guid=new_guid(), name="G4", type_name="Boolean")
    since = RefiVariable(guid=new_guid(), name="sinds", type_name="Date")
    stamp = RefiVariable(guid=new_guid(), name="afgenomen", type_name="DateTime")
    case1 = RefiCase(
        guid=new_guid(),
        name="Utrecht",
        description="Gemeente",
        variables={
            "size_class": ">100.000",
            "inwoners": 361_966,
            "aandeel": 0.125,
            "G4": True,
            "sinds": date(2019, 1, 1),
            "afgenomen": datetime(2024, 2, 29, 23, 59, 59, tzinfo=UTC),
        },
        source_guids=[src1.guid],
    )
    case2 = RefiCase(
        guid=new_guid(),
        name="R_0042",
        variables={"size_class": "20.000-50.000", "G4": None},
        source_guids=[src2.guid],
    )
    notes = [
        RefiNote(
            new_guid(),
            "Codememo",
            "Over werkdruk.\nTweede regel.",
            [werkdruk.guid],
            ann.guid,
            datetime(2024, 1, 5, tzinfo=UTC),
        ),
        RefiNote(new_guid(), "Documentmemo", "Over het interview.", [src1.guid]),
        RefiNote(new_guid(), "Selectiememo", "Waarom dit fragment.", [sel1.guid]),
        RefiNote(new_guid(), "Coderingsmemo", "Twijfel.", [coding2.guid]),
        RefiNote(new_guid(), "Casememo", "Grote gemeente.", [case1.guid]),
        RefiNote(new_guid(), "Projectmemo", "Onderzoeksvraag.", []),
    ]
    return RefiProject(
        name="L&O-aanbod gemeenten",
        users=[ann, bob],
        codes=[thema, RefiCode(guid=new_guid(), name="Overig")],
        variables=[size, inhabitants, share, g4, since, stamp],
        cases=[case1, case2],
        sources=[src1, src2],
        notes=notes,
        description="Onderzoek naar L&O",
    )


def test_export_is_valid_and_has_exactly_project_qde_and_sources(tmp_path, project_schema):
    project = sample_project()
    out = tmp_path / "study.qdpx"
    warnings = write_qdpx(project, out)
    assert warnings == []
    with zipfile.ZipFile(out) as archive:
        names = sorted(archive.namelist())
        assert names == sorted(["project.qde"] + [f"sources/{s.guid}.txt" for s in project.sources])
        assert_valid(project_schema, archive.read("project.qde"))
        for source in project.sources:
            data = archive.read(f"sources/{source.guid}.txt")
            assert not data.startswith(b"\xef\xbb\xbf")
            assert data.decode("utf-8") == source.text
        root = etree.fromstring(archive.read("project.qde"))
    assert root.get("origin").startswith("lo-codebook")
    order = [etree.QName(el).localname for el in root]
    assert order == [
        "Users",
        "CodeBook",
        "Variables",
        "Cases",
        "Sources",
        "Notes",
        "Links",
        "Description",
        "NoteRef",
    ]
    paths = [el.get("plainTextPath") for el in root.iter("{urn:QDA-XML:project:1.0}TextSource")]
    assert paths == [f"internal://{s.guid}.txt" for s in project.sources]
    assert list(tmp_path.iterdir()) == [out]  # the atomic temp file is gone


def test_round_trip_is_identical(tmp_path):
    project = sample_project()
    out = tmp_path / "study.qdpx"
    write_qdpx(project, out)
    back = read_qdpx(out)
    assert back.warnings == []
    assert back.offset_model == "refi"
    for note in back.notes:  # REFI stores note targets in different places; order is not kept
        note.target_guids.sort()
    expected = copy.deepcopy(project)
    for note in expected.notes:
        note.target_guids.sort()
    assert back == expected
    sel = back.sources[0].selections[0]
    assert back.sources[0].text[sel.start : sel.end] == "Werkdruk 😀"
    assert back.coding_count() == 3


def test_round_trip_twice_gives_the_same_xml_apart_from_the_date(tmp_path):
    project = sample_project()
    first, files1, _ = project_xml(project)
    write_qdpx(project, tmp_path / "a.qdpx")
    again, files2, _ = project_xml(read_qdpx(tmp_path / "a.qdpx"))
    roots = [etree.fromstring(x) for x in (first, again)]
    for root in roots:
        del root.attrib["creationDateTime"]
    assert files1 == files2
    assert etree.tostring(roots[0], method="c14n") == etree.tostring(roots[1], method="c14n")


def test_empty_project_is_valid(tmp_path, project_schema):
    out = tmp_path / "empty.qdpx"
    write_qdpx(RefiProject(name="leeg"), out)
    with zipfile.ZipFile(out) as archive:
        assert archive.namelist() == ["project.qde"]
        assert_valid(project_schema, archive.read("project.qde"))
    assert read_qdpx(out) == RefiProject(name="leeg")


def test_writer_repairs_what_the_schema_cannot_hold(tmp_path, project_schema):
    code = RefiCode(guid="not-a-guid", name="Bad\x0bname", color="red")
    source = RefiSource(
        guid=new_guid(),
        name="doc",
        text="abc",
        selections=[RefiSelection(new_guid(), "", 2, 99, [RefiCoding(new_guid(), "not-a-guid")])],
    )
    case = RefiCase(new_guid(), "c", variables={"score": float("nan"), "n": 3, "when": "no date"})
    project = RefiProject(
        name="p",
        codes=[code],
        sources=[source],
        cases=[case],
        variables=[RefiVariable(new_guid(), "when", "Date")],
    )
    qde, _, warnings = project_xml(project)
    assert_valid(project_schema, qde)
    assert any("invalid GUID" in w for w in warnings)
    assert any("XML cannot hold" in w for w in warnings)
    assert any("clamped" in w for w in warnings)
    assert any("colour" in w for w in warnings)
    write_qdpx(project, tmp_path / "p.qdpx")
    back = read_qdpx(tmp_path / "p.qdpx")
    sel = back.sources[0].selections[0]
    assert (sel.start, sel.end) == (2, 3)
    assert sel.codings[0].code_guid == back.codes[0].guid == derived_guid("invalid", "not-a-guid")
    assert back.cases[0].variables == {"score": None, "n": 3, "when": "no date"}
    assert {v.name: v.type_name for v in back.variables} == {
        "when": "Date",
        "score": "Float",
        "n": "Integer",
    }


def test_duplicate_guids_in_our_data_get_new_ones(tmp_path, project_schema):
    """Two documents imported from files that reused a GUID must still export cleanly."""
    guid = new_guid()
    code = RefiCode(new_guid(), "a")
    docs = [
        RefiSource(
            guid,
            f"doc{i}",
            f"text {i}",
            [RefiSelection(new_guid(), "", 0, 4, [RefiCoding(new_guid(), code.guid)])],
        )
        for i in range(2)
    ]
    docs[1].guid = guid.upper()
    project = RefiProject(name="p", codes=[code], sources=docs)
    qde, files, warnings = project_xml(project)
    assert_valid(project_schema, qde)
    assert any("GUID used by two objects" in w for w in warnings)
    assert len(files) == 2
    write_qdpx(project, tmp_path / "p.qdpx")
    back = read_qdpx(tmp_path / "p.qdpx")
    assert back.sources[0].guid == guid
    assert back.sources[1].guid != guid
    assert [s.text for s in back.sources] == ["text 0", "text 1"]
    assert back.coding_count() == 2


def test_write_to_missing_folder_is_a_user_error(tmp_path):
    with pytest.raises(UserError, match="cannot write"):
        write_qdpx(RefiProject(name="p"), tmp_path / "nope" / "p.qdpx")


# -- the hand-authored sample (qdpx-toolkit) ------------------------------------------


def zip_folder(folder: Path, out: Path, sources_dir: str = "sources") -> Path:
    with zipfile.ZipFile(out, "w") as archive:
        archive.write(folder / "project.qde", "project.qde")
        for path in sorted((folder / "sources").iterdir()):
            archive.write(path, f"{sources_dir}/{path.name}")
    return out


@pytest.mark.parametrize("sources_dir", ["sources", "Sources", "SOURCES"])
def test_hand_authored_sample_imports_its_text_source(tmp_path, sources_dir):
    project = read_qdpx(zip_folder(HAND, tmp_path / "hand.qdpx", sources_dir))
    assert [s.name for s in project.sources] == ["Interview 1.txt"]
    source = project.sources[0]
    assert source.text == "Diet and health are closely linked in this interview."
    first = source.selections[0]
    assert source.text[first.start : first.end] == "Diet and health"
    assert [c.code_guid for c in first.codings] == ["20000000-0000-0000-0000-000000000002"]
    assert project.user_name(first.codings[0].user_guid) == "Researcher A"
    assert project.cases[0].variables == {"Age": 34, "Consented": True}
    assert project.cases[0].source_guids == [source.guid]
    assert [c.name for c in project.all_codes()] == ["Topics", "Health", "Diet", "Wellbeing"]
    assert project.codes[0].is_codable is False
    # the memo is linked to the first selection (Link originGUID -> targetGUID)
    assert project.notes[0].target_guids == [first.guid]
    # picture/PDF/audio/video sources are counted and skipped
    assert any("PictureSource skipped" in w for w in project.warnings)
    assert any("AudioSource skipped" in w for w in project.warnings)


def test_hand_authored_sample_reads_unpacked(tmp_path):
    project = read_qdpx(HAND / "project.qde")
    assert project.sources[0].text.startswith("Diet and health")
    assert read_qdpx(HAND) == project


def test_hand_authored_sample_reexports_valid(tmp_path, project_schema):
    project = read_qdpx(HAND)
    qde, _, _ = project_xml(project)
    assert_valid(project_schema, qde)
    write_qdpx(project, tmp_path / "again.qdpx")
    assert read_qdpx(tmp_path / "again.qdpx") == project


# -- reading variants ------------------------------------------------------------------

NS = "urn:QDA-XML:project:1.0"


def qdpx_with(
    tmp_path: Path, qde: str, files: dict[str, bytes] | None = None, name: str = "project.qde"
) -> Path:
    out = tmp_path / "in.qdpx"
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(name, qde.encode("utf-8"))
        for member, data in (files or {}).items():
            archive.writestr(member, data)
    return out


CODEBOOK = """<CodeBook><Codes><Code guid="{{AAAAAAAA-0000-0000-0000-00000000000A}}" name="A" isCodable="true"/>
</Codes></CodeBook>"""


def one_source_qde(path_attr: str, start: int, end: int, origin: str = "Test", ns: str = NS) -> str:
    return f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="{ns}" name="t" origin="{origin}">
{CODEBOOK.format()}
<Sources><TextSource guid="BBBBBBBB-0000-0000-0000-00000000000B" name="doc" {path_attr}>
<PlainTextSelection guid="cccccccc-0000-0000-0000-00000000000c" startPosition="{start}" endPosition="{end}">
<Coding guid="dddddddd-0000-0000-0000-00000000000d"><CodeRef targetGUID="aaaaaaaa-0000-0000-0000-00000000000a"/></Coding>
</PlainTextSelection></TextSource></Sources></Project>"""


def test_guid_braces_and_case_are_normalised(tmp_path):
    qde = one_source_qde('plainTextPath="internal://B.TXT"', 0, 5)
    project = read_qdpx(qdpx_with(tmp_path, qde, {"sources/b.txt": b"Hello world"}))
    code = project.codes[0]
    assert code.guid == "aaaaaaaa-0000-0000-0000-00000000000a"
    sel = project.sources[0].selections[0]
    assert sel.codings[0].code_guid == code.guid
    assert project.sources[0].guid == "bbbbbbbb-0000-0000-0000-00000000000b"
    assert project.sources[0].text[sel.start : sel.end] == "Hello"


@pytest.mark.parametrize(
    "ns", ["urn:QDA-XML:project:1.0", "urn:QDA-XML:project:1:0", "urn:QDA-XML:project:0:4", ""]
)
def test_namespace_variants_read(tmp_path, ns):
    qde = one_source_qde('plainTextPath="internal://b.txt"', 6, 11, ns=ns)
    if not ns:
        qde = qde.replace(' xmlns=""', "")
    project = read_qdpx(qdpx_with(tmp_path, qde, {"Sources/b.txt": b"Hello world"}))
    sel = project.sources[0].selections[0]
    assert project.sources[0].text[sel.start : sel.end] == "world"


def test_inline_plain_text_content(tmp_path):
    qde = one_source_qde("", 6, 11).replace(
        "<PlainTextSelection", "<PlainTextContent>Hello world</PlainTextContent><PlainTextSelection"
    )
    project = read_qdpx(qdpx_with(tmp_path, qde))
    assert project.sources[0].text == "Hello world"


def test_qde_named_after_the_project_and_nested_folder(tmp_path):
    qde = one_source_qde('plainTextPath="internal://b.txt"', 0, 5)
    project = read_qdpx(
        qdpx_with(tmp_path, qde, {"sources/b.txt": b"Hello world"}, name="My Study.qde")
    )
    assert project.sources[0].text == "Hello world"
    out = tmp_path / "nested.qdpx"
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("Study/project.qde", qde)
        archive.writestr("Study/sources/b.txt", b"Hello world")
    assert read_qdpx(out).sources[0].text == "Hello world"


@pytest.mark.parametrize(
    ("encoded", "start"),
    [
        ("Caf\u00e9 world\n".encode("utf-8"), 5),
        (b"\xef\xbb\xbf" + "Caf\u00e9 world\n".encode("utf-8"), 5),
        ("\ufeffCaf\u00e9 world\n".encode("utf-16-le"), 5),
        ("\ufeffCaf\u00e9 world\n".encode("utf-16-be"), 5),
        ("Caf\u00e9 world\n".encode("cp1252"), 5),
        ("Cafe\u0301 world\r\n".encode("utf-8"), 6),  # decomposed é (2 code points) + CRLF
    ],
)
def test_text_encodings_and_normalisation(tmp_path, encoded, start):
    qde = one_source_qde('plainTextPath="internal://b.txt"', start, start + 5)
    project = read_qdpx(qdpx_with(tmp_path, qde, {"sources/b.txt": encoded}))
    source = project.sources[0]
    assert source.text == "Caf\u00e9 world\n"
    sel = source.selections[0]
    assert source.text[sel.start : sel.end] == "world"


@pytest.mark.parametrize(
    "path",
    [
        "relative:///../outside.txt",
        "absolute:///etc/hostname",
        "file:///etc/hostname",
        "internal://../outside.txt",
        "internal://sub/../../outside.txt",
        "internal:///etc/hostname",
        "C:\\Windows\\win.ini",
    ],
)
def test_text_paths_outside_the_archive_are_refused(tmp_path, path):
    (tmp_path / "outside.txt").write_text("secret")
    qde = one_source_qde(f'plainTextPath="{path}"', 0, 3)
    project = read_qdpx(qdpx_with(tmp_path, qde, {"sources/b.txt": b"Hello"}))
    assert project.sources == []
    assert any("not imported" in w for w in project.warnings)


def test_missing_text_file_is_a_warning(tmp_path):
    project = read_qdpx(
        qdpx_with(tmp_path, one_source_qde('plainTextPath="internal://zz.txt"', 0, 3))
    )
    assert project.sources == []
    assert any("'zz.txt' is not in the archive" in w for w in project.warnings)


def test_out_of_range_selection_is_clamped_with_a_warning(tmp_path):
    qde = one_source_qde('plainTextPath="internal://b.txt"', 6, 40)
    project = read_qdpx(qdpx_with(tmp_path, qde, {"sources/b.txt": b"Hello world"}))
    sel = project.sources[0].selections[0]
    assert (sel.start, sel.end) == (6, 11)
    assert any("clamped" in w for w in project.warnings)


def test_unknown_code_reference_is_skipped_with_warning(tmp_path):
    qde = one_source_qde('plainTextPath="internal://b.txt"', 0, 5).replace(
        'targetGUID="aaaaaaaa', 'targetGUID="eeeeeeee'
    )
    project = read_qdpx(qdpx_with(tmp_path, qde, {"sources/b.txt": b"Hello world"}))
    assert project.sources[0].selections[0].codings == []
    assert any("not in the codebook" in w for w in project.warnings)


def test_source_level_codings_and_variables(tmp_path):
    qde = f"""<Project xmlns="{NS}" name="t">
<CodeBook><Codes><Code guid="aaaaaaaa-0000-0000-0000-00000000000a" name="A" isCodable="true"/></Codes></CodeBook>
<Variables><Variable guid="99999999-0000-0000-0000-000000000009" name="age" typeOfVariable="Integer"/></Variables>
<Sources><TextSource guid="bbbbbbbb-0000-0000-0000-00000000000b" name="R1"><PlainTextContent>Whole answer</PlainTextContent>
<Coding guid="dddddddd-0000-0000-0000-00000000000d"><CodeRef targetGUID="aaaaaaaa-0000-0000-0000-00000000000a"/></Coding>
<VariableValue><VariableRef targetGUID="99999999-0000-0000-0000-000000000009"/><IntegerValue>41</IntegerValue></VariableValue>
</TextSource></Sources></Project>"""
    project = read_qdpx(qdpx_with(tmp_path, qde))
    sel = project.sources[0].selections[0]
    assert (sel.start, sel.end) == (0, len("Whole answer"))
    assert [c.guid for c in sel.codings] == ["dddddddd-0000-0000-0000-00000000000d"]
    assert len(project.cases) == 1
    assert project.cases[0].name == "R1"
    assert project.cases[0].variables == {"age": 41}
    assert project.cases[0].source_guids == [project.sources[0].guid]


def test_notes_from_noterefs_everywhere(tmp_path):
    qde = f"""<Project xmlns="{NS}" name="t">
<CodeBook><Codes><Code guid="aaaaaaaa-0000-0000-0000-00000000000a" name="A" isCodable="true">
<NoteRef targetGUID="11111111-0000-0000-0000-000000000001"/></Code></Codes></CodeBook>
<Sources><TextSource guid="bbbbbbbb-0000-0000-0000-00000000000b" name="d"><PlainTextContent>Hello</PlainTextContent>
<PlainTextSelection guid="cccccccc-0000-0000-0000-00000000000c" startPosition="0" endPosition="5">
<Coding guid="dddddddd-0000-0000-0000-00000000000d"><CodeRef targetGUID="aaaaaaaa-0000-0000-0000-00000000000a"/>
<NoteRef targetGUID="{{11111111-0000-0000-0000-000000000002}}"/></Coding></PlainTextSelection>
<NoteRef targetGUID="11111111-0000-0000-0000-000000000001"/></TextSource></Sources>
<Notes><Note guid="11111111-0000-0000-0000-000000000001" name="n1"><PlainTextContent>one</PlainTextContent></Note>
<Note guid="11111111-0000-0000-0000-000000000002" name="n2"><PlainTextContent>two</PlainTextContent></Note></Notes>
<NoteRef targetGUID="11111111-0000-0000-0000-000000000009"/>
</Project>"""
    project = read_qdpx(qdpx_with(tmp_path, qde))
    n1, n2 = project.notes
    assert n1.target_guids == [
        "aaaaaaaa-0000-0000-0000-00000000000a",
        "bbbbbbbb-0000-0000-0000-00000000000b",
    ]
    assert n2.target_guids == ["dddddddd-0000-0000-0000-00000000000d"]
    assert any("note that does not exist" in w for w in project.warnings)


def test_not_a_project_root(tmp_path):
    with pytest.raises(UserError, match="not a REFI-QDA project"):
        read_qdpx(qdpx_with(tmp_path, "<CodeBook/>"))


# -- property: any normalised project round-trips ------------------------------------------

_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\x00\ufeff"),
    max_size=60,
)


@st.composite
def projects(draw) -> RefiProject:
    users = [
        RefiUser(new_guid(), draw(st.text(min_size=1, max_size=8)))
        for _ in range(draw(st.integers(0, 2)))
    ]
    codes = [
        RefiCode(new_guid(), f"code{i}", draw(st.sampled_from([None, "#a0b1c2"]))) for i in range(3)
    ]
    codes[0].children.append(
        RefiCode(new_guid(), "child", None, draw(st.one_of(st.none(), st.just("d"))))
    )
    code_guids = [c.guid for top in codes for c in top.walk()]
    sources = []
    for i in range(draw(st.integers(0, 3))):
        raw = draw(_text)
        text = unicodedata.normalize("NFC", raw)
        selections = []
        for _ in range(draw(st.integers(0, 3))):
            a = draw(st.integers(0, len(text)))
            b = draw(st.integers(a, len(text)))
            codings = [
                RefiCoding(
                    new_guid(),
                    draw(st.sampled_from(code_guids)),
                    draw(st.sampled_from([None] + [u.guid for u in users])),
                    draw(
                        st.one_of(
                            st.none(),
                            st.datetimes(
                                min_value=datetime(1971, 1, 1),
                                max_value=datetime(2100, 1, 1),
                                timezones=st.just(UTC),
                            ),
                        )
                    ),
                )
                for _ in range(draw(st.integers(0, 2)))
            ]
            selections.append(
                RefiSelection(new_guid(), draw(st.sampled_from(["", "s"])), a, b, codings)
            )
        sources.append(RefiSource(new_guid(), f"doc {i}", text, selections))
    return RefiProject(
        name=draw(st.text(max_size=10)).replace("\x00", ""),
        users=users,
        codes=codes,
        sources=sources,
    )


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(project=projects())
def test_round_trip_property(tmp_path, project):
    from lo_codebook.interop.xsdtypes import xml_safe

    project.name = unicodedata.normalize("NFC", xml_safe(project.name)[0])
    for user in project.users:
        user.name = unicodedata.normalize("NFC", xml_safe(user.name)[0])
    out = tmp_path / "p.qdpx"
    write_qdpx(project, out)
    back = read_qdpx(out)
    if not project.name:
        project.name = "lo-codebook project"
    assert back == project
