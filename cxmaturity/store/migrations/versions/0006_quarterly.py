"""Every quarter: targets, the action plan, KPI values, and "since last period" in snapshots.

- `targets`, `actions` (with `action_events`) and `kpi_values` belong to the
  organization, so that they outlive one assessment (DESIGN §2).
- `result_snapshots` and `dimension_snapshots` gain the comparison with the previous
  closed assessment (DESIGN §4.9–4.10), so history and portfolio read it, never score.
- `answers.offered`: the answer was offered pre-filled from last quarter (DESIGN §8).

Revision ID: 0006_quarterly
Revises: 0005_token_nonce
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_quarterly"
down_revision = "0005_token_nonce"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "actions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("questionnaire_id", sa.String(length=100), nullable=False),
        sa.Column("dimension_id", sa.String(length=100), nullable=False),
        sa.Column("question_id", sa.String(length=100), nullable=True),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("owner", sa.String(length=200), nullable=True),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("source", sa.String(length=15), nullable=False),
        sa.Column("source_key", sa.String(length=200), nullable=True),
        sa.Column("opened_period", sa.String(length=7), nullable=False),
        sa.Column("closed_period", sa.String(length=7), nullable=True),
        sa.Column("times_carried", sa.SmallInteger(), nullable=False),
        sa.Column("carried_unchanged", sa.SmallInteger(), nullable=False),
        sa.Column("last_carried_period", sa.String(length=7), nullable=True),
        sa.Column("effect", sa.String(length=15), nullable=True),
        sa.Column("effect_period", sa.String(length=7), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "effect IS NULL OR effect IN ('effect_seen', 'no_effect_yet', 'stalled')",
            name=op.f("ck_actions_effect"),
        ),
        sa.CheckConstraint(
            "source IN ('recommendation', 'manual')", name=op.f("ck_actions_source")
        ),
        sa.CheckConstraint(
            "status IN ('planned', 'in_progress', 'blocked', 'done', 'dropped')",
            name=op.f("ck_actions_status"),
        ),
        sa.CheckConstraint("times_carried >= 0", name=op.f("ck_actions_times_carried")),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_actions_organization_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_actions")),
    )
    with op.batch_alter_table("actions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_actions_organization_id"), ["organization_id"], unique=False
        )

    op.create_table(
        "kpi_values",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=7), nullable=False),
        sa.Column("kpi", sa.String(length=15), nullable=False),
        sa.Column("inputs", sa.Text(), nullable=False),
        sa.Column("value", sa.String(length=64), nullable=True),
        sa.Column("value_number", sa.Float(), nullable=True),
        sa.Column("sample_size", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("updated_by_user_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "kpi IN ('nps', 'ces', 'csat', 'response_time', 'clv')", name=op.f("ck_kpi_values_kpi")
        ),
        sa.CheckConstraint(
            "sample_size IS NULL OR sample_size >= 0", name=op.f("ck_kpi_values_sample_size")
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_kpi_values_organization_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_user_id"],
            ["users.id"],
            name=op.f("fk_kpi_values_updated_by_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kpi_values")),
        sa.UniqueConstraint(
            "organization_id",
            "period",
            "kpi",
            name=op.f("uq_kpi_values_organization_id_period_kpi"),
        ),
    )
    with op.batch_alter_table("kpi_values", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_kpi_values_organization_id"), ["organization_id"], unique=False
        )

    op.create_table(
        "targets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("questionnaire_id", sa.String(length=100), nullable=False),
        sa.Column("dimension_id", sa.String(length=100), nullable=False),
        sa.Column("target_level", sa.SmallInteger(), nullable=False),
        sa.Column("due_period", sa.String(length=7), nullable=True),
        sa.Column("baseline_score", sa.String(length=64), nullable=True),
        sa.Column("baseline_period", sa.String(length=7), nullable=True),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("set_by_user_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "status IN ('active', 'achieved', 'superseded', 'dropped')",
            name=op.f("ck_targets_status"),
        ),
        sa.CheckConstraint("target_level BETWEEN 1 AND 5", name=op.f("ck_targets_target_level")),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_targets_organization_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["set_by_user_id"],
            ["users.id"],
            name=op.f("fk_targets_set_by_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_targets")),
    )
    with op.batch_alter_table("targets", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_targets_organization_id"), ["organization_id"], unique=False
        )
        batch_op.create_index(
            "uq_targets_active",
            ["organization_id", "questionnaire_id", "dimension_id"],
            unique=True,
            sqlite_where=sa.text("status = 'active'"),
            postgresql_where=sa.text("status = 'active'"),
        )

    op.create_table(
        "action_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("action_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=15), nullable=False),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.Column("period", sa.String(length=7), nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "kind IN ('created', 'edited', 'status_changed', 'carried', 'judged')",
            name=op.f("ck_action_events_kind"),
        ),
        sa.ForeignKeyConstraint(
            ["action_id"],
            ["actions.id"],
            name=op.f("fk_action_events_action_id_actions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_action_events_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_action_events")),
    )
    with op.batch_alter_table("action_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_action_events_action_id"), ["action_id"], unique=False)

    op.add_column(
        "answers",
        sa.Column("offered", sa.Boolean(), nullable=False, server_default=sa.false()),
    )

    with op.batch_alter_table("dimension_snapshots", schema=None) as batch_op:
        batch_op.add_column(sa.Column("comparability", sa.String(length=10), nullable=True))
        batch_op.create_check_constraint(
            "comparability",
            "comparability IS NULL OR comparability IN ('same', 'bridged', 'broken')",
        )
        batch_op.add_column(sa.Column("change", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("like_for_like_change", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("stable_panel_change", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("changed_questions", sa.SmallInteger(), nullable=True))
        batch_op.add_column(sa.Column("question_ids", sa.SmallInteger(), nullable=True))

    with op.batch_alter_table("result_snapshots", schema=None) as batch_op:
        batch_op.add_column(sa.Column("previous_assessment_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("overall_change", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("overall_comparability", sa.String(length=10), nullable=True))
        batch_op.create_check_constraint(
            "overall_comparability",
            "overall_comparability IS NULL OR "
            "overall_comparability IN ('same', 'bridged', 'broken')",
        )
        batch_op.add_column(sa.Column("previous_respondents", sa.SmallInteger(), nullable=True))
        batch_op.add_column(sa.Column("matched_respondents", sa.SmallInteger(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_result_snapshots_previous_assessment_id_assessments"),
            "assessments",
            ["previous_assessment_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade() -> None:
    with op.batch_alter_table("result_snapshots", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_result_snapshots_previous_assessment_id_assessments"), type_="foreignkey"
        )
        batch_op.drop_constraint(
            batch_op.f("ck_result_snapshots_overall_comparability"), type_="check"
        )
        batch_op.drop_column("matched_respondents")
        batch_op.drop_column("previous_respondents")
        batch_op.drop_column("overall_comparability")
        batch_op.drop_column("overall_change")
        batch_op.drop_column("previous_assessment_id")

    with op.batch_alter_table("dimension_snapshots", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_dimension_snapshots_comparability"), type_="check")
        batch_op.drop_column("question_ids")
        batch_op.drop_column("changed_questions")
        batch_op.drop_column("stable_panel_change")
        batch_op.drop_column("like_for_like_change")
        batch_op.drop_column("change")
        batch_op.drop_column("comparability")

    # SQLite rebuilds the table and reflects the respondents it points at, which has an
    # expression index on lower(email) it cannot reflect: that index is made again after.
    op.drop_index(op.f("uq_respondents_assessment_email"), table_name="respondents")
    with op.batch_alter_table("answers") as batch_op:
        batch_op.drop_column("offered")
    op.create_index(
        op.f("uq_respondents_assessment_email"),
        "respondents",
        ["assessment_id", sa.text("lower(email)")],
        unique=True,
    )

    with op.batch_alter_table("action_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_action_events_action_id"))

    op.drop_table("action_events")
    with op.batch_alter_table("targets", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_targets_active",
            sqlite_where=sa.text("status = 'active'"),
            postgresql_where=sa.text("status = 'active'"),
        )
        batch_op.drop_index(batch_op.f("ix_targets_organization_id"))

    op.drop_table("targets")
    with op.batch_alter_table("kpi_values", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_kpi_values_organization_id"))

    op.drop_table("kpi_values")
    with op.batch_alter_table("actions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_actions_organization_id"))

    op.drop_table("actions")
