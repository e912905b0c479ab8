"""Stored vocabularies as CHECK constraints: draft assessments, anonymity, respondent groups.

Revision ID: 0002_constraints
Revises: 0001
Create Date: 2026-12-01

The values follow cxmaturity.domain.statuses; as in every migration they are
written out, so that this step keeps creating the same schema later.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_constraints"
down_revision = "0001"
branch_labels = None
depends_on = None

ASSESSMENT_STATUS_BEFORE = "status IN ('open', 'closed')"
ASSESSMENT_STATUS = "status IN ('draft', 'open', 'closed')"
ANONYMITY = "anonymity IN ('named', 'confidential', 'anonymous')"
RESPONDENT_GROUP = (
    "respondent_group IS NULL OR respondent_group IN ('executive', 'manager', 'frontline', 'other')"
)


def upgrade() -> None:
    with op.batch_alter_table("assessments") as batch:
        batch.add_column(
            sa.Column("anonymity", sa.String(20), nullable=False, server_default="confidential")
        )
        batch.drop_constraint(op.f("ck_assessments_status"), type_="check")
        batch.create_check_constraint(op.f("ck_assessments_status"), ASSESSMENT_STATUS)
        batch.create_check_constraint(op.f("ck_assessments_anonymity"), ANONYMITY)
    with op.batch_alter_table("respondents") as batch:
        batch.add_column(sa.Column("respondent_group", sa.String(20), nullable=True))
        batch.create_check_constraint(op.f("ck_respondents_respondent_group"), RESPONDENT_GROUP)


def downgrade() -> None:
    with op.batch_alter_table("respondents") as batch:
        batch.drop_constraint(op.f("ck_respondents_respondent_group"), type_="check")
        batch.drop_column("respondent_group")
    # Draft assessments have no place in the older schema: they become open.
    op.execute("UPDATE assessments SET status = 'open' WHERE status = 'draft'")
    with op.batch_alter_table("assessments") as batch:
        batch.drop_constraint(op.f("ck_assessments_anonymity"), type_="check")
        batch.drop_constraint(op.f("ck_assessments_status"), type_="check")
        batch.create_check_constraint(op.f("ck_assessments_status"), ASSESSMENT_STATUS_BEFORE)
        batch.drop_column("anonymity")
