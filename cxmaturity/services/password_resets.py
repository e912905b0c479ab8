"""Password reset by e-mail: a link valid for an hour, usable once (only its SHA-256 is stored).

Asking for a link answers the same whether the address has an account or not;
the page says so. The link is built from CXM_BASE_URL, never from the request's
Host header, so that a forged Host cannot put another address into real mail.
"""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, sessionmaker

from cxmaturity.domain.statuses import EmailKind
from cxmaturity.reports.texts import ReportText
from cxmaturity.services.accounts import apply_password_hash, checked_password
from cxmaturity.services.mailer import Mailer, MailNotSent, OutgoingMail
from cxmaturity.services.passwords import hash_password
from cxmaturity.store.database import run_in_transaction, run_reading
from cxmaturity.store.models import EmailLogEntry, PasswordReset, User, hash_token, utc_now
from cxmaturity.store.queries import accounts as account_queries

VALID_FOR = datetime.timedelta(hours=1)
# More links than this per hour are not sent: nobody can flood a mailbox with them.
MAX_LINKS_PER_HOUR = 3
TOKEN_BYTES = 32
TOKEN_MAX_LENGTH = 64
RESET_PATH = "/password/reset/"
SENDER_NAME = "cxmaturity"


class UnknownResetLink(LookupError):
    """The link is unknown, expired or used already: the same answer for each."""


@dataclass(frozen=True)
class _Recipient:
    user_id: int
    email: str
    name: str
    language: str


def by_mail_available(mailer: Mailer, base_url: str | None) -> bool:
    """True when a reset link can be e-mailed: a mail server and CXM_BASE_URL are set."""
    return mailer.configured and bool(base_url)


def request_password_reset(
    sessions: sessionmaker[Session],
    mailer: Mailer,
    base_url: str | None,
    email: str,
    *,
    now: Callable[[], datetime.datetime] = utc_now,
    footer_links: tuple[str, ...] = (),
) -> None:
    """E-mail a reset link to the account of `email`, if there is one; never says which.

    Does nothing without a mail server or base URL (see by_mail_available).
    """
    if not by_mail_available(mailer, base_url) or not isinstance(email, str):
        return
    moment = now()
    token = secrets.token_urlsafe(TOKEN_BYTES)

    def create(session: Session) -> _Recipient | None:
        user = account_queries.user_by_email(session, email)
        if user is None or not user.active or _recent_links(session, user, moment):
            return None
        session.add(
            PasswordReset(
                token_hash=hash_token(token),
                user_id=user.id,
                created_at=moment,
                expires_at=moment + VALID_FOR,
            )
        )
        return _Recipient(user.id, user.email, user.display_name, user.language)

    recipient = run_in_transaction(sessions, create)
    if recipient is None:
        return
    link = f"{str(base_url).rstrip('/')}{RESET_PATH}{token}"
    error = None
    try:
        mailer.send(_reset_mail(recipient, link, footer_links))
    except MailNotSent as refused:
        error = str(refused)[:500]
    run_in_transaction(sessions, lambda session: session.add(_log_entry(recipient, moment, error)))


def _recent_links(session: Session, user: User, moment: datetime.datetime) -> bool:
    count = session.scalar(
        select(func.count())
        .select_from(PasswordReset)
        .where(PasswordReset.user_id == user.id, PasswordReset.created_at > moment - VALID_FOR)
    )
    return (count or 0) >= MAX_LINKS_PER_HOUR


def _reset_mail(recipient: _Recipient, link: str, footer_links: tuple[str, ...]) -> OutgoingMail:
    words = ReportText(recipient.language)
    text = words.gettext(
        "Hello %(name)s,\n\n"
        "someone, hopefully you, asked for a new password for your cxmaturity account. "
        "Open this link within one hour to choose it:\n\n%(link)s\n\n"
        "The link works once. If you did not ask for it, ignore this e-mail: "
        "your password stays as it is.",
        name=recipient.name,
        link=link,
    )
    if footer_links:
        text += "\n\n-- \n" + "\n".join(footer_links)
    return OutgoingMail(
        to=recipient.email,
        subject=words.gettext("Your new cxmaturity password"),
        text=text + "\n",
        sender_name=SENDER_NAME,
        language=recipient.language,
    )


def _log_entry(
    recipient: _Recipient, moment: datetime.datetime, error: str | None
) -> EmailLogEntry:
    return EmailLogEntry(
        kind=EmailKind.PASSWORD_RESET.value,
        language=recipient.language,
        user_id=recipient.user_id,
        sent_at=moment,
        error=error,
    )


def _usable(session: Session, token: object, moment: datetime.datetime) -> PasswordReset | None:
    if not isinstance(token, str) or not token or len(token) > TOKEN_MAX_LENGTH:
        return None
    reset = session.get(PasswordReset, hash_token(token))
    if reset is None or reset.used_at is not None or reset.expires_at <= moment:
        return None
    return reset


def reset_link_usable(
    sessions: sessionmaker[Session],
    token: str,
    *,
    now: Callable[[], datetime.datetime] = utc_now,
) -> bool:
    """True while the link is known, unused and not expired."""
    moment = now()
    return run_reading(sessions, lambda session: _usable(session, token, moment) is not None)


def reset_password(
    sessions: sessionmaker[Session],
    token: str,
    password: str,
    *,
    now: Callable[[], datetime.datetime] = utc_now,
) -> int:
    """Set the new password of the link's account; return its id.

    The link and every other open link of the account are used up, every session
    of the account ends, its failed logins are forgotten. Raises InvalidInput for
    a password the rules refuse, UnknownResetLink for an unusable link.
    """
    password_hash = hash_password(checked_password(password))
    moment = now()

    def change(session: Session) -> int:
        reset = _usable(session, token, moment)
        user = account_queries.user_by_id(session, reset.user_id) if reset else None
        if reset is None or user is None or not user.active:
            raise UnknownResetLink
        session.execute(
            update(PasswordReset)
            .where(PasswordReset.user_id == user.id, PasswordReset.used_at.is_(None))
            .values(used_at=moment)
        )
        apply_password_hash(session, user, password_hash)
        return user.id

    return run_in_transaction(sessions, change)
