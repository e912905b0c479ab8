"""Remember the last dimension page each respondent visited, for the resume link.

Revision ID: 0003_last_page
Revises: 0002_constraints
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_last_page"
down_revision = "0002_constraints"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("respondents", sa.Column("last_page", sa.SmallInteger(), nullable=True))


def downgrade() -> None:
    # Batch mode: SQLite rebuilds the table to drop a column on every version.
    with op.batch_alter_table("respondents") as batch:
        batch.drop_column("last_page")
