"""Workspaces and accounts, clients with tags, invitations, result snapshots, e-mail and audit logs.

Revision ID: 0004_workspaces
Revises: 0003_last_page
Create Date: 2026-12-01

Every organization made before workspaces existed (a self-assessment) gets a
team workspace of its own, which its starter can claim. The old `users.role`
column is dropped: no code ever wrote users before this revision.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_workspaces"
down_revision = "0003_last_page"
branch_labels = None
depends_on = None


AUDIT_ACTIONS = (
    "action IN ('role_changed', 'member_added', 'member_removed', 'link_revoked', 'link_rotated',"
    " 'exported', 'client_archived', 'client_restored', 'deleted', 'assessment_closed')"
)


def give_each_organization_a_team_workspace() -> None:
    connection = op.get_bind()
    organizations = connection.execute(sa.text("SELECT id, name, created_at FROM organizations"))
    for organization_id, name, created_at in organizations.all():
        connection.execute(
            sa.text(
                "INSERT INTO workspaces (slug, name, kind, cohort_min_n, claimable, created_at)"
                " VALUES (:slug, :name, 'team', 5, :claimable, :created_at)"
            ),
            {
                "slug": f"self-{organization_id}",
                "name": name,
                "claimable": True,
                "created_at": created_at,
            },
        )
        workspace_id = connection.execute(
            sa.text("SELECT id FROM workspaces WHERE slug = :slug"),
            {"slug": f"self-{organization_id}"},
        ).scalar_one()
        connection.execute(
            sa.text("UPDATE organizations SET workspace_id = :workspace WHERE id = :organization"),
            {"workspace": workspace_id, "organization": organization_id},
        )


def upgrade() -> None:
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=True),
        sa.Column("actor_user_id", sa.Integer(), nullable=True),
        sa.Column("actor_email", sa.String(length=320), nullable=True),
        sa.Column("action", sa.String(length=30), nullable=False),
        sa.Column("object_type", sa.String(length=30), nullable=False),
        sa.Column("object_id", sa.Integer(), nullable=True),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            AUDIT_ACTIONS,
            name=op.f("ck_audit_log_action"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_audit_log_workspace_id"), ["workspace_id"], unique=False
        )

    op.create_table(
        "email_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=True),
        sa.Column("respondent_id", sa.Integer(), nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("error", sa.String(length=500), nullable=True),
        sa.CheckConstraint(
            "kind IN ('invitation', 'reminder', 'password_reset')", name=op.f("ck_email_log_kind")
        ),
        sa.CheckConstraint("language IN ('de', 'en')", name=op.f("ck_email_log_language")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_email_log")),
    )
    with op.batch_alter_table("email_log", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_email_log_respondent_id"), ["respondent_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_email_log_workspace_id"), ["workspace_id"], unique=False
        )

    op.create_table(
        "login_failures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("remote_address", sa.String(length=64), nullable=True),
        sa.Column("failed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_failures")),
    )
    with op.batch_alter_table("login_failures", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_login_failures_email"), ["email"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_login_failures_remote_address"), ["remote_address"], unique=False
        )

    op.create_table(
        "workspaces",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=60), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("cohort_min_n", sa.SmallInteger(), nullable=False),
        sa.Column("claimable", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("kind IN ('consultancy', 'team')", name=op.f("ck_workspaces_kind")),
        sa.CheckConstraint("cohort_min_n >= 3", name=op.f("ck_workspaces_cohort_min_n")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workspaces")),
        sa.UniqueConstraint("slug", name=op.f("uq_workspaces_slug")),
    )
    op.create_table(
        "password_resets",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("length(token_hash) = 64", name=op.f("ck_password_resets_token_hash")),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_password_resets_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("token_hash", name=op.f("pk_password_resets")),
    )
    with op.batch_alter_table("password_resets", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_password_resets_user_id"), ["user_id"], unique=False)

    op.create_table(
        "workspace_members",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("limited_to_clients", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "role IN ('owner', 'consultant', 'viewer')", name=op.f("ck_workspace_members_role")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_workspace_members_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_workspace_members_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workspace_members")),
        sa.UniqueConstraint(
            "workspace_id", "user_id", name=op.f("uq_workspace_members_workspace_id_user_id")
        ),
    )
    with op.batch_alter_table("workspace_members", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_workspace_members_user_id"), ["user_id"], unique=False)

    op.create_table(
        "member_clients",
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["workspace_members.id"],
            name=op.f("fk_member_clients_member_id_workspace_members"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_member_clients_organization_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("member_id", "organization_id", name=op.f("pk_member_clients")),
    )
    with op.batch_alter_table("member_clients", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_member_clients_organization_id"), ["organization_id"], unique=False
        )

    op.create_table(
        "organization_tags",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("tag", sa.String(length=50), nullable=False),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_organization_tags_organization_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organization_tags")),
        sa.UniqueConstraint(
            "organization_id", "tag", name=op.f("uq_organization_tags_organization_id_tag")
        ),
    )
    with op.batch_alter_table("organization_tags", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_organization_tags_tag"), ["tag"], unique=False)

    op.create_table(
        "result_snapshots",
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("overall_score", sa.String(length=64), nullable=True),
        sa.Column("overall_score_value", sa.Float(), nullable=True),
        sa.Column("overall_level", sa.SmallInteger(), nullable=True),
        sa.Column("capped", sa.Boolean(), nullable=False),
        sa.Column("submitted_respondents", sa.SmallInteger(), nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "overall_level IS NULL OR overall_level BETWEEN 1 AND 5",
            name=op.f("ck_result_snapshots_level"),
        ),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessments.id"],
            name=op.f("fk_result_snapshots_assessment_id_assessments"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("assessment_id", name=op.f("pk_result_snapshots")),
    )
    op.create_table(
        "dimension_snapshots",
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("dimension_id", sa.String(length=100), nullable=False),
        sa.Column("score", sa.String(length=64), nullable=True),
        sa.Column("score_value", sa.Float(), nullable=True),
        sa.Column("level", sa.SmallInteger(), nullable=True),
        sa.Column("spread", sa.String(length=64), nullable=True),
        sa.Column("respondents", sa.SmallInteger(), nullable=False),
        sa.Column("disagreement", sa.Boolean(), nullable=False),
        sa.CheckConstraint(
            "level IS NULL OR level BETWEEN 1 AND 5", name=op.f("ck_dimension_snapshots_level")
        ),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["result_snapshots.assessment_id"],
            name=op.f("fk_dimension_snapshots_assessment_id_result_snapshots"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "assessment_id", "dimension_id", name=op.f("pk_dimension_snapshots")
        ),
    )
    with op.batch_alter_table("answers", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("prefilled", sa.Boolean(), nullable=False, server_default=sa.false())
        )

    with op.batch_alter_table("assessments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("due_date", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("opened_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True))

    with op.batch_alter_table("organizations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("workspace_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("external_reference", sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column("archived_at", sa.DateTime(timezone=True), nullable=True))
    give_each_organization_a_team_workspace()
    with op.batch_alter_table("organizations", schema=None) as batch_op:
        batch_op.alter_column("workspace_id", existing_type=sa.Integer(), nullable=False)
        batch_op.create_index(
            batch_op.f("ix_organizations_workspace_id"), ["workspace_id"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_organizations_workspace_id_workspaces"),
            "workspaces",
            ["workspace_id"],
            ["id"],
            ondelete="RESTRICT",
        )

    with op.batch_alter_table("respondents", schema=None) as batch_op:
        batch_op.add_column(sa.Column("email", sa.String(length=320), nullable=True))
        batch_op.add_column(sa.Column("invited_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("last_opened_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(
            sa.Column("reminder_count", sa.SmallInteger(), nullable=False, server_default="0")
        )
        batch_op.add_column(
            sa.Column("last_reminded_at", sa.DateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(sa.Column("opted_out_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("delivery", sa.String(length=10), nullable=True))
        batch_op.add_column(
            sa.Column("delivery_attempts", sa.SmallInteger(), nullable=False, server_default="0")
        )
    op.execute("UPDATE respondents SET invited_at = created_at")
    with op.batch_alter_table("respondents", schema=None) as batch_op:
        batch_op.alter_column(
            "invited_at", existing_type=sa.DateTime(timezone=True), nullable=False
        )
        batch_op.create_check_constraint(
            op.f("ck_respondents_delivery"),
            "delivery IS NULL OR delivery IN ('pending', 'sent', 'failed', 'bounced')",
        )
        batch_op.create_check_constraint(
            op.f("ck_respondents_reminder_count"), "reminder_count >= 0"
        )
    op.create_index(
        op.f("uq_respondents_assessment_email"),
        "respondents",
        ["assessment_id", sa.text("lower(email)")],
        unique=True,
    )

    # SQLite's batch mode rebuilds the table and cannot carry an index on an
    # expression over: the case-insensitive e-mail index is made again after it.
    op.drop_index(op.f("uq_users_email_lower"), table_name="users")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("language", sa.String(length=2), nullable=False, server_default="en")
        )
        batch_op.add_column(
            sa.Column("active", sa.Boolean(), nullable=False, server_default=sa.true())
        )
        batch_op.add_column(
            sa.Column("is_platform_admin", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(
            sa.Column("session_version", sa.Integer(), nullable=False, server_default="1")
        )
        batch_op.add_column(sa.Column("last_login_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.drop_constraint(op.f("ck_users_role"), type_="check")
        batch_op.drop_column("role")
        batch_op.create_check_constraint(op.f("ck_users_language"), "language IN ('de', 'en')")
    with op.batch_alter_table("memberships") as batch_op:
        batch_op.drop_constraint(op.f("ck_memberships_role"), type_="check")
        batch_op.create_check_constraint(
            op.f("ck_memberships_role"), "role IN ('client_admin', 'client_viewer')"
        )
    op.create_index(op.f("uq_users_email_lower"), "users", [sa.text("lower(email)")], unique=True)


def downgrade() -> None:
    op.drop_index(op.f("uq_users_email_lower"), table_name="users")
    op.execute("DELETE FROM memberships")
    with op.batch_alter_table("memberships") as batch_op:
        batch_op.drop_constraint(op.f("ck_memberships_role"), type_="check")
        batch_op.create_check_constraint(op.f("ck_memberships_role"), "role IN ('owner', 'member')")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_users_language"), type_="check")
        batch_op.add_column(
            sa.Column("role", sa.String(length=20), nullable=False, server_default="consultant")
        )
        batch_op.create_check_constraint(op.f("ck_users_role"), "role IN ('consultant', 'admin')")
        batch_op.drop_column("last_login_at")
        batch_op.drop_column("session_version")
        batch_op.drop_column("is_platform_admin")
        batch_op.drop_column("active")
        batch_op.drop_column("language")
    op.create_index(op.f("uq_users_email_lower"), "users", [sa.text("lower(email)")], unique=True)

    op.drop_index(op.f("uq_respondents_assessment_email"), table_name="respondents")
    with op.batch_alter_table("respondents", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_respondents_reminder_count"), type_="check")
        batch_op.drop_constraint(op.f("ck_respondents_delivery"), type_="check")
        batch_op.drop_column("delivery_attempts")
        batch_op.drop_column("delivery")
        batch_op.drop_column("opted_out_at")
        batch_op.drop_column("last_reminded_at")
        batch_op.drop_column("reminder_count")
        batch_op.drop_column("last_opened_at")
        batch_op.drop_column("revoked_at")
        batch_op.drop_column("expires_at")
        batch_op.drop_column("invited_at")
        batch_op.drop_column("email")

    with op.batch_alter_table("organizations", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_organizations_workspace_id_workspaces"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_organizations_workspace_id"))
        batch_op.drop_column("archived_at")
        batch_op.drop_column("external_reference")
        batch_op.drop_column("workspace_id")

    with op.batch_alter_table("assessments", schema=None) as batch_op:
        batch_op.drop_column("closed_at")
        batch_op.drop_column("opened_at")
        batch_op.drop_column("due_date")

    with op.batch_alter_table("answers", schema=None) as batch_op:
        batch_op.drop_column("prefilled")

    op.drop_table("dimension_snapshots")
    op.drop_table("result_snapshots")
    with op.batch_alter_table("organization_tags", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_organization_tags_tag"))

    op.drop_table("organization_tags")
    with op.batch_alter_table("member_clients", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_member_clients_organization_id"))

    op.drop_table("member_clients")
    with op.batch_alter_table("workspace_members", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_workspace_members_user_id"))

    op.drop_table("workspace_members")
    with op.batch_alter_table("password_resets", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_password_resets_user_id"))

    op.drop_table("password_resets")
    op.drop_table("workspaces")
    with op.batch_alter_table("login_failures", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_login_failures_remote_address"))
        batch_op.drop_index(batch_op.f("ix_login_failures_email"))

    op.drop_table("login_failures")
    with op.batch_alter_table("email_log", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_email_log_workspace_id"))
        batch_op.drop_index(batch_op.f("ix_email_log_respondent_id"))

    op.drop_table("email_log")
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_log_workspace_id"))

    op.drop_table("audit_log")
