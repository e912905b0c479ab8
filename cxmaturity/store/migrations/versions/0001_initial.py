"""The initial schema: organizations, users, memberships, assessments, respondents, answers.

Revision ID: 0001
Revises:
Create Date: 2025-11-23

Values are written out here rather than imported from the models: a
migration must keep creating the same schema after the models move on.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def timestamp(name: str, *, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "organizations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("industry", sa.String(100), nullable=True),
        sa.Column("size", sa.String(20), nullable=True),
        timestamp("created_at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organizations")),
        sa.CheckConstraint(
            "size IS NULL OR size IN ('1-49', '50-249', '250-999', '1000-4999', '5000+')",
            name=op.f("ck_organizations_size"),
        ),
    )
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(320), nullable=False),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("display_name", sa.String(200), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        timestamp("created_at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.CheckConstraint("role IN ('consultant', 'admin')", name=op.f("ck_users_role")),
    )
    op.create_index(op.f("uq_users_email_lower"), "users", [sa.text("lower(email)")], unique=True)
    op.create_table(
        "memberships",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.PrimaryKeyConstraint("user_id", "organization_id", name=op.f("pk_memberships")),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_memberships_user_id_users"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_memberships_organization_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.CheckConstraint("role IN ('owner', 'member')", name=op.f("ck_memberships_role")),
    )
    op.create_index(op.f("ix_memberships_organization_id"), "memberships", ["organization_id"])
    op.create_table(
        "assessments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("questionnaire_id", sa.String(100), nullable=False),
        sa.Column("questionnaire_version", sa.String(20), nullable=False),
        sa.Column("period", sa.String(7), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        timestamp("created_at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessments")),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_assessments_organization_id_organizations"),
            ondelete="RESTRICT",
        ),
        sa.UniqueConstraint(
            "organization_id",
            "questionnaire_id",
            "period",
            name=op.f("uq_assessments_organization_id_questionnaire_id_period"),
        ),
        sa.CheckConstraint("status IN ('open', 'closed')", name=op.f("ck_assessments_status")),
    )
    op.create_table(
        "respondents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(200), nullable=True),
        sa.Column("role", sa.String(200), nullable=True),
        sa.Column("language", sa.String(2), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        timestamp("submitted_at", nullable=True),
        timestamp("created_at"),
        timestamp("updated_at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_respondents")),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessments.id"],
            name=op.f("fk_respondents_assessment_id_assessments"),
            ondelete="CASCADE",
        ),
        sa.UniqueConstraint("token_hash", name=op.f("uq_respondents_token_hash")),
        sa.CheckConstraint("language IN ('de', 'en')", name=op.f("ck_respondents_language")),
        sa.CheckConstraint(
            "status IN ('in_progress', 'submitted')", name=op.f("ck_respondents_status")
        ),
        sa.CheckConstraint(
            "(status = 'submitted' AND submitted_at IS NOT NULL)"
            " OR (status = 'in_progress' AND submitted_at IS NULL)",
            name=op.f("ck_respondents_submitted_at"),
        ),
        sa.CheckConstraint("length(token_hash) = 64", name=op.f("ck_respondents_token_hash")),
    )
    op.create_index(op.f("ix_respondents_assessment_id"), "respondents", ["assessment_id"])
    op.create_table(
        "answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("respondent_id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.String(100), nullable=False),
        sa.Column("level", sa.SmallInteger(), nullable=True),
        sa.Column("not_applicable", sa.Boolean(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        timestamp("updated_at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_answers")),
        sa.ForeignKeyConstraint(
            ["respondent_id"],
            ["respondents.id"],
            name=op.f("fk_answers_respondent_id_respondents"),
            ondelete="CASCADE",
        ),
        sa.UniqueConstraint(
            "respondent_id", "question_id", name=op.f("uq_answers_respondent_id_question_id")
        ),
        sa.CheckConstraint("level IS NULL OR level BETWEEN 1 AND 5", name=op.f("ck_answers_level")),
        sa.CheckConstraint(
            "NOT (level IS NOT NULL AND not_applicable)", name=op.f("ck_answers_level_or_na")
        ),
    )


def downgrade() -> None:
    op.drop_table("answers")
    op.drop_index(op.f("ix_respondents_assessment_id"), table_name=op.f("respondents"))
    op.drop_table("respondents")
    op.drop_table("assessments")
    op.drop_index(op.f("ix_memberships_organization_id"), table_name=op.f("memberships"))
    op.drop_table("memberships")
    op.drop_index(op.f("uq_users_email_lower"), table_name=op.f("users"))
    op.drop_table("users")
    op.drop_table("organizations")
