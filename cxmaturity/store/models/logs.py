"""What happened, for later questions: every e-mail sent and the audit log.

Neither table has foreign keys: an entry outlives what it names (a client
purged is still "client #7 purged by X").
"""

from __future__ import annotations

import datetime

from sqlalchemy import CheckConstraint, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from cxmaturity.domain.statuses import AuditAction, EmailKind
from cxmaturity.store.models.base import LANGUAGES, Base, UtcDateTime, one_of, utc_now


class EmailLogEntry(Base):
    """One e-mail the app tried to send (DESIGN §8: kind, time, language)."""

    __tablename__ = "email_log"
    __table_args__ = (
        CheckConstraint(one_of("kind", EmailKind), name="kind"),
        CheckConstraint(one_of("language", LANGUAGES), name="language"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    language: Mapped[str] = mapped_column(String(2))
    workspace_id: Mapped[int | None] = mapped_column(Integer, index=True)
    respondent_id: Mapped[int | None] = mapped_column(Integer, index=True)
    user_id: Mapped[int | None] = mapped_column(Integer)
    sent_at: Mapped[datetime.datetime] = mapped_column(UtcDateTime, default=utc_now)
    # Empty when the server took it; else what it answered ("550 no such user").
    error: Mapped[str | None] = mapped_column(String(500))


class AuditEntry(Base):
    """Who changed a role, revoked a link, exported or deleted something, and when."""

    __tablename__ = "audit_log"
    __table_args__ = (CheckConstraint(one_of("action", AuditAction), name="action"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int | None] = mapped_column(Integer, index=True)
    actor_user_id: Mapped[int | None] = mapped_column(Integer)
    # Kept as text: the entry must still read right after the user is gone.
    actor_email: Mapped[str | None] = mapped_column(String(320))
    action: Mapped[str] = mapped_column(String(30))
    object_type: Mapped[str] = mapped_column(String(30))
    object_id: Mapped[int | None] = mapped_column(Integer)
    detail: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime.datetime] = mapped_column(UtcDateTime, default=utc_now)
