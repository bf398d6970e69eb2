"""Which language the project and each document are in, decided when documents come in.

Every import (files, survey, REFI-QDA, another coder's project) asks `LanguageDetector` for
each new text's language (stored on the document; None when the text is too short to tell,
then the project's language applies) and, at the end, `settle` the project's language: when
no language was set (nor detected) yet, the new texts' pooled votes choose one, it is stored
in the same transaction (so undoing the import undoes it too) and the caller prints `note`.
A language set with `init --language` or `settings set language` is never overwritten.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from lo_codebook.core.project import DEFAULT_SETTINGS
from lo_codebook.db.models import Setting
from lo_codebook.nlp.language import LANGUAGES, LanguageVotes, detect_corpus, language_votes

# The start of a long transcript tells its language as well as all of it does.
_SAMPLE_CHARS = 50_000


@dataclass(frozen=True)
class LanguageNote:
    """What an import decided about the project's language, for one line of output."""

    language: str
    detected: bool
    documents: int
    noun: str  # "answers" or "documents"

    def message(self) -> str:
        other = next(lang for lang in LANGUAGES if lang != self.language)
        if self.detected:
            noun = self.noun if self.documents != 1 else self.noun.removesuffix("s")
            return (
                f"language: {self.language} (detected from {self.documents} {noun}; "
                f"change with `lo-codebook settings set language {other}`)"
            )
        return (
            f"language: {self.language} (the default; too little text to tell; "
            f"set it with `lo-codebook settings set language {other}`)"
        )


@dataclass
class LanguageDetector:
    """Collects the votes of the texts one import brings in."""

    votes: list[LanguageVotes] = field(default_factory=list)
    surveys: int = 0

    def document(self, text: str, kind: str | None = None) -> str | None:
        """The language to store on a new document ("nl", "en", or None: cannot tell)."""
        votes = language_votes(text[:_SAMPLE_CHARS])
        self.votes.append(votes)
        if kind == "survey":
            self.surveys += 1
        return votes.winner()

    def settle(self, session: Session) -> LanguageNote | None:
        """Store the detected project language if none is set yet; None when one was."""
        if not self.votes or session.get(Setting, "language") is not None:
            return None
        noun = "answers" if self.surveys == len(self.votes) else "documents"
        language = detect_corpus(self.votes)
        if language is None:
            return LanguageNote(DEFAULT_SETTINGS["language"], False, len(self.votes), noun)
        try:
            # A savepoint: a coder importing at the same moment may have stored it first.
            with session.begin_nested():
                session.add(Setting(key="language", value=language))
        except IntegrityError:
            return None
        return LanguageNote(language, True, len(self.votes), noun)
