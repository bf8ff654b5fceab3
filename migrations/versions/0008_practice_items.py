"""practice items: missed key points and weak criteria, scheduled with spaced repetition

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06 14:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op
from sqlalchemy.dialects import postgresql

import app.store.types

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    op.create_table(
        "practiceitem",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("round", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("question_id", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("ref_id", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("topic", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("interview_id", sa.Uuid(), nullable=True),
        sa.Column("card", JSON, nullable=False),
        sa.Column("due", app.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("reviews", sa.Integer(), nullable=False),
        sa.Column("lapses", sa.Integer(), nullable=False),
        sa.Column("created_at", app.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["interview_id"], ["interview.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["owner_id"], ["user.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint(
            "owner_id", "kind", "question_id", "ref_id", name="uq_practiceitem_ref"
        ),
    )
    with op.batch_alter_table("practiceitem", schema=None) as batch_op:
        batch_op.create_index("ix_practiceitem_owner_due", ["owner_id", "due"], unique=False)
    op.create_table(
        "practicereview",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("rating", sa.Integer(), nullable=False),
        sa.Column("next_due", app.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_at", app.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["item_id"], ["practiceitem.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("practicereview", schema=None) as batch_op:
        batch_op.create_index("ix_practicereview_item_id", ["item_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("practicereview", schema=None) as batch_op:
        batch_op.drop_index("ix_practicereview_item_id")
    op.drop_table("practicereview")
    with op.batch_alter_table("practiceitem", schema=None) as batch_op:
        batch_op.drop_index("ix_practiceitem_owner_due")
    op.drop_table("practiceitem")
