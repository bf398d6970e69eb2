"""Plain dataclasses every importer returns, so the core never depends on a file format."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class ParsedSegment:
    """A speaker turn: offsets are `str` indices into the document text, end exclusive.

    `start` points at the first character of what was said (after any `Name:` label).
    `timestamp`/`end_timestamp` are seconds from the start of the recording, when known.
    """

    start: int
    end: int
    speaker: str | None = None
    timestamp: float | None = None
    end_timestamp: float | None = None


@dataclass(frozen=True)
class LayoutChoice:
    """Which transcript layout read a file (see `ingest.layouts`), and how sure it was."""

    key: str  # the name `--layout` takes, e.g. "otter"
    title: str  # what users see, e.g. "Otter.ai"
    confidence: float  # 0..1
    forced: bool = False  # chosen with --layout
    alternative: tuple[str, float] | None = None  # a close runner-up (title, confidence)


@dataclass
class ParsedDocument:
    """One imported text: NFC-normalised, newlines as `\\n`, no BOM."""

    name: str
    text: str
    kind: str  # "transcript" (has speaker turns), "text", or "survey"
    source_format: str  # "txt", "md", "docx", "vtt", "srt", "pdf", "csv", "xlsx"
    segments: list[ParsedSegment] = field(default_factory=list)
    case: str | None = None
    question: str | None = None  # survey: the question text (Qualtrics row 2) or column id
    encoding: str | None = None  # text formats: encoding the file was read with, e.g. "cp1252"
    layout: LayoutChoice | None = None  # transcripts/texts: the layout that read the file

    def layout_summary(self) -> str | None:
        """E.g. "layout: Otter.ai, 84 turns, 2 speakers" (None when no layout was chosen)."""
        if self.layout is None:
            return None
        speakers = {seg.speaker for seg in self.segments if seg.speaker is not None}
        if speakers:
            turns = sum(1 for seg in self.segments if seg.speaker is not None)
            counts = f"{turns} turn{'s' * (turns != 1)}, {len(speakers)} speaker{'s' * (len(speakers) != 1)}"
        else:
            n = len(self.segments)
            counts = f"{n} segment{'s' * (n != 1)}, no speakers"
        how = " (forced)" if self.layout.forced else ""
        line = f"layout: {self.layout.title}{how}, {counts}"
        if self.layout.alternative is not None:
            line += f" (also fits {self.layout.alternative[0]}; choose with --layout)"
        return line


@dataclass
class SurveyCase:
    """One respondent: the case name (id column) and the chosen attribute values."""

    name: str
    attributes: dict[str, str]
    row: int  # 1-based line/row number in the file, for messages


@dataclass
class SurveyImport:
    """What an open-survey file yields: cases, one document per non-empty answer cell."""

    cases: list[SurveyCase]
    documents: list[ParsedDocument]
    skipped_empty: int
    qualtrics: bool
    question_labels: dict[str, str]
    encoding: str | None = None  # .csv: encoding the file was read with ("utf-8-sig", "cp1252", …)
    delimiter: str | None = None  # .csv: the delimiter that was detected
    #: "plain", "qualtrics", "qualtrics-2016", "qualtrics-legacy", "surveymonkey", "limesurvey"
    layout: str = "plain"
    #: What the layout means for the rows, one line for the user (None for a plain table).
    layout_note: str | None = None
    #: Line/row numbers of rows read as header rows (the layout's own and any repeated one).
    header_rows: list[int] = field(default_factory=list)
