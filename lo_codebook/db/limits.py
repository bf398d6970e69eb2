"""Length limits of the text columns, the same on every database and checked before writing.

SQLite ignores VARCHAR lengths; PostgreSQL refuses a longer value with an error quoting the
SQL. So every INSERT and UPDATE of our tables is checked before it is sent (an engine
event), and a value over a limit is one clear UserError naming what and the limit, on both.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from typing import Any

from sqlalchemy import Engine, String, Table, event
from sqlalchemy.sql.dml import Insert, Update

from lo_codebook.db.models import Base
from lo_codebook.errors import UserError

#: What the user calls a column (others are named `table.column`).
LABELS: dict[tuple[str, str], str] = {
    ("cases", "name"): "a case name (respondent id)",
    ("case_attribute", "key"): "an attribute name",
    ("document", "name"): "a document name",
    ("segment", "speaker"): "a speaker name",
    ("coder", "name"): "a coder name",
    ("code", "name"): "a code name",
    ("memo", "title"): "a memo title",
    ("pseudonym_name", "name"): "a name on the name list",
    ("pseudonym_name", "pseudonym"): "a pseudonym",
    ("setting", "key"): "a setting name",
}


@cache
def _bounded() -> dict[Table, dict[str, int]]:
    out: dict[Table, dict[str, int]] = {}
    for table in Base.metadata.sorted_tables:
        limits = {
            column.key: column.type.length
            for column in table.columns
            if isinstance(column.type, String) and column.type.length
        }
        if limits:
            out[table] = limits
    return out


def limit(table: str, column: str) -> int:
    """The length limit of `table.column` (characters)."""
    for bounded, limits in _bounded().items():
        if bounded.name == table:
            return limits[column]
    raise KeyError(f"{table}.{column}")


def too_long(
    table: str, column: str, value: str, *, file: Any = None, where: str | None = None
) -> UserError:
    """The one-line error for a value over its column's limit."""
    label = LABELS.get((table, column), f"{table}.{column}")
    preview = value[:30] + "…" if len(value) > 30 else value
    return UserError(
        f"{label} can have at most {limit(table, column):,} characters ({len(value):,} given): {preview!r}",
        file=file,
        where=where,
    )


def check_value(
    table: str, column: str, value: str | None, *, file: Any = None, where: str | None = None
) -> None:
    if value is not None and len(value) > limit(table, column):
        raise too_long(table, column, value, file=file, where=where)


def _check(table: Table, limits: Mapping[str, int], params: Mapping[str, Any]) -> None:
    for key, value in params.items():
        bound = limits.get(key)
        if bound is not None and isinstance(value, str) and len(value) > bound:
            raise too_long(table.name, key, value)


def check_rows(table: Table, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """Check plain rows (values in `columns` order) before a bulk insert."""
    limits = _bounded().get(table)
    if not limits:
        return
    checked = [(i, limits[name]) for i, name in enumerate(columns) if name in limits]
    if not checked:
        return
    for row in rows:
        for index, bound in checked:
            value = row[index]
            if isinstance(value, str) and len(value) > bound:
                raise too_long(table.name, columns[index], value)


def _parameter_sets(multiparams: Any, params: Any) -> Iterable[Mapping[str, Any]]:
    if isinstance(params, Mapping):
        yield params
    for item in multiparams or ():
        if isinstance(item, Mapping):
            yield item
        elif isinstance(item, list | tuple):
            yield from (p for p in item if isinstance(p, Mapping))


@event.listens_for(Engine, "before_execute")
def _before_execute(conn, clauseelement, multiparams, params, execution_options):  # type: ignore[no-untyped-def]
    if not isinstance(clauseelement, Insert | Update):
        return
    limits = _bounded().get(clauseelement.table)  # type: ignore[arg-type]
    if not limits:
        return
    for values in _parameter_sets(multiparams, params):
        _check(clauseelement.table, limits, values)  # type: ignore[arg-type]
    # Values given in the statement itself (`insert(...).values(...)`).
    inline = getattr(clauseelement, "_values", None)
    if inline:
        for column, value in inline.items():
            bound = limits.get(getattr(column, "key", column))
            literal = getattr(value, "value", value)
            if bound is not None and isinstance(literal, str) and len(literal) > bound:
                raise too_long(
                    clauseelement.table.name, getattr(column, "key", str(column)), literal
                )  # type: ignore[union-attr]


__all__ = ["LABELS", "check_rows", "check_value", "limit", "too_long"]
