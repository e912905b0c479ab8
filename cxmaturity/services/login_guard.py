"""Slowing down password guessing: failed logins counted per address and per remote address.

Each failure is a LoginFailure row. An address with MAX_PER_ADDRESS failures in
the last WINDOW (counted since its account's last successful login), or a remote
address with MAX_PER_REMOTE, is refused until the oldest of those failures is
older than WINDOW. Unknown addresses count exactly like known ones, so that the
answer never tells whether an account exists. A success deletes nothing: it
must not lower the count of the remote address for the others tried from it.
"""

from __future__ import annotations

import datetime

from sqlalchemy import ColumnElement, delete, func, select
from sqlalchemy.orm import Session

from cxmaturity.store.models import LoginFailure

WINDOW = datetime.timedelta(minutes=15)
MAX_PER_ADDRESS = 5
MAX_PER_REMOTE = 20
EMAIL_COLUMN_LENGTH = 320
REMOTE_COLUMN_LENGTH = 64


class TooManyFailures(Exception):
    """Too many failed logins lately; `retry_at` (UTC) is when the next try is counted."""

    def __init__(self, retry_at: datetime.datetime) -> None:
        super().__init__(f"too many failed logins; try again after {retry_at.isoformat()}")
        self.retry_at = retry_at


def normalized_email(email: object) -> str:
    text = email if isinstance(email, str) else ""
    return text.strip().lower()[:EMAIL_COLUMN_LENGTH]


def blocked_until(
    session: Session,
    email: str,
    remote_address: str | None,
    now: datetime.datetime,
    last_success: datetime.datetime | None = None,
) -> datetime.datetime | None:
    """When the next try is allowed, if the address or the remote address is blocked now."""
    window_start = now - WINDOW
    address_since = max(window_start, last_success) if last_success else window_start
    retry_times = [
        _retry_at(
            session, LoginFailure.email == normalized_email(email), address_since, MAX_PER_ADDRESS
        ),
    ]
    if remote_address:
        retry_times.append(
            _retry_at(
                session,
                LoginFailure.remote_address == remote_address[:REMOTE_COLUMN_LENGTH],
                window_start,
                MAX_PER_REMOTE,
            )
        )
    blocked = [at for at in retry_times if at is not None and at > now]
    return max(blocked) if blocked else None


def _retry_at(
    session: Session, which: ColumnElement[bool], since: datetime.datetime, limit: int
) -> datetime.datetime | None:
    # The limit-th newest failure: once it leaves the window, fewer than `limit` remain.
    oldest_counted = session.scalar(
        select(LoginFailure.failed_at)
        .where(which, LoginFailure.failed_at > since)
        .order_by(LoginFailure.failed_at.desc())
        .offset(limit - 1)
        .limit(1)
    )
    return oldest_counted + WINDOW if oldest_counted is not None else None


def record_failure(
    session: Session, email: str, remote_address: str | None, now: datetime.datetime
) -> None:
    """Count one failed login; rows older than the window go at the same time."""
    session.execute(delete(LoginFailure).where(LoginFailure.failed_at < now - WINDOW))
    session.add(
        LoginFailure(
            email=normalized_email(email),
            remote_address=remote_address[:REMOTE_COLUMN_LENGTH] if remote_address else None,
            failed_at=now,
        )
    )


def clear_failures(session: Session, email: str) -> None:
    """Forget the failures of one address (after its password was reset)."""
    session.execute(delete(LoginFailure).where(LoginFailure.email == normalized_email(email)))


def failure_count(session: Session, email: str) -> int:
    return (
        session.scalar(
            select(func.count())
            .select_from(LoginFailure)
            .where(LoginFailure.email == normalized_email(email))
        )
        or 0
    )
