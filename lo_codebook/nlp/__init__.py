"""NLP: cached spaCy pipeline, keyword/fuzzy/learned matching, theme discovery.

Pure functions over plain dataclasses (no database, no UI). Importing this package is cheap;
spaCy loads when a name below is first used:

    from lo_codebook.nlp import SuggestionEngine, CodeSpec, DocumentInput, discover
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_EXPORTS = {
    "get_pipeline": "pipeline",
    "PipelineError": "pipeline",
    "CodeSpec": "match",
    "CodedExample": "match",
    "Decision": "match",
    "DocumentInput": "match",
    "LearnedPattern": "match",
    "Suggestion": "match",
    "SuggestionEngine": "match",
    "DEFAULT_ACCEPT_SCORE": "match",
    "DEFAULT_INTERVIEWER_LABELS": "match",
    "respondent_units": "match",
    "ThemeCandidate": "discover",
    "discover": "discover",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f"{__name__}.{module}"), name)
