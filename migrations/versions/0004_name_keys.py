"""name keys

Revision ID: 0004_name_keys
Revises: 0003
Create Date: 2026-11-26 10:00:00.000000

`name_key` beside the names of codes, cases and coders: the name case-folded the same way on
every database (lo_codebook.db.names), so lookups stop depending on SQL `lower()`, which folds
only ASCII on SQLite. Existing rows are filled here; the models keep the column in step after.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from lo_codebook.db.names import name_key

revision: str = "0004_name_keys"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# table -> key length (three times the name's: full case folding can lengthen a name)
TABLES = {"code": 900, "cases": 900, "coder": 600}


def upgrade() -> None:
    bind = op.get_bind()
    for table, length in TABLES.items():
        with op.batch_alter_table(table) as batch_op:
            batch_op.add_column(sa.Column("name_key", sa.String(length=length), nullable=True))
        rows = sa.table(
            table,
            sa.column("id", sa.Integer),
            sa.column("name", sa.String),
            sa.column("name_key", sa.String),
        )
        values = [
            {"row_id": row_id, "key": name_key(name or "")}
            for row_id, name in bind.execute(sa.select(rows.c.id, rows.c.name)).all()
        ]
        if values:
            bind.execute(
                rows.update()
                .where(rows.c.id == sa.bindparam("row_id"))
                .values(name_key=sa.bindparam("key")),
                values,
            )
        with op.batch_alter_table(table) as batch_op:
            batch_op.alter_column(
                "name_key", existing_type=sa.String(length=length), nullable=False
            )
            batch_op.create_index(op.f(f"ix_{table}_name_key"), ["name_key"], unique=False)


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_index(op.f(f"ix_{table}_name_key"))
            batch_op.drop_column("name_key")
