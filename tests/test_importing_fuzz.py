"""Fuzz the text parsers: nothing but UserError may escape, and segment offsets stay sane."""

from __future__ import annotations

import tempfile
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lo_codebook.errors import UserError
from lo_codebook.ingest.base import ParsedDocument, ParsedSegment
from lo_codebook.ingest.plaintext import parse_plaintext_bytes
from lo_codebook.ingest.srt import parse_srt_text
from lo_codebook.ingest.survey import read_survey
from lo_codebook.ingest.turns import document_from_text, find_turns
from lo_codebook.ingest.vtt import parse_vtt_text

FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Characters that exercise labels, markdown, timestamps, quoting and Unicode normalisation.
_SPICY = list("IR:Int Resp.ab\n\n\t #*[]()<>&;,|\"'0123456789-–é\u0301\r\ufeff\x00")
texts = st.text(
    alphabet=st.one_of(st.sampled_from(_SPICY), st.characters(exclude_categories=["Cs"])),
    max_size=400,
)
labels = st.sampled_from(
    ["I", "R", "Interviewer", "Marieke de Vries", "Datum", "**Q**", "[00:01] A", "x"]
)
transcripts = st.lists(
    st.tuples(labels, st.sampled_from([": ", ":", ":\n", " : "]), texts), max_size=12
).map(lambda turns: "\n".join(f"{label}{colon}{said}" for label, colon, said in turns))


def assert_segments_sane(text: str, segments: list[ParsedSegment]) -> None:
    previous_end = 0
    for segment in segments:
        assert 0 <= previous_end <= segment.start < segment.end <= len(text)
        said = text[segment.start : segment.end]
        assert said == said.strip()
        previous_end = segment.end
        if segment.timestamp is not None and segment.end_timestamp is not None:
            assert segment.end_timestamp >= segment.timestamp


def assert_document_sane(document: ParsedDocument) -> None:
    assert unicodedata.is_normalized("NFC", document.text)
    assert "\r" not in document.text
    assert document.kind in {"transcript", "text"}
    assert_segments_sane(document.text, document.segments)
    if document.kind == "transcript":
        assert sum(1 for s in document.segments if s.speaker is not None) >= 1


@FUZZ
@given(st.one_of(texts, transcripts), st.booleans())
def test_turns_offsets_always_valid(text: str, markdown: bool) -> None:
    text = unicodedata.normalize("NFC", text.replace("\r", "\n"))
    segments = find_turns(text, markdown=markdown)
    assert_segments_sane(text, segments)
    if text.strip():
        assert_document_sane(
            document_from_text("x", text, "md" if markdown else "txt", markdown=markdown)
        )


@FUZZ
@given(
    st.one_of(
        st.binary(max_size=300),
        texts.map(str.encode),
        transcripts.map(lambda t: t.encode("cp1252", "ignore")),
    )
)
def test_plaintext_only_raises_user_error(data: bytes) -> None:
    try:
        document = parse_plaintext_bytes(data, "fuzz")
    except UserError as exc:
        assert "\n" not in str(exc)
        return
    assert_document_sane(document)


@FUZZ
@given(st.one_of(texts, transcripts))
def test_caption_parsers_only_raise_user_error(body: str) -> None:
    body = body.replace("\r", "\n")
    for parse, text in (
        (parse_vtt_text, "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n" + body),
        (parse_vtt_text, body),
        (parse_srt_text, "1\n00:00:01,000 --> 00:00:02,000\n" + body),
        (parse_srt_text, body),
    ):
        try:
            document = parse(text, "fuzz")
        except UserError:
            continue
        assert_document_sane(document)


@pytest.fixture(scope="module")
def fuzz_dir() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as directory:
        yield Path(directory)


csv_cells = st.one_of(
    st.text(alphabet=st.sampled_from(list('ab ,;\t|"\n\r{}é')), max_size=12),
    st.sampled_from(['{"ImportId":"QID1"}', '"{""ImportId"":""x""}"', "", " ", "n.v.t."]),
)
csv_texts = st.one_of(
    st.text(alphabet=st.sampled_from(list('id,txt;\t|"\n\r ab{}:')), max_size=200),
    st.lists(st.lists(csv_cells, min_size=1, max_size=4), max_size=8).map(
        lambda rows: "id,txt\n" + "\n".join(",".join(row) for row in rows)
    ),
)


@FUZZ
@given(
    st.one_of(csv_texts.map(str.encode), st.binary(max_size=200)),
    st.sampled_from([None, True, False]),
)
def test_csv_reader_only_raises_user_error(
    fuzz_dir: Path, data: bytes, qualtrics: bool | None
) -> None:
    path = fuzz_dir / "fuzz.csv"
    path.write_bytes(data)
    try:
        result = read_survey(path, "id", ["txt"], ["id=ident"], qualtrics=qualtrics)
    except UserError as exc:
        assert "\n" not in str(exc)
        return
    names = [case.name for case in result.cases]
    assert len(names) == len(set(names)) and all(names)
    for document in result.documents:
        assert document.text and document.text == document.text.strip()
        assert_segments_sane(document.text, document.segments)


@pytest.mark.parametrize("fixture", ["interview.docx", "survey.xlsx", "interview.pdf", "teams.vtt"])
def test_damaged_binary_files_only_raise_user_error(fixture: str, fuzz_dir: Path) -> None:
    import random

    from lo_codebook.ingest.registry import parse_file

    original = (Path(__file__).parent / "fixtures" / "ingest" / fixture).read_bytes()
    rng = random.Random(fixture)
    for attempt in range(40):
        data = bytearray(original)
        if attempt % 2:
            del data[rng.randrange(1, len(data)) :]
        else:
            for _ in range(rng.randint(1, 20)):
                data[rng.randrange(len(data))] = rng.randrange(256)
        path = fuzz_dir / f"damaged{Path(fixture).suffix}"
        path.write_bytes(bytes(data))
        try:
            if fixture.endswith(".xlsx"):
                read_survey(path, "id", ["thema"], [])
            else:
                assert_document_sane(parse_file(path))
        except UserError as exc:
            assert "\n" not in str(exc)
