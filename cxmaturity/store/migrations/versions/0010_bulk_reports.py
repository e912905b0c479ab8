"""Bulk-report jobs: the reports of many clients as one ZIP, rendered in the background.

Revision ID: 0010_bulk_reports
Revises: 0008_target_achieved
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010_bulk_reports"
down_revision = "0009_purge"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "bulk_report_jobs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("creator_user_id", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=7), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("client_ids", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("done_count", sa.Integer(), nullable=False),
        sa.Column("error", sa.String(length=500), nullable=True),
        sa.Column("file_name", sa.String(length=200), nullable=True),
        sa.Column("runner", sa.String(length=200), nullable=True),
        sa.Column("heartbeat_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "done_count >= 0 AND done_count <= total", name=op.f("ck_bulk_report_jobs_done_count")
        ),
        sa.CheckConstraint("language IN ('de', 'en')", name=op.f("ck_bulk_report_jobs_language")),
        sa.CheckConstraint(
            "status IN ('queued', 'running', 'done', 'failed')",
            name=op.f("ck_bulk_report_jobs_status"),
        ),
        sa.ForeignKeyConstraint(
            ["creator_user_id"],
            ["users.id"],
            name=op.f("fk_bulk_report_jobs_creator_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_bulk_report_jobs_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bulk_report_jobs")),
    )
    with op.batch_alter_table("bulk_report_jobs", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_bulk_report_jobs_creator_user_id"), ["creator_user_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_bulk_report_jobs_workspace_id"), ["workspace_id"], unique=False
        )


def downgrade() -> None:
    op.drop_table("bulk_report_jobs")
