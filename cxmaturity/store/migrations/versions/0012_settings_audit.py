"""The audit log records a changed workspace setting (`settings_changed`: the cohort minimum).

Revision ID: 0012_settings_audit
Revises: 0011_cohorts
Create Date: 2026-12-01
"""

from __future__ import annotations

from alembic import op

revision = "0012_settings_audit"
down_revision = "0011_cohorts"
branch_labels = None
depends_on = None

# The vocabulary is written out, not read from AuditAction: a migration must not
# change when the code does.
BEFORE = (
    "'role_changed', 'member_added', 'member_removed', 'link_revoked', 'link_rotated',"
    " 'exported', 'client_archived', 'client_restored', 'deleted', 'assessment_closed',"
    " 'kpis_saved'"
)
AFTER = BEFORE + ", 'settings_changed'"


def _check(actions: str) -> None:
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_audit_log_action"), type_="check")
        batch_op.create_check_constraint(
            batch_op.f("ck_audit_log_action"), f"action IN ({actions})"
        )


def upgrade() -> None:
    _check(AFTER)


def downgrade() -> None:
    op.execute("DELETE FROM audit_log WHERE action = 'settings_changed'")
    _check(BEFORE)
