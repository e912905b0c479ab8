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


class UserRole(StrEnum):
    CONSULTANT = "consultant"
    ADMIN = "admin"


class MembershipRole(StrEnum):
    OWNER = "owner"
    MEMBER = "member"
