"""The fixed vocabularies that are stored: statuses, roles, groups, anonymity, languages.

The database's CHECK constraints are built from these enums (store/models.py),
so code and schema can only name the same values. A StrEnum member equals its
text: `RespondentStatus.SUBMITTED == "submitted"`.
"""

from __future__ import annotations

from enum import StrEnum


class Language(StrEnum):
    """The languages of stored assessments; the interface offers the same (locale.LANGUAGES)."""

    DE = "de"
    EN = "en"


# Employees, as the size choices of the start form offer them; stored as the text.
ORGANIZATION_SIZES = ("1-49", "50-249", "250-999", "1000-4999", "5000+")


class AssessmentStatus(StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"


class RespondentStatus(StrEnum):
    IN_PROGRESS = "in_progress"
    SUBMITTED = "submitted"


class RespondentGroup(StrEnum):
    EXECUTIVE = "executive"
    MANAGER = "manager"
    FRONTLINE = "frontline"
    OTHER = "other"


class Anonymity(StrEnum):
    """Who sees whose answers (DESIGN §8); locked at an assessment's first submission."""

    NAMED = "named"
    CONFIDENTIAL = "confidential"
    ANONYMOUS = "anonymous"


class WorkspaceKind(StrEnum):
    """A consultancy runs many clients; a team assesses its own company (one client)."""

    CONSULTANCY = "consultancy"
    TEAM = "team"


class WorkspaceRole(StrEnum):
    """A workspace member's role (DESIGN §7); a consultant may be limited to listed clients."""

    OWNER = "owner"
    CONSULTANT = "consultant"
    VIEWER = "viewer"


class ClientRole(StrEnum):
    """Client staff: a login that sees one organization only."""

    CLIENT_ADMIN = "client_admin"
    CLIENT_VIEWER = "client_viewer"


class Delivery(StrEnum):
    """Where a respondent's invitation e-mail stands; no value while it has no address."""

    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"
    """The mail server refused or did not answer; sent again later."""
    BOUNCED = "bounced"
    """The mail server refused the address itself; not sent again."""


class EmailKind(StrEnum):
    INVITATION = "invitation"
    REMINDER = "reminder"
    PASSWORD_RESET = "password_reset"


class AuditAction(StrEnum):
    """What the audit log records (DESIGN §2): who did it, to what, when."""

    ROLE_CHANGED = "role_changed"
    MEMBER_ADDED = "member_added"
    MEMBER_REMOVED = "member_removed"
    LINK_REVOKED = "link_revoked"
    LINK_ROTATED = "link_rotated"
    EXPORTED = "exported"
    CLIENT_ARCHIVED = "client_archived"
    CLIENT_RESTORED = "client_restored"
    DELETED = "deleted"
    ASSESSMENT_CLOSED = "assessment_closed"
    KPIS_SAVED = "kpis_saved"
    SETTINGS_CHANGED = "settings_changed"
    TOKEN_CREATED = "token_created"
    TOKEN_REVOKED = "token_revoked"


class TokenScope(StrEnum):
    """What an API token may do (DESIGN §9), never more than its creator's role allows."""

    READ = "read"
    WRITE = "write"


class Comparability(StrEnum):
    """Whether a dimension's score compares with last period's (DESIGN §4.9)."""

    SAME = "same"
    BRIDGED = "bridged"
    BROKEN = "broken"


class TargetStatus(StrEnum):
    ACTIVE = "active"
    ACHIEVED = "achieved"
    SUPERSEDED = "superseded"
    DROPPED = "dropped"


class ActionStatus(StrEnum):
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    BLOCKED = "blocked"
    DONE = "done"
    DROPPED = "dropped"


UNFINISHED_ACTION_STATUSES = (ActionStatus.PLANNED, ActionStatus.IN_PROGRESS, ActionStatus.BLOCKED)
"""Actions in these states carry into the next quarter by themselves."""


class ActionSource(StrEnum):
    RECOMMENDATION = "recommendation"
    MANUAL = "manual"


class ActionEffect(StrEnum):
    """An action's effect, judged when the next assessment closes (DESIGN §4.12)."""

    EFFECT_SEEN = "effect_seen"
    NO_EFFECT_YET = "no_effect_yet"
    STALLED = "stalled"


class ActionEventKind(StrEnum):
    CREATED = "created"
    EDITED = "edited"
    STATUS_CHANGED = "status_changed"
    CARRIED = "carried"
    JUDGED = "judged"


class KpiName(StrEnum):
    """The CX key figures of DESIGN §5."""

    NPS = "nps"
    CES = "ces"
    CSAT = "csat"
    RESPONSE_TIME = "response_time"
    CLV = "clv"


class BulkJobStatus(StrEnum):
    """Where a bulk-report job stands (DESIGN §9: bulk PDFs as a ZIP)."""

    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


UNFINISHED_BULK_JOB_STATUSES = (BulkJobStatus.QUEUED, BulkJobStatus.RUNNING)
"""A job in these states is either under way or was interrupted by a restart."""


class BulkJobError(StrEnum):
    """Why a bulk-report job failed; the page words it in the reader's language."""

    INTERRUPTED = "interrupted"
    """The app restarted (or its process ended) while the job ran: start it again."""
    RENDER_FAILED = "render_failed"
    STORAGE = "storage"
    UNEXPECTED = "unexpected"


class ExportJobStatus(StrEnum):
    """Where a workspace-export job stands (DESIGN §9: exports; issue 12: as background jobs)."""

    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


UNFINISHED_EXPORT_JOB_STATUSES = (ExportJobStatus.QUEUED, ExportJobStatus.RUNNING)


class ExportFormat(StrEnum):
    """What a workspace-export job makes: every table as one XLSX workbook, or CSV (a ZIP
    of one CSV per table, or one table's CSV when the job names a table)."""

    XLSX = "xlsx"
    CSV = "csv"


class ExportJobError(StrEnum):
    """Why a workspace-export job failed; the page words it in the reader's language."""

    INTERRUPTED = "interrupted"
    """The app restarted (or its process ended) while the job ran: start it again."""
    STORAGE = "storage"
    NOT_ALLOWED = "not_allowed"
    """Its creator may no longer export (removed, or now a viewer) when the job ran."""
    CLIENT_PURGED = "client_purged"
    """A client was deleted for good while the file was made: the file is dropped."""
    UNEXPECTED = "unexpected"
