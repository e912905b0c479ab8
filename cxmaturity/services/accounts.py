"""Accounts: create users, check a login, set a password, and the workspaces a user belongs to."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from cxmaturity.domain.statuses import Language
from cxmaturity.domain.text import TextRefused, clean_text
from cxmaturity.services import login_guard
from cxmaturity.services.errors import InvalidInput
from cxmaturity.services.passwords import (
    DUMMY_HASH,
    MAX_PASSWORD_LENGTH,
    MIN_PASSWORD_LENGTH,
    hash_password,
    password_matches,
)
from cxmaturity.store.database import run_in_transaction, run_reading
from cxmaturity.store.models import User, Workspace, WorkspaceMember, utc_now
from cxmaturity.store.queries import accounts as account_queries

EMAIL_MAX_LENGTH = 320
NAME_MAX_LENGTH = 200


class EmailTaken(ValueError):
    """Another account has this address (whatever its letter case)."""


class LoginRefused(Exception):
    """Wrong address or password, or a deactivated account: the same answer for each."""


@dataclass(frozen=True)
class LoggedIn:
    """Who logged in: what the login session keeps of them."""

    user_id: int
    session_version: int
    language: str


def checked_email(email: object) -> str:
    """The address without surrounding spaces; raises InvalidInput unless it looks like one."""
    if not isinstance(email, str):
        raise InvalidInput("email", "must be text")
    address = email.strip()
    local, at, domain = address.rpartition("@")
    if (
        not at
        or not local
        or "." not in domain
        or len(address) > EMAIL_MAX_LENGTH
        or any(c.isspace() or ord(c) < 32 for c in address)
    ):
        raise InvalidInput("email", "is not an e-mail address")
    return address


def checked_password(password: object) -> str:
    if not isinstance(password, str):
        raise InvalidInput("password", "must be text")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput("password", f"must have at least {MIN_PASSWORD_LENGTH} characters")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise InvalidInput("password", f"must have at most {MAX_PASSWORD_LENGTH} characters")
    return password


@dataclass(frozen=True)
class NewUser:
    """A checked account to create, its password already hashed."""

    email: str
    display_name: str
    password_hash: str
    language: str


def checked_new_user(email: str, name: str, password: str, language: str) -> NewUser:
    """Check every field of a new account and hash its password; raises InvalidInput."""
    address = checked_email(email)
    password = checked_password(password)
    try:
        display_name = clean_text(name, required=True, max_length=NAME_MAX_LENGTH)
    except (TextRefused, TypeError) as refused:
        raise InvalidInput("name", str(refused)) from None
    if language not in tuple(Language):
        raise InvalidInput("language", f"must be one of {', '.join(Language)}")
    return NewUser(address, display_name, hash_password(password), language)


def add_user(session: Session, new: NewUser) -> User:
    """Add the account in the caller's transaction; raises EmailTaken."""
    if account_queries.user_by_email(session, new.email) is not None:
        raise EmailTaken(new.email)
    user = User(
        email=new.email,
        password_hash=new.password_hash,
        display_name=new.display_name,
        language=new.language,
    )
    session.add(user)
    session.flush()
    return user


def create_user(
    sessions: sessionmaker[Session],
    email: str,
    name: str,
    password: str,
    language: str = Language.EN,
) -> int:
    """Create an account; return its id. Raises InvalidInput or EmailTaken."""
    new = checked_new_user(email, name, password, language)
    try:
        return run_in_transaction(sessions, lambda session: add_user(session, new).id)
    except IntegrityError:
        # Two creations of one address at once: the unique index stopped the second.
        raise EmailTaken(new.email) from None


@dataclass(frozen=True)
class _LoginRecord:
    """What the password check needs of an account, read before the (slow) hash check."""

    user_id: int
    password_hash: str
    active: bool
    session_version: int
    language: str


