"""Targets remember the period whose close achieved them.

A target reached when a quarter closes becomes `achieved`; that quarter's results and
PDF still show it, as reached, by this period.

Revision ID: 0008_target_achieved
Revises: 0007_kpis_audit
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_target_achieved"
down_revision = "0007_kpis_audit"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("targets", sa.Column("achieved_period", sa.String(length=7), nullable=True))


def downgrade() -> None:
    # SQLite rebuilds the table and reflects the users it points at, whose index on
    # lower(email) it cannot reflect: that index is made again after.
    op.drop_index(op.f("uq_users_email_lower"), table_name="users")
    with op.batch_alter_table("targets") as batch:
        batch.drop_column("achieved_period")
    op.create_index(op.f("uq_users_email_lower"), "users", [sa.text("lower(email)")], unique=True)
