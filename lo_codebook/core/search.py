"""Text search across the documents, and search-and-code: every hit coded in one undoable step.

Three ways to search, one result shape (`lo-codebook search` and the UI's search screen):
- words (default): a word or phrase, case-insensitive, any whitespace between its words;
- lemma: every form of the words (`werken` finds werkt, gewerkt), through the project's
  spaCy pipeline and lookup lemmatizer, in each document's own language;
- regex: a regular expression (case-insensitive) run by the `regex` module with a time
  limit, so a pattern that backtracks catastrophically ends with one line, not a hang.
"""

from __future__ import annotations

import re
import time
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import regex
from sqlalchemy import select

from lo_codebook.core.passages import CONTEXT_CHARS, cases_with, check_by, context_around, parse_by
from lo_codebook.core.project import Project
from lo_codebook.db.models import Case, Code, Coding, Document
from lo_codebook.errors import UserError
from lo_codebook.i18n import count, format_int, t
from lo_codebook.words import plural

MODES = ("words", "lemma", "regex")
RECORD_FIELDS = ("document", "case", "start", "end", "text")
REGEX_TIMEOUT = 5.0
"""Seconds a regular expression may run over all documents together."""
MAX_QUERY = 1000


@dataclass(frozen=True)
class SearchHit:
    """One place where the query was found, with the text around it."""

    document_id: int
    document: str
    case: str | None
    start: int
    end: int
    text: str
    before: str
    after: str

    def as_record(self) -> dict[str, Any]:
        """The SPEC's JSON object: document, case, start, end, text."""
        return {name: getattr(self, name) for name in RECORD_FIELDS}


@dataclass(frozen=True)
class SearchResult:
    query: str
    mode: str
    hits: list[SearchHit]
    documents: int  # documents searched

    def summary(self, lang: str = "en") -> str:
        found = len({h.document_id for h in self.hits})
        return t(
            "search.summary",
            lang,
            hits=count(len(self.hits), "hit", lang),
            documents=count(found, "document", lang),
            searched=format_int(self.documents, lang),
        )


def _finder(query: str, mode: str, timeout: float):  # type: ignore[no-untyped-def]
    """A function text -> [(start, end)] for the query in this mode (lemma mode aside)."""
    if mode == "words":
        words = query.split()
        pattern = re.compile(r"\s+".join(re.escape(w) for w in words), re.IGNORECASE)
        return lambda text: [m.span() for m in pattern.finditer(text)]
    try:
        compiled = regex.compile(query, regex.IGNORECASE | regex.VERSION0)
    except (regex.error, OverflowError, RecursionError) as exc:
        raise UserError(f"invalid regular expression {query!r}: {exc}", where="QUERY") from None
    deadline = time.monotonic() + timeout

    def find(text: str) -> list[tuple[int, int]]:
        left = deadline - time.monotonic()
        try:
            if left <= 0:
                raise TimeoutError
            return [m.span() for m in compiled.finditer(text, timeout=left) if m.end() > m.start()]
        except TimeoutError:
            raise UserError(
                f"the regular expression {query!r} took more than {timeout:g} s; make it simpler "
                "(nested repeats such as (a+)+ backtrack without end)",
                where="QUERY",
            ) from None

    return find


def search_documents(
    project: Project,
    query: str,
    *,
    mode: str = "words",
    by: Iterable[str | tuple[str, str]] | None = None,
    context: int = CONTEXT_CHARS,
    timeout: float = REGEX_TIMEOUT,
) -> SearchResult:
    """Every occurrence of `query` in the documents (of the cases matching every `by`), in
    document order. `mode`: words, lemma or regex (see the module docstring)."""
    if mode not in MODES:
        raise UserError(f"unknown search mode {mode!r}; use one of {', '.join(MODES)}")
    query = unicodedata.normalize("NFC", query)
    if not query.strip():
        raise UserError("the search text is empty", where="QUERY")
    if len(query) > MAX_QUERY:
        raise UserError(f"the search text is longer than {MAX_QUERY} characters", where="QUERY")
    pairs = [item if isinstance(item, tuple) else parse_by([item])[0] for item in by or ()]
    finder = None if mode == "lemma" else _finder(query, mode, timeout)
    project_language = project.language if mode == "lemma" else "nl"
    with project.read() as session:
        check_by(session, pairs)
        statement = (
            select(Document.id, Document.name, Case.name, Document.text, Document.language)
            .outerjoin(Case, Case.id == Document.case_id)
            .order_by(Document.id)
        )
        for condition in cases_with(pairs):
            statement = statement.where(Document.case_id.in_(condition))
        rows = session.execute(statement).all()
    lemma_queries: dict[str, Any] = {}
    hits: list[SearchHit] = []
    for doc_id, name, case_name, text, language in rows:
        if finder is not None:
            spans = finder(text)
        else:
            from lo_codebook.nlp.lemma_search import LemmaQuery

            lang = language or project_language
            if lang not in lemma_queries:
                lemma_queries[lang] = LemmaQuery(query, lang)
            spans = lemma_queries[lang].spans(text)
        for start, end in spans:
            around = context_around(text, start, end, context)
            hits.append(
                SearchHit(
                    doc_id,
                    name,
                    case_name,
                    start,
                    end,
                    text[start:end],
                    around.before,
                    around.after,
                )
            )
    return SearchResult(query, mode, hits, len(rows))


