"""The audit log records saved CX key figures (`kpis_saved`).

Revision ID: 0007_kpis_audit
Revises: 0006_quarterly
Create Date: 2026-12-01
"""

from __future__ import annotations

from alembic import op

revision = "0007_kpis_audit"
down_revision = "0006_quarterly"
branch_labels = None
depends_on = None

# The vocabulary is written out, not read from AuditAction: a migration must not
# change when the code does.
BEFORE = (
    "'role_changed', 'member_added', 'member_removed', 'link_revoked', 'link_rotated',"
    " 'exported', 'client_archived', 'client_restored', 'deleted', 'assessment_closed'"
)
AFTER = BEFORE + ", 'kpis_saved'"


def _check(actions: str) -> None:
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_audit_log_action"), type_="check")
        batch_op.create_check_constraint(
            batch_op.f("ck_audit_log_action"), f"action IN ({actions})"
        )


def upgrade() -> None:
    _check(AFTER)


def downgrade() -> None:
    op.execute("DELETE FROM audit_log WHERE action = 'kpis_saved'")
    _check(BEFORE)
