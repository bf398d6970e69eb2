"""Caption layouts (.vtt/.srt): MS Teams voice tags, Zoom `Name: text` cues, plain subtitles."""

from __future__ import annotations

from lo_codebook.ingest.captions import RawCue, cues_with_speakers, document_from_cues, prefix_share
from lo_codebook.ingest.layout_base import Body, Layout, Source, register


def _cues(source: Source) -> list[RawCue]:
    return source.cues or []


def _body(source: Source, *, voices: bool, prefixes: bool) -> Body:
    cues = cues_with_speakers(_cues(source), voices=voices, prefixes=prefixes)
    document = document_from_cues(source.name, cues, source.source_format)
    return Body(document.text, document.segments)


def _teams_score(source: Source) -> float:
    cues = _cues(source)
    if source.source_format != "vtt" or not cues:
        return 0.0
    voiced = sum(1 for cue in cues if cue.voiced)
    return 0.6 + 0.4 * voiced / len(cues) if voiced else 0.0


def _zoom_score(source: Source) -> float:
    named, plain = source.cached("prefixes", lambda: prefix_share(_cues(source)))  # type: ignore[misc]
    if named < 2 or not plain:
        return 0.0
    return 0.55 + 0.4 * named / plain


def _speakers(source: Source) -> Body:
    return _body(source, voices=True, prefixes=True)


register(
    Layout(
        "teams",
        "MS Teams",
        "captions",
        "VTT cues with voice tags: <v Name>text</v>",
        _teams_score,
        _speakers,
    )
)
register(
    Layout(
        "zoom",
        "Zoom",
        "captions",
        "VTT/SRT cues starting with the speaker: Name: text",
        _zoom_score,
        _speakers,
    )
)
register(
    Layout(
        "subtitles",
        "Subtitles",
        "captions",
        "VTT/SRT cues without speakers (a segment per cue, timestamps kept)",
        lambda source: 0.3,
        lambda source: _body(source, voices=False, prefixes=False),
    )
)
