"""All tables in one module (as Taguette does), typed with SQLAlchemy 2 `Mapped[...]`.

Offsets (`start`, `end`) are Python `str` indices into `Document.text`, end exclusive:
the convention REFI-QDA uses, so exports need no conversion.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.engine.default import DefaultExecutionContext
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship, validates

from lo_codebook.db.names import name_key

# Named constraints make SQLite batch migrations and autogenerate comparisons deterministic.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

SEGMENT_KINDS = ("transcript", "text", "survey")
SUGGESTION_STATUSES = ("pending", "accepted", "rejected")


def utcnow() -> datetime:
    """Timezone-aware now, so SQLite and PostgreSQL store the same instant."""
    return datetime.now(UTC)


def aware(value: datetime | None) -> datetime | None:
    """A stored date as UTC when it has no zone (SQLite gives naive datetimes back)."""
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def _key_of_inserted_name(context: DefaultExecutionContext) -> str:
    """`name_key` for rows inserted with Core `insert()` (the ORM sets it in `_set_key`)."""
    return name_key(context.get_current_parameters()["name"])


class _NamedMixin:
    """A `name` with its comparison key (`lo_codebook.db.names`), kept in step on every write:
    look rows up by `name_key == name_key(wanted)`, never with SQL `lower()`."""

    name: Mapped[str]
    name_key: Mapped[str]

    @validates("name")
    def _set_key(self, _attribute: str, value: str) -> str:
        self.name_key = name_key(value)
        return value


# A key can be up to three times as long as its name (full case folding: ß -> ss, ΐ -> 3).
KEY_GROWTH = 3


class Setting(Base):
    """Project-wide settings (language, default coder, engine options) as key/value."""

    __tablename__ = "setting"
    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class Coder(_NamedMixin, Base):
    """Who made a coding or a decision; one row per person."""

    __tablename__ = "coder"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    name_key: Mapped[str] = mapped_column(
        String(200 * KEY_GROWTH), index=True, default=_key_of_inserted_name
    )
    guid: Mapped[str | None] = mapped_column(String(40))
    created: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Case(_NamedMixin, Base):
    """A unit of analysis (respondent, municipality) carrying attributes."""

    __tablename__ = "cases"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(300), unique=True)
    name_key: Mapped[str] = mapped_column(
        String(300 * KEY_GROWTH), index=True, default=_key_of_inserted_name
    )
    guid: Mapped[str | None] = mapped_column(String(40))
    created: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    attributes: Mapped[list[CaseAttribute]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="CaseAttribute.key"
    )
    documents: Mapped[list[Document]] = relationship(back_populates="case")


class CaseAttribute(Base):
    """One attribute value of a case (e.g. size_class=20.000-50.000)."""

    __tablename__ = "case_attribute"
    case_id: Mapped[int] = mapped_column(
        ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True
    )
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
    case: Mapped[Case] = relationship(back_populates="attributes")

    __table_args__ = (Index("ix_case_attribute_key_value", "key", "value"),)


class Document(Base):
    """A text belonging to a case, stored once exactly as imported (NFC)."""

    __tablename__ = "document"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(500), unique=True)
    case_id: Mapped[int | None] = mapped_column(
        ForeignKey("cases.id", ondelete="SET NULL"), index=True
    )
    kind: Mapped[str] = mapped_column(String(20))
    source_format: Mapped[str] = mapped_column(String(20))
    question: Mapped[str | None] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64), index=True)
    words: Mapped[int] = mapped_column(Integer)
    # "nl"/"en" as detected on import; NULL (text too short to tell, or imported before
    # detection existed) means: the project's language.
    language: Mapped[str | None] = mapped_column(String(10))
    guid: Mapped[str | None] = mapped_column(String(40))
    created: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    case: Mapped[Case | None] = relationship(back_populates="documents")
    segments: Mapped[list[Segment]] = relationship(
        back_populates="document", cascade="all, delete-orphan", order_by="Segment.start"
    )
    codings: Mapped[list[Coding]] = relationship(
        back_populates="document", cascade="all, delete-orphan"
    )
    suggestions: Mapped[list[Suggestion]] = relationship(
        back_populates="document", cascade="all, delete-orphan"
    )


class Segment(Base):
    """A speaker turn of a transcript, or the whole answer of a survey document."""

    __tablename__ = "segment"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"))
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    speaker: Mapped[str | None] = mapped_column(String(200))
    timestamp: Mapped[float | None] = mapped_column(Float)
    end_timestamp: Mapped[float | None] = mapped_column(Float)
    document: Mapped[Document] = relationship(back_populates="segments")

    __table_args__ = (Index("ix_segment_document_start", "document_id", "start"),)


class Code(_NamedMixin, Base):
    """A node of the codebook tree; a code with children is a category."""

    __tablename__ = "code"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    name_key: Mapped[str] = mapped_column(
        String(300 * KEY_GROWTH), index=True, default=_key_of_inserted_name
    )
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("code.id", ondelete="RESTRICT"), index=True
    )
    description: Mapped[str] = mapped_column(Text, default="")
    color: Mapped[str | None] = mapped_column(String(20))
    keywords: Mapped[list[str]] = mapped_column(JSON, default=list)
    position: Mapped[int] = mapped_column(Integer, default=0)
    guid: Mapped[str | None] = mapped_column(String(40))
    created: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    parent: Mapped[Code | None] = relationship(remote_side="Code.id", back_populates="children")
    children: Mapped[list[Code]] = relationship(
        back_populates="parent", order_by="(Code.position, Code.name)"
    )

    __table_args__ = (
        # Sibling names are unique; NULL parents are not equal in SQL, so roots get their own
        # partial index. Both hold under concurrent writers (team mode on PostgreSQL).
        UniqueConstraint("parent_id", "name"),
        Index(
            "uq_code_root_name",
            "name",
            unique=True,
            sqlite_where=parent_id.is_(None),
            postgresql_where=parent_id.is_(None),
        ),
    )


class Coding(Base):
    """A span of a document coded with a code by a coder."""

    __tablename__ = "coding"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"))
    code_id: Mapped[int] = mapped_column(ForeignKey("code.id", ondelete="CASCADE"))
    coder_id: Mapped[int] = mapped_column(ForeignKey("coder.id", ondelete="RESTRICT"))
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    memo: Mapped[str | None] = mapped_column(Text)
    origin: Mapped[str] = mapped_column(String(20), default="manual")
    guid: Mapped[str | None] = mapped_column(String(40))
    created: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    document: Mapped[Document] = relationship(back_populates="codings")
    code: Mapped[Code] = relationship()
    coder: Mapped[Coder] = relationship()

    __table_args__ = (
        # The same coder coding the same span twice is one coding: makes merges idempotent.
        UniqueConstraint("document_id", "code_id", "coder_id", "start", "end"),
        Index("ix_coding_code_document", "code_id", "document_id"),
        Index("ix_coding_document_start", "document_id", "start"),
        Index("ix_coding_coder", "coder_id"),
    )


class Suggestion(Base):
    """A coding proposed by the NLP engine, waiting for a coder's decision."""

    __tablename__ = "suggestion"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"))
    code_id: Mapped[int] = mapped_column(ForeignKey("code.id", ondelete="CASCADE"))
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    score: Mapped[float] = mapped_column(Float)
    method: Mapped[str] = mapped_column(String(20))
    evidence: Mapped[str] = mapped_column(Text, default="")
    pattern: Mapped[str] = mapped_column(String(300), default="")
    status: Mapped[str] = mapped_column(String(20), default="pending")
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("coder.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    document: Mapped[Document] = relationship(back_populates="suggestions")
    code: Mapped[Code] = relationship()

    __table_args__ = (
        # One suggestion per span and code: re-running `suggest` never duplicates nor
        # revives a rejected one.
        UniqueConstraint("document_id", "code_id", "start", "end"),
        Index("ix_suggestion_status_score", "status", "score"),
        Index("ix_suggestion_code_status", "code_id", "status"),
    )


class Memo(Base):
    """A researcher's note on a document, code, case or coding (REFI-QDA `Note`)."""

    __tablename__ = "memo"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    title: Mapped[str] = mapped_column(String(300), default="")
    coder_id: Mapped[int | None] = mapped_column(ForeignKey("coder.id", ondelete="SET NULL"))
    document_id: Mapped[int | None] = mapped_column(
        ForeignKey("document.id", ondelete="CASCADE"), index=True
    )
    code_id: Mapped[int | None] = mapped_column(ForeignKey("code.id", ondelete="CASCADE"))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    guid: Mapped[str | None] = mapped_column(String(40))
    created: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class AuditEntry(Base):
    """Every change, with coder and time; `changes` holds what undo needs to reverse it."""

    __tablename__ = "audit_entry"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    coder: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(50))
    summary: Mapped[str] = mapped_column(Text, default="")
    changes: Mapped[list[Any]] = mapped_column(JSON, default=list)
    undoable: Mapped[bool] = mapped_column(Boolean, default=True)
    undone: Mapped[bool] = mapped_column(Boolean, default=False)
    undoes_id: Mapped[int | None] = mapped_column(ForeignKey("audit_entry.id", ondelete="SET NULL"))


