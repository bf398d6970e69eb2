"""Offset counting models: each tool's offsets select the text that tool meant."""

from __future__ import annotations

import unicodedata
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lo_codebook.interop import read_qdpx
from lo_codebook.interop.offsets import (
    ALL_MODELS,
    ATLAS,
    NVIVO,
    REFI,
    CountingModel,
    OffsetMapper,
    choose_model,
    prior_model,
)
from lo_codebook.interop.text import SourceText, _is_stable_boundary, nfc_clusters, normalise_text


def units_of(raw: str, model: CountingModel, raw_pos: int) -> int:
    """Independent reference: the offset `model` writes for raw index `raw_pos`."""
    units = 0
    for i, ch in enumerate(raw[:raw_pos]):
        if i == 0 and ch == "\ufeff":
            units += 1 if model.bom_counted else 0
        elif ch == "\r" and raw[i + 1 : i + 2] == "\n":
            units += 1 if model.crlf_units == 2 else 0
        elif ord(ch) > 0xFFFF:
            units += 2 if model.utf16 else 1
        else:
            units += 1
    return units


# Survey-like text: BOM, CRLF, emoji, non-ASCII; coders select whole lines.
RAW = (
    "\ufeff"
    + "\r\n".join(
        [
            "Respondent 1: werkdruk is hoog 😀😀",
            "Respondent 2: meer 🎓 opleiding, café",
            "",
            "Respondent 3: 👍 goed zo 👍👍",
            "Respondent 4: leiderschap 𝒳 en coaching",
            "Respondent 5: geen opmerkingen",
        ]
    )
    + "\r\n"
)


def line_spans(raw: str) -> list[tuple[int, int]]:
    """(start, end) raw indices of every non-empty line, without its CRLF."""
    spans = []
    pos = 1 if raw.startswith("\ufeff") else 0
    for line in raw[pos:].split("\r\n"):
        if line:
            spans.append((pos, pos + len(line)))
        pos += len(line) + 2
    return spans


def expected_texts(raw: str, spans: list[tuple[int, int]]) -> list[str]:
    return [normalise_text(raw[a:b]) for a, b in spans]


@pytest.mark.parametrize("model", ALL_MODELS, ids=lambda m: m.name)
def test_each_model_is_detected_from_line_boundaries(model):
    source = SourceText.from_raw(RAW)
    spans = line_spans(RAW)
    offsets = [(units_of(RAW, model, a), units_of(RAW, model, b)) for a, b in spans]
    choice = choose_model(None, [(source, offsets)])
    mapper = OffsetMapper(source, choice.model)
    got = [source.text[mapper.map(s, "start")[0] : mapper.map(e, "end")[0]] for s, e in offsets]
    assert got == expected_texts(RAW, spans)


def test_origin_gives_the_prior():
    assert prior_model("NVivo for Windows 12.6") == NVIVO
    assert prior_model("NVivo 14 (Mac)") == NVIVO
    assert prior_model("ATLAS.ti 23.2.3") == ATLAS
    assert prior_model("QualCoder 3.5") == ATLAS
    assert prior_model("MAXQDA 2022") == REFI
    assert prior_model(None) == REFI


def test_a_few_selections_do_not_overrule_the_origin():
    # One selection whose ends are word boundaries under REFI and line boundaries under
    # another model: not enough evidence to leave the prior.
    raw = "ab 😀 cd\r\nef gh\r\n"
    source = SourceText.from_raw(raw)
    choice = choose_model("MAXQDA 2022", [(source, [(6, 8)])])
    assert choice.model == REFI


def test_evidence_overrules_a_wrong_origin():
    spans = line_spans(RAW)
    offsets = [(units_of(RAW, NVIVO, a), units_of(RAW, NVIVO, b)) for a, b in spans]
    choice = choose_model("ATLAS.ti 9", [(SourceText.from_raw(RAW), offsets)])
    assert choice.model == NVIVO
    assert choice.overrode_prior


def test_own_files_are_trusted():
    offsets = [(units_of(RAW, NVIVO, a), units_of(RAW, NVIVO, b)) for a, b in line_spans(RAW)]
    choice = choose_model("lo-codebook 0.1.0", [(SourceText.from_raw(RAW), offsets)])
    assert choice.model == REFI


def test_half_an_emoji_widens_to_the_whole_character():
    source = SourceText.from_raw("a😀b")
    mapper = OffsetMapper(source, NVIVO)
    assert mapper.map(2, "start") == (1, False)
    assert mapper.map(2, "end") == (2, False)
    assert mapper.map(3, "end") == (2, True)
    assert mapper.unit_length == 4


def test_offsets_past_the_end_are_inexact_and_clamped():
    mapper = OffsetMapper(SourceText.from_raw("abc\r\n"), ATLAS)
    assert mapper.unit_length == 4
    assert mapper.map(9, "end") == (4, False)
    assert mapper.map(-1, "start") == (0, False)


