"""REFI-QDA codebooks (.qdc): lenient import of real-world variants, strict valid export."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from lo_codebook.errors import UserError
from lo_codebook.interop import RefiCode, new_guid, read_qdc, write_qdc

FIXTURES = Path(__file__).parent / "fixtures" / "interop"


@pytest.fixture(scope="module")
def codebook_schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(FIXTURES / "Codebook.xsd")))


def tree() -> list[RefiCode]:
    return [
        RefiCode(
            guid=new_guid(),
            name="Thema's L&O",
            is_codable=False,
            description='Categorie <met> "tekens" & regels\ntwee',
            children=[
                RefiCode(new_guid(), "Werkdruk", "#ff8800", "Te veel werk"),
                RefiCode(
                    new_guid(), "Leiderschap", None, None, True, [RefiCode(new_guid(), "Coaching")]
                ),
            ],
        ),
        RefiCode(new_guid(), "Overig 😀", "#0a0b0c"),
    ]


def test_export_validates_and_round_trips(tmp_path, codebook_schema):
    codes = tree()
    out = tmp_path / "codebook.qdc"
    assert write_qdc(codes, out) == []
    doc = etree.parse(str(out))
    assert codebook_schema.validate(doc), str(codebook_schema.error_log)
    assert doc.getroot().get("origin").startswith("lo-codebook")
    assert not list(doc.getroot().iter("{*}Sets"))
    warnings: list[str] = []
    assert read_qdc(out, warnings) == codes
    assert warnings == []


def test_export_repairs_invalid_values_and_still_validates(tmp_path, codebook_schema):
    codes = [
        RefiCode("{ABCDEF01-2345-6789-ABCD-EF0123456789}", "a\x01b", "red"),
        RefiCode("x", "y", "#ABC"),
    ]
    out = tmp_path / "c.qdc"
    warnings = write_qdc(codes, out)
    assert codebook_schema.validate(etree.parse(str(out))), str(codebook_schema.error_log)
    assert len(warnings) == 3  # control character, colour, invalid GUID
    back = read_qdc(out)
    assert back[0].guid == "abcdef01-2345-6789-abcd-ef0123456789"
    assert back[0].name == "a\ufffdb"
    assert back[0].color is None
    assert back[1].color == "#aabbcc"


def test_empty_codebook_cannot_be_exported(tmp_path):
    with pytest.raises(UserError, match="at least one code") as info:
        write_qdc([], tmp_path / "empty.qdc")
    assert str(tmp_path / "empty.qdc") in str(info.value)
    assert not (tmp_path / "empty.qdc").exists()


TAGUETTE = """<?xml version='1.0' encoding='utf-8'?>
<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="Taguette 1.4.1">
  <Codes>
    <Code guid="{B9CA5E3B-6D3B-4C3E-9B3C-1E2B1B8A5B01}" name="interesting" isCodable="true" color="#FF0000">
      <Description>Stuff</Description>
    </Code>
    <Code guid="b9ca5e3b-6d3b-4c3e-9b3c-1e2b1b8a5b02" name="boring" isCodable="TRUE"/>
  </Codes>
  <Sets/>
</CodeBook>
"""


def test_taguette_empty_sets_and_braced_upper_case_guids(tmp_path):
    path = tmp_path / "taguette.qdc"
    path.write_text(TAGUETTE, encoding="utf-8")
    warnings: list[str] = []
    codes = read_qdc(path, warnings)
    assert [c.name for c in codes] == ["interesting", "boring"]
    assert codes[0].guid == "b9ca5e3b-6d3b-4c3e-9b3c-1e2b1b8a5b01"
    assert codes[0].color == "#ff0000"
    assert codes[0].description == "Stuff"
    assert codes[1].is_codable is True
    assert warnings == []


@pytest.mark.parametrize(
    "namespace",
    [
        "urn:QDA-XML:codebook:1.0",
        "urn:QDA-XML:codebook:1:0",  # NVivo for Mac
        "urn:QDA-XML:codebook:0:4",  # ATLAS.ti 26
        None,
    ],
)
def test_namespace_variants(tmp_path, namespace):
    xmlns = f' xmlns="{namespace}"' if namespace else ""
    path = tmp_path / "c.qdc"
    path.write_text(
        f"""<CodeBook{xmlns}><Codes>
<Code guid="11111111-2222-3333-4444-555555555555" name="Parent" isCodable="false">
<Description>P</Description>
<Code guid="11111111-2222-3333-4444-555555555556" name="Child" isCodable="true" color="#abc"/>
</Code></Codes>
<Sets><Set guid="11111111-2222-3333-4444-555555555557" name="S">
<MemberCode guid="11111111-2222-3333-4444-555555555556"/></Set></Sets></CodeBook>""",
        encoding="utf-8",
    )
    warnings: list[str] = []
    codes = read_qdc(path, warnings)
    assert codes == [
        RefiCode(
            "11111111-2222-3333-4444-555555555555",
            "Parent",
            None,
            "P",
            False,
            [RefiCode("11111111-2222-3333-4444-555555555556", "Child", "#aabbcc", None, True)],
        )
    ]
    assert any("code set" in w for w in warnings)


def test_project_file_is_accepted_as_codebook_source():
    codes = read_qdc(FIXTURES / "hand_authored" / "project.qde")
    assert [c.name for c in codes[0].walk()] == ["Topics", "Health", "Diet", "Wellbeing"]


def test_lenient_on_missing_attributes_and_duplicate_guids(tmp_path):
    path = tmp_path / "c.qdc"
    path.write_text(
        """<CodeBook><Codes><Code guid="11111111-2222-3333-4444-555555555555" name="A"/>
<Code guid="11111111-2222-3333-4444-555555555555" name="B" isCodable="false"/><Code name=""/></Codes></CodeBook>""",
        encoding="utf-8",
    )
    warnings: list[str] = []
    codes = read_qdc(path, warnings)
    assert [c.name for c in codes] == ["A", "B", "(unnamed code)"]
    assert codes[0].is_codable is True
    assert len({c.guid for c in codes}) == 3
    assert any("used twice" in w for w in warnings)
    assert any("without a guid" in w for w in warnings)


def test_wrong_root_and_missing_file(tmp_path):
    path = tmp_path / "x.qdc"
    path.write_text("<Nonsense/>", encoding="utf-8")
    with pytest.raises(UserError, match="not a REFI-QDA codebook"):
        read_qdc(path)
    with pytest.raises(UserError, match="file not found"):
        read_qdc(tmp_path / "missing.qdc")


def test_duplicate_code_guids_are_written_unique(tmp_path, codebook_schema):
    guid = new_guid()
    out = tmp_path / "dup.qdc"
    warnings = write_qdc([RefiCode(guid, "a"), RefiCode(guid, "b")], out)
    assert codebook_schema.validate(etree.parse(str(out))), str(codebook_schema.error_log)
    assert any("GUID used by two objects" in w for w in warnings)
    back = read_qdc(out)
    assert back[0].guid == guid and back[1].guid != guid
