"""Text layouts (.txt .md .docx .pdf): Otter.ai, Descript, Whisper, and `Name:` turn variants.

Scores: a layout that recognises its own timestamps (Otter.ai headers, Descript's `[00:00:00]`,
Whisper's `[a --> b]`) scores 0.6-1.0 by the share of the text it explains; `Name:` turns
0.45-0.85 by the share of paragraphs that open with a label, and the narrower variants
(Q:/A:, INT:/RESP:, bold labels) 0.05 more when every label fits them; plain text 0.2.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable

from lo_codebook.ingest.captions import Cue, assign_prefix_speakers, document_from_cues
from lo_codebook.ingest.layout_base import (
    Body,
    Layout,
    Piece,
    Source,
    build_text,
    paragraph_starts,
    register,
)
from lo_codebook.ingest.turns import (
    _HEADING,
    LabelFilter,
    TurnStats,
    _all_caps,
    _Turn,
    check_label,
    is_known_label,
    is_non_speaker_label,
    parse_timestamp,
    scan_turns,
    segments_from_turns,
    whole_text_segment,
)

_CLOCK = r"(?:\d{1,2}:)?\d{1,2}:\d{2}"
_LABEL = r"(?P<label>[^\W\d_][^:\n\[\]]{0,60}?)"

# -- Otter.ai: "Name  0:21" alone on a line, what was said below it ---------------------------

_OTTER_HEADER = re.compile(
    rf"^[ \t]*(?P<name>[^\W\d_][^:\n]{{0,60}}?)[ \t]+(?P<ts>{_CLOCK})[ \t]*$", re.MULTILINE
)
_NON_SPACE = re.compile(r"\S")
_OTTER_FOOTER = re.compile(r"^[ \t]*Transcribed by https?://otter\.ai[ \t]*$", re.MULTILINE)


def _nonblank_lines(text: str) -> int:
    return sum(1 for line in text.split("\n") if line.strip())


def _covered(text: str, first: int) -> float:
    """Share of the non-blank lines from offset `first` on (the rest is a preamble)."""
    total = _nonblank_lines(text)
    return _nonblank_lines(text[first:]) / total if total else 0.0


def _monotonic(times: list[float]) -> bool:
    """Timestamps that (nearly) never go back: the mark of a real time-coded transcript."""
    backwards = sum(1 for a, b in zip(times, times[1:], strict=False) if b < a)
    return backwards <= max(1, len(times) // 10)


def _otter_headers(source: Source) -> list[re.Match[str]]:
    def compute() -> list[re.Match[str]]:
        found = []
        for match in _OTTER_HEADER.finditer(source.text):
            label = check_label(match.group("name"))
            seconds = parse_timestamp(match.group("ts"))
            if label is None or seconds is None or is_non_speaker_label(label.key):
                continue
            # what follows must be text (on the next line or after blank lines), not another header
            following = _NON_SPACE.search(source.text, match.end())
            if following is None:
                continue
            line_start = source.text.rfind("\n", 0, following.start()) + 1
            if not _OTTER_HEADER.match(source.text, line_start):
                found.append(match)
        names = Counter(" ".join(m.group("name").split()).casefold() for m in found)
        if len(found) < 2 or max(names.values()) < 2:
            return []  # speakers come back; agenda items ("Lunch  12:30") do not
        times = [parse_timestamp(m.group("ts")) or 0.0 for m in found]
        return found if _monotonic(times) else []

    return source.cached("otter", compute)  # type: ignore[return-value]


def _otter_score(source: Source) -> float:
    headers = _otter_headers(source)
    return 0.6 + 0.4 * _covered(source.text, headers[0].start()) if headers else 0.0


def _otter_parse(source: Source) -> Body:
    text = source.text
    headers = _otter_headers(source)
    if not headers:
        return _plain(source)
    pieces = [Piece(None, text[: headers[0].start()])]
    for index, match in enumerate(headers):
        end = headers[index + 1].start() if index + 1 < len(headers) else len(text)
        said = text[match.end() : end]
        footer = _OTTER_FOOTER.search(said)
        tail = ""
        if footer is not None:  # Otter's free plan signs the export: not part of the turn
            said, tail = said[: footer.start()], said[footer.start() :]
        name = " ".join(match.group("name").split())
        pieces.append(Piece(name, said, parse_timestamp(match.group("ts"))))
        pieces.append(Piece(None, tail))
    return build_text(pieces)


# -- Descript: "[00:00:00] Name: text", inline "[00:01:02]" marks ----------------------------

_BRACKET_TS = rf"\[(?P<ts>{_CLOCK}(?:[.,]\d{{1,3}})?)\]"
_DESCRIPT_LINE = re.compile(
    rf"^[ \t]*{_BRACKET_TS}[ \t]*(?:{_LABEL}[ \t]*:(?=[ \t]|$)[ \t]*)?", re.MULTILINE
)
_INLINE_TS = re.compile(rf"[ \t]*\[{_CLOCK}(?:[.,]\d{{1,3}})?\][ \t]*")
_SPACES = re.compile(r"[ \t]{2,}")


def _strip_inline(text: str) -> str:
    """Remove inline `[00:01:02]` marks, one blank where a mark stood between words."""
    lines = [_SPACES.sub(" ", _INLINE_TS.sub(" ", line)).strip() for line in text.split("\n")]
    return "\n".join(lines).strip()


def _accepted(keys: list[str], speakers: list[str]) -> set[str]:
    """Label keys that are speakers, by the rules of `Name:` turns (recur, known, capitals)."""
    counts = Counter(key for key in keys if not is_non_speaker_label(key))
    accepted = {key for key, n in counts.items() if n >= 2 or is_known_label(key)}
    if any(_all_caps(s) for s, k in zip(speakers, keys, strict=True) if k in accepted):
        accepted |= {k for s, k in zip(speakers, keys, strict=True) if _all_caps(s) and k in counts}
    return accepted


def _descript_lines(source: Source) -> list[tuple[re.Match[str], str | None]]:
    def compute() -> list[tuple[re.Match[str], str | None]]:
        matches = list(_DESCRIPT_LINE.finditer(source.text))
        times = [parse_timestamp(m.group("ts")) for m in matches]
        if len(matches) < 2 or any(t is None for t in times):
            return []
        if not _monotonic([t or 0.0 for t in times]):
            return []
        labels = [check_label(m.group("label")) if m.group("label") else None for m in matches]
        keys = [label.key for label in labels if label is not None]
        names = [label.speaker for label in labels if label is not None]
        accepted = _accepted(keys, names)
        return [
            (m, label.speaker if label is not None and label.key in accepted else None)
            for m, label in zip(matches, labels, strict=True)
        ]

    return source.cached("descript", compute)  # type: ignore[return-value]


def _descript_score(source: Source) -> float:
    lines = _descript_lines(source)
    return 0.6 + 0.4 * _covered(source.text, lines[0][0].start()) if lines else 0.0


def _descript_parse(source: Source) -> Body:
    text = source.text
    lines = _descript_lines(source)
    if not lines:
        return _plain(source)
    pieces = [Piece(None, _strip_inline(text[: lines[0][0].start()]))]
    for index, (match, speaker) in enumerate(lines):
        end = lines[index + 1][0].start() if index + 1 < len(lines) else len(text)
        # a label that is no speaker ("[00:10] Let op: ...") stays in the text
        start = (
            match.end() if speaker is not None or not match.group("label") else match.start("label")
        )
        said = _strip_inline(text[start:end])
        previous = pieces[-1]
        if speaker is None and previous.speaker is not None:
            # a paragraph without a label continues the current speaker's turn
            pieces[-1] = Piece(previous.speaker, f"{previous.body}\n\n{said}", previous.timestamp)
            continue
        pieces.append(Piece(speaker, said, parse_timestamp(match.group("ts"))))
    return build_text(pieces)


# -- Whisper: "[00:43.810 --> 00:47.850]  text" -----------------------------------------------

_WHISPER_TS = rf"{_CLOCK}[.,]\d{{3}}"
_WHISPER_LINE = re.compile(
    rf"^[ \t]*\[(?P<start>{_WHISPER_TS})[ \t]*-->[ \t]*(?P<end>{_WHISPER_TS})\][ \t]*(?P<text>.*)$",
    re.MULTILINE,
)


def _whisper_cues(source: Source) -> list[Cue]:
    def compute() -> list[Cue]:
        cues: list[Cue] = []
        matches = list(_WHISPER_LINE.finditer(source.text))
        if not matches:
            return []
        if source.text[: matches[0].start()].strip():
            cues.append(Cue(None, None, " ".join(source.text[: matches[0].start()].split())))
        for index, match in enumerate(matches):
            end = matches[index + 1].start() if index + 1 < len(matches) else len(source.text)
            said = match.group("text") + source.text[match.end() : end]  # lines without timing
            start, stop = parse_timestamp(match.group("start")), parse_timestamp(match.group("end"))
            cues.append(Cue(start, stop, " ".join(said.split())))
        return cues

    return source.cached("whisper", compute)  # type: ignore[return-value]


def _whisper_score(source: Source) -> float:
    cues = [cue for cue in _whisper_cues(source) if cue.start is not None]
    if len(cues) < 2 and not (cues and _nonblank_lines(source.text) == 1):
        return 0.0
    return 0.6 + 0.4 * len(cues) / max(1, _nonblank_lines(source.text))


def _whisper_parse(source: Source) -> Body:
    cues = _whisper_cues(source)
    if not cues:
        return _plain(source)
    # WhisperX and similar diarised outputs write "SPEAKER_00: text"
    document = document_from_cues(source.name, assign_prefix_speakers(cues), source.source_format)
    return Body(document.text, document.segments)


# -- `Name:` turns and their variants ----------------------------------------------------------

QA_LABELS = frozenset({"q", "a", "v", "vraag", "antwoord", "question", "answer"})
INT_RESP_LABELS = frozenset({"int", "resp"})


def _key(turn: _Turn) -> str:
    return turn.label.key.rstrip(".")


def _scan(
    source: Source, allow: LabelFilter | None = None, tag: str = "names"
) -> tuple[list[_Turn], TurnStats]:
    return source.cached(f"scan:{tag}", lambda: scan_turns(source.text, allow))  # type: ignore[return-value]


def _names_score(source: Source) -> float:
    turns, stats = _scan(source)
    if not stats.is_transcript:
        return 0.0
    density = len(turns) / max(len(turns), paragraph_starts(source.text), 1)
    return 0.45 + 0.4 * density


def _headings(source: Source) -> list[tuple[int, int]]:
    spans = list(source.headings)
    if source.markdown:
        spans.extend((m.start(), m.end()) for m in _HEADING.finditer(source.text))
    return sorted(spans)


def _turns_body(source: Source, turns: list[_Turn]) -> Body:
    """Segments of `turns`; with timestamps in the labels, the text is rebuilt without them."""
    text = source.text
    segments = segments_from_turns(text, turns, markdown=source.markdown, headings=source.headings)
    if not any(segment.timestamp is not None for segment in segments):
        return Body(text, segments)
    pieces = [
        (
            segment.start,
            Piece(segment.speaker, text[segment.start : segment.end], segment.timestamp),
        )
        for segment in segments
    ]
    pieces.extend((start, Piece(None, text[start:end])) for start, end in _headings(source))
    return build_text(piece for _, piece in sorted(pieces, key=lambda item: item[0]))


def _names_parse(source: Source) -> Body:
    turns, _ = _scan(source)
    return _turns_body(source, turns)


def _variant(
    labels: frozenset[str] | None, bold: bool, tag: str
) -> tuple[Callable[[Source], float], Callable[[Source], Body]]:
    """Score and parse of a narrower `Name:` layout: only some labels, or only bold ones."""

    def allow(turn: _Turn) -> bool:
        return (labels is None or _key(turn) in labels) and (not bold or turn.bold)

    def score(source: Source) -> float:
        base = _names_score(source)
        _, stats = _scan(source)
        if not base:
            return 0.0
        fits = stats.bold if bold else {key.rstrip(".") for key in stats.keys} <= (labels or set())
        return base + 0.05 if fits else 0.0

    def parse(source: Source) -> Body:
        turns, _ = _scan(source, allow, tag)
        return _turns_body(source, turns)

    return score, parse


def _plain(source: Source) -> Body:
    return Body(source.text, whole_text_segment(source.text))


register(
    Layout(
        "otter", "Otter.ai", "text", "'Name  0:21' on its own line, what was said below it",
        _otter_score, _otter_parse,
    )
)  # fmt: skip
register(
    Layout(
        "descript", "Descript", "text", "'[00:00:00] Name: text', inline [00:01:02] marks",
        _descript_score, _descript_parse,
    )
)  # fmt: skip
register(
    Layout(
        "whisper", "Whisper", "text", "'[00:43.810 --> 00:47.850]  text' lines",
        _whisper_score, _whisper_parse,
    )
)  # fmt: skip
register(
    Layout(
        "qa", "Q:/A: turns", "text", "'Q: ...' / 'A: ...' (also Vraag:/Antwoord:)",
        *_variant(QA_LABELS, False, "qa"), variant_of="names",
    )
)  # fmt: skip
register(
    Layout(
        "int-resp", "INT:/RESP: turns", "text", "'INT: ...' / 'RESP: ...'",
        *_variant(INT_RESP_LABELS, False, "int-resp"), variant_of="names",
    )
)  # fmt: skip
register(
    Layout(
        "bold", "bold labels", "text", "'**Interviewer (I):** ...' (markdown bold)",
        *_variant(None, True, "bold"), variant_of="names",
    )
)  # fmt: skip
register(
    Layout(
        "names", "Name: turns", "text", "'Name: text' at the start of a paragraph",
        _names_score, _names_parse,
    )
)  # fmt: skip
register(
    Layout(
        "text", "plain text", "text", "no speaker turns: one segment",
        lambda source: 0.2, _plain,
    )
)  # fmt: skip
