"""The code tree's primitives: names, finding a code by name or path, adding one code.

Below every module that creates codes (`codebook`, `code_absorb`, `merge`, `refi_mapping`,
`coding`, `discover_service`), so none of them needs another and none imports in a ring.
`core.codebook` re-exports all of this; callers may use either.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from typing import TypedDict

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from lo_codebook.core.project import WriteUnit
from lo_codebook.db.lookup import codes_named
from lo_codebook.db.models import Code
from lo_codebook.db.names import same_name
from lo_codebook.errors import UserError
from lo_codebook.safe_output import check_name, printable

MAX_NAME_LENGTH = 300  # the column's size: the same limit on SQLite and PostgreSQL

# Distinct, readable on dark and light terminals; assigned in order to new codes.
PALETTE = [
    "#e6194b", "#3cb44b", "#4363d8", "#f58231", "#911eb4", "#42d4f4", "#f032e6",
    "#bfef45", "#fabed4", "#469990", "#dcbeff", "#9a6324", "#fffac8", "#800000",
    "#aaffc3", "#808000", "#ffd8b1", "#000075", "#a9a9a9", "#ffe119",
]  # fmt: skip


def subtree_ids(session: Session, root_id: int) -> list[int]:
    """`root_id` and the ids of every code below it, depth first (one query for the tree)."""
    children: dict[int | None, list[int]] = {}
    for code_id, parent_id in session.execute(select(Code.id, Code.parent_id)):
        children.setdefault(parent_id, []).append(code_id)
    out: list[int] = []
    seen: set[int] = set()
    todo = [root_id]
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        out.append(current)
        todo.extend(children.get(current, []))
    return out


def code_path(code: Code) -> str:
    parts = [code.name]
    node = code.parent
    while node is not None:
        parts.append(node.name)
        node = node.parent
    return "/".join(reversed(parts))


def all_codes(session: Session) -> list[Code]:
    return list(session.scalars(select(Code).order_by(Code.position, Code.name)))


def resolve_code(
    session: Session, ref: str, *, file: str | None = None, where: str | None = None
) -> Code:
    """A code by unique name or by `Parent/Child` path; ambiguous or unknown names are errors."""
    code = find_code(session, ref, file=file, where=where)
    if code is None:
        raise UserError(f"unknown code {ref!r}", file=file, where=where)
    return code


def find_code(
    session: Session, ref: str, *, file: str | None = None, where: str | None = None
) -> Code | None:
    """A code by name or `Parent/Child` path. The exact spelling wins; else the same name in
    another case or Unicode form (`lo_codebook.db.names`: Értékek = ÉRTÉKEK, Straße = STRASSE)."""
    ref = unicodedata.normalize("NFC", " ".join(ref.split()))
    named = codes_named(session, ref)
    exact = [c for c in named if c.name == ref]
    matches = exact or named
    if len(matches) == 1:
        return matches[0]
    if len(matches) > 1:
        paths = ", ".join(sorted(code_path(c) for c in matches))
        raise UserError(
            f"code name {ref!r} is ambiguous; use one of: {paths}", file=file, where=where
        )
    if "/" in ref:
        path = [part.strip() for part in ref.split("/")]
        candidates = codes_named(session, path[-1])
        found = [c for c in candidates if code_path(c) == "/".join(path)] or [
            c for c in candidates if _path_matches(c, path)
        ]
        if found:
            return found[0]

        # an imported name that held a '/' is stored with '∕' (see core.refi_extras): typed
        # with '/', as a name or inside a path
        def typed(text: str) -> str:
            return text.replace("\u2215", "/")

        found = [
            code
            for code in session.scalars(select(Code))
            if ref in (typed(code.name), typed(code_path(code))) and "\u2215" in code_path(code)
        ]
        if len(found) > 1:
            paths = ", ".join(sorted(code_path(c) for c in found))
            raise UserError(
                f"code name {ref!r} is ambiguous; use one of: {paths}", file=file, where=where
            )
        return found[0] if found else None
    return None


def _path_matches(code: Code, path: Sequence[str]) -> bool:
    node: Code | None = code
    for part in reversed(path):
        if node is None or not same_name(node.name, part):
            return False
        node = node.parent
    return node is None


def next_color(session: Session) -> str:
    used = session.scalar(select(func.count()).select_from(Code)) or 0
    return PALETTE[used % len(PALETTE)]


def _check_sibling_name(
    session: Session, name: str, parent_id: int | None, *, exclude: int | None = None
) -> None:
    for other in codes_named(session, name, parent=parent_id):
        if other.id != exclude:
            where = f"under {other.parent.name!r}" if other.parent else "at the top level"
            raise UserError(f"a code named {other.name!r} already exists {where}")


def _valid_name(name: str) -> str:
    clean = unicodedata.normalize("NFC", " ".join(name.split()))
    if not clean:
        raise UserError("a code needs a name")
    if "/" in clean:
        raise UserError(f"code names cannot contain '/': {printable(name, newlines=False)!r}")
    if len(clean) > MAX_NAME_LENGTH:
        raise UserError(
            f"a code name can have at most {MAX_NAME_LENGTH} characters ({len(clean)} given)"
        )
    return check_name(clean, "code name")


class CodeDetails(TypedDict, total=False):
    """What a new code may have besides its name and parent (see `add_code`)."""

    description: str
    keywords: Sequence[str]
    color: str | None


def add_code(
    unit: WriteUnit,
    name: str,
    *,
    parent: Code | None = None,
    description: str = "",
    keywords: Sequence[str] = (),
    color: str | None = None,
) -> Code:
    session = unit.session
    name = _valid_name(name)
    _check_sibling_name(session, name, parent.id if parent else None)
    siblings = session.scalar(
        select(func.count())
        .select_from(Code)
        .where(Code.parent_id.is_(None) if parent is None else Code.parent_id == parent.id)
    )
    code = Code(
        name=name,
        parent=parent,
        description=description,
        keywords=list(dict.fromkeys(keywords)),
        color=color or next_color(session),
        position=siblings or 0,
    )
    session.add(code)
    try:
        session.flush()
    except IntegrityError as exc:
        # Team mode: another coder committed the same name between our check and our INSERT
        # (on PostgreSQL the failed INSERT aborts the transaction; `Project.write` rolls back).
        reason = str(exc.orig or exc)
        if "uq_code_" in reason or "code.name" in reason:
            raise UserError(
                f"a code named {name!r} was just created by someone else; it is in the codebook now"
            ) from exc
        raise
    return code
