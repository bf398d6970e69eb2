"""Transcript layouts: each recogniser on a file in its tool's shape, the choice, --layout, and
no false speakers in reports. Fixtures in tests/fixtures/ingest/layouts/ are our own text."""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lo_codebook.errors import UserError
from lo_codebook.ingest.base import ParsedDocument
from lo_codebook.ingest.layouts import Layout, Source, layout_names, read_layout, scores
from lo_codebook.ingest.plaintext import parse_plaintext_bytes
from lo_codebook.ingest.registry import parse_file
from lo_codebook.ingest.srt import parse_srt_text, read_srt_cues
from lo_codebook.ingest.turns import document_from_text
from lo_codebook.ingest.vtt import parse_vtt_text, read_vtt_cues

from .conftest import run_cli
from .helpers import turns

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
LAYOUTS = FIXTURES / "layouts"
CLOCK = re.compile(r"\d:\d\d")


def speakers(document: ParsedDocument) -> set[str]:
    return {seg.speaker for seg in document.segments if seg.speaker is not None}


def assert_sane(document: ParsedDocument) -> None:
    previous = 0
    for seg in document.segments:
        assert previous <= seg.start < seg.end <= len(document.text)
        said = document.text[seg.start : seg.end]
        assert said == said.strip()
        previous = seg.end
        if seg.timestamp is not None and seg.end_timestamp is not None:
            assert seg.end_timestamp >= seg.timestamp
    assert unicodedata.is_normalized("NFC", document.text)


@pytest.mark.parametrize(
    ("file", "key", "kind", "people", "count"),
    [
        ("otter.txt", "otter", "transcript", {"Sanne Bakker", "Pieter de Groot"}, 7),
        ("descript.txt", "descript", "transcript", {"Sanne Bakker", "Pieter de Groot"}, 5),
        ("whisper.txt", "whisper", "text", set(), 5),
        ("zoom.vtt", "zoom", "transcript", {"Sanne Bakker", "Pieter de Groot"}, 4),
        ("lecture.srt", "subtitles", "text", set(), 5),
        ("qa.txt", "qa", "transcript", {"Q", "A"}, 6),
        ("int_resp.txt", "int-resp", "transcript", {"INT", "RESP"}, 5),
        ("bold.md", "bold", "transcript", {"Interviewer (I)", "Respondent (R)"}, 4),
        ("report.txt", "text", "text", set(), 1),
        ("../teams.vtt", "teams", "transcript", {"Marieke de Vries", "Jan Jansen"}, 3),
        ("../interview_turns.txt", "names", "transcript", {"Interviewer", "Respondent"}, 4),
    ],
)
def test_layout_is_recognised(file: str, key: str, kind: str, people: set[str], count: int) -> None:
    document = parse_file(LAYOUTS / file)
    assert_sane(document)
    assert document.layout is not None and document.layout.key == key, document.layout
    assert not document.layout.forced and document.layout.alternative is None
    assert document.kind == kind
    assert speakers(document) == people
    if people:
        assert sum(1 for seg in document.segments if seg.speaker) == count
    else:
        assert len(document.segments) == count
    # the one that won is the most confident
    confidence = {layout.key: score for layout, score in _scores(LAYOUTS / file)}
    assert confidence[key] == max(confidence.values()) == document.layout.confidence


def _scores(path: Path) -> list[tuple[Layout, float]]:
    """Every recogniser's confidence for a fixture, as the readers see it."""
    text = path.read_text(encoding="utf-8")
    fmt = path.suffix.lstrip(".")
    cues = {"vtt": read_vtt_cues, "srt": read_srt_cues}.get(fmt)
    return scores(Source(path.stem, text, fmt, cues=cues(text, path) if cues else None))


def test_otter_timestamps_leave_the_text() -> None:
    document = parse_file(LAYOUTS / "otter.txt")
    assert document.layout_summary() == "layout: Otter.ai, 7 turns, 2 speakers"
    assert not CLOCK.search(document.text)  # "0:21" is a segment timestamp, not a word
    assert document.text.startswith("Sanne Bakker: Okay, the recording is running.")
    timed = [(s.speaker, s.timestamp, s.end_timestamp) for s in document.segments]
    assert timed[:4] == [
        ("Sanne Bakker", 0.0, 9.0),
        ("Pieter de Groot", 9.0, 21.0),
        ("Sanne Bakker", 21.0, 25.0),
        ("Pieter de Groot", 25.0, 62.0),
    ]
    # a turn of two lines stays one turn; Otter's signature is no part of the last turn
    assert turns(document)[3][1].endswith(
        "very few people use it.\nHonestly, most of it just stays on the shelf."
    )
    assert turns(document)[-2] == ("Sanne Bakker", "That's clear. Thank you.")
    assert turns(document)[-1] == (None, "Transcribed by https://otter.ai")


