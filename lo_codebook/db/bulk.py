"""Bulk INSERT of many plain rows, the fast way each backend allows.

SQLAlchemy's Core executemany builds and type-processes a parameter dict per row; for the
tens of thousands of rows `suggest` writes, that costs more than SQLite's own insert. On
SQLite the rows go to the driver's `executemany` as tuples instead.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, Table, insert

from lo_codebook.db.limits import check_rows


def insert_rows(
    connection: Connection,
    table: Table,
    columns: Sequence[str],
    rows: Sequence[tuple[Any, ...]],
    constants: Mapping[str, Any] | None = None,
    *,
    skip_existing: Sequence[str] = (),
) -> int:
    """Insert `rows` (values in `columns` order: ints, floats, strings, None) into `table`;
    `constants` are columns with one value for every row (type-processed once).

    `skip_existing` names the columns of a unique constraint: a row whose key is there
    already (or is being inserted by a concurrent transaction, which is waited for) is left
    out instead of failing the whole insert. Returns the number of rows inserted.
    Text lengths are checked first, the same on every database (`lo_codebook.db.limits`).
    """
    if not rows:
        return 0
    constants = dict(constants or {})
    dialect = connection.dialect
    names = list(columns) + list(constants)
    tail = tuple(constants.values())
    check_rows(table, names, (row + tail for row in rows))
    if dialect.name != "sqlite":
        params = [dict(zip(names, row + tail, strict=True)) for row in rows]
        if not skip_existing:
            connection.execute(insert(table), params)
            return len(rows)
        if dialect.name == "postgresql":
            from sqlalchemy.dialects.postgresql import insert as pg_insert

            statement = pg_insert(table).on_conflict_do_nothing(index_elements=list(skip_existing))
            first = table.primary_key.columns.values()[0]
            return len(connection.execute(statement.returning(first), params).all())
        raise NotImplementedError(f"skip_existing on {dialect.name}")
    tail_values = []
    for name, value in constants.items():
        process = table.c[name].type.bind_processor(dialect)
        tail_values.append(process(value) if process is not None and value is not None else value)
    tail = tuple(tail_values)
    quote = dialect.identifier_preparer.quote
    sql = (
        f"INSERT INTO {quote(table.name)} ({', '.join(quote(n) for n in names)}) "
        f"VALUES ({', '.join('?' for _ in names)})"
    )
    if skip_existing:
        sql += f" ON CONFLICT ({', '.join(quote(n) for n in skip_existing)}) DO NOTHING"
    driver = connection.connection.driver_connection
    before = driver.total_changes
    connection.exec_driver_sql(sql, [row + tail for row in rows] if tail else list(rows))
    return driver.total_changes - before
