"""The reads and writes the services need, as plain functions over a Session.

None of these functions commits: the caller decides the transaction (see
`database.transaction`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Protocol

from sqlalchemy import func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, joinedload, selectinload

from cxmaturity.domain.responses import AnswerRow
from cxmaturity.domain.statuses import RespondentStatus
from cxmaturity.store.models import Answer, Assessment, Respondent, User, utc_now


class AnswerLike(Protocol):
    """What `upsert_answers` reads from each answer (`AnswerRow` or a service's own type)."""

    @property
    def level(self) -> int | None: ...

    @property
    def not_applicable(self) -> bool: ...

    @property
    def comment(self) -> str | None: ...


def upsert_answers(session: Session, respondent_id: int, answers: Mapping[str, AnswerLike]) -> None:
    """Insert or replace the respondent's answers to the given question ids.

    Two transactions saving the same answer at once both succeed (the later
    one wins) instead of one failing on the unique constraint. The respondent's
    `updated_at` is set too. An invalid level, or a level together with "not
    applicable", raises `sqlalchemy.exc.IntegrityError`; roll back then.
    Raises LookupError when there is no such respondent. Answer objects
    already loaded in `session` are not refreshed.
    """
    now = utc_now()
    # Touching the respondent first also locks its row on PostgreSQL: saves of
    # one respondent take turns, so their answer rows can never deadlock.
    touched = session.execute(
        update(Respondent)
        .where(Respondent.id == respondent_id)
        .values(updated_at=now)
        .execution_options(synchronize_session=False)
    )
    if touched.rowcount == 0:
        raise LookupError(f"there is no respondent with id {respondent_id}")
    if not answers:
        return
    rows = [
        {
            "respondent_id": respondent_id,
            "question_id": question_id,
            "level": answer.level,
            "not_applicable": answer.not_applicable,
            "comment": answer.comment or None,
            "updated_at": now,
        }
        # One order for every writer, so row locks are always taken alike.
        for question_id, answer in sorted(answers.items())
    ]
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(Answer.__table__).values(rows)
    statement = statement.on_conflict_do_update(
        index_elements=["respondent_id", "question_id"],
        set_={
            column: statement.excluded[column]
            for column in ("level", "not_applicable", "comment", "updated_at")
        },
    )
    session.execute(statement)


def answer_rows(answers: Iterable[Answer]) -> dict[str, AnswerRow]:
    """Answers by question id, detached from the session."""
    return {
        answer.question_id: AnswerRow(answer.level, answer.not_applicable, answer.comment or "")
        for answer in answers
    }


def answers_of(session: Session, respondent_id: int) -> dict[str, AnswerRow]:
    found = session.scalars(select(Answer).where(Answer.respondent_id == respondent_id))
    return answer_rows(found)


def respondent_by_token_hash(
    session: Session, token_hash: str, *, for_update: bool = False
) -> Respondent | None:
    """The respondent with this link token hash, its assessment and organization loaded.

    `for_update` locks the respondent's row on PostgreSQL until the transaction
    ends, so that a save and a submit of one respondent queue behind each other.
    """
    query = select(Respondent).where(Respondent.token_hash == token_hash)
    if for_update:
        # FOR UPDATE cannot lock the nullable side of an outer join: load those after.
        return session.scalars(query.with_for_update()).one_or_none()
    loaded = query.options(joinedload(Respondent.assessment).joinedload(Assessment.organization))
    return session.scalars(loaded).one_or_none()


def submitted_respondents_with_answers(session: Session, assessment_id: int) -> list[Respondent]:
    """The assessment's submitted respondents in order of submission, answers loaded."""
    return list(
        session.scalars(
            select(Respondent)
            .where(
                Respondent.assessment_id == assessment_id,
                Respondent.status == RespondentStatus.SUBMITTED.value,
            )
            .options(selectinload(Respondent.answers))
            .order_by(Respondent.submitted_at, Respondent.id)
        )
    )


def assessments_of_organization(session: Session, organization_id: int) -> list[Assessment]:
    """The organization's assessments, oldest period first."""
    return list(
        session.scalars(
            select(Assessment)
            .where(Assessment.organization_id == organization_id)
            .order_by(Assessment.period, Assessment.questionnaire_id, Assessment.id)
        )
    )


def previous_assessment(
    session: Session, organization_id: int, questionnaire_id: str, period: str
) -> Assessment | None:
    """The latest assessment of the same organization and questionnaire before `period`."""
    # Periods look like 2026-Q4, so text order is time order.
    return session.scalars(
        select(Assessment)
        .where(
            Assessment.organization_id == organization_id,
            Assessment.questionnaire_id == questionnaire_id,
            Assessment.period < period,
        )
        .order_by(Assessment.period.desc())
        .limit(1)
    ).one_or_none()


def user_by_email(session: Session, email: str) -> User | None:
    """The user with this email address, whatever its letter case."""
    return session.scalars(
        select(User).where(func.lower(User.email) == func.lower(email.strip()))
    ).one_or_none()
