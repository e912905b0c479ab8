"""API tokens of a workspace, the stored answers of idempotent POSTs, and their audit lines.

Revision ID: 0013_api_tokens
Revises: 0012_settings_audit
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013_api_tokens"
down_revision = "0012_settings_audit"
branch_labels = None
depends_on = None

# Written out, not read from AuditAction: a migration must not change when the code does.
BEFORE = (
    "'role_changed', 'member_added', 'member_removed', 'link_revoked', 'link_rotated',"
    " 'exported', 'client_archived', 'client_restored', 'deleted', 'assessment_closed',"
    " 'kpis_saved', 'settings_changed'"
)
AFTER = BEFORE + ", 'token_created', 'token_revoked'"


def _check(actions: str) -> None:
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_audit_log_action"), type_="check")
        batch_op.create_check_constraint(
            batch_op.f("ck_audit_log_action"), f"action IN ({actions})"
        )


def upgrade() -> None:
    op.create_table(
        "api_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("creator_user_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("scope", sa.String(length=5), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("scope IN ('read', 'write')", name=op.f("ck_api_tokens_scope")),
        sa.ForeignKeyConstraint(
            ["creator_user_id"],
            ["users.id"],
            name=op.f("fk_api_tokens_creator_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_api_tokens_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_tokens")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_api_tokens_token_hash")),
    )
    op.create_index(
        op.f("ix_api_tokens_creator_user_id"), "api_tokens", ["creator_user_id"], unique=False
    )
    op.create_index(
        op.f("ix_api_tokens_workspace_id"), "api_tokens", ["workspace_id"], unique=False
    )
    op.create_table(
        "idempotent_responses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("request_hash", sa.String(length=64), nullable=False),
        sa.Column("status", sa.SmallInteger(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["token_id"],
            ["api_tokens.id"],
            name=op.f("fk_idempotent_responses_token_id_api_tokens"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_idempotent_responses")),
        sa.UniqueConstraint("token_id", "key", name=op.f("uq_idempotent_responses_token_id_key")),
    )
    op.create_index(
        op.f("ix_idempotent_responses_created_at"),
        "idempotent_responses",
        ["created_at"],
        unique=False,
    )
    _check(AFTER)


def downgrade() -> None:
    op.execute("DELETE FROM audit_log WHERE action IN ('token_created', 'token_revoked')")
    _check(BEFORE)
    op.drop_index(op.f("ix_idempotent_responses_created_at"), table_name="idempotent_responses")
    op.drop_table("idempotent_responses")
    op.drop_index(op.f("ix_api_tokens_workspace_id"), table_name="api_tokens")
    op.drop_index(op.f("ix_api_tokens_creator_user_id"), table_name="api_tokens")
    op.drop_table("api_tokens")