def log_in(
    sessions: sessionmaker[Session],
    email: str,
    password: str,
    *,
    remote_address: str | None = None,
    now: Callable[[], datetime.datetime] = utc_now,
) -> LoggedIn:
    """Check an address and password.

    Raises TooManyFailures while the address or the remote address has failed too
    often lately (login_guard), and LoginRefused for any mismatch: an unknown
    address, a wrong password or a deactivated account get the same answer.
    """
    moment = now()

    def read(session: Session) -> tuple[datetime.datetime | None, _LoginRecord | None]:
        user = account_queries.user_by_email(session, email) if isinstance(email, str) else None
        last_success = user.last_login_at if user is not None else None
        blocked = login_guard.blocked_until(session, email, remote_address, moment, last_success)
        if user is None:
            return blocked, None
        record = _LoginRecord(
            user.id, user.password_hash, user.active, user.session_version, user.language
        )
        return blocked, record

    blocked, record = run_reading(sessions, read)
    if blocked is not None:
        raise login_guard.TooManyFailures(blocked)
    # Outside the transaction: the hash takes a while and should hold no lock.
    if record is None:
        # As slow as a wrong password: the answer time tells nothing.
        password_matches(DUMMY_HASH, password)
        matches = False
    else:
        matches = password_matches(record.password_hash, password) and record.active

    def write(session: Session) -> None:
        if record is not None and matches:
            user = account_queries.user_by_id(session, record.user_id)
            if user is not None:
                user.last_login_at = moment
        else:
            login_guard.record_failure(session, email, remote_address, moment)

    run_in_transaction(sessions, write)
    if record is None or not matches:
        raise LoginRefused
    return LoggedIn(record.user_id, record.session_version, record.language)


def session_version(sessions: sessionmaker[Session], user_id: int) -> int | None:
    """The user's current session version, or None for a gone or deactivated account."""

    def read(session: Session) -> int | None:
        user = account_queries.user_by_id(session, user_id)
        return user.session_version if user is not None and user.active else None

    return run_reading(sessions, read)


@dataclass(frozen=True)
class SessionUser:
    """What every page of a logged-in user needs: the session version and their name."""

    session_version: int
    display_name: str
    language: str


def session_user(sessions: sessionmaker[Session], user_id: int) -> SessionUser | None:
    """The user's session version and name, or None for a gone or deactivated account."""

    def read(session: Session) -> SessionUser | None:
        user = account_queries.user_by_id(session, user_id)
        if user is None or not user.active:
            return None
        return SessionUser(user.session_version, user.display_name, user.language)

    return run_reading(sessions, read)


class UnknownUser(LookupError):
    """No account has this address."""


def set_password(sessions: sessionmaker[Session], email: str, password: str) -> int:
    """Give the account of `email` a new password; return its id.

    Every other session of the user ends and its failed logins are forgotten.
    Raises InvalidInput or UnknownUser.
    """
    password_hash = hash_password(checked_password(password))

    def change(session: Session) -> int:
        user = account_queries.user_by_email(session, email) if isinstance(email, str) else None
        if user is None:
            raise UnknownUser(email)
        apply_password_hash(session, user, password_hash)
        return user.id

    return run_in_transaction(sessions, change)


def apply_password_hash(session: Session, user: User, password_hash: str) -> None:
    """Store a new password hash: other sessions end, the failed logins are forgotten."""
    user.password_hash = password_hash
    user.session_version = user.session_version + 1
    login_guard.clear_failures(session, user.email)


@dataclass(frozen=True)
class WorkspaceEntry:
    """A workspace as the user's start page lists it."""

    slug: str
    name: str
    kind: str
    role: str


def workspaces_of(sessions: sessionmaker[Session], user_id: int) -> list[WorkspaceEntry]:
    """The workspaces the user is a member of, by name."""

    def read(session: Session) -> list[WorkspaceEntry]:
        rows = session.execute(
            select(Workspace.slug, Workspace.name, Workspace.kind, WorkspaceMember.role)
            .join(WorkspaceMember, WorkspaceMember.workspace_id == Workspace.id)
            .where(WorkspaceMember.user_id == user_id)
            .order_by(Workspace.name, Workspace.slug)
        )
        return [WorkspaceEntry(*row) for row in rows]

    return run_reading(sessions, read)
