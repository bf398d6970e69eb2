"""validation sample

Revision ID: 0005_validation
Revises: 0004_name_keys
Create Date: 2026-12-07 02:00:00.000000

A coder's validation sample (`lo-codebook validate`): the draw's settings and frame, and the
sampled documents with their coding order, stratum and when each was marked done.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_validation"
down_revision: str | None = "0004_name_keys"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "validation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("coder_id", sa.Integer(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("seed", sa.Integer(), nullable=False),
        sa.Column("by_attribute", sa.String(length=200), nullable=True),
        sa.Column("last_document_id", sa.Integer(), nullable=False),
        sa.Column("frame_size", sa.Integer(), nullable=False),
        sa.Column("last_suggestion_id", sa.Integer(), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["coder_id"],
            ["coder.id"],
            name=op.f("fk_validation_coder_id_coder"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_validation")),
        sa.UniqueConstraint("coder_id", name=op.f("uq_validation_coder_id")),
    )
    op.create_table(
        "validation_document",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("validation_id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("stratum", sa.Text(), nullable=True),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["document.id"],
            name=op.f("fk_validation_document_document_id_document"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["validation_id"],
            ["validation.id"],
            name=op.f("fk_validation_document_validation_id_validation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_validation_document")),
        sa.UniqueConstraint(
            "validation_id",
            "document_id",
            name=op.f("uq_validation_document_validation_id_document_id"),
        ),
    )
    op.create_index(
        op.f("ix_validation_document_document_id"),
        "validation_document",
        ["document_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_validation_document_document_id"), table_name="validation_document")
    op.drop_table("validation_document")
    op.drop_table("validation")
