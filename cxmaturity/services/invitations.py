"""Inviting respondents to an assessment, and their links: add, resend, rotate, revoke, extend.

Every function takes the actor first and checks them here: an assessment of
another workspace, or of a client the consultant is not listed for, is
NotVisible (404) exactly like one that does not exist; a viewer who tries to
change something is Forbidden (403). E-mails go out after the commit
(services/emails.py).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from cxmaturity.domain import invitations as rules
from cxmaturity.domain.access import Actor, NotVisible, Permission
from cxmaturity.domain.statuses import AssessmentStatus, AuditAction, Delivery, EmailKind
from cxmaturity.services import audit
from cxmaturity.services.access import workspace_for
from cxmaturity.services.emails import MailJob, Postage, SendSummary, job_for, send_all
from cxmaturity.services.links import link_url, new_nonce, same_link, token_for
from cxmaturity.store.database import run_in_transaction, run_reading
from cxmaturity.store.models import (
    Assessment,
    Organization,
    Respondent,
    Workspace,
    hash_token,
)
from cxmaturity.store.queries import invitations as queries

# Mails sent within the request that created them; more wait for `reminders send`.
INLINE_SEND_LIMIT = 50


class InvitationRefused(Exception):
    """Nothing was changed; `reason` says why (a code the caller words)."""

    def __init__(self, reason: str, **details: object) -> None:
        super().__init__(reason)
        self.reason = reason
        self.details = details


class ListRefused(Exception):
    """A pasted list with problems: nothing of it was added."""

    def __init__(self, problems: list[rules.LineProblem]) -> None:
        super().__init__(f"{len(problems)} lines with problems")
        self.problems = problems


@dataclass(frozen=True)
class NewLink:
    respondent_id: int
    name: str | None
    email: str | None
    url: str


@dataclass
class Created:
    links: list[NewLink]
    mailed: SendSummary = field(default_factory=SendSummary)
    waiting: int = 0
    """Mails left for `reminders send` (more than INLINE_SEND_LIMIT at once, or a draft)."""
    invited_at: datetime.datetime | None = None
    """The time of the step that made these respondents (None: links rotated)."""


@dataclass(frozen=True)
class Step:
    """The respondents one step made: ids from `first` to `last` invited at `invited_at`."""

    first: int
    last: int
    invited_at: datetime.datetime | None


@dataclass(frozen=True)
class Scope:
    workspace: Workspace
    assessment: Assessment
    organization: Organization


def scope(
    session: Session, actor: Actor | None, slug: str, assessment_id: int, permission: Permission
) -> Scope:
    """The workspace's assessment if the actor may do `permission` on it."""
    workspace = workspace_for(session, actor, slug, permission=None)
    found = queries.assessment_of_workspace(session, workspace.id, assessment_id)
    if found is None or actor is None:
        raise NotVisible
    assessment, organization = found
    actor.require(Permission.VIEW_WORKSPACE, workspace.id, organization.id)
    actor.require(permission, workspace.id, organization.id)
    return Scope(workspace, assessment, organization)


def add_respondent(
    postage: Postage,
    actor: Actor | None,
    slug: str,
    assessment_id: int,
    entry: tuple[str, str | None, str, str],
) -> Created:
    """Add one respondent (name, e-mail or None, group, language); raises InvitationRefused
    with a rules.Problem as reason for a bad field."""
    checked, problem = rules.checked_respondent(*entry)
    if checked is None:
        raise InvitationRefused(problem or rules.Problem.NAME_INVALID)
    return _add(postage, actor, slug, assessment_id, lambda _existing: [checked])


def add_list(
    postage: Postage, actor: Actor | None, slug: str, assessment_id: int, text: str, language: str
) -> Created:
    """Add every respondent of a pasted list, or none: raises ListRefused naming each bad
    line (nothing is added then), rules.ListTooLong for more than 5,000 lines."""

    def parsed(existing: set[str]) -> list[rules.NewRespondent]:
        entries, problems = rules.parse_list(text, existing, language)
        if problems:
            raise ListRefused(problems)
        if not entries:
            raise InvitationRefused("empty_list")
        return entries

    return _add(postage, actor, slug, assessment_id, parsed)


