"""The audit log and undo: every write records its row changes so any action can be reversed.

Mapper events capture inserts, updates (with before/after values) and deletes (with the
whole row) in unit-of-work order. Undo replays the inverse in reverse order inside a new
audited action, so undo itself can be undone (that is redo) and everything survives restarts.
What an undo may take back (only what its entry still owns) is decided in `undo_scope`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, event, inspect, select
from sqlalchemy.orm import Mapper, Session, object_session

from lo_codebook.db.models import AuditEntry, Base
from lo_codebook.errors import UserError

RECORD_KEY = "lo_codebook_changes"
UNDO_ACTIONS = ("undo", "redo")


def classes_by_table() -> dict[str, type[Base]]:
    return {m.local_table.name: m.class_ for m in Base.registry.mappers}  # type: ignore[union-attr]


def _changes_for(target: Any) -> list[Any] | None:
    if isinstance(target, AuditEntry):
        return None
    session = object_session(target)
    if session is None:
        return None
    return session.info.get(RECORD_KEY)


def _encode(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value


def row_of(target: Any) -> dict[str, Any]:
    """All column values of an ORM object, JSON-safe."""
    mapper = inspect(target).mapper
    return {attr.key: _encode(getattr(target, attr.key)) for attr in mapper.column_attrs}


def pk_of(target: Any) -> dict[str, Any]:
    mapper = inspect(target).mapper
    return {col.key: getattr(target, col.key) for col in mapper.primary_key}


def _after_insert(mapper: Mapper[Any], _conn: Any, target: Any) -> None:
    changes = _changes_for(target)
    if changes is not None:
        changes.append(["i", mapper.local_table.name, pk_of(target)])


def _before_update(mapper: Mapper[Any], _conn: Any, target: Any) -> None:
    changes = _changes_for(target)
    if changes is None:
        return
    state = inspect(target)
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for attr in mapper.column_attrs:
        history = state.attrs[attr.key].history
        if history.has_changes() and history.deleted:
            before[attr.key] = _encode(history.deleted[0])
            after[attr.key] = _encode(getattr(target, attr.key))
    if before:
        changes.append(["u", mapper.local_table.name, pk_of(target), before, after])


def _before_delete(mapper: Mapper[Any], _conn: Any, target: Any) -> None:
    changes = _changes_for(target)
    if changes is not None:
        changes.append(["d", mapper.local_table.name, row_of(target)])


event.listen(Base, "after_insert", _after_insert, propagate=True)
event.listen(Base, "before_update", _before_update, propagate=True)
event.listen(Base, "before_delete", _before_delete, propagate=True)


def decode_row(cls: type[Base], row: dict[str, Any]) -> dict[str, Any]:
    """Recorded (JSON) values back to column values: ISO strings to datetimes."""
    mapper = inspect(cls)
    out: dict[str, Any] = {}
    for attr in mapper.column_attrs:
        if attr.key not in row:
            continue
        value = row[attr.key]
        column_type = attr.columns[0].type
        if isinstance(column_type, DateTime) and isinstance(value, str):
            value = datetime.fromisoformat(value)
        out[attr.key] = value
    return out


def pk_tuple(cls: type[Base], pk: dict[str, Any]) -> tuple[Any, ...]:
    """The primary key of a recorded row (or of its key columns) as a tuple."""
    return tuple(pk[col.key] for col in inspect(cls).primary_key)


def apply_inverse(
    session: Session, changes: list[Any], keep: frozenset[tuple[str, tuple[Any, ...]]] = frozenset()
) -> int:
    """Reverse recorded changes, newest first. Returns how many rows were touched.

    `keep`: inserted rows (table, primary key) to leave in place (a coder still referred to).
    """
    classes = classes_by_table()
    touched = 0
    for change in reversed(changes):
        kind, table = change[0], change[1]
        cls = classes[table]
        if kind == "i":
            pk = pk_tuple(cls, change[2])
            obj = None if (table, pk) in keep else session.get(cls, pk)
            if obj is not None:
                session.delete(obj)
                session.flush()
                touched += 1
        elif kind == "I":  # bulk insert recorded as a list of integer ids
            for ident in change[2]:
                obj = None if (table, (ident,)) in keep else session.get(cls, ident)
                if obj is not None:
                    session.delete(obj)
                    touched += 1
            session.flush()
        elif kind == "d":
            values = decode_row(cls, change[2])
            if session.get(cls, pk_tuple(cls, values)) is None:
                session.add(cls(**values))
                session.flush()
                touched += 1
        elif kind == "u":
            obj = session.get(cls, pk_tuple(cls, change[2]))
            if obj is not None:
                for key, value in decode_row(cls, change[3]).items():
                    setattr(obj, key, value)
                session.flush()
                touched += 1
    return touched


def last_entry(session: Session, coder: str, *, redo: bool) -> AuditEntry | None:
    """The entry `undo` (or `redo`) would reverse for this coder, or None."""
    entries = session.scalars(
        select(AuditEntry)
        .where(AuditEntry.coder == coder, AuditEntry.undoable.is_(True))
        .order_by(AuditEntry.id.desc())
        .limit(500)
    )
    for entry in entries:
        if entry.undone:
            continue
        if redo:
            # Redo reverses the newest undo, unless a new action came after it.
            if entry.action == "redo":
                continue
            return entry if entry.action == "undo" else None
        if entry.action == "undo":
            continue
        return entry
    return None


def mark_reversed(session: Session, entry: AuditEntry) -> None:
    """`entry` was just reversed: it is undone, and down its chain of undoes (an undo undoes
    an action, a redo undoes that undo) each entry is back in effect or undone in turn, so
    that `undone` always says whether an entry's changes are in the project now."""
    entry.undone = True
    in_effect = True
    seen = {entry.id}
    node_id = entry.undoes_id
    while node_id is not None and node_id not in seen:
        seen.add(node_id)
        node = session.get(AuditEntry, node_id)
        if node is None:
            break
        node.undone = not in_effect
        in_effect = not in_effect
        node_id = node.undoes_id


