"""Transcript layouts: a small registry of recognisers, each scoring how well a text fits it.

A file reader (txt/md/docx/pdf, vtt, srt) hands over its decoded text as a `Source`; every
layout of that family gives a confidence between 0 and 1, the best one parses the text, and
the document says which layout was used (`ParsedDocument.layout`) so the import can tell the
user. `--layout NAME` forces one. Layouts whose files carry timestamps (Otter.ai, Descript,
Whisper, timed labels) rebuild the text as `Speaker: utterance` paragraphs: timestamps become
segment timestamps, not words of the text. The others keep the text exactly as imported.
"""

from __future__ import annotations

from lo_codebook.errors import UserError
from lo_codebook.ingest.base import LayoutChoice, ParsedDocument
from lo_codebook.ingest.layout_base import _REGISTRY, Layout, Source

# The recognisers and their building blocks (`Body`, `Piece`, `register`, ...) come from
# `layout_base`; here: choosing among the registered layouts.
__all__ = [
    "Layout",
    "Source",
    "all_layouts",
    "choose",
    "get_layout",
    "layout_help",
    "layout_names",
    "read_layout",
    "scores",
]


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
