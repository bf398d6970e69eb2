"""What a transcript layout is (`Source` in, `Body` out) and the registry layouts add themselves to.

Kept apart from `layouts` (which chooses among them) so that the recognisers in
`layout_text` and `layout_captions` import this and `layouts` imports them: no cycle.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from lo_codebook.ingest.base import ParsedSegment
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
            ParsedSegment(
                position, position + len(body), piece.speaker, piece.timestamp, end_timestamp
            )
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
