"""share links: expiring, revocable, read-only links to a scorecard or a hiring packet

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06 14:10:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import app.store.types

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "sharelink",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Uuid(), nullable=False),
        sa.Column("token_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("interview_id", sa.Uuid(), nullable=True),
        sa.Column("run_id", sa.Uuid(), nullable=True),
        sa.Column("created_at", app.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", app.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", app.store.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("views", sa.Integer(), nullable=False),
        sa.Column("last_viewed_at", app.store.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["interview_id"], ["interview.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["owner_id"], ["user.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["run_id"], ["looprun.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_hash"),
    )
    with op.batch_alter_table("sharelink", schema=None) as batch_op:
        batch_op.create_index("ix_sharelink_owner_id", ["owner_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("sharelink", schema=None) as batch_op:
        batch_op.drop_index("ix_sharelink_owner_id")
    op.drop_table("sharelink")
