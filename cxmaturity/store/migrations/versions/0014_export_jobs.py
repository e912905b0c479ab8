"""Workspace-export jobs: a whole workspace's XLSX or CSV files, made in the background.

Revision ID: 0014_export_jobs
Revises: 0013_api_tokens
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014_export_jobs"
down_revision = "0013_api_tokens"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "export_jobs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("creator_user_id", sa.Integer(), nullable=False),
        sa.Column("format", sa.String(length=4), nullable=False),
        sa.Column("table_name", sa.String(length=30), nullable=True),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("done_count", sa.Integer(), nullable=False),
        sa.Column("rows_done", sa.Integer(), nullable=False),
        sa.Column("error", sa.String(length=500), nullable=True),
        sa.Column("file_name", sa.String(length=200), nullable=True),
        sa.Column("runner", sa.String(length=200), nullable=True),
        sa.Column("heartbeat_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "done_count >= 0 AND done_count <= total", name=op.f("ck_export_jobs_done_count")
        ),
        sa.CheckConstraint("format IN ('xlsx', 'csv')", name=op.f("ck_export_jobs_format")),
        sa.CheckConstraint("rows_done >= 0", name=op.f("ck_export_jobs_rows_done")),
        sa.CheckConstraint(
            "status IN ('queued', 'running', 'done', 'failed')",
            name=op.f("ck_export_jobs_status"),
        ),
        sa.ForeignKeyConstraint(
            ["creator_user_id"],
            ["users.id"],
            name=op.f("fk_export_jobs_creator_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_export_jobs_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_export_jobs")),
    )
    op.create_index(
        op.f("ix_export_jobs_creator_user_id"), "export_jobs", ["creator_user_id"], unique=False
    )
    op.create_index(
        op.f("ix_export_jobs_workspace_id"), "export_jobs", ["workspace_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_export_jobs_workspace_id"), table_name="export_jobs")
    op.drop_index(op.f("ix_export_jobs_creator_user_id"), table_name="export_jobs")
    op.drop_table("export_jobs")
