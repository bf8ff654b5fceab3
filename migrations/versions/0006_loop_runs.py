"""loop runs: a whole onsite loop whose rounds are interviews

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06 13:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import app.store.types

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "looprun",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("owner_id", sa.Uuid(), nullable=False),
        sa.Column("loop_id", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("level", sqlmodel.sql.sqltypes.AutoString(length=50), nullable=False),
        sa.Column("job_description", sa.Text(), nullable=True),
        sa.Column("cv", sa.Text(), nullable=True),
        sa.Column("created_at", app.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["owner_id"], ["user.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("looprun", schema=None) as batch_op:
        batch_op.create_index("ix_looprun_owner_created", ["owner_id", "created_at"], unique=False)
    op.create_table(
        "looprunround",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("interview_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(["interview_id"], ["interview.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["run_id"], ["looprun.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("interview_id"),
        sa.UniqueConstraint("run_id", "position", name="uq_looprunround_position"),
    )


def downgrade() -> None:
    op.drop_table("looprunround")
    with op.batch_alter_table("looprun", schema=None) as batch_op:
        batch_op.drop_index("ix_looprun_owner_created")
    op.drop_table("looprun")