def test_otter_docx_with_hours(tmp_path: Path) -> None:
    """Otter's Word export: header and text are separate paragraphs; long calls have hours."""
    import docx

    document = docx.Document()
    for name, clock, said in [
        ("Speaker 1", "59:58", "Let's take a short break."),
        ("Speaker 2", "1:00:04", "Fine by me."),
        ("Speaker 1", "1:12:30", "We're back. Where were we?"),
    ]:
        document.add_paragraph(f"{name}  {clock}")
        document.add_paragraph(said)
    path = tmp_path / "call.docx"
    document.save(str(path))
    parsed = parse_file(path)
    assert parsed.layout is not None and parsed.layout.key == "otter"
    assert [(s.speaker, s.timestamp) for s in parsed.segments] == [
        ("Speaker 1", 3598.0), ("Speaker 2", 3604.0), ("Speaker 1", 4350.0),
    ]  # fmt: skip
    assert (
        parsed.text
        == "Speaker 1: Let's take a short break.\n\nSpeaker 2: Fine by me.\n\nSpeaker 1: We're back. Where were we?"
    )


def test_an_agenda_is_not_otter() -> None:
    text = "Opening  9:00\nWelcome by the mayor.\n\nWorkshops  10:15\nThree rooms.\n\nLunch  12:30\nIn the hall.\n"
    document = parse_plaintext_bytes(text.encode(), "agenda")
    assert document.layout is not None and document.layout.key == "text"
    assert document.text == text  # untouched


def test_descript_inline_timestamps_become_segment_timestamps() -> None:
    document = parse_file(LAYOUTS / "descript.txt")
    assert "[00:" not in document.text
    said = dict(
        ((seg.speaker, seg.timestamp), document.text[seg.start : seg.end])
        for seg in document.segments
    )
    assert said[("Pieter de Groot", 7.0)].startswith(
        "Yes. The biggest one is hybrid working. We changed the office last year"
    )
    # a timestamped paragraph without a label continues the speaker's turn
    assert said[("Pieter de Groot", 26.0)] == (
        "That comes right after. Our managers were trained as specialists, not as coaches.\n\n"
        "We started a programme for them in the spring."
    )
    assert [s.timestamp for s in document.segments] == [0.0, 7.0, 24.0, 26.0, 41.0]


def test_descript_without_speakers_keeps_a_segment_per_paragraph() -> None:
    text = "[00:00:00] First we talked about budgets.\n\n[00:00:30] Then about time.\n\n[00:01:10] And then about managers.\n"
    document = parse_plaintext_bytes(text.encode(), "x")
    assert document.layout is not None and document.layout.key == "descript"
    assert turns(document) == [
        (None, "First we talked about budgets."), (None, "Then about time."), (None, "And then about managers."),
    ]  # fmt: skip
    assert [s.timestamp for s in document.segments] == [0.0, 30.0, 70.0]


def test_whisper_cues_are_segments_with_their_timestamps() -> None:
    document = parse_file(LAYOUTS / "whisper.txt")
    assert "-->" not in document.text and not CLOCK.search(document.text)
    assert [(s.timestamp, s.end_timestamp) for s in document.segments] == [
        (0.0, 4.2), (4.2, 9.88), (10.12, 14.5), (17.3, 21.04), (21.04, 26.7),
    ]  # fmt: skip
    # a pause of two seconds or more starts a new paragraph
    assert document.text.count("\n\n") == 1
    assert document.layout_summary() == "layout: Whisper, 5 segments, no speakers"


def test_timestamps_out_of_order_give_no_wrong_end() -> None:
    otter = "A  0:30\nOne.\n\nB  0:10\nTwo.\n\nA  0:40\nThree.\n\nB  0:50\nFour.\n"
    whisper = "[00:05.000 --> 00:02.000] Backwards.\n[00:06.000 --> 00:07.000] Fine.\n"
    for text in (otter, whisper):
        document = parse_plaintext_bytes(text.encode(), "x")
        assert_sane(document)
    assert parse_plaintext_bytes(otter.encode(), "x").segments[0].end_timestamp is None


