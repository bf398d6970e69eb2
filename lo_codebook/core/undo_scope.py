"""Undo takes back only what its log entry still owns, and refuses when later work needs it.

Before an entry's changes are reversed, `reverse` compares them with the project as it is
now and with the later log, and refuses, in one line naming the work and its log entries
("undo #12 would remove 2 codings by bram (#13); undo those first"), when reversing would
- remove rows someone added on top of the entry's rows (codings on an imported document, a
  code under an added category, a document in an added case, a decision on a suggestion),
- remove or overwrite rows of the entry that someone changed since (only the columns the
  entry set count: a later description edit does not block undoing a rename),
- restore rows whose parents someone deleted since, or under a key someone has taken since.
Nothing is changed then. Pending suggestions are derived data (the engine makes them again):
they go with their document or code, recorded so that redo brings them back. A coder row
the entry added stays while anything still refers to that person. On PostgreSQL the rows
involved are locked first, so no one can build on them between the check and the undo.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Table, select, tuple_
from sqlalchemy.orm import Session

from lo_codebook.core.audit import apply_inverse, classes_by_table, decode_row, pk_tuple
from lo_codebook.db.models import AuditEntry, Base, Coder, Suggestion, aware
from lo_codebook.errors import UserError

Key = tuple[str, tuple[Any, ...]]
"""A row: (table name, primary key values)."""

CHUNK = 500
PART_OF_PARENT = frozenset({"segment", "case_attribute"})
"""Rows an import writes in bulk with their document or case (unrecorded): they go with it,
unless a later entry added them."""
PEOPLE = frozenset({"coder"})
"""Not work: a coder row an entry added is kept while anything refers to it."""
SHOWN_ENTRIES = 4
SHOWN_GROUPS = 3

_NOUNS = {
    "coding": ("coding", "codings"),
    "document": ("document", "documents"),
    "code": ("code", "codes"),
    "cases": ("case", "cases"),
    "case_attribute": ("case attribute", "case attributes"),
    "segment": ("segment", "segments"),
    "suggestion": ("decided suggestion", "decided suggestions"),
    "memo": ("memo", "memos"),
    "setting": ("setting", "settings"),
    "pseudonym_name": ("pseudonym", "pseudonyms"),
    "coder": ("coder", "coders"),
    "validation": ("validation sample", "validation samples"),
    "validation_document": ("validation sample document", "validation sample documents"),
}

# What reversing would do to later work, as the message says it: verb before, words after.
_PHRASES = {
    "remove": ("remove", ""),
    "remove-changed": ("remove", "changed "),
    "overwrite": ("overwrite", "changed "),
    "need": ("need", "deleted "),
    "collide": ("collide with", "added "),
}


@dataclass(frozen=True)
class _Touch:
    """A later log entry's change to one row."""

    entry_id: int
    coder: str
    kind: str  # "i" inserted, "u" updated, "d" deleted
    columns: frozenset[str] = frozenset()
    restores: bool = False  # an undo of later work: puts back how things were, is no work


@dataclass(frozen=True)
class _Conflict:
    kind: str  # a key of _PHRASES
    table: str
    entry_id: int | None  # the later entry that did the work, when the log knows it
    coder: str | None


def _noun(table: str, n: int) -> str:
    one, many = _NOUNS.get(table, (table, table))
    return one if n == 1 else many


def _single_pk(cls: type[Base]) -> bool:
    return len(cls.__table__.primary_key.columns) == 1  # type: ignore[attr-defined]


def _recorded_keys(change: Sequence[Any], classes: dict[str, type[Base]]) -> list[Key]:
    kind, table = change[0], change[1]
    cls = classes.get(table)
    if cls is None:
        return []
    if kind == "I":
        return [(table, (ident,)) for ident in change[2]]
    return [(table, pk_tuple(cls, change[2]))]


def _later_touches(session: Session, target: AuditEntry) -> dict[Key, list[_Touch]]:
    """Every row that log entries after `target` (still in effect) inserted, changed or deleted."""
    classes = classes_by_table()
    index: dict[Key, list[_Touch]] = defaultdict(list)
    rows = session.execute(
        select(
            AuditEntry.id,
            AuditEntry.coder,
            AuditEntry.action,
            AuditEntry.undoes_id,
            AuditEntry.changes,
        )
        .where(
            AuditEntry.id > target.id,
            AuditEntry.undoable.is_(True),
            AuditEntry.undone.is_(False),
        )
        .order_by(AuditEntry.id)
    )
    chains: dict[int, tuple[str, int | None]] = {}
    for entry_id, coder, action, undoes_id, changes in rows:
        root, undoes = _root(session, action, undoes_id, chains)
        restores = undoes and root is not None and root > target.id
        for change in changes or ():
            kind = "i" if change[0] == "I" else change[0]
            columns = frozenset(change[3]) if kind == "u" else frozenset()
            for key in _recorded_keys(change, classes):
                index[key].append(_Touch(entry_id, coder, kind, columns, restores))
    return index