@dataclass(frozen=True)
class CodedHits:
    """What `code_hits` did: codings added, hits that already had the code, the log entry."""

    code: str
    coded: int
    already: int
    entry_id: int | None

    def summary(self) -> str:
        text = f"coded {plural(self.coded, 'hit')} as {self.code!r}"
        if self.already:
            text += f" ({self.already} already had it)"
        if self.entry_id is not None:
            text += f"; one log entry (#{self.entry_id}): lo-codebook undo takes them all back"
        return text


class _NothingToCode(Exception):
    """Every hit already has the code: leave the project (and the log) as it is."""


def code_hits(
    project: Project, hits: Sequence[SearchHit], code: str | int, *, query: str = ""
) -> CodedHits:
    """Code every hit with `code` as the current coder: one transaction, one undoable log
    entry (undo removes exactly these codings). Hits the coder already coded so are skipped;
    when that is all of them, nothing is written."""
    from lo_codebook.core.codebook import resolve_code
    from lo_codebook.db.models import AuditEntry

    with project.read() as session:
        found = (
            session.get(Code, code)
            if isinstance(code, int)
            else resolve_code(session, code, where="--code")
        )
        if found is None:
            raise UserError(f"code #{code} no longer exists", where="--code")
        code_id, code_name = found.id, found.name
    spans = list(dict.fromkeys((h.document_id, h.start, h.end) for h in hits))
    if not spans:
        return CodedHits(code_name, 0, 0, None)
    coded = already = 0
    try:
        with project.write("search-code") as unit:
            session = unit.session
            documents = {d for d, _, _ in spans}
            texts = dict(
                session.execute(
                    select(Document.id, Document.text).where(Document.id.in_(documents))
                ).all()
            )
            existing = set(
                session.execute(
                    select(Coding.document_id, Coding.start, Coding.end).where(
                        Coding.code_id == code_id,
                        Coding.coder_id == unit.coder.id,
                        Coding.document_id.in_(documents),
                    )
                ).all()
            )
            for document_id, start, end in spans:
                text = texts.get(document_id)
                if text is None:
                    raise UserError(f"document #{document_id} no longer exists; search again")
                if not (0 <= start < end <= len(text)):
                    raise UserError(
                        f"a hit ({start}-{end}) no longer fits its document; search again"
                    )
                if (document_id, start, end) in existing:
                    already += 1
                    continue
                session.add(
                    Coding(
                        document_id=document_id,
                        code_id=code_id,
                        coder_id=unit.coder.id,
                        start=start,
                        end=end,
                        origin="search",
                    )
                )
                coded += 1
            if not coded:
                raise _NothingToCode
            shown = f" of {query!r}" if query else ""
            unit.summary = f"coded {plural(coded, 'search hit')}{shown} as {code_name!r}"
    except _NothingToCode:
        return CodedHits(code_name, 0, already, None)
    with project.read() as session:
        entry_id = session.scalar(
            select(AuditEntry.id)
            .where(AuditEntry.coder == project.coder_name, AuditEntry.action == "search-code")
            .order_by(AuditEntry.id.desc())
            .limit(1)
        )
    return CodedHits(code_name, coded, already, entry_id)


__all__ = [
    "MODES",
    "RECORD_FIELDS",
    "CodedHits",
    "SearchHit",
    "SearchResult",
    "code_hits",
    "search_documents",
]
