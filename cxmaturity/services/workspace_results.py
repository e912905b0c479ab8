"""An assessment's results for its workspace: the page, the radar, the PDF, the anonymity mode.

Who may read: the workspace's members (a consultant limited to listed clients only for
those) and the client's own staff; everyone else gets NotVisible (404), exactly as for
an assessment that does not exist. Setting the mode needs MANAGE_ASSESSMENTS (a viewer
or client staff get Forbidden, 403), and is refused once anybody has submitted.
Everything shown passes through `domain.anonymity.as_consultant_sees` first.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from cxmaturity.domain.access import Actor, Decision, Permission
from cxmaturity.domain.anonymity import (
    GroupRow,
    QuestionSummary,
    RespondentRow,
    comment_author,
    group_rows,
    individuals_shown,
    is_locked,
    question_summary,
    respondent_rows,
)
from cxmaturity.domain.loader import Catalogue
from cxmaturity.domain.outcome import Outcome
from cxmaturity.domain.questionnaire import Dimension, Question
from cxmaturity.domain.statuses import Anonymity, RespondentStatus
from cxmaturity.reports.pdf import ReportCache
from cxmaturity.services.access import workspace_for
from cxmaturity.services.errors import InvalidInput, NotVisible
from cxmaturity.services.results import (
    ResultsView,
    cohort_chart,
    consultant_outcome,
    radar_chart,
    report_file_name,
    report_pdf,
)
from cxmaturity.store.database import run_in_transaction, run_reading
from cxmaturity.store.models import Assessment, Organization, Respondent


class AnonymityLocked(Exception):
    """The mode cannot change: a respondent has already submitted."""


@dataclass(frozen=True)
class QuestionLine:
    number: int
    question: Question
    summary: QuestionSummary


@dataclass(frozen=True)
class DimensionQuestions:
    dimension: Dimension
    lines: tuple[QuestionLine, ...]


@dataclass(frozen=True)
class CommentLine:
    question: Question | None
    question_id: str
    author: str
    """The respondent's name in named mode; empty otherwise (DESIGN §8)."""
    text: str


@dataclass(frozen=True)
class WorkspaceResults:
    """The consultant's results page of one assessment, in one language."""

    workspace_slug: str
    workspace_name: str
    assessment_id: int
    status: str
    anonymity: Anonymity
    locked: bool
    """True once anybody has submitted: the mode can no longer change."""
    may_manage: bool
    """Whether the actor may set the mode (consultants and owners)."""
    view: ResultsView
    respondents: tuple[RespondentRow, ...]
    """Per respondent, by name (named) or alias (confidential); none when anonymous."""
    individuals_shown: bool
    groups: tuple[GroupRow, ...]
    questions: tuple[DimensionQuestions, ...]
    comments: tuple[CommentLine, ...]

    @property
    def outcome(self) -> Outcome:
        return self.view.outcome

    @property
    def modes(self) -> tuple[Anonymity, ...]:
        return tuple(Anonymity)


def assessment_results(
    sessions: sessionmaker[Session],
    catalogue: Catalogue,
    actor: Actor | None,
    slug: str,
    assessment_id: int,
    language: str,
) -> WorkspaceResults:
    """The results page of the assessment; raises NotVisible where the actor may not read it."""

    def read(session: Session) -> WorkspaceResults:
        assessment, workspace_name = _readable(session, actor, slug, assessment_id)
        assert actor is not None  # _readable refuses a logged-out request
        outcome = consultant_outcome(session, catalogue, assessment)
        may_manage = actor.decide(
            Permission.MANAGE_ASSESSMENTS,
            assessment.organization.workspace_id,
            assessment.organization_id,
        )
        return WorkspaceResults(
            workspace_slug=slug,
            workspace_name=workspace_name,
            assessment_id=assessment.id,
            status=assessment.status,
            anonymity=Anonymity(assessment.anonymity),
            locked=is_locked(len(outcome.respondents)),
            may_manage=may_manage is Decision.ALLOWED,
            view=ResultsView(outcome, language),
            respondents=respondent_rows(outcome),
            individuals_shown=individuals_shown(outcome),
            groups=group_rows(outcome),
            questions=_questions(outcome),
            comments=_comments(outcome),
        )

    return run_reading(sessions, read)


def assessment_radar(
    sessions: sessionmaker[Session],
    catalogue: Catalogue,
    actor: Actor | None,
    slug: str,
    assessment_id: int,
    language: str,
) -> str:
    """The results' radar chart (SVG) for the page."""
    outcome = run_reading(
        sessions, lambda session: _readable_outcome(session, catalogue, actor, slug, assessment_id)
    )
    return radar_chart(outcome, language)


def assessment_cohort_chart(
    sessions: sessionmaker[Session],
    catalogue: Catalogue,
    actor: Actor | None,
    slug: str,
    assessment_id: int,
    language: str,
) -> str:
    """The results' cohort band (SVG); raises NotVisible in a team workspace, as well."""
    outcome = run_reading(
        sessions, lambda session: _readable_outcome(session, catalogue, actor, slug, assessment_id)
    )
    svg = cohort_chart(outcome, language)
    if svg is None:
        raise NotVisible
    return svg


