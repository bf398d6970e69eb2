"""Speaker-turn detection in plain text and the .txt/.md importer built on it."""

from __future__ import annotations

from pathlib import Path

import pytest

from lo_codebook.ingest.plaintext import parse_plaintext, parse_plaintext_bytes
from lo_codebook.ingest.turns import (
    check_label,
    document_from_text,
    find_turns,
    is_known_label,
    parse_timestamp,
)

from .helpers import turns

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"


def test_interviewer_respondent_fixture() -> None:
    document = parse_plaintext(FIXTURES / "interview_turns.txt")
    assert document.name == "interview_turns"
    assert document.kind == "transcript"
    assert document.source_format == "txt"
    assert turns(document) == [
        (None, "Interview gemeente Zeewolde\nDatum: 12 maart 2024\nLocatie: gemeentehuis"),
        (
            "Interviewer",
            "Goedemiddag. Wat zijn voor u belangrijke thema's voor het L&O-aanbod?",
        ),
        (
            "Respondent",
            "Vitaliteit, zeker. En leiderschap.\n"
            "Daarnaast merken we dat hybride werken veel vraagt.\n\n"
            "Let op: dit is een continuation-regel, geen spreker.",
        ),
        ("Interviewer", "Hoe pakt u dat aan?"),
        ("Respondent", "Via de regio, met de Academie."),
    ]
    # the labels stay in the stored text
    assert "Interviewer: Goedemiddag." in document.text


def test_i_r_fixture() -> None:
    document = parse_plaintext(FIXTURES / "interview_ir.txt")
    assert document.kind == "transcript"
    assert turns(document) == [
        ("I", "Hoeveel medewerkers heeft de gemeente?"),
        ("R", "Ongeveer 250 fte."),
        ("I", "En het opleidingsbudget?"),
        ("R", "Dat is de laatste jaren gegroeid."),
    ]


def test_markdown_headings_are_not_in_turns() -> None:
    document = parse_plaintext(FIXTURES / "interview.md")
    assert document.source_format == "md"
    assert document.kind == "transcript"
    assert turns(document) == [
        (None, "- Datum: 3 april 2024\n- Interviewer: JdV"),
        ("Interviewer", "Wat is uw rol?"),
        ("Marieke de Vries", "Ik ben adviseur L&O.\nAl sinds 2019."),
        ("Interviewer", "Wat mist u?"),
        ("Marieke de Vries", "Tijd."),
    ]


def test_cp1252_fixture_keeps_accents_and_reports_encoding() -> None:
    document = parse_plaintext(FIXTURES / "cp1252.txt")
    assert document.encoding == "cp1252"
    assert turns(document) == [
        ("Interviewer", "Hoe gaat het met het café-project?"),
        ("Geïnterviewde", "Goed, de coördinatie loopt; kosten € 500."),
    ]


def test_bom_crlf_fixture_offsets() -> None:
    document = parse_plaintext(FIXTURES / "bom_crlf.txt")
    assert document.encoding == "utf-8-sig"
    assert document.text.startswith("I: Eerste vraag?")
    assert turns(document)[1] == ("R", "Eerste antwoord.\nTweede regel.")
    assert [seg.speaker for seg in document.segments] == ["I", "R", "I", "R"]


def test_metadata_label_occurring_once_is_not_a_speaker() -> None:
    text = (
        "Datum: 12 maart\nGemeente: Ede\n\nJan: Hallo.\nPiet: Dag Jan.\nJan: Zullen we?\nPiet: Ja."
    )
    segments = find_turns(text)
    assert [s.speaker for s in segments] == [None, "Jan", "Piet", "Jan", "Piet"]
    assert text[segments[0].start : segments[0].end] == "Datum: 12 maart\nGemeente: Ede"


def test_repeated_unknown_names_become_speakers() -> None:
    text = "Marieke: Eerste.\nJan: Tweede.\nMarieke: Derde.\nJan: Vierde.\nPiet: Eenmalig."
    document = document_from_text("x", text, "txt")
    assert document.kind == "transcript"
    # "Piet" occurs once and is no known label: his line continues Jan's turn
    assert [s.speaker for s in document.segments] == ["Marieke", "Jan", "Marieke", "Jan"]
    assert document.text[document.segments[-1].start :] == "Vierde.\nPiet: Eenmalig."


