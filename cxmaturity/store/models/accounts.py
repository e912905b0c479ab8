"""People and their access: users, workspaces, workspace members, client staff, login safety."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cxmaturity.domain.statuses import ClientRole, Language, WorkspaceKind, WorkspaceRole
from cxmaturity.store.models.base import LANGUAGES, Base, UtcDateTime, one_of, utc_now

if TYPE_CHECKING:
    from cxmaturity.store.models.organizations import Organization

# Below this many comparable clients no cohort figure is shown (DESIGN §4.13).
DEFAULT_COHORT_MIN_N = 5


class User(Base):
    __tablename__ = "users"
    __table_args__ = (CheckConstraint(one_of("language", LANGUAGES), name="language"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(320))
    password_hash: Mapped[str] = mapped_column(String(255))
    display_name: Mapped[str] = mapped_column(String(200))
    language: Mapped[str] = mapped_column(String(2), default=Language.EN.value)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    is_platform_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    # Part of the login session: raising it (new password) ends every other session.
    session_version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime.datetime] = mapped_column(UtcDateTime, default=utc_now)
    last_login_at: Mapped[datetime.datetime | None] = mapped_column(UtcDateTime)

    workspace_memberships: Mapped[list[WorkspaceMember]] = relationship(
        back_populates="user", cascade="all, delete-orphan", passive_deletes=True
    )
    client_memberships: Mapped[list[Membership]] = relationship(
        back_populates="user", cascade="all, delete-orphan", passive_deletes=True
    )


# Case-insensitive: "Anna@Example.com" and "anna@example.com" are one account.
Index("uq_users_email_lower", func.lower(User.email), unique=True)


class Workspace(Base):
    """The tenant: a consultancy with its clients, or a team assessing its own company."""

    __tablename__ = "workspaces"
    __table_args__ = (
        CheckConstraint(one_of("kind", WorkspaceKind), name="kind"),
        CheckConstraint("cohort_min_n >= 3", name="cohort_min_n"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20), default=WorkspaceKind.CONSULTANCY.value)
    cohort_min_n: Mapped[int] = mapped_column(SmallInteger, default=DEFAULT_COHORT_MIN_N)
    # A self-assessment's team workspace has no owner until its starter claims it
    # by creating an account from the private link.
    claimable: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime.datetime] = mapped_column(UtcDateTime, default=utc_now)

    members: Mapped[list[WorkspaceMember]] = relationship(
        back_populates="workspace", cascade="all, delete-orphan", passive_deletes=True
    )
    organizations: Mapped[list[Organization]] = relationship(back_populates="workspace")


class WorkspaceMember(Base):
    """A user's role in a workspace. `limited_to_clients`: a consultant sees only `clients`."""

    __tablename__ = "workspace_members"
    __table_args__ = (
        UniqueConstraint("workspace_id", "user_id"),
        CheckConstraint(one_of("role", WorkspaceRole), name="role"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    limited_to_clients: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime.datetime] = mapped_column(UtcDateTime, default=utc_now)

    workspace: Mapped[Workspace] = relationship(back_populates="members")
    user: Mapped[User] = relationship(back_populates="workspace_memberships")
    listed_clients: Mapped[list[MemberClient]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True
    )


class MemberClient(Base):
    """A client a limited consultant may work on."""

    __tablename__ = "member_clients"

    member_id: Mapped[int] = mapped_column(
        ForeignKey("workspace_members.id", ondelete="CASCADE"), primary_key=True
    )
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class Membership(Base):
    """Client staff: a user's access to one organization, as client_admin or client_viewer."""

    __tablename__ = "memberships"
    __table_args__ = (CheckConstraint(one_of("role", ClientRole), name="role"),)

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    role: Mapped[str] = mapped_column(String(20))

    user: Mapped[User] = relationship(back_populates="client_memberships")
    organization: Mapped[Organization] = relationship(back_populates="memberships")


class LoginFailure(Base):
    """A failed login, kept for a while so that guessing passwords is slowed down."""

    __tablename__ = "login_failures"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # Lower-cased; also for addresses that have no account (same answer either way).
    email: Mapped[str] = mapped_column(String(320), index=True)
    remote_address: Mapped[str | None] = mapped_column(String(64), index=True)
    failed_at: Mapped[datetime.datetime] = mapped_column(UtcDateTime, default=utc_now)


class PasswordReset(Base):
    """A password-reset link: only the SHA-256 of its token is stored; usable once."""

    __tablename__ = "password_resets"
    __table_args__ = (CheckConstraint("length(token_hash) = 64", name="token_hash"),)

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime.datetime] = mapped_column(UtcDateTime, default=utc_now)
    expires_at: Mapped[datetime.datetime] = mapped_column(UtcDateTime)
    used_at: Mapped[datetime.datetime | None] = mapped_column(UtcDateTime)