def in_effect_through(session: Session, entry: AuditEntry) -> AuditEntry:
    """The entry that holds `entry`'s changes now: `entry` itself, or the newest redo that put
    them back after an undo (undoing `entry` then means undoing that redo)."""
    node = entry
    for _ in range(1000):
        undo = session.scalars(
            select(AuditEntry)
            .where(AuditEntry.undoes_id == node.id)
            .order_by(AuditEntry.id.desc())
            .limit(1)
        ).first()
        if undo is None or not undo.undone:
            return node
        redo = session.scalars(
            select(AuditEntry)
            .where(AuditEntry.undoes_id == undo.id, AuditEntry.undone.is_(False))
            .order_by(AuditEntry.id.desc())
            .limit(1)
        ).first()
        if redo is None:
            return node
        node = redo
    return node


def describe(entry: AuditEntry) -> str:
    return f"#{entry.id} {entry.action}: {entry.summary}"


def original_action(session: Session, entry: AuditEntry) -> tuple[AuditEntry, int]:
    """The action an undo/redo goes back to, and how many undo steps lie between them (0 for
    the action itself, 1 for its undo, 2 for the redo of that undo, ...)."""
    node, depth, seen = entry, 0, {entry.id}
    while (
        node.action in ("undo", "redo")
        and node.undoes_id is not None
        and node.undoes_id not in seen
    ):
        parent = session.get(AuditEntry, node.undoes_id)
        if parent is None:
            break
        seen.add(parent.id)
        node, depth = parent, depth + 1
    return node, depth


def in_words(entry: AuditEntry) -> str:
    """What an action did, as its log line says it, and which line: `added code 'X' (#12 code-add)`."""
    return f"{entry.summary or entry.action} (#{entry.id} {entry.action})"


def require_entry(entry: AuditEntry | None, *, redo: bool) -> AuditEntry:
    if entry is None:
        raise UserError("nothing to redo" if redo else "nothing to undo")
    return entry


def log_rows(session: Session, limit: int) -> list[dict[str, Any]]:
    """The newest `limit` log entries for `lo-codebook log`, newest first.

    Only the columns shown are read: an entry's recorded changes (for an import of 200,000
    answers, one record per row) are never loaded to list it."""
    from sqlalchemy import select

    from lo_codebook.db.models import AuditEntry

    query = (
        select(
            AuditEntry.id,
            AuditEntry.at,
            AuditEntry.coder,
            AuditEntry.action,
            AuditEntry.summary,
            AuditEntry.undone,
        )
        .order_by(AuditEntry.id.desc())
        .limit(limit)
    )
    return [
        {
            "id": id_,
            "at": at.isoformat(timespec="seconds"),
            "coder": coder,
            "action": action,
            "summary": summary,
            "undone": undone,
        }
        for id_, at, coder, action, summary, undone in session.execute(query)
    ]