def test_capitalised_speakers_may_speak_once() -> None:
    text = "MARIEKE: Eerste.\nJAN: Tweede.\nMARIEKE: Derde.\nLet op: geen spreker."
    document = document_from_text("x", text, "txt")
    assert [s.speaker for s in document.segments] == ["MARIEKE", "JAN", "MARIEKE"]


def test_single_turn_is_text_with_one_segment() -> None:
    text = "\n  Respondent: Alleen ik zeg iets.\nEn nog meer.  \n"
    document = document_from_text("x", text, "txt")
    assert document.kind == "text"
    [segment] = document.segments
    assert segment.speaker is None
    assert text[segment.start : segment.end] == "Respondent: Alleen ik zeg iets.\nEn nog meer."


def test_no_labels_is_text() -> None:
    document = document_from_text("x", "Gewoon een tekst: zonder sprekers.", "txt")
    assert document.kind == "text"
    assert len(document.segments) == 1


def test_urls_times_and_long_sentences_are_not_labels() -> None:
    text = (
        "I: Kijk op\n"
        "https://www.example.nl: daar staat het.\n"
        "10:30: we begonnen.\n"
        "Dit is een hele lange zin die met een dubbele punt eindigt: ja\n"
        "Dit is een hele lange zin die met een dubbele punt eindigt: ja\n"
        "R: Oké."
    )
    segments = find_turns(text)
    assert [s.speaker for s in segments] == ["I", "R"]


def test_label_on_its_own_line_and_empty_turns() -> None:
    text = "Interviewer:\nWat vindt u?\n\nRespondent:\n\nInterviewer: Niets?\nRespondent: Nee."
    segments = find_turns(text)
    assert [(s.speaker, text[s.start : s.end]) for s in segments] == [
        ("Interviewer", "Wat vindt u?"),
        ("Interviewer", "Niets?"),
        ("Respondent", "Nee."),
    ]


def test_timestamps_and_bold_labels() -> None:
    text = "[00:01:05] Interviewer: Start.\n**Respondent (1:02:03.5):** Antwoord.\n"
    segments = find_turns(text)
    assert [(s.speaker, s.timestamp, text[s.start : s.end]) for s in segments] == [
        ("Interviewer", 65.0, "Start."),
        ("Respondent", 3723.5, "Antwoord."),
    ]


def test_known_labels() -> None:
    for label in [
        "I",
        "R",
        "Int.",
        "resp",
        "Interviewster",
        "Geïnterviewde",
        "Spreker 2",
        "Q",
        "A",
    ]:
        checked = check_label(label)
        assert checked is not None and is_known_label(checked.key), label
    for label in ["Datum", "Let op", "Gemeente"]:
        checked = check_label(label)
        assert checked is not None and not is_known_label(checked.key), label


@pytest.mark.parametrize(
    "label", ["", "12", "www.gemeente.nl", "a@b.nl", "een twee drie vier vijf zes", "x" * 41]
)
def test_rejected_label_shapes(label: str) -> None:
    assert check_label(label) is None


def test_parse_timestamp() -> None:
    assert parse_timestamp("01:02") == 62.0
    assert parse_timestamp("1:00:00,250") == 3600.25
    assert parse_timestamp("00:61") is None


def test_plaintext_bytes_nfc() -> None:
    nfd = "I: coo\u0308rdinatie\nR: e\u0301e\u0301n"
    document = parse_plaintext_bytes(nfd.encode(), "doc")
    assert document.text == "I: coördinatie\nR: één"
    assert turns(document) == [("I", "coördinatie"), ("R", "één")]


def test_long_transcript_is_linear_and_fast() -> None:
    import time

    paragraph = "Interviewer: Wat vindt u van het aanbod?\nRespondent: " + "woord " * 100 + "\n\n"
    text = paragraph * 80  # ~8,000 words
    # CPU time of this process, not wall time: other work on the machine must not fail it;
    # the bound only catches a pathological (e.g. quadratic) parser
    started = time.process_time()
    document = document_from_text("big", text, "txt")
    elapsed = time.process_time() - started
    assert len(document.segments) == 160
    assert elapsed < 2.0
