"""Taking an assessment: start it, open it by private link, save answers, submit."""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.orm import Session, sessionmaker

from cxmaturity.domain.invitations import link_works
from cxmaturity.domain.loader import Catalogue
from cxmaturity.domain.periods import Period, PeriodRefused
from cxmaturity.domain.questionnaire import Dimension, Question, Questionnaire
from cxmaturity.domain.responses import AnswerInput, AnswerRow, InvalidAnswer
from cxmaturity.domain.statuses import (
    ORGANIZATION_SIZES,
    Anonymity,
    AssessmentStatus,
    Language,
    RespondentStatus,
    WorkspaceKind,
)
from cxmaturity.domain.text import TextRefused, clean_optional_text, clean_text
from cxmaturity.jobs.queue import enqueue
from cxmaturity.services import snapshots
from cxmaturity.services.answering import confirmed
from cxmaturity.services.errors import InvalidInput
from cxmaturity.store import queries
from cxmaturity.store.database import run_in_transaction, run_single_read
from cxmaturity.store.models import (
    Assessment,
    Organization,
    Respondent,
    Workspace,
    hash_token,
    utc_now,
)
from cxmaturity.store.queries import invitations as invitation_queries

COMMENT_MAX_LENGTH = 2000
ORGANIZATION_NAME_MAX_LENGTH = 200
RESPONDENT_NAME_MAX_LENGTH = 120
INDUSTRY_MAX_LENGTH = 100
# 32 random bytes: the link is the only key to a respondent's answers.
TOKEN_BYTES = 32
TOKEN_MAX_LENGTH = 64


class UnknownLink(LookupError):
    """No respondent has this private link."""


class LinkEnded(UnknownLink):
    """The link was revoked or has expired (DESIGN §8): shown exactly like an unknown one."""


class AlreadySubmitted(Exception):
    """The respondent has submitted; the answers can no longer change."""


class AssessmentClosed(Exception):
    """The assessment is closed: its links are read-only, the answers saved are kept."""


