"""Next quarter in one step (DESIGN §8): the next period's draft, last quarter's people
invited again with new links, and their previous answers offered pre-filled.

A pre-filled answer counts only once its respondent confirms or changes it
(services/participants.counted_answers); `offered` stays set so that the
report can say "38 of 40 answers re-confirmed". Anonymous assessments detach
the answers from the person at submission, so nothing can be pre-filled there.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from cxmaturity.domain import invitations as rules
from cxmaturity.domain.access import Actor
from cxmaturity.domain.comparison import match_questionnaires
from cxmaturity.domain.loader import Catalogue, QuestionnaireMissing
from cxmaturity.domain.periods import Period
from cxmaturity.domain.questionnaire import Questionnaire
from cxmaturity.domain.statuses import Anonymity, RespondentStatus
from cxmaturity.services.emails import Postage
from cxmaturity.services.errors import InvalidInput
from cxmaturity.services.invitations import Created, Scope, after_commit, invite_in
from cxmaturity.services.workspace_assessments import (
    NewAssessment,
    add_draft,
    checked_period,
    managed_client,
)
from cxmaturity.store.database import run_in_transaction, run_reading
from cxmaturity.store.models import Answer, Assessment, Respondent
from cxmaturity.store.queries import next_quarter as queries


@dataclass(frozen=True)
class Offer:
    """What the "start next quarter" form shows before anything is made."""

    workspace_slug: str
    client_id: int
    client_name: str
    client_archived: bool
    previous_assessment_id: int | None = None
    """None: the client has no closed assessment to start from."""
    previous_period: str | None = None
    suggested_period: str | None = None
    invitable: int = 0
    """Last quarter's people who can be invited again."""
    left_out: int = 0
    """Revoked, opted out, or no longer known (an anonymous assessment's submitted people)."""
    anonymous: bool = False
    version_then: str | None = None
    version_now: str | None = None


@dataclass(frozen=True)
class Started:
    assessment_id: int
    period: str
    created: Created
    """The new links, shown once (as the invitation flow shows them)."""
    prefilled_answers: int
    prefilled_respondents: int
    left_out: int


def next_quarter_offer(
    sessions: sessionmaker[Session],
    catalogue: Catalogue,
    actor: Actor | None,
    slug: str,
    client_id: int,
) -> Offer:
    """The client's latest closed period and who of it can be invited again; NotVisible
    (404) for a client of another workspace, Forbidden (403) for a viewer."""

    def read(session: Session) -> Offer:
        workspace, organization = managed_client(session, actor, slug, client_id)
        previous = queries.latest_closed(session, organization.id)
        archived = organization.archived_at is not None
        if previous is None:
            return Offer(workspace.slug, organization.id, organization.name, archived)
        people = queries.respondents_with_answers(session, previous.id)
        invitable = _invitable(people, previous.anonymity)
        taken = queries.periods_taken(session, organization.id, previous.questionnaire_id)
        return Offer(
            workspace_slug=workspace.slug,
            client_id=organization.id,
            client_name=organization.name,
            client_archived=archived,
            previous_assessment_id=previous.id,
            previous_period=previous.period,
            suggested_period=_first_free_after(previous.period, taken),
            invitable=len(invitable),
            left_out=len(people) - len(invitable),
            anonymous=previous.anonymity == Anonymity.ANONYMOUS,
            version_then=previous.questionnaire_version,
            version_now=_newest_version(catalogue, previous.questionnaire_id),
        )

    return run_reading(sessions, read)


