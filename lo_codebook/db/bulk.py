"""Bulk INSERT of many plain rows, the fast way each backend allows.

SQLAlchemy's Core executemany builds and type-processes a parameter dict per row; for the
tens of thousands of rows `suggest` writes, that costs more than SQLite's own insert. On
SQLite the rows go to the driver's `executemany` as tuples instead.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, Table, insert


def insert_rows(
    connection: Connection,
    table: Table,
    columns: Sequence[str],
    rows: Sequence[tuple[Any, ...]],
    constants: Mapping[str, Any] | None = None,
) -> None:
    """Insert `rows` (values in `columns` order: ints, floats, strings, None) into `table`;
    `constants` are columns with one value for every row (type-processed once)."""
    if not rows:
        return
    constants = dict(constants or {})
    dialect = connection.dialect
    if dialect.name != "sqlite":
        names = list(columns) + list(constants)
        tail = tuple(constants.values())
        connection.execute(insert(table), [dict(zip(names, row + tail, strict=True)) for row in rows])
        return
    tail_values = []
    for name, value in constants.items():
        process = table.c[name].type.bind_processor(dialect)
        tail_values.append(process(value) if process is not None and value is not None else value)
    tail = tuple(tail_values)
    names = list(columns) + list(constants)
    quote = dialect.identifier_preparer.quote
    sql = (
        f"INSERT INTO {quote(table.name)} ({', '.join(quote(n) for n in names)}) "
        f"VALUES ({', '.join('?' for _ in names)})"
    )
    connection.exec_driver_sql(sql, [row + tail for row in rows] if tail else list(rows))
