"""document language

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24 10:00:00.000000

Each document's detected language ("nl"/"en"); NULL follows the project's language, which is
what every document imported before this revision does.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("document") as batch_op:
        batch_op.add_column(sa.Column("language", sa.String(length=10), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("document") as batch_op:
        batch_op.drop_column("language")
