"""Reminders (DESIGN §8) and the retry of invitations that did not go out.

Safe to run every hour and twice in a row: in one transaction the rows are
claimed (a reminder counted and dated, an invitation's try dated), then the
mails go out after the commit. A second run finds the reminders too recent and
the invitations tried too lately, so nothing is sent twice. A reminder that
fails is given back (count and date as before) and tried at the next run.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from cxmaturity.domain import invitations as rules
from cxmaturity.domain.access import Actor, Permission
from cxmaturity.domain.statuses import AssessmentStatus, EmailKind
from cxmaturity.services.assessments import TOKEN_MAX_LENGTH, LinkEnded, UnknownLink
from cxmaturity.services.emails import MailJob, Postage, SendSummary, job_for, send_all
from cxmaturity.services.invitations import InvitationRefused, scope
from cxmaturity.services.links import same_link
from cxmaturity.store.database import run_in_transaction
from cxmaturity.store.models import hash_token
from cxmaturity.store.queries import invitations as queries

# A failed invitation is tried again at the next hourly run, for about a day.
RETRY_AFTER = datetime.timedelta(minutes=30)
MAX_DELIVERY_ATTEMPTS = 24


@dataclass
class ReminderSummary:
    reminded: SendSummary = field(default_factory=SendSummary)
    invitations: SendSummary = field(default_factory=SendSummary)
    skipped: Counter[str] = field(default_factory=Counter)
    """Why the others got no reminder: rules.Skip values (and "not_resendable")."""
    due_reminders: int = 0
    due_invitations: int = 0
    """How many would go out (also reported without dry_run: those tried)."""

    def as_json(self, dry_run: bool) -> dict:
        return {
            "dry_run": dry_run,
            "reminders": {"due": self.due_reminders, **vars(self.reminded)},
            "invitations": {"due": self.due_invitations, **vars(self.invitations)},
            "skipped": dict(sorted(self.skipped.items())),
        }


def _facts(row: queries.MailRow) -> rules.ReminderFacts:
    respondent = row[0]
    return _reminder_facts(respondent, submitted=respondent.submitted_at is not None)


def _reminder_facts(source: Any, *, submitted: bool) -> rules.ReminderFacts:
    """The facts the reminder rules judge, from a respondent row or a participation line:
    both name their fields as the rules do."""
    return rules.ReminderFacts(
        submitted=submitted,
        **{name: getattr(source, name) for name in _REMINDER_FIELDS},
    )


_REMINDER_FIELDS = (
    "email",
    "delivery",
    "invited_at",
    "expires_at",
    "revoked_at",
    "opted_out_at",
    "reminder_count",
    "last_reminded_at",
)


def _job(row: queries.MailRow, kind: EmailKind, token: str) -> MailJob:
    respondent, assessment, organization, workspace = row
    return job_for(
        respondent, workspace.id, workspace.name, organization.name, assessment.period, kind, token
    )


def _claim_reminders(
    session: Session, postage: Postage, summary: ReminderSummary, rows: list, dry_run: bool
) -> list[MailJob]:
    now = postage.now()
    jobs = []
    for row in rows:
        respondent = row[0]
        skip = rules.reminder_skip(_facts(row), now)
        token = same_link(postage.link_secret, respondent.token_nonce, respondent.token_hash)
        if skip is None and token is None:
            summary.skipped["not_resendable"] += 1
            continue
        if skip is not None or token is None:
            summary.skipped[str(skip)] += 1
            continue
        job = _job(row, EmailKind.REMINDER, token)  # keeps the count before this one
        if not dry_run:
            respondent.reminder_count += 1
            respondent.last_reminded_at = now
        jobs.append(job)
    return jobs


def remind_pending(
    postage: Postage, actor: Actor | None, slug: str, assessment_id: int
) -> ReminderSummary:
    """Remind the assessment's pending respondents now, by the same rules as the command."""
    summary = ReminderSummary()

    def claim(session: Session) -> list[MailJob]:
        found = scope(session, actor, slug, assessment_id, Permission.MANAGE_ASSESSMENTS)
        if not postage.mailer.configured:
            raise InvitationRefused("no_mail_server")
        if found.assessment.status != AssessmentStatus.OPEN:
            raise InvitationRefused("not_open")
        everyone = queries.participation(session, found.assessment.id)
        rows = queries.reminder_candidates(session, rules.MAX_REMINDERS, found.assessment.id)
        jobs = _claim_reminders(session, postage, summary, rows, dry_run=False)
        # Those the query left out already (submitted, revoked, bounced …), by reason too.
        picked = {row[0].id for row in rows}
        for line in everyone:
            if line.id not in picked:
                summary.skipped[str(_coarse_skip(line, postage.now()))] += 1
        return jobs

    jobs = run_in_transaction(postage.sessions, claim)
    summary.reminded = send_all(postage, jobs)
    return summary


def _coarse_skip(line: queries.ParticipationRow, now: datetime.datetime) -> rules.Skip:
    facts = _reminder_facts(line, submitted=line.submitted)
    # A row of an open assessment that the query left out always has a reason.
    return rules.reminder_skip(facts, now) or rules.Skip.NOT_DELIVERED


def send_due(postage: Postage, dry_run: bool = False) -> ReminderSummary:
    """Every open assessment: reminders due by the rules, and invitations to try again."""
    summary = ReminderSummary()
    if not postage.mailer.configured:
        return summary

    def claim(session: Session) -> tuple[list[MailJob], list[MailJob]]:
        now = postage.now()
        rows = queries.reminder_candidates(session, rules.MAX_REMINDERS)
        reminders = _claim_reminders(session, postage, summary, rows, dry_run)
        retries = []
        for row in queries.undelivered_invitations(
            session, now - RETRY_AFTER, MAX_DELIVERY_ATTEMPTS
        ):
            respondent = row[0]
            token = same_link(postage.link_secret, respondent.token_nonce, respondent.token_hash)
            if token is None or not rules.link_works(None, respondent.expires_at, now):
                continue
            if not dry_run:
                respondent.delivery_tried_at = now
                respondent.delivery_attempts += 1
            retries.append(_job(row, EmailKind.INVITATION, token))
        return reminders, retries

    reminders, retries = run_in_transaction(postage.sessions, claim)
    summary.due_reminders, summary.due_invitations = len(reminders), len(retries)
    if dry_run:
        return summary
    summary.invitations = send_all(postage, retries)
    summary.reminded = send_all(postage, reminders)
    return summary


def opt_out(postage: Postage, token: str) -> None:
    """No more e-mails to the respondent of this link (their link keeps working).

    Raises UnknownLink (also for a revoked or expired link, like its pages)."""
    now = postage.now()

    def mark(session: Session) -> None:
        respondent = queries.respondent_by_token(session, hash_token(token[:TOKEN_MAX_LENGTH]))
        if respondent is None:
            raise UnknownLink
        if not rules.link_works(respondent.revoked_at, respondent.expires_at, now):
            raise LinkEnded
        if respondent.opted_out_at is None:
            respondent.opted_out_at = now

    run_in_transaction(postage.sessions, mark)
