"""The engine's plain data: what goes in (codes, documents, codings, decisions) and what comes out."""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal, Protocol

if TYPE_CHECKING:
    import numpy as np

CodeId = Hashable
DocId = Hashable
Method = Literal["keyword", "fuzzy", "learned", "description", "exclude"]
SpanMode = Literal["sentence", "match", "turn"]

#: A suggestion with at least this score counts as a coding (document-level prediction).
DEFAULT_ACCEPT_SCORE = 70.0

DEFAULT_INTERVIEWER_LABELS: tuple[str, ...] = (
    "interviewer",
    "interviewster",
    "interviewers",
    "i",
    "int",
    "iv",
    "onderzoeker",
    "onderzoekster",
    "researcher",
    "q",
    "vraag",
    "moderator",
    "gespreksleider",
    "gespreksleidster",
    "facilitator",
    "host",
)


# --------------------------------------------------------------------------- dataclasses


@dataclass(frozen=True)
class CodeSpec:
    """A code of the codebook as the engine sees it."""

    id: CodeId
    name: str
    keywords: list[str] = field(default_factory=list)
    parent: CodeId | None = None
    description: str = ""  # read for evidence for and against the code (see definitions)
    examples: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class DocumentInput:
    """A document: its text and its segments (start, end, speaker) as str offsets."""

    id: DocId
    text: str
    segments: list[tuple[int, int, str | None]] = field(default_factory=list)
    kind: str = "text"  # "transcript", "text" or "survey"


@dataclass(frozen=True)
class Suggestion:
    """A proposed coding. `pattern` names what matched, for decisions (accept/reject)."""

    document_id: DocId
    code_id: CodeId
    start: int
    end: int
    score: float
    method: Method
    evidence: str
    pattern: str


@dataclass(frozen=True)
class CodedExample:
    """A manual or accepted coding: evidence for learning."""

    document_id: DocId
    code_id: CodeId
    start: int
    end: int


@dataclass(frozen=True)
class Decision:
    """A past accept/reject of a suggestion with this code and pattern."""

    code_id: CodeId
    pattern: str
    accepted: bool


@dataclass(frozen=True)
class LearnedPattern:
    """A phrase `learn()` found distinctive for a code, with its statistics."""

    code_id: CodeId
    phrase: str  # lemmas joined by spaces
    documents: int  # coded documents of the code that contain it
    others: int  # coded documents without the code (or outside its spans) that contain it
    z: float
    score: float


class TokenBatch(Protocol):
    """What the evidence readers (`lack`, `polarity`) see of a batch of tokens: lower-case and
    lemma hashes per token, and each token's sentence (`resolution.BatchTokens` is one)."""

    lowers: np.ndarray
    lemmas: np.ndarray

    def sentence(self, g: int) -> tuple[int, int]: ...