def test_whisper_with_diarised_speakers() -> None:
    text = (
        "[00:00.000 --> 00:02.000] SPEAKER_00: Shall we begin?\n"
        "[00:02.500 --> 00:05.000] SPEAKER_01: Yes, go ahead.\n"
        "[00:05.000 --> 00:07.000] SPEAKER_00: What is your role?\n"
    )
    document = parse_plaintext_bytes(text.encode(), "x")
    assert turns(document) == [
        ("SPEAKER_00", "Shall we begin?"), ("SPEAKER_01", "Yes, go ahead."), ("SPEAKER_00", "What is your role?"),
    ]  # fmt: skip


def test_zoom_cues_and_a_cue_without_a_name_continue_the_turn() -> None:
    document = parse_file(LAYOUTS / "zoom.vtt")
    assert turns(document)[-1] == (
        "Pieter de Groot",
        "Right. Vitality was the first one. We see a lot of long-term absence among older staff.",
    )
    assert (document.segments[-1].timestamp, document.segments[-1].end_timestamp) == (12.9, 19.8)
    assert "-->" not in document.text


def test_subtitles_keep_a_segment_per_cue_and_text_without_timing() -> None:
    document = parse_file(LAYOUTS / "lecture.srt")
    assert turns(document) == [
        (None, "This file was exported from the captioning tool."),  # no timing line: kept
        (None, "Welcome to this short lecture"),
        (None, "on learning in public organisations."),
        (None, "First, some numbers."),
        (None, "Two thirds of the municipalities have a training plan."),  # blank line inside
    ]
    assert [s.timestamp for s in document.segments] == [None, 1.0, 3.5, 9.0, 12.0]
    assert document.text == (
        "This file was exported from the captioning tool.\n\n"
        "Welcome to this short lecture on learning in public organisations.\n\n"
        "First, some numbers. Two thirds of the municipalities have a training plan."
    )


def test_vtt_text_without_a_timing_line_is_kept() -> None:
    text = (
        "WEBVTT\n\nNOTE made by hand\n\n"
        "00:00:01.000 --> 00:00:03.000\nThe first cue\n\n"
        "and a line that lost its cue\n\n"
        "00:00:04.000 --> 00:00:05.000\nthe second cue.\n"
    )
    document = parse_vtt_text(text, "x")
    assert turns(document) == [
        (None, "The first cue and a line that lost its cue"),
        (None, "the second cue."),
    ]
    assert "made by hand" not in document.text  # a NOTE is a comment, not text


def test_srt_zoom_style_names() -> None:
    text = (
        "1\n00:00:01,000 --> 00:00:02,000\nAnna: Hello.\n\n"
        "2\n00:00:02,000 --> 00:00:03,000\nBob: Hi Anna.\n\n"
        "3\n00:00:03,000 --> 00:00:04,000\nAnna: Shall we?\n"
    )
    document = parse_srt_text(text, "x")
    assert document.layout is not None and document.layout.key == "zoom"
    assert turns(document) == [("Anna", "Hello."), ("Bob", "Hi Anna."), ("Anna", "Shall we?")]


def test_labels_with_timestamps_are_rebuilt_without_them() -> None:
    text = (
        "Interviewer (00:01:05): Where do you work?\n\nRespondent (00:01:09): At the town hall.\n"
    )
    document = parse_plaintext_bytes(text.encode(), "x")
    assert document.text == "Interviewer: Where do you work?\n\nRespondent: At the town hall."
    assert [(s.speaker, s.timestamp) for s in document.segments] == [
        ("Interviewer", 65.0),
        ("Respondent", 69.0),
    ]


def test_bold_labels_with_parentheses() -> None:
    document = parse_file(LAYOUTS / "bold.md")
    assert turns(document)[0] == (
        "Interviewer (I)",
        "What does onboarding look like for new colleagues?",
    )
    assert "**Interviewer (I):**" in document.text  # no timestamps: the text is kept as written


# -- no false speakers in non-interview text ----------------------------------------------


def test_report_labels_are_not_speakers() -> None:
    document = parse_file(LAYOUTS / "report.txt")
    assert document.kind == "text" and speakers(document) == set()
    assert document.text == (LAYOUTS / "report.txt").read_text(encoding="utf-8")  # untouched
    assert len(document.segments) == 1