def _root(
    session: Session, action: str, undoes_id: int | None, cache: dict[int, tuple[str, int | None]]
) -> tuple[int | None, bool]:
    """The action at the bottom of an undo/redo chain, and whether the chain reverses it
    (an undo: yes; a redo of that undo: no; and so on)."""
    undoes = False
    seen: set[int] = set()
    while action in ("undo", "redo") and undoes_id is not None and undoes_id not in seen:
        seen.add(undoes_id)
        undoes = not undoes
        if undoes_id not in cache:
            row = session.execute(
                select(AuditEntry.action, AuditEntry.undoes_id).where(AuditEntry.id == undoes_id)
            ).first()
            if row is None:
                return None, undoes
            cache[undoes_id] = (row[0], row[1])
        root = undoes_id
        action, undoes_id = cache[undoes_id]
        if action not in ("undo", "redo"):
            return root, undoes
    return None, undoes


def _newest(touches: Iterable[_Touch]) -> _Touch | None:
    found = list(touches)
    return max(found, key=lambda t: t.entry_id) if found else None


def _chunks(items: Sequence[Any]) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


def _load(
    session: Session, cls: type[Base], pks: Iterable[tuple[Any, ...]], *, lock: bool
) -> dict[tuple[Any, ...], Any]:
    """The rows with these keys that exist now (locked for this transaction on PostgreSQL)."""
    columns = list(cls.__table__.primary_key.columns)  # type: ignore[attr-defined]
    found: dict[tuple[Any, ...], Any] = {}
    wanted = sorted(set(pks), key=repr)
    for chunk in _chunks(wanted):
        if len(columns) == 1:
            condition = columns[0].in_([pk[0] for pk in chunk])
        else:
            condition = tuple_(*columns).in_(list(chunk))
        query = select(cls).where(condition)
        if lock:
            query = query.with_for_update()
        for obj in session.scalars(query):
            found[tuple(getattr(obj, c.key) for c in columns)] = obj
    return found


def _existing_ids(session: Session, table: Table, ids: Iterable[Any]) -> set[Any]:
    """Which of these ids exist; on PostgreSQL each is locked against deletion (FOR KEY SHARE)."""
    column = next(iter(table.primary_key.columns))
    out: set[Any] = set()
    for chunk in _chunks(sorted(set(ids), key=repr)):
        query = (
            select(column).where(column.in_(list(chunk))).with_for_update(read=True, key_share=True)
        )
        out.update(session.scalars(query))
    return out


def _references() -> dict[str, list[tuple[Table, str]]]:
    """Parent table -> (child table, foreign key column) for every foreign key."""
    out: dict[str, list[tuple[Table, str]]] = defaultdict(list)
    for table in Base.metadata.sorted_tables:
        for fk in table.foreign_keys:
            out[fk.column.table.name].append((table, fk.parent.key))
    return out


def _same(recorded: Any, current: Any) -> bool:
    if isinstance(recorded, datetime) and isinstance(current, datetime):
        return aware(recorded) == aware(current)
    if isinstance(recorded, float) and isinstance(current, int | float):
        return math.isclose(recorded, current, rel_tol=1e-9, abs_tol=1e-12)
    return bool(recorded == current)


