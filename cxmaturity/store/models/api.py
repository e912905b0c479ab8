"""The JSON API's own tables: workspace tokens and the stored answers of idempotent POSTs."""

from __future__ import annotations

import datetime

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Integer,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cxmaturity.domain.statuses import TokenScope
from cxmaturity.store.models.accounts import User, Workspace
from cxmaturity.store.models.base import Base, UtcDateTime, one_of, utc_now


class ApiToken(Base):
    """A bearer token of one workspace, made by one of its members (DESIGN §9).

    Only the SHA-256 of the secret is kept: the secret itself is shown once.
    """

    __tablename__ = "api_tokens"
    __table_args__ = (CheckConstraint(one_of("scope", TokenScope), name="scope"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), index=True
    )
    creator_user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(100))
    scope: Mapped[str] = mapped_column(String(5))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime.datetime] = mapped_column(UtcDateTime, default=utc_now)
    last_used_at: Mapped[datetime.datetime | None] = mapped_column(UtcDateTime)
    revoked_at: Mapped[datetime.datetime | None] = mapped_column(UtcDateTime)

    creator: Mapped[User] = relationship()
    workspace: Mapped[Workspace] = relationship()


class IdempotentResponse(Base):
    """The answer to a POST sent with an `Idempotency-Key`, replayed for the same key."""

    __tablename__ = "idempotent_responses"
    __table_args__ = (UniqueConstraint("token_id", "key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_id: Mapped[int] = mapped_column(ForeignKey("api_tokens.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(200))
    # SHA-256 over method, path and body: the same key with another request is refused.
    request_hash: Mapped[str] = mapped_column(String(64))
    status: Mapped[int] = mapped_column(SmallInteger)
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime.datetime] = mapped_column(UtcDateTime, default=utc_now, index=True)