class AssessmentNotOpen(Exception):
    """The assessment is still a draft: its links cannot be used yet."""


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
    answers: Mapping[str, AnswerRow]
    last_page: int | None = None
    assessment_status: str = AssessmentStatus.OPEN.value
    last_opened_at: datetime.datetime | None = None
    # After a save from a page: the questions whose stored answer had been
    # changed elsewhere (another window) since the page was shown, so the page
    # is out of date there; `conflicts` are those where both changed the same
    # part and this save's change, the later one, replaced the other.
    changed_elsewhere: frozenset[str] = frozenset()
    conflicts: frozenset[str] = frozenset()
    # Offered from last quarter, not yet confirmed or changed: open until then (DESIGN §8).
    prefilled: frozenset[str] = frozenset()

    @property
    def answered_count(self) -> int:
        return sum(1 for question_id in self.answers if self.answered(question_id))

    def answered(self, question_id: str) -> bool:
        """Answered so that it counts: a pre-filled answer only once confirmed or changed."""
        answer = self.answers.get(question_id)
        return answer is not None and answer.answered and question_id not in self.prefilled

    def to_confirm(self, question_id: str) -> bool:
        """Last quarter's answer is shown, waiting to be confirmed or changed."""
        answer = self.answers.get(question_id)
        return answer is not None and answer.answered and question_id in self.prefilled

    def to_confirm_by_page(self) -> list[tuple[int, Dimension, list[Question]]]:
        """Per dimension with answers of last quarter still to confirm: page, it, those."""
        pages = []
        for number, dimension in enumerate(self.questionnaire.dimensions, start=1):
            waiting = [q for q in dimension.questions if self.to_confirm(q.id)]
            if waiting:
                pages.append((number, dimension, waiting))
        return pages

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
    """Create the organization, its assessment and the first respondent; return the link token.

    Raises InvalidInput for details the input rules refuse (e.g. a name of only spaces).
    """
    details = _checked_start(details)
    token = new_token()

    def create(session: Session) -> None:
        # A team workspace of its own, claimable by its starter later (DESIGN §2).
        workspace = Workspace(
            slug=f"self-{secrets.token_hex(6)}",
            name=details.organization,
            kind=WorkspaceKind.TEAM.value,
            claimable=True,
        )
        organization = Organization(
            workspace=workspace,
            name=details.organization,
            industry=details.industry or None,
            size=details.size or None,
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

    run_in_transaction(sessions, create)
    return token


def invite_respondent(
    sessions: sessionmaker[Session], assessment_id: int, name: str | None, language: str
) -> str:
    """Add a respondent to an assessment; return their private link token."""
    name = _checked_optional(
        "name", clean_optional_text, name, max_length=RESPONDENT_NAME_MAX_LENGTH
    )
    language = _one_of("language", language, tuple(Language))
    token = new_token()

    def add(session: Session) -> None:
        session.add(
            Respondent(
                assessment_id=assessment_id,
                name=name or None,
                language=language,
                token_hash=hash_token(token),
            )
        )

    run_in_transaction(sessions, add)
    return token


def open_respondent(
    sessions: sessionmaker[Session],
    catalogue: Catalogue,
    token: str,
    now: datetime.datetime | None = None,
) -> RespondentState:
    """The respondent of this link with their answers; raises UnknownLink for a wrong token,
    LinkEnded for a revoked or expired one."""

    def read(connection: Connection) -> RespondentState:
        record = queries.respondent_with_answers(connection, _token_hash(token))
        if record is None:
            raise UnknownLink
        if not link_works(record.revoked_at, record.expires_at, now or utc_now()):
            raise LinkEnded
        if record.assessment_status == AssessmentStatus.DRAFT:
            raise AssessmentNotOpen
        return _state(catalogue, record)

    # Every page behind a link starts here: one statement, without a session around it.
    return run_single_read(sessions, read)


# --- the link's own state (issue 9: revoked and expired links, last opened) --------------

OPENED_PRECISION = datetime.timedelta(minutes=1)


def note_opened(
    sessions: sessionmaker[Session], state: RespondentState, token: str, now: datetime.datetime
) -> None:
    """Set the respondent's last_opened_at; a write only when the last is a minute old."""
    last = state.last_opened_at
    if last is not None and now - last < OPENED_PRECISION:
        return
    run_in_transaction(
        sessions, lambda session: invitation_queries.touch_opened(session, _token_hash(token), now)
    )


def save_answers(
    sessions: sessionmaker[Session],
    catalogue: Catalogue,
    token: str,
    changes: Mapping[str, AnswerInput],
    confirm: Collection[str] = (),
) -> RespondentState:
    """Store the changed answers of one respondent, all or none.

    A change that carries the answer its page showed (`AnswerInput.shown`)
    changes only what the person changed on that page; the state returned
    names where another window had changed the answers meanwhile.

    Raises InvalidAnswer for a question or value the questionnaire does not
    have, AlreadySubmitted after submission, AssessmentClosed or
    AssessmentNotOpen unless the assessment is open, UnknownLink for a wrong token,
    StorageUnavailable when the database cannot store them just now.

    A pre-filled answer (last quarter's, DESIGN §8) counts from the save that
    changes its choice, or that names it in `confirm`; a save leaving it as
    shown leaves it pre-filled.
    """
    changes = {question_id: _checked_comment(change) for question_id, change in changes.items()}

    def save(session: Session) -> RespondentState:
        respondent = _respondent(session, token, for_update=True)
        questionnaire = _questionnaire(catalogue, respondent.assessment)
        if respondent.status == RespondentStatus.SUBMITTED:
            raise AlreadySubmitted
        _refuse_unless_open(respondent.assessment)
        questions = questionnaire.questions
        for question_id, change in changes.items():
            if question_id not in questions:
                raise InvalidAnswer(f"'{question_id}' is not a question of this assessment")
            change.check(questions[question_id], COMMENT_MAX_LENGTH)
        for question_id in confirm:
            if question_id not in questions:
                raise InvalidAnswer(f"'{question_id}' is not a question of this assessment")
        # The respondent row is locked above, so this read-merge-write cannot
        # interleave with another save of the same respondent.
        before = queries.answers_of(session, respondent.id)
        merges = {
            question_id: change.merged_into(before.get(question_id, AnswerRow()))
            for question_id, change in changes.items()
        }
        rows = {
            question_id: merge.row
            for question_id, merge in merges.items()
            if merge.row != before.get(question_id, AnswerRow())
        }
        queries.upsert_answers(session, respondent.id, rows)
        after = {question_id: merge.row for question_id, merge in merges.items()}
        queries.confirm_prefilled(session, respondent.id, confirmed(before, after, confirm))
        record = queries.respondent_with_answers(session.connection(), respondent.token_hash)
        assert record is not None  # its row is locked above
        return replace(
            _state(catalogue, record),
            changed_elsewhere=frozenset(
                q for q, merge in merges.items() if merge.changed_elsewhere
            ),
            conflicts=frozenset(q for q, merge in merges.items() if merge.conflict),
        )

    return run_in_transaction(sessions, save)


def record_visit(sessions: sessionmaker[Session], token: str, page: int) -> None:
    """Remember `page` as the dimension page the respondent last opened (for the resume link).

    Nothing changes after submission, nor unless the assessment is open.
    Raises UnknownLink for a wrong token.
    """

    def remember(session: Session) -> None:
        respondent = _respondent(session, token, for_update=True)
        open_ = respondent.assessment.status == AssessmentStatus.OPEN
        if respondent.status != RespondentStatus.SUBMITTED and open_:
            respondent.last_page = page

    run_in_transaction(sessions, remember)


def submit(
    sessions: sessionmaker[Session],
    token: str,
    catalogue: Catalogue | None = None,
    *,
    report_language: str | None = None,
) -> None:
    """Mark the respondent's answers as final. Submitting twice changes nothing.

    With the catalogue, the assessment's result snapshot is brought up to date
    in the same transaction. Raises AssessmentClosed or AssessmentNotOpen
    unless the assessment is open. With `report_language`, the respondent's report in
    that language is rendered in the background once the submit commits, so that their
    "Download PDF" finds it in the cache.
    """

    def mark_submitted(session: Session) -> None:
        respondent = _respondent(session, token, for_update=True)
        if respondent.status == RespondentStatus.SUBMITTED:
            return
        # Locked: a close or a change of the anonymity mode waits for this submit,
        # or this submit sees it done.
        assessment = snapshots.lock_assessment(session, respondent.assessment_id)
        _refuse_unless_open(assessment)
        respondent.status = RespondentStatus.SUBMITTED.value
        respondent.submitted_at = utc_now()
        _detach_if_anonymous(assessment, respondent)
        if catalogue is not None:
            session.flush()
            snapshots.refresh_snapshot(session, catalogue, assessment)
        if report_language is not None:
            enqueue(session, "render_reports", assessment.id, [report_language], respondent.id)

    run_in_transaction(sessions, mark_submitted)


def _detach_if_anonymous(assessment: Assessment, respondent: Respondent) -> None:
    """In an anonymous assessment the submitted answers no longer name anyone (DESIGN §8)."""
    if assessment.anonymity == Anonymity.ANONYMOUS:
        # The group stays: results show groups only where three or more share one.
        respondent.name = None
        respondent.email = None
        respondent.role = None


def _refuse_unless_open(assessment: Assessment) -> None:
    if assessment.status == AssessmentStatus.CLOSED:
        raise AssessmentClosed
    if assessment.status == AssessmentStatus.DRAFT:
        raise AssessmentNotOpen


def _checked_start(details: StartDetails) -> StartDetails:
    try:
        period = str(Period.parse(details.period))
    except PeriodRefused as refused:
        raise InvalidInput("period", str(refused)) from None
    return StartDetails(
        organization=_checked(
            "organization",
            clean_text,
            details.organization,
            required=True,
            max_length=ORGANIZATION_NAME_MAX_LENGTH,
        ),
        period=period,
        language=_one_of("language", details.language, tuple(Language)),
        industry=_checked_optional(
            "industry", clean_optional_text, details.industry, max_length=INDUSTRY_MAX_LENGTH
        ),
        size=_one_of("size", details.size, ORGANIZATION_SIZES) if details.size else None,
        respondent_name=_checked_optional(
            "respondent_name",
            clean_optional_text,
            details.respondent_name,
            max_length=RESPONDENT_NAME_MAX_LENGTH,
        ),
    )


def _checked_comment(change: AnswerInput) -> AnswerInput:
    comment = _checked(
        "comment", clean_text, change.comment, multiline=True, max_length=COMMENT_MAX_LENGTH
    )
    return replace(change, comment=comment)


def _checked(field: str, rule: Callable[..., str | None], value: object, **options: Any) -> str:
    """The text after `rule`; raises InvalidInput naming `field` where it is refused."""
    checked = _checked_optional(field, rule, value, **options)
    if checked is None:
        raise InvalidInput(field, "is required")
    return checked


def _checked_optional(
    field: str, rule: Callable[..., str | None], value: object, **options: Any
) -> str | None:
    if value is not None and not isinstance(value, str):
        raise InvalidInput(field, "must be text")
    try:
        return rule(value, **options)
    except TextRefused as refused:
        raise InvalidInput(field, str(refused)) from None


def _one_of(field: str, value: object, allowed: tuple[str, ...]) -> str:
    for choice in allowed:
        if value == choice:
            return choice
    raise InvalidInput(field, f"must be one of {', '.join(allowed)}")


def _token_hash(token: str) -> str:
    if not token or len(token) > TOKEN_MAX_LENGTH:
        raise UnknownLink
    return hash_token(token)


def _respondent(session: Session, token: str, *, for_update: bool = False) -> Respondent:
    # Locked when writing, so no answer slips in after submission (or revocation).
    respondent = queries.respondent_by_token_hash(
        session, _token_hash(token), for_update=for_update
    )
    if respondent is None:
        raise UnknownLink
    if not link_works(respondent.revoked_at, respondent.expires_at, utc_now()):
        raise LinkEnded
    return respondent


def _questionnaire(catalogue: Catalogue, assessment: Assessment) -> Questionnaire:
    return catalogue.get(assessment.questionnaire_id, assessment.questionnaire_version)


def _state(catalogue: Catalogue, record: queries.RespondentRecord) -> RespondentState:
    return RespondentState(
        respondent_id=record.id,
        assessment_id=record.assessment_id,
        organization=record.organization_name,
        period=record.period,
        language=record.language,
        submitted=record.status == RespondentStatus.SUBMITTED,
        questionnaire=catalogue.get(record.questionnaire_id, record.questionnaire_version),
        answers=record.answers,
        last_page=record.last_page,
        assessment_status=record.assessment_status,
        last_opened_at=record.last_opened_at,
        prefilled=record.prefilled,
    )