def assessment_report(
    sessions: sessionmaker[Session],
    catalogue: Catalogue,
    actor: Actor | None,
    slug: str,
    assessment_id: int,
    language: str,
    cache: ReportCache,
    today: datetime.date,
) -> tuple[bytes, str]:
    """The PDF report in the assessment's anonymity mode, and its file name.

    Served through the report cache (its key covers the mode). Raises NotVisible, and
    ReportRenderError when rendering fails.
    """
    outcome = run_reading(
        sessions, lambda session: _readable_outcome(session, catalogue, actor, slug, assessment_id)
    )
    pdf = report_pdf(outcome, language, cache, today, assessment_id=assessment_id)
    return pdf, report_file_name(outcome.organization, outcome.period, language)


@dataclass(frozen=True)
class AnonymitySetting:
    """An assessment's anonymity mode, and whether it can still change."""

    assessment_id: int
    mode: Anonymity
    locked: bool
    """True once anybody has submitted."""
    changeable: bool
    """The actor may set the mode and it is not locked."""


def anonymity_setting(
    sessions: sessionmaker[Session], actor: Actor | None, slug: str, assessment_id: int
) -> AnonymitySetting:
    """The mode as the results page shows it, without scoring; NotVisible as for the page."""

    def read(session: Session) -> AnonymitySetting:
        assessment, _name = _readable(session, actor, slug, assessment_id)
        assert actor is not None
        locked = is_locked(_submitted_count(session, assessment.id))
        may_manage = actor.decide(
            Permission.MANAGE_ASSESSMENTS,
            assessment.organization.workspace_id,
            assessment.organization_id,
        )
        return AnonymitySetting(
            assessment.id,
            Anonymity(assessment.anonymity),
            locked,
            may_manage is Decision.ALLOWED and not locked,
        )

    return run_reading(sessions, read)


def set_anonymity(
    sessions: sessionmaker[Session],
    actor: Actor | None,
    slug: str,
    assessment_id: int,
    mode: str,
) -> Anonymity:
    """Set the assessment's anonymity mode before the first submission.

    Raises NotVisible, Forbidden (a viewer, client staff), InvalidInput for an unknown
    mode, and AnonymityLocked once a respondent has submitted (nothing changes then).
    """
    try:
        chosen = Anonymity(mode)
    except ValueError:
        raise InvalidInput("anonymity", "is not one of named, confidential, anonymous") from None

    def change(session: Session) -> Anonymity:
        assessment, _name = _readable(session, actor, slug, assessment_id, for_update=True)
        assert actor is not None
        actor.require(
            Permission.MANAGE_ASSESSMENTS,
            assessment.organization.workspace_id,
            assessment.organization_id,
        )
        if is_locked(_submitted_count(session, assessment.id)):
            raise AnonymityLocked
        assessment.anonymity = chosen.value
        return chosen

    return run_in_transaction(sessions, change)


def _readable(
    session: Session, actor: Actor | None, slug: str, assessment_id: int, for_update: bool = False
) -> tuple[Assessment, str]:
    """The assessment with its organization, if the actor may read its results; else NotVisible.

    On PostgreSQL `for_update` locks the assessment's row, so that a submit (which locks
    it too) waits until the mode is set, or the mode change sees the submission.
    """
    workspace = workspace_for(session, actor, slug, permission=None)
    query = (
        select(Assessment)
        .join(Organization, Organization.id == Assessment.organization_id)
        .where(Assessment.id == assessment_id, Organization.workspace_id == workspace.id)
    )
    if for_update:
        query = query.with_for_update(of=Assessment)
    assessment = session.scalars(query).one_or_none()
    if assessment is None or actor is None:
        raise NotVisible
    # A consultant not listed for the client, or staff of another client: NotVisible.
    actor.require(Permission.VIEW_RESULTS, workspace.id, assessment.organization_id)
    return assessment, workspace.name


def _readable_outcome(
    session: Session, catalogue: Catalogue, actor: Actor | None, slug: str, assessment_id: int
) -> Outcome:
    assessment, _name = _readable(session, actor, slug, assessment_id)
    return consultant_outcome(session, catalogue, assessment)


def _submitted_count(session: Session, assessment_id: int) -> int:
    return (
        session.scalar(
            select(func.count())
            .select_from(Respondent)
            .where(
                Respondent.assessment_id == assessment_id,
                Respondent.status == RespondentStatus.SUBMITTED.value,
            )
        )
        or 0
    )


def _questions(outcome: Outcome) -> tuple[DimensionQuestions, ...]:
    numbered = []
    number = 0
    for dimension in outcome.questionnaire.dimensions:
        lines = []
        for question in dimension.questions:
            number += 1
            lines.append(QuestionLine(number, question, question_summary(outcome, question.id)))
        numbered.append(DimensionQuestions(dimension, tuple(lines)))
    return tuple(numbered)


def _comments(outcome: Outcome) -> tuple[CommentLine, ...]:
    """The comments in questionnaire order; names only where the mode is named."""

    questions = outcome.questionnaire.questions
    order = {question_id: index for index, question_id in enumerate(questions)}
    numbers = {person.name: number for number, person in enumerate(outcome.respondents, 1)}
    ordered = sorted(
        (c for c in outcome.comments if c.text.strip()),
        key=lambda c: order.get(c.question_id, len(order)),
    )
    return tuple(
        CommentLine(
            question=questions.get(comment.question_id),
            question_id=comment.question_id,
            author=comment_author(outcome, comment, numbers.get(comment.respondent)),
            text=comment.text,
        )
        for comment in ordered
    )
