"""Taking an assessment: start it, open it by private link, save answers, submit."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy.orm import Session, sessionmaker

from cxmaturity.domain.loader import Catalogue
from cxmaturity.domain.questionnaire import Dimension, Question, Questionnaire
from cxmaturity.services.answering import AnswerInput, InvalidAnswer
from cxmaturity.store import queries
from cxmaturity.store.database import reading, transaction
from cxmaturity.store.models import Assessment, Organization, Respondent, hash_token, utc_now

COMMENT_MAX_LENGTH = 2000
# 32 random bytes: the link is the only key to a respondent's answers.
TOKEN_BYTES = 32
TOKEN_MAX_LENGTH = 64


class UnknownLink(LookupError):
    """No respondent has this private link."""


class AlreadySubmitted(Exception):
    """The respondent has submitted; the answers can no longer change."""


@dataclass(frozen=True)
class StartDetails:
    organization: str
    period: str
    language: str
    industry: str | None = None
    size: str | None = None
    respondent_name: str | None = None


@dataclass(frozen=True)
class RespondentState:
    """What a respondent's pages show: their assessment and their own answers."""

    respondent_id: int
    assessment_id: int
    organization: str
    period: str
    language: str
    submitted: bool
    questionnaire: Questionnaire
    answers: Mapping[str, queries.AnswerRow]
    last_page: int | None = None

    @property
    def answered_count(self) -> int:
        return sum(1 for answer in self.answers.values() if answer.answered)

    def answered(self, question_id: str) -> bool:
        answer = self.answers.get(question_id)
        return answer is not None and answer.answered

    def unanswered(self) -> list[tuple[int, Dimension, list[Question]]]:
        """Per dimension with open questions: its page number, itself, those questions."""
        pages = []
        for number, dimension in enumerate(self.questionnaire.dimensions, start=1):
            open_questions = [q for q in dimension.questions if not self.answered(q.id)]
            if open_questions:
                pages.append((number, dimension, open_questions))
        return pages


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def start_self_assessment(
    sessions: sessionmaker[Session], questionnaire: Questionnaire, details: StartDetails
) -> str:
    """Create the organization, its assessment and the first respondent; return the link token."""
    token = new_token()
    with transaction(sessions) as session:
        organization = Organization(
            name=details.organization, industry=details.industry or None, size=details.size or None
        )
        assessment = Assessment(
            organization=organization,
            questionnaire_id=questionnaire.id,
            questionnaire_version=questionnaire.version,
            period=details.period,
        )
        session.add(
            Respondent(
                assessment=assessment,
                name=details.respondent_name or None,
                language=details.language,
                token_hash=hash_token(token),
            )
        )
    return token


def invite_respondent(
    sessions: sessionmaker[Session], assessment_id: int, name: str | None, language: str
) -> str:
    """Add a respondent to an assessment; return their private link token."""
    token = new_token()
    with transaction(sessions) as session:
        session.add(
            Respondent(
                assessment_id=assessment_id,
                name=name or None,
                language=language,
                token_hash=hash_token(token),
            )
        )
    return token


def open_respondent(
    sessions: sessionmaker[Session], catalogue: Catalogue, token: str
) -> RespondentState:
    with reading(sessions) as session:
        respondent = _respondent(session, token)
        return _state(session, catalogue, respondent)


def save_answers(
    sessions: sessionmaker[Session],
    catalogue: Catalogue,
    token: str,
    changes: Mapping[str, AnswerInput],
) -> RespondentState:
    """Store the changed answers of one respondent, all or none.

    Raises InvalidAnswer for a question or value the questionnaire does not
    have, AlreadySubmitted after submission, UnknownLink for a wrong token.
    """
    with transaction(sessions) as session:
        respondent = _respondent(session, token, for_update=True)
        questionnaire = _questionnaire(catalogue, respondent.assessment)
        if respondent.status == "submitted":
            raise AlreadySubmitted
        questions = questionnaire.questions
        for question_id, change in changes.items():
            if question_id not in questions:
                raise InvalidAnswer(f"'{question_id}' is not a question of this assessment")
            change.check(questions[question_id], COMMENT_MAX_LENGTH)
        # The respondent row is locked above, so this read-modify-write of
        # "keep the choice, change the comment" cannot interleave with another save.
        before = queries.answers_of(session, respondent.id)
        rows = {
            question_id: change.applied_to(before.get(question_id, queries.AnswerRow()))
            for question_id, change in changes.items()
        }
        queries.upsert_answers(session, respondent.id, rows)
        return _state(session, catalogue, respondent)


def record_visit(sessions: sessionmaker[Session], token: str, page: int) -> None:
    """Remember `page` as the dimension page the respondent last opened (for the resume link).

    Nothing changes after submission. Raises UnknownLink for a wrong token.
    """
    with transaction(sessions) as session:
        respondent = _respondent(session, token, for_update=True)
        if respondent.status != "submitted":
            respondent.last_page = page


def submit(sessions: sessionmaker[Session], token: str) -> None:
    """Mark the respondent's answers as final. Submitting twice changes nothing."""
    with transaction(sessions) as session:
        respondent = _respondent(session, token, for_update=True)
        if respondent.status != "submitted":
            respondent.status = "submitted"
            respondent.submitted_at = utc_now()


def _respondent(session: Session, token: str, *, for_update: bool = False) -> Respondent:
    if not token or len(token) > TOKEN_MAX_LENGTH:
        raise UnknownLink
    # Locked when writing, so no answer slips in after submission.
    respondent = queries.respondent_by_token_hash(session, hash_token(token), for_update=for_update)
    if respondent is None:
        raise UnknownLink
    return respondent


def _questionnaire(catalogue: Catalogue, assessment: Assessment) -> Questionnaire:
    return catalogue.get(assessment.questionnaire_id, assessment.questionnaire_version)


def _state(session: Session, catalogue: Catalogue, respondent: Respondent) -> RespondentState:
    assessment = respondent.assessment
    return RespondentState(
        respondent_id=respondent.id,
        assessment_id=assessment.id,
        organization=assessment.organization.name,
        period=assessment.period,
        language=respondent.language,
        submitted=respondent.status == "submitted",
        questionnaire=_questionnaire(catalogue, assessment),
        answers=queries.answers_of(session, respondent.id),
        last_page=respondent.last_page,
    )
