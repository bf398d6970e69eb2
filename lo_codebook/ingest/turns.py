"""Find `Name:` speaker turns in plain text, shared by the txt/md/docx/pdf importers (regex, linear)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from lo_codebook.ingest.base import ParsedDocument, ParsedSegment

MAX_LABEL_CHARS = 40
MAX_LABEL_WORDS = 5

KNOWN_LABELS: frozenset[str] = frozenset(
    {
        "i", "r", "q", "a", "v",
        "int", "resp", "interviewer", "interviewster", "interviewee", "respondent",
        "onderzoeker", "onderzoekster", "geïnterviewde", "geinterviewde", "deelnemer",
        "deelneemster", "participant", "moderator", "gespreksleider", "gespreksleidster",
        "spreker", "speaker", "researcher", "vraag", "antwoord", "question", "answer",
    }
)  # fmt: skip
"""Interview labels that count as speakers even when they occur only once (case-insensitive)."""

NUMBERED_SPEAKERS: frozenset[str] = KNOWN_LABELS - {
    "q", "a", "v", "vraag", "antwoord", "question", "answer",
} | {
    "p", "person", "persoon", "guest", "gast", "host", "caller", "beller", "unknown speaker",
    "onbekende spreker", "stem", "voice", "man", "vrouw", "woman", "user", "gebruiker",
    "docent", "student", "leerling", "medewerker", "manager", "leidinggevende", "expert",
}  # fmt: skip
"""Words that name a speaker when numbered ("Spreker 2", "R1", "Deelnemer A", "Guest 3")."""

NON_SPEAKER_LABELS: frozenset[str] = frozenset(
    {
        "note", "notes", "nb", "n.b", "noot", "opmerking", "opmerkingen", "let op", "let wel",
        "tip", "tips", "hint", "source", "sources", "bron", "bronnen", "zie", "see", "example",
        "examples", "voorbeeld", "voorbeelden", "e.g", "bijvoorbeeld", "figure", "fig", "figuur",
        "table", "tabel", "chart", "grafiek", "box", "kader", "step", "stap", "phase", "fase",
        "level", "niveau", "model", "stage", "part", "deel", "section", "sectie", "paragraaf",
        "chapter", "hoofdstuk", "appendix", "bijlage", "page", "pagina", "version", "versie",
        "option", "optie", "scenario", "theme", "thema", "topic", "onderwerp", "subject",
        "title", "titel", "date", "datum", "time", "tijd", "tijdstip", "duration", "duur",
        "location", "locatie", "plaats", "place", "author", "auteur", "status", "summary",
        "samenvatting", "conclusion", "conclusions", "conclusie", "conclusies", "result",
        "results", "resultaat", "resultaten", "recommendation", "recommendations",
        "aanbeveling", "aanbevelingen", "advice", "advies", "definition", "definitie", "goal",
        "doel", "aim", "objective", "method", "methode", "warning", "waarschuwing",
        "important", "belangrijk", "caution", "remark", "toelichting", "explanation", "uitleg",
        "total", "totaal", "score", "week", "day", "dag", "year", "jaar", "round", "ronde",
        "todo", "ps", "p.s", "update", "edit", "disclaimer", "context", "achtergrond",
        "background", "aanleiding", "item", "punt", "point", "criterium", "criterion",
    }
)  # fmt: skip
"""Labels of reports and notes ("Note:", "Level 1:", "Figuur 2:"): never speakers."""

_QUESTION_WORDS = frozenset({"q", "a", "v", "vraag", "antwoord", "question", "answer"})

_TS = r"(?:\d{1,2}:)?\d{1,2}:\d{2}(?:[.,]\d{1,3})?"

# A label at the start of a line: optional timestamp ("[00:01:23] "), optional markdown bold,
# a name starting with a letter and without a colon, then ":" followed by a blank or line end.
_CANDIDATE = re.compile(
    rf"^[ \t]*(?:[\[(]?(?P<ts>{_TS})[\])]?[ \t]+(?:[-–][ \t]+)?)?"
    r"\*{0,2}(?P<label>[^\W\d_][^:\n*]{0,60}?)"
    rf"(?:[ \t]*[\[(](?P<ts2>{_TS})[\])])?"
    r"[ \t]*\*{0,2}[ \t]*:\*{0,2}(?=[ \t]|$)",
    re.MULTILINE,
)
_LABEL_SHAPE = re.compile(r"[^\W\d_][\w .'’&/()\-]*")
_URLISH = re.compile(r"@|www\.|https?\b|\w\.[a-z]{2,}\b", re.IGNORECASE)
_KNOWN_SUFFIX = re.compile(r"\.?(?:[ \t]*\d{1,3}|[ \t]+[^\W\d_])?$")
_NUMBERED = re.compile(r"(?P<base>.*?)[ \t]*(?:nr\.?|no\.?|#)?[ \t]*\d+(?:[.,]\d+)*[.)]?")
_HEADING = re.compile(r"^#{1,6}(?:[ \t].*)?$", re.MULTILINE)
_NON_SPACE = re.compile(r"\S")


@dataclass(frozen=True)
class Label:
    """A validated speaker label: as written (for display), its counting key, and any timestamp."""

    speaker: str
    key: str
    timestamp: float | None


def parse_timestamp(text: str) -> float | None:
    """`[h:]mm:ss[.mmm]` → seconds; None when minutes/seconds are out of range."""
    text = text.replace(",", ".")
    main, _, frac = text.partition(".")
    parts = [int(p) for p in main.split(":")]
    if len(parts) == 2:
        parts.insert(0, 0)
    hours, minutes, seconds = parts
    if minutes > 59 or seconds > 59:
        return None
    millis = int(frac.ljust(3, "0")[:3]) if frac else 0
    return float(hours * 3600 + minutes * 60 + seconds) + millis / 1000


def check_label(raw: str, timestamp: str | None = None) -> Label | None:
    """Return the label if `raw` has the shape of a speaker name (≤ 40 chars, ≤ 5 words, no URL)."""
    label = raw.strip()
    if not label or len(label) > MAX_LABEL_CHARS or len(label.split()) > MAX_LABEL_WORDS:
        return None
    if not _LABEL_SHAPE.fullmatch(label) or _URLISH.search(label):
        return None
    seconds = parse_timestamp(timestamp) if timestamp else None
    return Label(speaker=label, key=" ".join(label.casefold().split()), timestamp=seconds)


def is_known_label(key: str) -> bool:
    """True for interview labels such as I, R, Interviewer, Respondent, Spreker 2, Deelnemer A."""
    if key in KNOWN_LABELS or key.rstrip(".") in KNOWN_LABELS:
        return True
    base = _KNOWN_SUFFIX.sub("", key, count=1)
    return base != key and base in NUMBERED_SPEAKERS


def is_non_speaker_label(key: str) -> bool:
    """True for labels of reports rather than speakers: "Note", "Let op", "Level 2.1", "Q1",
    "Vraag 3" (a numbered question is a heading of an interview guide, not a speaker).

    Other numbered labels ("Model 1", "Wethouder 2") are speakers only when they recur."""
    if key in NON_SPEAKER_LABELS:
        return True
    numbered = _NUMBERED.fullmatch(key)
    if numbered is None:
        return False
    base = numbered.group("base").rstrip(" .#_-")
    return base in NON_SPEAKER_LABELS or base in _QUESTION_WORDS


def _all_caps(label: str) -> bool:
    letters = [char for char in label if char.isalpha()]
    return len(letters) >= 2 and all(char.isupper() for char in letters)


@dataclass(frozen=True)
class _Turn:
    line_start: int  # where the label's line starts: the previous turn ends before it
    utterance: int  # first index after "Label:"
    label: Label
    bold: bool = False  # written as markdown bold: **Label:**


def _candidates(text: str) -> list[_Turn]:
    found: list[_Turn] = []
    for match in _CANDIDATE.finditer(text):
        label = check_label(match.group("label"), match.group("ts") or match.group("ts2"))
        if label is not None:
            bold = "**" in text[match.start() : match.end()]
            found.append(_Turn(match.start(), match.end(), label, bold))
    return found


LabelFilter = Callable[[_Turn], bool]


def _select(candidates: list[_Turn], allow: LabelFilter | None = None) -> list[_Turn]:
    """The candidates that are speaker turns.

    A label counts when it is no report label ("Note", "Level 1") and occurs at least twice or
    is a known interview label; when some speaker is written in capitals, a capitalised label
    may occur once. With `allow` (a forced layout), only labels it accepts are considered.
    """
    if allow is not None:
        candidates = [t for t in candidates if allow(t)]
    candidates = [t for t in candidates if not is_non_speaker_label(t.label.key)]
    counts = Counter(turn.label.key for turn in candidates)
    turns = [t for t in candidates if counts[t.label.key] >= 2 or is_known_label(t.label.key)]
    if any(_all_caps(t.label.speaker) for t in turns):
        # Speakers written in capitals ("MARIEKE:"): one who speaks only once is a speaker too.
        accepted = set(turns)
        turns = [t for t in candidates if t in accepted or _all_caps(t.label.speaker)]
    return turns


@dataclass(frozen=True)
class TurnStats:
    """How much a text looks like a transcript, for choosing a layout."""

    turns: int
    speakers: int
    known: bool  # some speaker has a known interview label (Interviewer, R, Q, Spreker 2)
    alternation: float  # share of consecutive turns by different speakers
    bold: bool  # every turn label is written in markdown bold
    keys: frozenset[str]

    @property
    def is_transcript(self) -> bool:
        """Two speakers who take turns, or one known interview label used more than once.

        Without any known interview label, speakers must alternate: in a report, a label that
        comes back in a row ("Amsterdam: … Amsterdam: …") is a heading, not a conversation.
        """
        if self.speakers >= 2:
            return self.known or self.alternation >= 0.5
        return self.speakers == 1 and self.known and self.turns >= 2


def turn_stats(turns: Sequence[_Turn]) -> TurnStats:
    keys = [t.label.key for t in turns]
    changes = sum(1 for a, b in zip(keys, keys[1:], strict=False) if a != b)
    return TurnStats(
        turns=len(turns),
        speakers=len(set(keys)),
        known=any(is_known_label(key) for key in keys),
        alternation=changes / (len(keys) - 1) if len(keys) > 1 else 0.0,
        bold=bool(turns) and all(t.bold for t in turns),
        keys=frozenset(keys),
    )


def scan_turns(text: str, allow: LabelFilter | None = None) -> tuple[list[_Turn], TurnStats]:
    """The speaker turns of `text` (see `_select`) and their statistics."""
    turns = _select(_candidates(text), allow)
    return turns, turn_stats(turns)


def segments_from_turns(
    text: str,
    turns: Sequence[_Turn],
    *,
    markdown: bool = False,
    headings: Iterable[tuple[int, int]] = (),
) -> list[ParsedSegment]:
    """Segments for `turns` in order; unlabelled text before/between turns gets speaker None.

    Headings (the `(start, end)` spans given, plus `#` lines with `markdown`) end the current
    turn and belong to no segment.
    """
    # Events in text order: (position where the previous region ends, where content starts, label).
    events: list[tuple[int, int, Label | None]] = [
        (t.line_start, t.utterance, t.label) for t in turns
    ]
    extra = [(start, end, None) for start, end in headings]
    if markdown:
        extra.extend((m.start(), m.end(), None) for m in _HEADING.finditer(text))
    if extra:
        events.extend(extra)
        events.sort(key=lambda event: event[0])
    segments: list[ParsedSegment] = []
    bounds = [(0, 0, None), *events, (len(text), len(text), None)]
    for (_, content, label), (region_end, _, _) in zip(bounds, bounds[1:], strict=False):
        if content >= region_end:
            continue
        first = _NON_SPACE.search(text, content, region_end)
        if first is None:
            continue
        end = content + len(text[content:region_end].rstrip())
        segments.append(
            ParsedSegment(
                start=first.start(),
                end=end,
                speaker=label.speaker if label else None,
                timestamp=label.timestamp if label else None,
            )
        )
    return segments


def find_turns(
    text: str, *, markdown: bool = False, headings: Iterable[tuple[int, int]] = ()
) -> list[ParsedSegment]:
    """Speaker turns of `text` in order; unlabelled text before/between turns gets speaker None.

    A label counts when it occurs at least twice or is a known interview label, and is no
    report label ("Note:", "Model 1:"). Headings (the `(start, end)` spans given, plus `#`
    lines with `markdown`) end the current turn and belong to no segment.
    """
    turns, _ = scan_turns(text)
    return segments_from_turns(text, turns, markdown=markdown, headings=headings)


def whole_text_segment(text: str) -> list[ParsedSegment]:
    """One segment from the first to the last non-blank character (none for blank text)."""
    first = _NON_SPACE.search(text)
    if first is None:
        return []
    return [ParsedSegment(start=first.start(), end=len(text.rstrip()))]


def document_from_text(
    name: str,
    text: str,
    source_format: str,
    *,
    markdown: bool = False,
    headings: Iterable[tuple[int, int]] = (),
) -> ParsedDocument:
    """A ParsedDocument with the text exactly as given: kind "transcript" with its turns when
    they look like a conversation (`TurnStats.is_transcript`), else one "text" segment."""
    turns, stats = scan_turns(text)
    if stats.is_transcript:
        segments = segments_from_turns(text, turns, markdown=markdown, headings=headings)
        if any(segment.speaker is not None for segment in segments):
            return ParsedDocument(name, text, "transcript", source_format, segments)
    return ParsedDocument(name, text, "text", source_format, whole_text_segment(text))
