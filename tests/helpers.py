"""Plain helpers shared by several test files (fixtures live in conftest.py)."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

from lo_codebook.ingest.base import ParsedDocument
from lo_codebook.nlp.match import DEFAULT_ACCEPT_SCORE, DocumentInput, SuggestionEngine


def dump(db: Path) -> list[str]:
    """An SQLite file as SQL statements: equal before and after means nothing changed."""
    conn = sqlite3.connect(db)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def turns(document: ParsedDocument) -> list[tuple[str | None, str]]:
    """(speaker, text) of every segment the parser found."""
    return [(seg.speaker, document.text[seg.start : seg.end]) for seg in document.segments]


def words_found(text: str, words: list[str]) -> list[str]:
    """The words of the list that occur in the text as whole words (for one-language checks)."""
    return [w for w in words if re.search(rf"(?<![\w']){re.escape(w)}(?![\w'])", text)]


def suggested(engine: SuggestionEngine, text: str, threshold: float = DEFAULT_ACCEPT_SCORE) -> dict:
    """The engine's suggestions for one survey answer, by code, at or above `threshold`."""
    document = DocumentInput("d", text, [], "survey")
    return {s.code_id: s for s in engine.suggest([document]) if s.score >= threshold}
