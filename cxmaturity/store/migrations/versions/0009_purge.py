"""On SQLite, the ids of clients, assessments and respondents are never used twice.

A purged client lives on in the audit log as "client #7", and its earlier lines
name its assessments and respondents by id. SQLite gives a new row the largest id
plus one, so purging the newest client would hand its id to the next one, and the
log would seem to speak of it. AUTOINCREMENT makes SQLite remember the largest id
ever given (in sqlite_sequence); PostgreSQL's sequences never go back anyway.

Revision ID: 0009_purge
Revises: 0008_target_achieved
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009_purge"
down_revision = "0008_target_achieved"
branch_labels = None
depends_on = None

TABLES = ("organizations", "assessments", "respondents")


def upgrade() -> None:
    _rebuild(autoincrement=True)


def downgrade() -> None:
    _rebuild(autoincrement=False)


def _rebuild(*, autoincrement: bool) -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    # Batch mode copies each table into a new one and cannot carry an index on an
    # expression over: the case-insensitive e-mail index is made again after it.
    op.drop_index(op.f("uq_respondents_assessment_email"), table_name="respondents")
    for table in TABLES:
        with op.batch_alter_table(
            table, recreate="always", table_kwargs={"sqlite_autoincrement": autoincrement}
        ):
            pass
    op.create_index(
        op.f("uq_respondents_assessment_email"),
        "respondents",
        ["assessment_id", sa.text("lower(email)")],
        unique=True,
    )