def add_respondents(
    postage: Postage,
    actor: Actor | None,
    slug: str,
    assessment_id: int,
    entries: Sequence[tuple[str, str | None, str, str]],
) -> Created:
    """Add every respondent given (name, e-mail or None, group, language), or none: raises
    ListRefused naming each bad entry by its position from 1, also an address given twice
    or invited already. For callers that send structured data (the API), not a pasted list."""

    def checked(existing: set[str]) -> list[rules.NewRespondent]:
        accepted: list[rules.NewRespondent] = []
        problems: list[rules.LineProblem] = []
        seen: dict[str, int] = {}
        for number, entry in enumerate(entries, 1):
            respondent, problem = rules.checked_respondent(*entry)
            if respondent is None:
                problems.append(
                    rules.LineProblem(number, problem or rules.Problem.NAME_INVALID, "")
                )
                continue
            address = (respondent.email or "").lower()
            if address and address in seen:
                problems.append(
                    rules.LineProblem(number, rules.Problem.DUPLICATE_IN_LIST, "", seen[address])
                )
            elif address and address in existing:
                problems.append(rules.LineProblem(number, rules.Problem.ALREADY_INVITED, ""))
            if address:
                seen.setdefault(address, number)
            accepted.append(respondent)
        if problems:
            raise ListRefused(problems)
        if not accepted:
            raise InvitationRefused("empty_list")
        return accepted

    return _add(postage, actor, slug, assessment_id, checked)


def _add(
    postage: Postage,
    actor: Actor | None,
    slug: str,
    assessment_id: int,
    entries_of: Callable[[set[str]], list[rules.NewRespondent]],
) -> Created:
    now = postage.now()

    def create(session: Session) -> tuple[list[NewLink], list[MailJob]]:
        found = scope(session, actor, slug, assessment_id, Permission.MANAGE_ASSESSMENTS)
        if found.assessment.status == AssessmentStatus.CLOSED:
            raise InvitationRefused("closed")
        existing = queries.existing_emails(session, found.assessment.id)
        entries = entries_of(existing)
        for entry in entries:
            if entry.email and entry.email.lower() in existing:
                raise InvitationRefused(rules.Problem.ALREADY_INVITED, email=entry.email)
        return invite_in(session, postage, found, entries, now)

    try:
        links, jobs = run_in_transaction(postage.sessions, create)
    except IntegrityError:
        # Another consultant invited the same address meanwhile (the unique index).
        raise InvitationRefused(rules.Problem.ALREADY_INVITED) from None
    return after_commit(postage, links, jobs, now)


def after_commit(
    postage: Postage, links: list[NewLink], jobs: list[MailJob], now: datetime.datetime
) -> Created:
    """Once the respondents are committed: send the e-mails taken, count those left for
    `reminders send`."""
    waiting = sum(1 for link in links if link.email and postage.mailer.configured) - len(jobs)
    return Created(links, send_all(postage, jobs), waiting, invited_at=now)


def invite_in(
    session: Session,
    postage: Postage,
    found: Scope,
    entries: list[rules.NewRespondent],
    now: datetime.datetime,
) -> tuple[list[NewLink], list[MailJob]]:
    """Add the checked respondents inside the caller's transaction (also
    services/next_quarter.py): their new links, in the order of `entries`, and the
    invitation e-mails to send after the commit (only while the assessment is open)."""
    mailing = postage.mailer.configured
    made = []
    for entry in entries:
        nonce = new_nonce()
        token = token_for(postage.link_secret, nonce)
        respondent = Respondent(
            assessment_id=found.assessment.id,
            name=entry.name,
            email=entry.email,
            respondent_group=entry.group,
            language=entry.language,
            token_hash=hash_token(token),
            token_nonce=nonce,
            invited_at=now,
            expires_at=rules.expiry(now, found.assessment.due_date),
            delivery=Delivery.PENDING.value if mailing and entry.email else None,
        )
        session.add(respondent)
        made.append((respondent, token))
    session.flush()
    links = [NewLink(r.id, r.name, r.email, link_url(postage.base_url, token)) for r, token in made]
    jobs: list[MailJob] = []
    if found.assessment.status == AssessmentStatus.OPEN:
        for respondent, token in made:
            if respondent.delivery is not None and len(jobs) < INLINE_SEND_LIMIT:
                # Taken by this request: `reminders send` leaves it alone for a while.
                respondent.delivery_tried_at = now
                respondent.delivery_attempts = 1
                jobs.append(_job(found, respondent, EmailKind.INVITATION, token))
    return links, jobs


def _job(found: Scope, respondent: Respondent, kind: EmailKind, token: str) -> MailJob:
    return job_for(
        respondent,
        found.workspace.id,
        found.workspace.name,
        found.organization.name,
        found.assessment.period,
        kind,
        token,
    )


