"""The database tables as SQLAlchemy models, one module per topic.

Every rule the database can keep (allowed values, one answer per question,
level 1–5 or not applicable) is a named constraint here, so that a bad write
fails whatever code path it comes from. Changing a table means a new Alembic
migration in `migrations/versions/`; `tests/store/test_migrations.py` checks
that models and migrations agree.
"""

from cxmaturity.store.models.accounts import (
    LoginFailure,
    MemberClient,
    Membership,
    PasswordReset,
    User,
    Workspace,
    WorkspaceMember,
)
from cxmaturity.store.models.api import ApiToken, IdempotentResponse
from cxmaturity.store.models.assessments import Answer, Assessment, Respondent
from cxmaturity.store.models.base import LANGUAGES, Base, UtcDateTime, hash_token, utc_now
from cxmaturity.store.models.bulk import BulkReportJob
from cxmaturity.store.models.cohorts import SavedCohort
from cxmaturity.store.models.exports import ExportJob
from cxmaturity.store.models.kpis import KpiValue
from cxmaturity.store.models.logs import AuditEntry, EmailLogEntry
from cxmaturity.store.models.organizations import Organization, OrganizationTag
from cxmaturity.store.models.plans import Action, ActionEvent, Target
from cxmaturity.store.models.snapshots import DimensionSnapshot, ResultSnapshot

__all__ = [
    "LANGUAGES",
    "Action",
    "ActionEvent",
    "Answer",
    "ApiToken",
    "Assessment",
    "AuditEntry",
    "Base",
    "BulkReportJob",
    "DimensionSnapshot",
    "EmailLogEntry",
    "ExportJob",
    "IdempotentResponse",
    "KpiValue",
    "LoginFailure",
    "MemberClient",
    "Membership",
    "Organization",
    "OrganizationTag",
    "PasswordReset",
    "Respondent",
    "ResultSnapshot",
    "SavedCohort",
    "Target",
    "User",
    "UtcDateTime",
    "Workspace",
    "WorkspaceMember",
    "hash_token",
    "utc_now",
]
