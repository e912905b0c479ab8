"""Saved cohorts: named filters of a workspace's clients (issue 11).

Revision ID: 0011_cohorts
Revises: 0008_target_achieved
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011_cohorts"
down_revision = "0010_bulk_reports"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "cohorts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("questionnaire_id", sa.String(length=100), nullable=False),
        sa.Column("major", sa.String(length=10), nullable=False),
        sa.Column("industry", sa.String(length=100), nullable=True),
        sa.Column("size", sa.String(length=20), nullable=True),
        sa.Column("tags", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_cohorts_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cohorts")),
        sa.UniqueConstraint("workspace_id", "name", name=op.f("uq_cohorts_workspace_id_name")),
    )
    op.create_index(op.f("ix_cohorts_workspace_id"), "cohorts", ["workspace_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_cohorts_workspace_id"), table_name="cohorts")
    op.drop_table("cohorts")
