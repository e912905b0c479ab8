"""Invitation links that can be sent again, and a claim mark for sending them.

`token_nonce`: the random value a respondent's link token is derived from
(HMAC of the app's secret key, see services/links.py), so that "resend" can
send the same link while only the token's SHA-256 is stored. NULL for links
made before (self-assessments): those can be rotated, not re-sent.
`delivery_tried_at`: when a process last took the invitation e-mail to send,
so that two processes (a request and `reminders send`) do not both send it.

Revision ID: 0005_token_nonce
Revises: 0004_workspaces
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_token_nonce"
down_revision = "0004_workspaces"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("respondents", sa.Column("token_nonce", sa.String(length=64), nullable=True))
    op.add_column(
        "respondents", sa.Column("delivery_tried_at", sa.DateTime(timezone=True), nullable=True)
    )


def downgrade() -> None:
    # Batch mode: SQLite rebuilds the table to drop a column on every version. It cannot
    # reflect the expression index on lower(email), so that index is made again after.
    op.drop_index(op.f("uq_respondents_assessment_email"), table_name="respondents")
    with op.batch_alter_table("respondents") as batch:
        batch.drop_column("delivery_tried_at")
        batch.drop_column("token_nonce")
    op.create_index(
        op.f("uq_respondents_assessment_email"),
        "respondents",
        ["assessment_id", sa.text("lower(email)")],
        unique=True,
    )
