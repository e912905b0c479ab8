"""Invitation and reminder e-mails: written in the respondent's language, sent after the commit.

A caller first commits what the mail is about (the new respondent, the claimed
reminder), then hands the `MailJob`s to `send_all`: no database transaction
stays open while an SMTP server is slow. Each attempt is logged in the e-mail
log (kind, language, time, error) and moves the invitation's delivery to
sent, failed (tried again by `reminders send`) or bounced (never again).
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from babel.support import NullTranslations, Translations
from sqlalchemy.orm import Session, sessionmaker

from cxmaturity import locale
from cxmaturity.domain.statuses import Delivery, EmailKind
from cxmaturity.jobs.queue import JobQueue
from cxmaturity.services.links import link_url, same_link
from cxmaturity.services.mailer import Mailer, MailNotSent, OutgoingMail
from cxmaturity.store.database import run_in_transaction, run_reading
from cxmaturity.store.models import EmailLogEntry, Respondent
from cxmaturity.store.queries import invitations as queries

if TYPE_CHECKING:
    from cxmaturity.services.container import Services

# The interface's own catalogues (make extract-messages finds the texts here).
TRANSLATIONS_DIR = Path(__file__).resolve().parent.parent / "translations"


@dataclass(frozen=True)
class Postage:
    """What sending invitations needs, from the app's or the command's Services and settings."""

    sessions: sessionmaker[Session]
    mailer: Mailer
    base_url: str | None
    link_secret: str
    """The key links are made with (the app's SECRET_KEY, see services/links.py)."""
    now: Callable[[], datetime.datetime]
    imprint_url: str | None = None
    privacy_url: str | None = None
    jobs: JobQueue | None = None
    """The job queue: with Redis, mails are sent by a worker (see `send_all`)."""

    @classmethod
    def of(cls, services: Services, config: Mapping[str, Any]) -> Postage:
        """The postage of an app: its Services and its configuration (SECRET_KEY, the
        Impressum and privacy links), for the web's and the API's views alike."""
        return cls(
            sessions=services.sessions,
            mailer=services.mailer,
            base_url=services.base_url,
            link_secret=config["SECRET_KEY"],
            now=services.now,
            imprint_url=config.get("IMPRINT_URL"),
            privacy_url=config.get("PRIVACY_URL"),
            jobs=services.jobs,
        )


@dataclass(frozen=True)
class MailJob:
    respondent_id: int
    workspace_id: int
    kind: EmailKind
    to: str
    language: str
    sender_name: str
    respondent_name: str | None
    organization: str
    period: str
    expires_at: datetime.datetime | None
    token: str
    # For a reminder: the count and time before this one, put back if it cannot be sent.
    previous: tuple[int, datetime.datetime | None] | None = None


@dataclass
class SendSummary:
    sent: int = 0
    failed: int = 0
    bounced: int = 0
    queued: int = 0
    """Handed to the job queue (with CXM_REDIS_URL): a worker sends them (mail_jobs.py)."""

    def add(self, other: SendSummary) -> None:
        self.sent += other.sent
        self.failed += other.failed
        self.bounced += other.bounced
        self.queued += other.queued


@cache
def _catalogue(language: str) -> NullTranslations:
    return Translations.load(str(TRANSLATIONS_DIR), [language])


def job_for(
    respondent: Respondent,
    workspace_id: int,
    sender: str,
    organization: str,
    period: str,
    kind: EmailKind,
    token: str,
) -> MailJob:
    assert respondent.email is not None
    return MailJob(
        respondent_id=respondent.id,
        workspace_id=workspace_id,
        kind=kind,
        to=respondent.email,
        language=respondent.language,
        sender_name=sender,
        respondent_name=respondent.name,
        organization=organization,
        period=period,
        expires_at=respondent.expires_at,
        token=token,
        previous=(respondent.reminder_count, respondent.last_reminded_at)
        if kind == EmailKind.REMINDER
        else None,
    )


def compose(job: MailJob, postage: Postage) -> OutgoingMail:
    """The mail of `job`, every word in the respondent's language."""
    translations = _catalogue(job.language)
    _ = translations.gettext
    values = {"organization": job.organization, "period": job.period, "sender": job.sender_name}
    if job.kind == EmailKind.REMINDER:
        subject = _("Reminder: the CX maturity assessment of %(organization)s") % values
        opening = (
            _(
                "a short reminder: your answers to the CX maturity assessment of %(organization)s "
                "(%(period)s) are still missing. Your link keeps what you have saved so far."
            )
            % values
        )
    else:
        subject = _("Invitation: the CX maturity assessment of %(organization)s") % values
        opening = (
            _(
                "%(sender)s invites you to take part in the CX maturity assessment of "
                "%(organization)s (%(period)s). Its first page says how long it takes; your "
                "answers are saved as you go, and you can continue later with the same link."
            )
            % values
        )
    greeting = (
        _("Hello %(name)s,") % {"name": job.respondent_name} if job.respondent_name else _("Hello,")
    )
    link = link_url(postage.base_url, job.token)
    opt_out = link_url(postage.base_url, job.token, "opt-out")
    lines = [greeting, "", opening, "", _("Your private link:"), link, ""]
    if job.expires_at is not None:
        day = locale.format_date(job.expires_at.date(), job.language)
        lines += [_("The link works until %(date)s.") % {"date": day}, ""]
    lines += [
        _("The link is personal: please do not pass it on."),
        "",
        "-- ",
        _("You receive this e-mail because %(sender)s invited you.") % values,
        _("No more e-mails about this assessment: %(url)s") % {"url": opt_out},
    ]
    if postage.imprint_url:
        lines.append(_("Imprint: %(url)s") % {"url": postage.imprint_url})
    if postage.privacy_url:
        lines.append(_("Privacy notice: %(url)s") % {"url": postage.privacy_url})
    return OutgoingMail(
        to=job.to,
        subject=subject,
        text="\n".join(lines) + "\n",
        sender_name=job.sender_name,
        language=job.language,
        list_unsubscribe=opt_out,
    )


def send_all(postage: Postage, jobs: Iterable[MailJob]) -> SendSummary:
    """Send each mail, then record how it went (one short transaction per mail).

    With a job queue on Redis (`postage.jobs`), each mail becomes a job instead, sent by a
    worker with retries (`send_mail_job`); the jobs carry ids only, never the link.
    """
    summary = SendSummary()
    queue = postage.jobs
    for job in jobs:
        if queue is not None and queue.configured:
            queue.send("send_mail", mail_job_arguments(job))
            summary.queued += 1
            continue
        delivery = send_one(postage, job)
        if delivery == Delivery.SENT:
            summary.sent += 1
        elif delivery == Delivery.BOUNCED:
            summary.bounced += 1
        else:
            summary.failed += 1
    return summary


class MailDeferred(Exception):
    """The server did not take the mail this time; the job queue tries again (not logged)."""


def send_one(postage: Postage, job: MailJob, *, last_try: bool = True) -> Delivery:
    """Send the mail and log how it went, once. Before the `last_try` a refusal of the
    moment raises MailDeferred and logs nothing, so a retried mail is logged once."""
    error: str | None = None
    delivery = Delivery.SENT
    try:
        postage.mailer.send(compose(job, postage))
    except MailNotSent as not_sent:
        if not not_sent.permanent and not last_try:
            raise MailDeferred(str(not_sent)) from None
        error = str(not_sent)[:500]
        delivery = Delivery.BOUNCED if not_sent.permanent else Delivery.FAILED
    _record(postage, job, delivery, error)
    return delivery


def _record(postage: Postage, job: MailJob, delivery: Delivery, error: str | None) -> None:
    entry = EmailLogEntry(
        kind=job.kind.value,
        language=job.language,
        workspace_id=job.workspace_id,
        respondent_id=job.respondent_id,
        sent_at=postage.now(),
        error=error,
    )

    def write(session: Session) -> None:
        if job.kind == EmailKind.INVITATION:
            queries.record_delivery(session, job.respondent_id, delivery.value, entry)
            return
        # A reminder that bounced marks the address; one that failed is given back.
        queries.record_delivery(
            session,
            job.respondent_id,
            delivery.value if delivery == Delivery.BOUNCED else None,
            entry,
        )
        if delivery == Delivery.FAILED and job.previous is not None:
            respondent = session.get(Respondent, job.respondent_id)
            if respondent is not None:
                respondent.reminder_count, respondent.last_reminded_at = job.previous

    run_in_transaction(postage.sessions, write)


def mail_job_arguments(job: MailJob) -> tuple[str, int, int | None, str | None]:
    """The job queue's plain arguments for the mail: kind, respondent id and, for a
    reminder, the count and time before it (the link is made again by the worker)."""
    count, at = job.previous if job.previous is not None else (None, None)
    return (job.kind.value, job.respondent_id, count, at.isoformat() if at else None)


def send_mail_job(
    postage: Postage,
    kind: str,
    respondent_id: int,
    previous_count: int | None,
    previous_at: str | None,
    *,
    last_try: bool,
) -> Delivery | None:
    """The job of one mail: made again from the database, sent, logged once; None when it
    is no longer to be sent (the respondent opted out, was revoked or deleted meanwhile, or
    the invitation went out already)."""
    previous = None
    if previous_count is not None:
        at = datetime.datetime.fromisoformat(previous_at) if previous_at else None
        previous = (previous_count, at)

    def read(session: Session) -> MailJob | None:
        respondent = session.get(Respondent, respondent_id)
        if respondent is None or respondent.email is None:
            return None
        if respondent.opted_out_at is not None or respondent.revoked_at is not None:
            return None
        if kind == EmailKind.INVITATION and respondent.delivery == Delivery.SENT:
            # Queued twice (`reminders send` took it up while a worker was away): sent once.
            return None
        token = same_link(postage.link_secret, respondent.token_nonce, respondent.token_hash)
        if token is None:
            return None
        assessment = respondent.assessment
        organization = assessment.organization
        job = job_for(
            respondent,
            organization.workspace_id,
            organization.workspace.name,
            organization.name,
            assessment.period,
            EmailKind(kind),
            token,
        )
        return dataclasses.replace(job, previous=previous)

    job = run_reading(postage.sessions, read)
    if job is None:
        return None
    return send_one(postage, job, last_try=last_try)


class MailNotSentInTheEnd(Exception):
    """A mail job's last try failed too (logged as failed): it goes to the dead-letter list."""
