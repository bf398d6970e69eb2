"""Plain helpers shared by several test files (fixtures live in conftest.py)."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

from lo_codebook.ingest.base import ParsedDocument
from lo_codebook.nlp.match import DEFAULT_ACCEPT_SCORE, CodeSpec, DocumentInput, SuggestionEngine


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


def workload_scene_engine() -> SuggestionEngine:
    """A Dutch engine whose workload code's description holds a scene ("taken van vertrokken
    collega's erbij"), beside two codes found by their keywords (laptop, e-learning)."""
    return SuggestionEngine(
        [
            CodeSpec(
                "wd",
                "Werkdruk",
                ["werkdruk"],
                description=(
                    "Codeer als het werk niet in de uren past: taken van vertrokken collega's "
                    "erbij, nakijken thuis."
                ),
            ),
            CodeSpec("ict", "ICT en systemen", ["laptop"], description="Storingen in systemen."),
            CodeSpec("el", "E-learning", ["e-learning"], description="Online modules."),
        ]
    )