@pytest.mark.parametrize(
    "text",
    [
        "Model 1: central.\nModel 2: local.\nModel 3: mixed.",
        "Level 1: basic.\nSome text.\nLevel 1: again.\nLevel 2: more.\nLevel 2: and more.",
        "Note: first remark.\nBody text.\nNote: second remark.\nMore body text.",
        "Q1: How big is the team?\nQ2: Who decides?\nQ3: Since when?",
        "Vraag 1: Hoe groot is het team?\nVraag 2: Wie beslist?\nVraag 1: herhaald.",
        "Amsterdam: 12 projects.\nAmsterdam: 3 cancelled.\nRotterdam: 8 projects.\nRotterdam: 1 cancelled.",
    ],
)
def test_headings_of_reports_are_no_turns(text: str) -> None:
    document = document_from_text("x", text, "txt")
    assert document.kind == "text", turns(document)
    auto = parse_plaintext_bytes(text.encode(), "x")
    assert auto.layout is not None and auto.layout.key == "text"


def test_numbered_speakers_still_count() -> None:
    text = "I: Welcome all.\nR1: Thanks.\nR2: Hello.\nI: Let's start.\nR1: Sure."
    assert speakers(document_from_text("x", text, "txt")) == {"I", "R1", "R2"}


# -- forcing a layout ------------------------------------------------------------------------


def test_forced_layout() -> None:
    document = parse_file(LAYOUTS / "qa.txt", layout="names")
    assert document.layout is not None and document.layout.forced and document.layout.key == "names"
    assert document.layout_summary() == "layout: Name: turns (forced), 6 turns, 2 speakers"
    plain = parse_file(LAYOUTS / "zoom.vtt", layout="SUBTITLES")
    assert plain.kind == "text" and len(plain.segments) == 5
    assert plain.text.startswith("Sanne Bakker: Good morning")  # the names stay words of the text


def test_forced_layout_errors() -> None:
    with pytest.raises(UserError, match="unknown layout 'rev'; layouts: otter, descript"):
        parse_file(LAYOUTS / "qa.txt", layout="rev")
    with pytest.raises(UserError, match=r"reads \.vtt \.srt files, not \.txt") as info:
        parse_file(LAYOUTS / "qa.txt", layout="teams")
    assert info.value.file == str(LAYOUTS / "qa.txt")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.one_of(
            st.sampled_from(list("SQA:[]0123456789.-> \n\t*()Name")),
            st.sampled_from(
                ["Sanne  0:21\n", "[00:00:05] ", "[00:01.000 --> 00:02.000] ", "**I:** ", "INT: "]
            ),
        ),
        max_size=120,
    ).map("".join),
    st.sampled_from(
        [name for name in layout_names() if name not in ("teams", "zoom", "subtitles")] + [None]
    ),
)
def test_every_text_layout_keeps_offsets_sane(text: str, layout: str | None) -> None:
    text = unicodedata.normalize("NFC", text)
    if not text.strip():
        return
    document = read_layout(Source("x", text, "txt"), layout)
    assert_sane(document)
    assert document.kind == ("transcript" if speakers(document) else "text")


# -- the command line --------------------------------------------------------------------------


def test_cli_prints_the_layout_and_takes_layout(cli_env: dict[str, str], tmp_path: Path) -> None:
    result = run_cli("import", LAYOUTS / "otter.txt", env=cli_env)
    assert result.code == 0, result.err
    assert "layout: Otter.ai, 7 turns, 2 speakers" in result.out.splitlines()
    docs = json.loads(run_cli("documents", "--format", "json", env=cli_env).out)
    assert [s["timestamp"] for s in docs[0]["segments"]][:3] == [0.0, 9.0, 21.0]
    assert "0:21" not in docs[0]["text"]

    folder = tmp_path / "two"
    folder.mkdir()
    for name in ("qa.txt", "int_resp.txt"):
        (folder / name).write_bytes((LAYOUTS / name).read_bytes())
    forced = run_cli("import", folder, "--layout", "names", env=cli_env)
    assert forced.code == 0, forced.err
    assert "int_resp: layout: Name: turns (forced), 5 turns, 2 speakers" in forced.out
    assert "qa: layout: Name: turns (forced), 6 turns, 2 speakers" in forced.out

    wrong = run_cli("import", LAYOUTS / "zoom.vtt", "--layout", "otter", env=cli_env)
    assert wrong.code == 1 and wrong.err.count("\n") == 1 and "zoom.vtt" in wrong.err
    bogus = run_cli("import", LAYOUTS / "qa.txt", "--layout", "rev", env=cli_env)
    assert bogus.code == 1 and "'rev' is not one of 'otter'" in bogus.err

    helptext = run_cli("import", "--help").out
    for name in layout_names():
        assert re.search(rf"^\s+{re.escape(name)}\s", helptext, re.MULTILINE), name
