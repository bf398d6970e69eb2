"""Transcript layouts: a small registry of recognisers, each scoring how well a text fits it.

A file reader (txt/md/docx/pdf, vtt, srt) hands over its decoded text as a `Source`; every
layout of that family gives a confidence between 0 and 1, the best one parses the text, and
the document says which layout was used (`ParsedDocument.layout`) so the import can tell the
user. `--layout NAME` forces one. Layouts whose files carry timestamps (Otter.ai, Descript,
Whisper, timed labels) rebuild the text as `Speaker: utterance` paragraphs: timestamps become
segment timestamps, not words of the text. The others keep the text exactly as imported.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from lo_codebook.errors import UserError
from lo_codebook.ingest.base import LayoutChoice, ParsedDocument, ParsedSegment
from lo_codebook.ingest.captions import RawCue

TEXT_FORMATS = ("txt", "md", "docx", "pdf", "qdpx")
CAPTION_FORMATS = ("vtt", "srt")


@dataclass
class Source:
    """What a layout reads: the decoded text of one file and, for captions, its cues."""

    name: str
    text: str
    source_format: str
    headings: tuple[tuple[int, int], ...] = ()
    file: Path | str | None = None
    cues: list[RawCue] | None = None
    _cache: dict[str, object] = field(default_factory=dict, repr=False)

    @property
    def family(self) -> str:
        return "captions" if self.source_format in CAPTION_FORMATS else "text"

    @property
    def markdown(self) -> bool:
        return self.source_format == "md"

    def cached(self, key: str, compute: Callable[[], object]) -> object:
        """Work shared by several layouts (e.g. the `Name:` turn scan), done once."""
        if key not in self._cache:
            self._cache[key] = compute()
        return self._cache[key]


@dataclass(frozen=True)
class Body:
    """A parsed text: the text to store and its segments (offsets into that text)."""

    text: str
    segments: list[ParsedSegment]


@dataclass(frozen=True)
class Layout:
    """One transcript layout: its name for `--layout`, the title users see, and its logic."""

    key: str
    title: str
    family: str  # "text" (.txt .md .docx .pdf) or "captions" (.vtt .srt)
    shape: str  # one line showing what it looks like, for --help
    score: Callable[[Source], float]
    parse: Callable[[Source], Body]
    variant_of: str | None = None  # a narrower form of that layout (same reading)


_REGISTRY: dict[str, Layout] = {}


def register(layout: Layout) -> Layout:
    """Add a layout; registration order breaks ties (more specific layouts first)."""
    _REGISTRY[layout.key] = layout
    return layout


def _load() -> dict[str, Layout]:
    if not _REGISTRY:
        # The recognisers register themselves on import.
        from lo_codebook.ingest import layout_captions, layout_text  # noqa: F401
    return _REGISTRY


def all_layouts() -> list[Layout]:
    """Every layout, text layouts first, in registration order."""
    return sorted(_load().values(), key=lambda layout: layout.family != "text")


def layout_names() -> list[str]:
    return [layout.key for layout in all_layouts()]


def get_layout(key: str) -> Layout:
    """The layout called `key` (case-insensitive), or a UserError listing the names."""
    layouts = _load()
    found = layouts.get(key.strip().lower())
    if found is None:
        raise UserError(f"unknown layout {key!r}; layouts: {', '.join(layout_names())}")
    return found


_FAMILY_FILES = {"text": ".txt .md .docx .pdf", "captions": ".vtt .srt"}


def scores(source: Source) -> list[tuple[Layout, float]]:
    """Every layout of the source's family with its confidence, best first (stable)."""
    scored = [
        (layout, max(0.0, min(1.0, layout.score(source))))
        for layout in all_layouts()
        if layout.family == source.family
    ]
    return sorted(scored, key=lambda item: -item[1])


def choose(source: Source, forced: str | None = None) -> LayoutChoice:
    """The layout to read `source` with: the forced one, else the most confident."""
    ranked = scores(source)
    if forced is not None:
        layout = get_layout(forced)
        if layout.family != source.family:
            raise UserError(
                f"layout {layout.key!r} ({layout.title}) reads {_FAMILY_FILES[layout.family]} "
                f"files, not .{source.source_format} (import it without --layout)",
                file=source.file,
            )
        confidence = next(score for candidate, score in ranked if candidate is layout)
        return LayoutChoice(layout.key, layout.title, confidence, forced=True)
    best, confidence = ranked[0]
    runner_up = next(
        (
            (other.title, score)
            for other, score in ranked[1:]
            if score > 0.3 and score >= confidence - 0.1 and best.variant_of != other.key
        ),
        None,
    )
    return LayoutChoice(best.key, best.title, confidence, alternative=runner_up)


def read_layout(source: Source, forced: str | None = None) -> ParsedDocument:
    """Parse `source` with the chosen layout into a ParsedDocument that names the layout."""
    choice = choose(source, forced)
    body = get_layout(choice.key).parse(source)
    speakers = any(segment.speaker is not None for segment in body.segments)
    document = ParsedDocument(
        source.name,
        body.text,
        "transcript" if speakers else "text",
        source.source_format,
        body.segments,
    )
    document.layout = choice
    return document


def layout_help() -> str:
    """One line per layout for --help: name, title and its shape."""
    return "\n".join(
        f"  {layout.key:<10} {layout.title}: {layout.shape}" for layout in all_layouts()
    )


# -- building rebuilt texts -----------------------------------------------------------------


@dataclass(frozen=True)
class Piece:
    """One segment of a rebuilt text: who, what (already cleaned), and when."""

    speaker: str | None
    body: str
    timestamp: float | None = None


def build_text(pieces: Iterable[Piece], separator: str = "\n\n") -> Body:
    """`Speaker: body` paragraphs; each segment ends where the next one's timestamp starts."""
    kept = [piece for piece in pieces if piece.body.strip()]
    parts: list[str] = []
    segments: list[ParsedSegment] = []
    position = 0
    for index, piece in enumerate(kept):
        if parts:
            parts.append(separator)
            position += len(separator)
        if piece.speaker is not None:
            prefix = f"{piece.speaker}: "
            parts.append(prefix)
            position += len(prefix)
        body = piece.body.strip()
        parts.append(body)
        following = next((p.timestamp for p in kept[index + 1 :] if p.timestamp is not None), None)
        end_timestamp = None
        if piece.timestamp is not None and following is not None and following >= piece.timestamp:
            end_timestamp = following
        segments.append(
            ParsedSegment(position, position + len(body), piece.speaker, piece.timestamp, end_timestamp)
        )
        position += len(body)
    return Body("".join(parts), segments)


def paragraph_starts(text: str) -> int:
    """How many paragraphs (runs of non-blank lines) the text has."""
    count = 0
    blank = True
    for line in text.split("\n"):
        if line.strip():
            if blank:
                count += 1
            blank = False
        else:
            blank = True
    return count