class PseudonymName(Base):
    """A person's name (or speaker label) and the pseudonym exports write in its place."""

    __tablename__ = "pseudonym_name"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(300), unique=True)
    pseudonym: Mapped[str] = mapped_column(String(300))


class Validation(Base):
    """A coder's validation sample: documents drawn at random to code fully by hand, so the
    engine's misses can be counted (`lo-codebook validate`). One per coder."""

    __tablename__ = "validation"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    coder_id: Mapped[int] = mapped_column(ForeignKey("coder.id", ondelete="CASCADE"), unique=True)
    size: Mapped[int] = mapped_column(Integer)
    seed: Mapped[int] = mapped_column(Integer)
    by_attribute: Mapped[str | None] = mapped_column(String(200))
    # The sampling frame: the documents there were at the draw (ids up to this one).
    last_document_id: Mapped[int] = mapped_column(Integer)
    frame_size: Mapped[int] = mapped_column(Integer)
    # Suggestions stored later were made by an engine that may have learned from the sample.
    last_suggestion_id: Mapped[int] = mapped_column(Integer)
    created: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    coder: Mapped[Coder] = relationship()
    documents: Mapped[list[ValidationDocument]] = relationship(
        back_populates="validation",
        cascade="all, delete-orphan",
        order_by="ValidationDocument.position",
    )


class ValidationDocument(Base):
    """One sampled document: its place in the coding order, its stratum at the draw, and when
    the coder marked it done (until then the UI shows it blind: no suggestions, no other
    coder's codes)."""

    __tablename__ = "validation_document"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    validation_id: Mapped[int] = mapped_column(ForeignKey("validation.id", ondelete="CASCADE"))
    document_id: Mapped[int] = mapped_column(
        ForeignKey("document.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    stratum: Mapped[str | None] = mapped_column(Text)
    done_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    validation: Mapped[Validation] = relationship(back_populates="documents")

    __table_args__ = (UniqueConstraint("validation_id", "document_id"),)