class _Check:
    """What reversing one entry would do, found before anything changes."""

    def __init__(self, session: Session, target: AuditEntry):
        self.session = session
        self.target = target
        self.classes = classes_by_table()
        self.conflicts: list[_Conflict] = []
        self.keep: set[Key] = set()
        self.derived: set[int] = set()
        self.needed: dict[str, set[Any]] = defaultdict(set)  # parent table -> ids
        self.touches: dict[Key, list[_Touch]] = {}
        self.current: dict[str, dict[tuple[Any, ...], Any]] = {}
        self.inserted: dict[str, set[tuple[Any, ...]]] = defaultdict(set)
        self.deleted: dict[str, dict[tuple[Any, ...], dict[str, Any]]] = defaultdict(dict)
        self.before: dict[Key, dict[str, Any]] = defaultdict(dict)
        self.after: dict[Key, dict[str, Any]] = defaultdict(dict)
        for change in target.changes or ():
            kind, table = change[0], change[1]
            cls = self.classes.get(table)
            if cls is None:
                continue
            if kind in ("i", "I"):
                for _table, pk in _recorded_keys(change, self.classes):
                    self.inserted[table].add(pk)
            elif kind == "d":
                self.deleted[table][pk_tuple(cls, change[2])] = decode_row(cls, change[2])
            elif kind == "u":
                key = (table, pk_tuple(cls, change[2]))
                for column, value in decode_row(cls, change[3]).items():
                    self.before[key].setdefault(column, value)  # the first value counts
                self.after[key].update(decode_row(cls, change[4]))  # the last value counts

    # -- the checks ------------------------------------------------------------------------

    def run(self) -> None:
        self._lock_rows()
        # Read after the locks: work that committed while this undo waited is in the log now.
        self.touches = _later_touches(self.session, self.target)
        removed = self._rows_it_inserted()
        self._rows_on_top_of(removed)
        self._values_it_set()
        self._rows_it_deleted()
        self._parents_still_there()

    def _conflict(
        self, kind: str, table: str, touch: _Touch | None, fallback: str | None = None
    ) -> None:
        if touch is not None:
            self.conflicts.append(_Conflict(kind, table, touch.entry_id, touch.coder))
        else:
            self.conflicts.append(_Conflict(kind, table, None, fallback))

    def _lock_rows(self) -> None:
        """Load (and on PostgreSQL lock) every row the entry touched that exists now; a
        transaction adding a coding to one of them waits for this undo, or this for it."""
        keys: dict[str, set[tuple[Any, ...]]] = defaultdict(set)
        for table, pks in self.inserted.items():
            keys[table] |= pks
        for table, pk in self.after:
            keys[table].add(pk)
        for table, rows in self.deleted.items():
            keys[table] |= rows.keys()
        for table in sorted(keys):
            self.current[table] = _load(self.session, self.classes[table], keys[table], lock=True)

    def _rows_it_inserted(self) -> dict[str, dict[tuple[Any, ...], Any]]:
        """Rows the entry inserted that are still there (and are the entry's): to be removed."""
        removed: dict[str, dict[tuple[Any, ...], Any]] = {}
        for table, pks in self.inserted.items():
            # A row deleted and inserted again within the entry is put back, not removed.
            mine: dict[tuple[Any, ...], Any] = {}
            for pk in sorted(pks - self.deleted[table].keys(), key=repr):
                obj = self.current[table].get(pk)
                if obj is None:
                    continue  # deleted since: no longer the entry's to remove
                later = [t for t in self.touches.get((table, pk), []) if not t.restores]
                again = _newest(t for t in later if t.kind == "i")
                changed = _newest(t for t in later if t.kind == "u")
                if again is not None:  # its key was reused by someone's later row
                    self._conflict("remove", table, again)
                elif changed is not None:
                    self._conflict("remove-changed", table, changed)
                else:
                    mine[pk] = obj
            removed[table] = mine
        return removed

    def _rows_on_top_of(self, removed: dict[str, dict[tuple[Any, ...], Any]]) -> None:
        """Rows that refer to rows about to be removed and are not the entry's own."""
        gone = {(table, pk) for table, rows in removed.items() for pk in rows}
        references = _references()
        for parent, rows in removed.items():
            ids = [pk[0] for pk in rows]
            if not ids:
                continue
            for child, column in references.get(parent, ()):
                self._children(child, column, ids, parent, gone)

    def _children(
        self, child: Table, column: str, ids: list[Any], parent: str, gone: set[Key]
    ) -> None:
        pk_columns = list(child.primary_key.columns)
        wanted = {column, "status", "coder_id", "decided_by_id"} - {c.key for c in pk_columns}
        query = select(*pk_columns, *(c for c in child.c if c.key in wanted))
        for chunk in _chunks(ids):
            for row in self.session.execute(query.where(child.c[column].in_(list(chunk)))):
                values = row._mapping
                pk = tuple(values[c.key] for c in pk_columns)
                key = (child.name, pk)
                if key in gone or column in self.after.get(key, {}):
                    continue  # the entry's own row, or one it pointed here (the undo points it back)
                if parent in PEOPLE:  # someone still refers to this person: keep the row
                    self.keep.add((parent, (values[column],)))
                    continue
                if child.name == "suggestion" and values["status"] == "pending":
                    self.derived.add(pk[0])
                    continue
                later = self.touches.get(key, [])
                made = _newest(t for t in later if t.kind == "i" or column in t.columns)
                if child.name in PART_OF_PARENT and made is None:
                    continue
                who = made or _newest(later)
                coder_id = values.get("coder_id") or values.get("decided_by_id")
                self._conflict("remove", child.name, who, self._coder_name(coder_id))

    def _values_it_set(self) -> None:
        """Rows the entry changed: put the old values back only where its values still stand."""
        by_table: dict[str, set[tuple[Any, ...]]] = defaultdict(set)
        for table, pk in self.after:
            if pk in self.inserted[table] or pk in self.deleted[table]:
                continue  # removed or put back whole
            by_table[table].add(pk)
        for table, pks in by_table.items():
            current = self.current[table]
            for pk in sorted(pks, key=repr):
                obj = current.get(pk)
                key = (table, pk)
                later = self.touches.get(key, [])
                if obj is None:
                    continue  # deleted since: nothing of the entry's left to put back
                again = _newest(t for t in later if t.kind == "i" and not t.restores)
                if again is not None:  # its key was reused by someone's later row
                    self._conflict("overwrite", table, again)
                    continue
                moved = {c for c, v in self.after[key].items() if not _same(v, getattr(obj, c))}
                if moved:
                    who = _newest(t for t in later if t.kind == "u" and t.columns & moved)
                    self._conflict("overwrite", table, who)
                    continue
                self._parents_of(table, self.before[key])

    def _rows_it_deleted(self) -> None:
        """Rows the entry deleted: their keys must be free and their parents still there."""
        for table, rows in self.deleted.items():
            taken = self.current[table]
            for pk in rows:
                if pk in self.inserted[table]:
                    continue  # deleted and inserted again by the entry: removed, then put back
                if pk in taken:
                    later = self.touches.get((table, pk), [])
                    self._conflict("collide", table, _newest(t for t in later if t.kind == "i"))
                    continue
                self._parents_of(table, rows[pk])

    def _parents_of(self, table: str, values: dict[str, Any]) -> None:
        """Note the rows that foreign keys among `values` (to be written back) point at."""
        for fk in Base.metadata.tables[table].foreign_keys:
            value = values.get(fk.parent.key)
            if value is not None:
                self.needed[fk.column.table.name].add(value)

    def _parents_still_there(self) -> None:
        """Old values may only point at rows that exist now or that this undo restores."""
        for parent, wanted in self.needed.items():
            restored = {pk[0] for pk in self.deleted.get(parent, {})}
            missing = wanted - restored
            if not missing:
                continue
            present = _existing_ids(self.session, Base.metadata.tables[parent], missing)
            for ident in sorted(missing - present, key=repr):
                later = self.touches.get((parent, (ident,)), [])
                self._conflict("need", parent, _newest(t for t in later if t.kind == "d"))

    def _coder_name(self, coder_id: Any) -> str | None:
        if coder_id is None:
            return None
        coder = self.session.get(Coder, coder_id)
        return coder.name if coder is not None else None

    # -- the message ------------------------------------------------------------------------

    def message(self, label: str) -> str:
        groups: dict[tuple[str, str, str | None], list[int | None]] = {}
        for conflict in self.conflicts:
            groups.setdefault((conflict.kind, conflict.table, conflict.coder), []).append(
                conflict.entry_id
            )
        ordered = sorted(
            groups.items(), key=lambda item: min((e for e in item[1] if e is not None), default=0)
        )
        parts = []
        for (kind, table, coder), entry_ids in ordered[:SHOWN_GROUPS]:
            verb, adjective = _PHRASES[kind]
            n = len(entry_ids)
            text = f"{verb} {n} {_noun(table, n)}"
            if coder:
                text += f" {adjective}by {coder}"
            elif adjective:
                text += f" {adjective.strip()}"
            logged = sorted({e for e in entry_ids if e is not None})
            shown = ", ".join(f"#{e}" for e in logged[:SHOWN_ENTRIES])
            if len(logged) > SHOWN_ENTRIES:
                shown += ", ..."
            if None in entry_ids:
                shown = f"{shown}, not in the log" if shown else "not in the log"
            parts.append(f"{text} ({shown})")
        if len(ordered) > SHOWN_GROUPS:
            parts.append(f"{len(ordered) - SHOWN_GROUPS} more")
        listed = ", ".join(parts[:-1]) + " and " + parts[-1] if len(parts) > 1 else parts[0]
        return f"{label} #{self.target.id} would {listed}; undo those first"


def reverse(session: Session, target: AuditEntry, *, label: str) -> None:
    """Reverse `target`'s recorded changes inside the caller's write unit, or refuse."""
    check = _Check(session, target)
    check.run()
    if check.conflicts:
        raise UserError(check.message(label))
    if check.derived:
        # Recorded like any change, so that redo puts them back with their document or code.
        for suggestion in session.scalars(
            select(Suggestion).where(Suggestion.id.in_(sorted(check.derived)))
        ):
            session.delete(suggestion)
        session.flush()
    apply_inverse(session, list(target.changes or ()), keep=frozenset(check.keep))