def start_next_quarter(
    postage: Postage,
    catalogue: Catalogue,
    actor: Actor | None,
    slug: str,
    client_id: int,
    period: str,
    *,
    reinvite: bool,
    prefill: bool,
    due_date: datetime.date | None,
) -> Started:
    """The draft assessment of `period`, in one transaction with, where asked, last
    quarter's respondents invited again (new links; not those revoked or opted out) and
    their own submitted answers offered pre-filled, for questions that are unchanged.

    Raises InvalidInput for a period that is not a quarter, not after the latest closed
    one, or already assessed; a due date in the past; a client without a closed
    assessment or archived; pre-filling without inviting again.
    """
    period = checked_period(period)
    now = postage.now()
    if due_date is not None and due_date < now.date():
        raise InvalidInput("due_date", "is in the past")
    if prefill and not reinvite:
        raise InvalidInput("prefill", "answers can be offered only to people invited again")

    def start(session: Session) -> tuple[Started, list]:
        workspace, organization = managed_client(session, actor, slug, client_id)
        previous = queries.latest_closed(session, organization.id)
        if previous is None:
            raise InvalidInput("client", "has no closed assessment to start from")
        if Period.parse(period) <= Period.parse(previous.period):
            raise InvalidInput("period", f"must come after {previous.period}")
        questionnaire = catalogue.get(previous.questionnaire_id)
        new = NewAssessment(organization.id, period, due_date)
        assessment = add_draft(session, actor, slug, new, questionnaire, period)
        # The people of last quarter were promised this mode; it stays changeable until
        # the first submission, as for any assessment.
        assessment.anonymity = previous.anonymity
        people = queries.respondents_with_answers(session, previous.id) if reinvite else []
        invited = _invitable(people, previous.anonymity)
        entries = [_entry(person) for person in invited]
        found = Scope(workspace, assessment, organization)
        links, jobs = invite_in(session, postage, found, entries, now)
        answers = respondents = 0
        if prefill and previous.anonymity != Anonymity.ANONYMOUS:
            unchanged = _unchanged_questions(catalogue, previous, questionnaire)
            for person, link in zip(invited, links, strict=True):
                offered = _offered_answers(person, unchanged, link.respondent_id)
                session.add_all(offered)
                answers += len(offered)
                respondents += 1 if offered else 0
        started = Started(
            assessment.id,
            period,
            Created(links),
            answers,
            respondents,
            len(people) - len(invited),
        )
        return started, jobs

    try:
        started, jobs = run_in_transaction(postage.sessions, start)
    except IntegrityError:  # the same period created at the same moment elsewhere
        raise InvalidInput("period", f"this client already has an assessment of {period}") from None
    created = after_commit(postage, started.created.links, jobs, now)
    return Started(
        started.assessment_id,
        started.period,
        created,
        started.prefilled_answers,
        started.prefilled_respondents,
        started.left_out,
    )


def _invitable(people: list[Respondent], anonymity: str) -> list[Respondent]:
    """Who can be invited again: not revoked, not opted out, known by name, each address
    once. Nobody after an anonymous quarter: only those who did not submit are still
    known by name there, and inviting just them would show who did not answer (§8)."""
    if anonymity == Anonymity.ANONYMOUS:
        return []
    kept, addresses = [], set()
    for person in people:
        if person.revoked_at is not None or person.opted_out_at is not None:
            continue
        if not (person.name or "").strip():
            continue
        address = (person.email or "").lower()
        if address and address in addresses:
            continue
        checked, _problem = _checked(person)
        if checked is None:
            continue
        addresses.add(address)
        kept.append(person)
    return kept


def _checked(person: Respondent) -> tuple[rules.NewRespondent | None, rules.Problem | None]:
    # The invitation rules of today, also for people invited under older ones.
    return rules.checked_respondent(
        person.name or "",
        person.email,
        person.respondent_group or "",
        person.language,
    )


def _entry(person: Respondent) -> rules.NewRespondent:
    checked, _problem = _checked(person)
    assert checked is not None  # _invitable kept only those the rules accept
    return checked


def _first_free_after(period: str, taken: set[str]) -> str:
    candidate = Period.parse(period).next()
    while str(candidate) in taken:
        candidate = candidate.next()
    return str(candidate)


def _newest_version(catalogue: Catalogue, questionnaire_id: str) -> str | None:
    try:
        return catalogue.get(questionnaire_id).version
    except QuestionnaireMissing:
        return None


def _unchanged_questions(
    catalogue: Catalogue, previous: Assessment, now: Questionnaire
) -> dict[str, bool]:
    """Question id → whether it allows N/A, for the questions asked alike in both periods
    (same id and fingerprint, DESIGN §4.9); none where last quarter's file is gone."""
    try:
        then = catalogue.get(previous.questionnaire_id, previous.questionnaire_version)
    except QuestionnaireMissing:
        return {}
    return {
        question_id: now.questions[question_id].allow_na
        for match in match_questionnaires(then, now)
        for question_id in match.common_questions
    }


def _offered_answers(person: Respondent, unchanged: dict[str, bool], new_id: int) -> list[Answer]:
    """The person's own submitted answers (level or N/A, never a comment) as pre-filled
    answers of their new link. Answers never submitted, or pre-filled and never
    confirmed, did not count last quarter and are not offered again."""
    if person.status != RespondentStatus.SUBMITTED:
        return []
    offered = []
    for answer in person.answers:
        if answer.prefilled or answer.question_id not in unchanged:
            continue
        if answer.level is None and not (answer.not_applicable and unchanged[answer.question_id]):
            continue
        offered.append(
            Answer(
                respondent_id=new_id,
                question_id=answer.question_id,
                level=answer.level,
                not_applicable=answer.level is None,
                comment=None,
                prefilled=True,
                offered=True,
            )
        )
    return offered
