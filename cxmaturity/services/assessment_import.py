"""`cxmaturity assessments import` (DESIGN §6): results gathered elsewhere, as an assessment.

The answers file becomes the client's assessment of the file's period, every
respondent submitted, all in one transaction: a refused file writes nothing.
"""

from __future__ import annotations

import datetime
import secrets
from dataclasses import dataclass

from sqlalchemy.orm import Session, sessionmaker

from cxmaturity.domain.headless import AnswersError, parse_answers_document
from cxmaturity.domain.loader import Catalogue
from cxmaturity.domain.statuses import AssessmentStatus, RespondentStatus
from cxmaturity.domain.text import TextRefused, clean_optional_text, clean_text
from cxmaturity.services import snapshots
from cxmaturity.services.errors import InvalidInput
from cxmaturity.services.workspace_assessments import close_locked
from cxmaturity.store.database import run_in_transaction
from cxmaturity.store.models import Answer, Assessment, Respondent, hash_token, utc_now
from cxmaturity.store.queries import accounts as account_queries
from cxmaturity.store.queries import clients as client_queries

NAME_MAX_LENGTH = 120
COMMENT_MAX_LENGTH = 2000


@dataclass(frozen=True)
class Imported:
    id: int
    client_id: int
    period: str
    status: str
    respondents: int


def import_answers(
    sessions: sessionmaker[Session],
    catalogue: Catalogue,
    slug: str,
    client_id: int,
    data: object,
    *,
    close: bool = False,
) -> Imported:
    """Store the answers document `data` (parsed JSON) as the client's assessment of its period.

    An assessment of that period without respondents (a draft made on the web) is
    filled; one with respondents is refused. Raises InvalidInput naming what is wrong.
    """
    try:
        document = parse_answers_document(data, catalogue)
    except AnswersError as error:
        raise InvalidInput("answers", str(error)) from None
    if not document.period:
        raise InvalidInput("period", "the answers file must name its 'period' (e.g. 2026-Q4)")
    assert isinstance(data, dict)  # parse_answers_document refuses anything else
    people = _respondents(data["respondents"])
    questionnaire = document.questionnaire
    period = document.period.strip().replace("q", "Q")

    def store(session: Session) -> Imported:
        workspace = account_queries.workspace_by_slug(session, slug)
        if workspace is None:
            raise InvalidInput("workspace", f"there is no workspace {slug!r}")
        organization = client_queries.client_in(session, workspace.id, client_id)
        if organization is None:
            raise InvalidInput("client", f"workspace {slug!r} has no client {client_id}")
        assessment = client_queries.assessment_of_period(
            session, organization.id, questionnaire.id, period
        )
        if assessment is None:
            assessment = Assessment(
                organization_id=organization.id,
                questionnaire_id=questionnaire.id,
                questionnaire_version=questionnaire.version,
                period=period,
            )
            session.add(assessment)
            session.flush()
        elif client_queries.respondent_count(session, assessment.id):
            raise InvalidInput(
                "period", f"the client's assessment of {period} already has respondents"
            )
        assessment = snapshots.lock_assessment(session, assessment.id)
        if assessment.status == AssessmentStatus.CLOSED:
            raise InvalidInput("period", f"the client's assessment of {period} is closed")
        assessment.questionnaire_version = questionnaire.version
        assessment.status = AssessmentStatus.OPEN.value
        assessment.opened_at = assessment.opened_at or utc_now()
        now = utc_now()
        for person in people:
            session.add(_respondent(assessment.id, person, now))
        session.flush()
        if close:
            close_locked(session, catalogue, assessment)
        else:
            snapshots.refresh_snapshot(session, catalogue, assessment)
        return Imported(assessment.id, organization.id, period, assessment.status, len(people))

    return run_in_transaction(sessions, store)


@dataclass(frozen=True)
class _Person:
    name: str | None
    email: str | None
    group: str | None
    answers: dict[str, int | None]
    comments: dict[str, str]


def _respondents(entries: list) -> list[_Person]:
    """The respondents as stored; the document has been checked by parse_answers_document."""
    people = []
    seen: set[str] = set()
    for index, entry in enumerate(entries):
        where = f"respondents[{index}]"
        email = _text(where, "email", entry.get("email"), NAME_MAX_LENGTH * 3)
        if email is not None:
            if email.casefold() in seen:
                raise InvalidInput("email", f"{where}: {email} appears twice")
            seen.add(email.casefold())
        comments = {
            question_id: _text(where, "comment", text, COMMENT_MAX_LENGTH, multiline=True) or ""
            for question_id, text in (entry.get("comments") or {}).items()
        }
        people.append(
            _Person(
                name=_text(where, "name", entry.get("name"), NAME_MAX_LENGTH),
                email=email,
                group=entry.get("group"),
                answers=dict(entry["answers"]),
                comments={q: text for q, text in comments.items() if text},
            )
        )
    return people


def _respondent(assessment_id: int, person: _Person, now: datetime.datetime) -> Respondent:
    respondent = Respondent(
        assessment_id=assessment_id,
        name=person.name,
        email=person.email,
        respondent_group=person.group,
        # A link nobody is given: imported answers are final.
        token_hash=hash_token(secrets.token_urlsafe(32)),
        status=RespondentStatus.SUBMITTED.value,
        submitted_at=now,
        invited_at=now,
    )
    for question_id in sorted({*person.answers, *person.comments}):
        respondent.answers.append(
            Answer(
                question_id=question_id,
                level=person.answers.get(question_id),
                comment=person.comments.get(question_id),
            )
        )
    return respondent


def _text(where: str, field: str, value: object, max_length: int, **rules: bool) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise InvalidInput(field, f"{where}: must be text")
    try:
        if rules.get("multiline"):
            return clean_text(value, max_length=max_length, multiline=True) or None
        return clean_optional_text(value, max_length=max_length)
    except TextRefused as refused:
        raise InvalidInput(field, f"{where}.{field} {refused}") from None
