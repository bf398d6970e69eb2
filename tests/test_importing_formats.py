"""The .docx/.vtt/.srt/.pdf importers and the registry, on real files and on broken ones."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import docx
import pytest
from pypdf import PdfWriter

from lo_codebook.errors import UserError
from lo_codebook.ingest.base import ParsedDocument
from lo_codebook.ingest.registry import SUPPORTED_EXTENSIONS, collect_files, parse_file
from lo_codebook.ingest.srt import parse_srt_text
from lo_codebook.ingest.vtt import parse_vtt_text

from .helpers import turns

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"


def assert_well_formed(document: ParsedDocument) -> None:
    assert unicodedata.is_normalized("NFC", document.text)
    assert "\r" not in document.text and "\ufeff" not in document.text
    previous_end = 0
    for segment in document.segments:
        assert previous_end <= segment.start <= segment.end <= len(document.text)
        previous_end = segment.end


# --------------------------------------------------------------------------- docx


def test_docx_fixture() -> None:
    document = parse_file(FIXTURES / "interview.docx")
    assert_well_formed(document)
    assert document.name == "interview"
    assert document.source_format == "docx"
    assert document.kind == "transcript"
    assert document.text.startswith("Interview gemeente Zeewolde\n\nDatum: 12 maart 2024\n\n")
    assert turns(document) == [
        (None, "Datum: 12 maart 2024"),  # the heading paragraph belongs to no segment
        ("Interviewer", "Hoe is het L&O-aanbod georganiseerd?"),
        (
            "Respondent",
            "We werken samen met de regio.\n\nVooral op het gebied van vitaliteit.\n\n"
            "Thema\tPrioriteit\nVitaliteit\tHoog",
        ),
        ("Interviewer", "Dank u wel."),
    ]


def test_docx_nfd_text_is_normalised(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("I: coo\u0308rdinatie?")
    document.add_paragraph("R: e\u0301e\u0301n ding.")
    path = tmp_path / "nfd.docx"
    document.save(str(path))
    parsed = parse_file(path)
    assert_well_formed(parsed)
    assert turns(parsed) == [("I", "coördinatie?"), ("R", "één ding.")]


def test_docx_that_is_text(tmp_path: Path) -> None:
    path = tmp_path / "fake.docx"
    path.write_text("I: dit is geen Word-bestand\n")
    with pytest.raises(UserError, match=r"not a valid \.docx \(not a zip archive\)") as info:
        parse_file(path)
    assert info.value.file == str(path)


def test_docx_corrupt_zip(tmp_path: Path) -> None:
    good = (FIXTURES / "interview.docx").read_bytes()
    path = tmp_path / "truncated.docx"
    path.write_bytes(good[: len(good) // 2])
    with pytest.raises(UserError, match=r"not a valid \.docx"):
        parse_file(path)


def test_docx_that_is_an_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "sheet.docx"
    path.write_bytes((FIXTURES / "survey.xlsx").read_bytes())
    with pytest.raises(UserError, match=r"not a valid \.docx"):
        parse_file(path)


def test_docx_without_text(tmp_path: Path) -> None:
    path = tmp_path / "empty.docx"
    docx.Document().save(str(path))
    with pytest.raises(UserError, match="no text"):
        parse_file(path)


# --------------------------------------------------------------------------- vtt


def test_teams_vtt_fixture() -> None:
    document = parse_file(FIXTURES / "teams.vtt")
    assert_well_formed(document)
    assert document.kind == "transcript"
    assert document.source_format == "vtt"
    assert document.text == (
        "Marieke de Vries: Goedemiddag & welkom bij dit interview. Zullen we beginnen?\n\n"
        "Jan Jansen: Ja, prima. Onze L&O-visie is net herzien.\n\n"
        "Marieke de Vries: Wat betekent dat voor het aanbod?"
    )
    assert turns(document) == [
        ("Marieke de Vries", "Goedemiddag & welkom bij dit interview. Zullen we beginnen?"),
        ("Jan Jansen", "Ja, prima. Onze L&O-visie is net herzien."),
        ("Marieke de Vries", "Wat betekent dat voor het aanbod?"),
    ]
    assert [(s.timestamp, s.end_timestamp) for s in document.segments] == [
        (1.0, 7.25),
        (7.8, 12.04),
        (62.0, 65.5),
    ]


def test_vtt_several_voices_in_one_cue_and_zoom_prefixes() -> None:
    text = (
        "WEBVTT\n\n"
        "00:00:01.000 --> 00:00:02.000\n<v Anna>Hoi.</v> <v Bob>Hallo &lt;Anna&gt;.</v>\n\n"
        "1\n00:00:03.000 --> 00:00:04.000\nInterviewer: Zonder voice tag.\n\n"
        "00:00:04.000 --> 00:00:05.000\nvervolg zonder naam\n"
    )
    document = parse_vtt_text(text, "zoom")
    assert turns(document) == [
        ("Anna", "Hoi."),
        ("Bob", "Hallo <Anna>."),
        ("Interviewer", "Zonder voice tag. vervolg zonder naam"),
    ]
    assert document.segments[2].end_timestamp == 5.0


def test_vtt_without_speakers_is_text() -> None:
    document = parse_vtt_text(
        "WEBVTT\n\n00:01.000 --> 00:02.500\nEerste zin\n\n00:03.000 --> 00:04.000\ntweede zin.\n",
        "x",
    )
    assert document.kind == "text"
    # one segment per cue, each with its own timestamps; a short pause keeps one paragraph
    assert document.text == "Eerste zin tweede zin."
    assert turns(document) == [(None, "Eerste zin"), (None, "tweede zin.")]
    assert [(s.timestamp, s.end_timestamp) for s in document.segments] == [(1.0, 2.5), (3.0, 4.0)]
    assert document.layout is not None and document.layout.key == "subtitles"


@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        ("Hallo\n\n00:00:01.000 --> 00:00:02.000\nx\n", "line 1", "WEBVTT"),
        (
            "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nok\n\n00:00:0x.000 --> 00:00:03.000\nkapot\n",
            "cue 2, line 6",
            "malformed cue timing",
        ),
        (
            "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nok\n\nid\n00:00:03.000 --> 00:00:75.000\nx\n",
            "cue 2, line 7",
            "invalid timestamp",
        ),
        (
            "WEBVTT\n\n00:00:05.000 --> 00:00:02.000\nterug in de tijd\n",
            "cue 1, line 3",
            "ends before",
        ),
    ],
)
def test_malformed_vtt(tmp_path: Path, text: str, where: str, message: str) -> None:
    path = tmp_path / "bad.vtt"
    path.write_text(text)
    with pytest.raises(UserError, match=message) as info:
        parse_file(path)
    assert info.value.where == where
    assert info.value.file == str(path)


def test_vtt_without_cues(tmp_path: Path) -> None:
    path = tmp_path / "leeg.vtt"
    path.write_text("WEBVTT\n\nNOTE niets\n")
    with pytest.raises(UserError, match="no cues"):
        parse_file(path)


# --------------------------------------------------------------------------- srt


def test_srt_fixture() -> None:
    document = parse_file(FIXTURES / "interview.srt")
    assert_well_formed(document)
    assert document.kind == "transcript"
    assert document.text == (
        "Interviewer: Hoe lang werkt u al bij de gemeente?\n\n"
        "Respondent: Sinds 2015. Toen begon het L&O-beleid.\n\n"
        "Interviewer: Interessant."
    )
    assert turns(document) == [
        ("Interviewer", "Hoe lang werkt u al bij de gemeente?"),
        ("Respondent", "Sinds 2015. Toen begon het L&O-beleid."),
        ("Interviewer", "Interessant."),
    ]
    assert [(s.timestamp, s.end_timestamp) for s in document.segments] == [
        (1.0, 3.2),
        (3.5, 7.75),
        (8.0, 9.5),
    ]


def test_srt_sound_tags_are_not_speakers() -> None:
    text = (
        "1\n00:00:01,000 --> 00:00:02,000\n[muziek] Welkom.\n\n"
        "2\n00:00:02,000 --> 00:00:03,000\n[muziek] Nog steeds.\n"
    )
    document = parse_srt_text(text, "x")
    assert document.kind == "text"
    assert document.text == "[muziek] Welkom. [muziek] Nog steeds."
    assert turns(document) == [(None, "[muziek] Welkom."), (None, "[muziek] Nog steeds.")]


def test_malformed_srt() -> None:
    text = "1\n00:00:01,000 --> 00:00:02,000\nok\n\n2\n00:00:02,000 -> 00:00:03,000\nkapot\n"
    with pytest.raises(UserError, match="malformed timing line") as info:
        parse_srt_text(text, "x", file="x.srt")
    assert info.value.where == "cue 2, line 6"


def test_srt_that_is_not_srt() -> None:
    with pytest.raises(UserError, match="not a SubRip cue") as info:
        parse_srt_text("Gewoon tekst.\n", "x")
    assert info.value.where == "cue 1, line 1"


# --------------------------------------------------------------------------- pdf


def test_pdf_fixture() -> None:
    document = parse_file(FIXTURES / "interview.pdf")
    assert_well_formed(document)
    assert document.source_format == "pdf"
    assert document.kind == "transcript"
    assert "\n\n" in document.text  # two pages
    assert turns(document) == [
        ("Interviewer", "Wat zijn belangrijke thema's?"),
        ("Respondent", "Vitaliteit en duurzame inzet."),
        ("Interviewer", "En verder?"),
        ("Respondent", "Leiderschap, zeker in het sociaal domein (Zeewolde)."),
    ]


def test_pdf_without_text_layer(tmp_path: Path) -> None:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    path = tmp_path / "scan.pdf"
    with path.open("wb") as handle:
        writer.write(handle)
    with pytest.raises(UserError, match=r"no text layer \(scanned PDF\?\)"):
        parse_file(path)


@pytest.mark.parametrize(
    "data",
    [b"Dit is geen PDF", b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog", b"%PDF-1.7\n" + bytes(300)],
)
def test_corrupt_pdf(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "kapot.pdf"
    path.write_bytes(data)
    with pytest.raises(UserError) as info:
        parse_file(path)
    assert info.value.file == str(path)


def test_truncated_pdf_fixture(tmp_path: Path) -> None:
    data = (FIXTURES / "interview.pdf").read_bytes()
    path = tmp_path / "half.pdf"
    path.write_bytes(data[: len(data) // 2])
    try:
        document = parse_file(path)  # pypdf may repair it; then the result must be sane
    except UserError:
        return
    assert_well_formed(document)


# --------------------------------------------------------------------------- registry


def test_supported_extensions() -> None:
    assert set(SUPPORTED_EXTENSIONS) == {".txt", ".md", ".docx", ".vtt", ".srt", ".pdf"}


def test_extension_is_case_insensitive(tmp_path: Path) -> None:
    path = tmp_path / "Interview 3.TXT"
    path.write_text("I: a\nR: b\n")
    document = parse_file(path)
    assert document.name == "Interview 3"
    assert document.source_format == "txt"


def test_nfd_file_name_gives_nfc_document_name(tmp_path: Path) -> None:
    path = tmp_path / unicodedata.normalize("NFD", "Geïnterviewde één.txt")
    path.write_text("I: a\nR: b\n")
    assert parse_file(path).name == "Geïnterviewde één"
    assert parse_file(path, name="coo\u0308rdinator").name == "coördinator"


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="file not found"):
        parse_file(tmp_path / "weg.txt")


def test_unsupported_extension_lists_supported(tmp_path: Path) -> None:
    path = tmp_path / "notes.rtf"
    path.write_text("{\\rtf1}")
    with pytest.raises(UserError, match=r"unsupported file type '\.rtf'.*\.txt, \.md, \.docx"):
        parse_file(path)


def test_csv_points_to_import_survey(tmp_path: Path) -> None:
    path = tmp_path / "survey.csv"
    path.write_text("id,q\n1,a\n")
    with pytest.raises(UserError, match="import-survey"):
        parse_file(path)


def test_empty_and_binary_files(tmp_path: Path) -> None:
    empty = tmp_path / "leeg.txt"
    empty.write_bytes(b"")
    with pytest.raises(UserError, match="file is empty"):
        parse_file(empty)
    binary = tmp_path / "plaatje.srt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00")
    with pytest.raises(UserError, match="binary file, not text"):
        parse_file(binary)


def test_collect_files(tmp_path: Path) -> None:
    for name in ["interview 10.txt", "interview 2.docx", "b.vtt", ".hidden.txt", "~$lock.docx"]:
        (tmp_path / name).write_text("x")
    (tmp_path / "notes.csv").write_text("x")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "c.txt").write_text("x")
    extra = tmp_path / "sub" / "c.txt"
    found = collect_files([tmp_path, extra, tmp_path / "b.vtt"])
    assert [p.name for p in found] == ["b.vtt", "interview 2.docx", "interview 10.txt", "c.txt"]


def test_collect_files_errors(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="no supported files"):
        collect_files([tmp_path])
    with pytest.raises(UserError, match="file not found"):
        collect_files([tmp_path / "weg"])
    odd = tmp_path / "x.doc"
    odd.write_text("x")
    with pytest.raises(UserError, match=r"save it as \.docx"):
        collect_files([odd])


def test_srt_blank_line_inside_a_subtitle_keeps_the_text() -> None:
    text = "1\n00:00:01,000 --> 00:00:02,000\nSinds\n\n2015\nbegon het.\n\n2\n00:00:03,000 --> 00:00:04,000\nJa.\n"
    document = parse_srt_text(text, "x")
    assert document.text == "Sinds 2015 begon het. Ja."