def fresh_links(
    postage: Postage, actor: Actor | None, slug: str, assessment_id: int, step: Step | None
) -> list[NewLink]:
    """The links one step just made (the caller kept which), for the "copy links" CSV.

    Only links that still work and can be made again are given."""

    def read(session: Session) -> list[NewLink]:
        found = scope(session, actor, slug, assessment_id, Permission.MANAGE_ASSESSMENTS)
        if step is None:
            return []
        now = postage.now()
        links = []
        made = queries.respondents_made(
            session, found.assessment.id, step.first, step.last, step.invited_at
        )
        for respondent in made:
            token = same_link(postage.link_secret, respondent.token_nonce, respondent.token_hash)
            works = rules.link_works(respondent.revoked_at, respondent.expires_at, now)
            if token is not None and works:
                url = link_url(postage.base_url, token)
                links.append(NewLink(respondent.id, respondent.name, respondent.email, url))
        return links

    return run_reading(postage.sessions, read)


def _respondent(session: Session, found: Scope, respondent_id: int) -> Respondent:
    respondent = queries.respondent_of_assessment(session, found.assessment.id, respondent_id)
    if respondent is None:
        raise NotVisible
    return respondent


def _audit(session: Session, actor: Actor, found: Scope, action: AuditAction, rid: int) -> None:
    audit.record(
        session,
        actor,
        action,
        "respondent",
        rid,
        f"assessment #{found.assessment.id}",
        workspace_id=found.workspace.id,
    )


def rotate(
    postage: Postage, actor: Actor | None, slug: str, assessment_id: int, respondent_id: int
) -> NewLink:
    """A new link for the respondent; the old one ends at once. Answers stay theirs."""

    def change(session: Session) -> NewLink:
        found = scope(session, actor, slug, assessment_id, Permission.MANAGE_ASSESSMENTS)
        respondent = _respondent(session, found, respondent_id)
        nonce = new_nonce()
        token = token_for(postage.link_secret, nonce)
        respondent.token_nonce, respondent.token_hash = nonce, hash_token(token)
        respondent.revoked_at = None
        assert actor is not None
        _audit(session, actor, found, AuditAction.LINK_ROTATED, respondent.id)
        return NewLink(
            respondent.id, respondent.name, respondent.email, link_url(postage.base_url, token)
        )

    return run_in_transaction(postage.sessions, change)


def revoke(
    postage: Postage, actor: Actor | None, slug: str, assessment_id: int, respondent_id: int
) -> None:
    """End the respondent's link now; what they saved stays. Revoking twice changes nothing."""

    def change(session: Session) -> None:
        found = scope(session, actor, slug, assessment_id, Permission.MANAGE_ASSESSMENTS)
        respondent = _respondent(session, found, respondent_id)
        if respondent.revoked_at is None:
            respondent.revoked_at = postage.now()
            assert actor is not None
            _audit(session, actor, found, AuditAction.LINK_REVOKED, respondent.id)

    run_in_transaction(postage.sessions, change)


def extend(
    postage: Postage,
    actor: Actor | None,
    slug: str,
    assessment_id: int,
    respondent_id: int,
    last_day: datetime.date,
) -> datetime.datetime:
    """Let the link work to the end of `last_day`; raises rules.ExtensionRefused beyond
    120 days after the invitation or in the past."""

    def change(session: Session) -> datetime.datetime:
        found = scope(session, actor, slug, assessment_id, Permission.MANAGE_ASSESSMENTS)
        respondent = _respondent(session, found, respondent_id)
        ends = rules.extended_expiry(respondent.invited_at, last_day, postage.now())
        respondent.expires_at = ends
        return ends

    return run_in_transaction(postage.sessions, change)


def resend(
    postage: Postage, actor: Actor | None, slug: str, assessment_id: int, respondent_id: int
) -> SendSummary:
    """Send the invitation again, with the same link. Raises InvitationRefused when there is
    no mail server, no address, the link has ended or cannot be made again (rotate it)."""

    def claim(session: Session) -> MailJob:
        found = scope(session, actor, slug, assessment_id, Permission.MANAGE_ASSESSMENTS)
        if not postage.mailer.configured:
            raise InvitationRefused("no_mail_server")
        respondent = _respondent(session, found, respondent_id)
        if not respondent.email:
            raise InvitationRefused("no_address")
        if respondent.opted_out_at is not None:
            raise InvitationRefused("opted_out")
        if not rules.link_works(respondent.revoked_at, respondent.expires_at, postage.now()):
            raise InvitationRefused("link_ended")
        token = same_link(postage.link_secret, respondent.token_nonce, respondent.token_hash)
        if token is None:
            raise InvitationRefused("not_resendable")
        respondent.delivery = Delivery.PENDING.value
        respondent.delivery_tried_at = postage.now()
        respondent.delivery_attempts += 1
        return _job(found, respondent, EmailKind.INVITATION, token)

    job = run_in_transaction(postage.sessions, claim)
    return send_all(postage, [job])