def test_qdpx_with_atlas_style_offsets(tmp_path: Path):
    """ATLAS.ti: CRLF in the file, counted as one; the origin alone decides."""
    raw = "Vraag één\r\nAntwoord: werkdruk\r\nTweede antwoord\r\n"
    target = raw.index("werkdruk")
    start = units_of(raw, ATLAS, target)
    end = start + len("werkdruk")
    qde = f"""<Project xmlns="urn:QDA-XML:project:0:4" name="a" origin="ATLAS.ti 23.2.3">
<CodeBook><Codes><Code guid="aaaaaaaa-0000-0000-0000-00000000000a" name="A" isCodable="true"/></Codes></CodeBook>
<Sources><TextSource guid="bbbbbbbb-0000-0000-0000-00000000000b" name="d" plainTextPath="internal://x.txt">
<PlainTextSelection guid="cccccccc-0000-0000-0000-00000000000c" startPosition="{start}" endPosition="{end}">
<Coding guid="dddddddd-0000-0000-0000-00000000000d"><CodeRef targetGUID="aaaaaaaa-0000-0000-0000-00000000000a"/></Coding>
</PlainTextSelection></TextSource></Sources></Project>"""
    out = tmp_path / "atlas.qdpx"
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("Atlas Project.qde", qde)
        archive.writestr("sources/x.txt", raw.encode("utf-8"))
    project = read_qdpx(out)
    source = project.sources[0]
    sel = source.selections[0]
    assert project.offset_model == "atlas"
    assert source.text[sel.start : sel.end] == "werkdruk"


def test_qualcoder_bom_is_not_counted(tmp_path: Path):
    raw = "\ufeffEerste regel\nTweede regel\n"
    qde = """<Project xmlns="urn:QDA-XML:project:1.0" name="q" origin="QualCoder 3.5">
<CodeBook><Codes><Code guid="aaaaaaaa-0000-0000-0000-00000000000a" name="A" isCodable="true"/></Codes></CodeBook>
<Sources><TextSource guid="bbbbbbbb-0000-0000-0000-00000000000b" name="d" plainTextPath="internal://x.txt">
<PlainTextSelection guid="cccccccc-0000-0000-0000-00000000000c" startPosition="13" endPosition="25">
<Coding guid="dddddddd-0000-0000-0000-00000000000d"><CodeRef targetGUID="aaaaaaaa-0000-0000-0000-00000000000a"/></Coding>
</PlainTextSelection></TextSource></Sources></Project>"""
    out = tmp_path / "qc.qdpx"
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("project.qde", qde)
        archive.writestr("sources/x.txt", raw.encode("utf-8"))
    project = read_qdpx(out)
    source = project.sources[0]
    sel = source.selections[0]
    assert source.text[sel.start : sel.end] == "Tweede regel"


# -- properties ----------------------------------------------------------------------

_pieces = st.lists(
    st.sampled_from(
        ["a", "b", " ", "\r\n", "\n", "\r", "😀", "𝒳", "é", "e\u0301", "\u1100\u1161", ".", "ij"]
    ),
    max_size=30,
)


@settings(max_examples=300, deadline=None)
@given(pieces=_pieces, bom=st.booleans(), data=st.data(), model=st.sampled_from(ALL_MODELS))
def test_mapping_selects_what_the_producer_meant(pieces, bom, data, model):
    raw = ("\ufeff" if bom else "") + "".join(pieces)
    # Boundaries a tool could produce: between pieces (never inside a CRLF or a cluster).
    cuts = [1 if bom else 0]
    for piece in pieces:
        cuts.append(cuts[-1] + len(piece))
    cuts = [c for c in cuts if raw[c - 1 : c + 1] != "\r\n"]  # "\r" then "\n" pieces make a CRLF
    a = data.draw(st.sampled_from(cuts))
    b = data.draw(st.sampled_from([c for c in cuts if c >= a]))
    source = SourceText.from_raw(raw)
    mapper = OffsetMapper(source, model)
    start, exact_start = mapper.map(units_of(raw, model, a), "start")
    end, exact_end = mapper.map(units_of(raw, model, b), "end")
    assert exact_start and exact_end
    assert source.text[start:end] == normalise_text(raw[a:b])
    assert mapper.unit_length == units_of(raw, model, len(raw))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40))
def test_cluster_wise_nfc_equals_whole_text_nfc(text):
    normalised, mapping = nfc_clusters(text)
    assert normalised == unicodedata.normalize("NFC", text)
    assert mapping.b_len == len(normalised)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="ae\u0301\u0323\u0307 \n\r\u1100\u1161\u11a8😀", max_size=30))
def test_source_text_map_is_monotone_and_within_bounds(raw):
    source = SourceText.from_raw(raw)
    assert source.text == normalise_text(raw)
    previous = 0
    for pos in range(len(raw) + 1):
        mapped, _ = source.to_text(pos, "start")
        assert previous <= mapped <= len(source.text)
        previous = mapped
    assert source.to_text(len(raw), "end")[0] == len(source.text)


def test_stable_boundaries():
    assert _is_stable_boundary("a")
    assert not _is_stable_boundary("\u0301")  # combining acute
    assert not _is_stable_boundary("\u1161")  # Hangul vowel jamo composes with a leading consonant
    assert not _is_stable_boundary("\u0f73")  # Tibetan: decomposes to non-starters
