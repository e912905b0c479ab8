"""Accounts: create users, check a login, and the workspaces a user belongs to."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from cxmaturity.domain.statuses import Language
from cxmaturity.domain.text import TextRefused, clean_text
from cxmaturity.services.errors import InvalidInput
from cxmaturity.services.passwords import (
    DUMMY_HASH,
    MAX_PASSWORD_LENGTH,
    MIN_PASSWORD_LENGTH,
    hash_password,
    password_matches,
)
from cxmaturity.store.database import run_in_transaction, run_reading
from cxmaturity.store.models import User, utc_now
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


def create_user(
    sessions: sessionmaker[Session],
    email: str,
    name: str,
    password: str,
    language: str = Language.EN,
) -> int:
    """Create an account; return its id. Raises InvalidInput or EmailTaken."""
    address = checked_email(email)
    password = checked_password(password)
    try:
        display_name = clean_text(name, max_length=NAME_MAX_LENGTH)
    except TextRefused as refused:
        raise InvalidInput("name", str(refused)) from None
    if display_name is None:
        raise InvalidInput("name", "is required")
    if language not in tuple(Language):
        raise InvalidInput("language", f"must be one of {', '.join(Language)}")
    password_hash = hash_password(password)

    def create(session: Session) -> int:
        if account_queries.user_by_email(session, address) is not None:
            raise EmailTaken(address)
        user = User(
            email=address, password_hash=password_hash, display_name=display_name, language=language
        )
        session.add(user)
        session.flush()
        return user.id

    try:
        return run_in_transaction(sessions, create)
    except IntegrityError:
        # Two creations of one address at once: the unique index stopped the second.
        raise EmailTaken(address) from None


def log_in(sessions: sessionmaker[Session], email: str, password: str) -> LoggedIn:
    """Check an address and password; raises LoginRefused for any mismatch."""

    def check(session: Session) -> LoggedIn:
        user = account_queries.user_by_email(session, email) if isinstance(email, str) else None
        if user is None:
            # As slow as a wrong password: the answer time tells nothing.
            password_matches(DUMMY_HASH, password)
            raise LoginRefused
        if not password_matches(user.password_hash, password) or not user.active:
            raise LoginRefused
        user.last_login_at = utc_now()
        return LoggedIn(user.id, user.session_version, user.language)

    return run_in_transaction(sessions, check)


def session_version(sessions: sessionmaker[Session], user_id: int) -> int | None:
    """The user's current session version, or None for a gone or deactivated account."""

    def read(session: Session) -> int | None:
        user = account_queries.user_by_id(session, user_id)
        return user.session_version if user is not None and user.active else None

    return run_reading(sessions, read)
