"""Finding codes, cases and coders by name through their stored `name_key` (never SQL lower())."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from lo_codebook.db.models import Case, CaseAttribute, Code, Coder
from lo_codebook.db.names import matching, name_key
from lo_codebook.errors import UserError

#: `parent=` value meaning "anywhere in the tree" (None means: at the top level).
ANY_PARENT: Any = object()


def codes_named(
    session: Session, name: str, *, parent: Code | int | None = ANY_PARENT
) -> list[Code]:
    """Codes called `name` (same name rule as everywhere), exact spelling first; `parent` a
    code, its id, None for the top level, or ANY_PARENT."""
    query = select(Code).where(Code.name_key == name_key(name))
    if parent is not ANY_PARENT:
        parent_id = parent.id if isinstance(parent, Code) else parent
        query = query.where(
            Code.parent_id.is_(None) if parent_id is None else Code.parent_id == parent_id
        )
    return matching(session.scalars(query.order_by(Code.id)), name, lambda c: c.name)


def sibling_named(session: Session, name: str, parent: Code | int | None) -> Code | None:
    found = codes_named(session, name, parent=parent)
    return found[0] if found else None


def find_case(session: Session, name: str) -> Case | None:
    query = select(Case).where(Case.name_key == name_key(name)).order_by(Case.id)
    found = matching(session.scalars(query), name, lambda c: c.name)
    return found[0] if found else None


def find_coder(session: Session, name: str) -> Coder | None:
    query = select(Coder).where(Coder.name_key == name_key(name)).order_by(Coder.id)
    found = matching(session.scalars(query), name, lambda c: c.name)
    return found[0] if found else None


def check_attribute_key(session: Session, key: str, *, where: str = "--by") -> None:
    """Refuse a case attribute `key` no case has (most often a typo), naming the keys that do."""
    if session.scalar(select(CaseAttribute.key).where(CaseAttribute.key == key).limit(1)) is None:
        known = sorted(set(session.scalars(select(CaseAttribute.key).distinct())))
        raise UserError(
            f"no case attribute {key!r} (known: {', '.join(known) or 'none'})", where=where
        )
