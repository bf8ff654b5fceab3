"""criterion score may be NULL: a criterion the interview never reached is not assessed

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06 07:50:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("criterionscore", schema=None) as batch_op:
        batch_op.alter_column("score", existing_type=sa.Integer(), nullable=True)


def downgrade() -> None:
    # a not-assessed criterion had no score; before this revision it read as the lowest, 1
    op.execute("UPDATE criterionscore SET score = 1 WHERE score IS NULL")
    with op.batch_alter_table("criterionscore", schema=None) as batch_op:
        batch_op.alter_column("score", existing_type=sa.Integer(), nullable=False)
