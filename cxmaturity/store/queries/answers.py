"""Respondents and their answers: the reads and writes of the respondent's pages and of scoring.

None of these functions commits: the caller decides the transaction (see
`database.transaction`).
"""

from __future__ import annotations

import datetime
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy import Connection, bindparam, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, joinedload, selectinload

from cxmaturity.domain.responses import AnswerRow
from cxmaturity.domain.statuses import AssessmentStatus, RespondentStatus
from cxmaturity.store.models import Answer, Assessment, Organization, Respondent, utc_now

_RESPONDENTS = Respondent.__table__
_ASSESSMENTS = Assessment.__table__
_ORGANIZATIONS = Organization.__table__
_ANSWERS = Answer.__table__


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


# Read-only paths select columns, not ORM objects: no identity map, no
# instance state, and the statements are built once (compiled once, cached).
_ANSWERS_OF_RESPONDENT = select(
    _ANSWERS.c.question_id, _ANSWERS.c.level, _ANSWERS.c.not_applicable, _ANSWERS.c.comment
).where(_ANSWERS.c.respondent_id == bindparam("respondent_id"))


def answers_of(session: Session, respondent_id: int) -> dict[str, AnswerRow]:
    rows = session.connection().execute(_ANSWERS_OF_RESPONDENT, {"respondent_id": respondent_id})
    return {
        question_id: AnswerRow(level, not_applicable, comment or "")
        for question_id, level, not_applicable, comment in rows
    }


@dataclass(frozen=True)
class RespondentRecord:
    """A respondent with what its pages show of its assessment and organization; detached."""

    id: int
    language: str
    status: str
    last_page: int | None
    expires_at: datetime.datetime | None
    revoked_at: datetime.datetime | None
    last_opened_at: datetime.datetime | None
    assessment_id: int
    period: str
    questionnaire_id: str
    questionnaire_version: str
    organization_name: str
    answers: Mapping[str, AnswerRow]
    assessment_status: str = "open"
    # Offered from last quarter and not yet confirmed or changed (DESIGN §8).
    prefilled: frozenset[str] = frozenset()


# One round trip: the respondent's row with its assessment and organization,
# repeated once per answer (outer join: a respondent without answers is one row).
_RESPONDENT_WITH_ANSWERS = (
    select(
        _RESPONDENTS.c.id,
        _RESPONDENTS.c.language,
        _RESPONDENTS.c.status,
        _RESPONDENTS.c.last_page,
        _RESPONDENTS.c.expires_at,
        _RESPONDENTS.c.revoked_at,
        _RESPONDENTS.c.last_opened_at,
        _ASSESSMENTS.c.id,
        _ASSESSMENTS.c.period,
        _ASSESSMENTS.c.questionnaire_id,
        _ASSESSMENTS.c.questionnaire_version,
        _ORGANIZATIONS.c.name,
        _ASSESSMENTS.c.status,
        _ANSWERS.c.question_id,
        _ANSWERS.c.level,
        _ANSWERS.c.not_applicable,
        _ANSWERS.c.comment,
        _ANSWERS.c.prefilled,
    )
    .select_from(
        _RESPONDENTS.join(_ASSESSMENTS, _ASSESSMENTS.c.id == _RESPONDENTS.c.assessment_id)
        .join(_ORGANIZATIONS, _ORGANIZATIONS.c.id == _ASSESSMENTS.c.organization_id)
        .outerjoin(_ANSWERS, _ANSWERS.c.respondent_id == _RESPONDENTS.c.id)
    )
    .where(_RESPONDENTS.c.token_hash == bindparam("token_hash"))
)
RESPONDENT_COLUMNS = 13  # the columns before the answer's


def respondent_with_answers(connection: Connection, token_hash: str) -> RespondentRecord | None:
    """The respondent with this link token hash and its answers, in one query; None if unknown."""
    rows = connection.execute(_RESPONDENT_WITH_ANSWERS, {"token_hash": token_hash})
    answers: dict[str, AnswerRow] = {}
    prefilled: set[str] = set()
    first = None
    for row in rows:
        first = first or row
        question_id, level, not_applicable, comment, offered_only = row[RESPONDENT_COLUMNS:]
        if question_id is not None:
            answers[question_id] = AnswerRow(level, not_applicable, comment or "")
            if offered_only:
                prefilled.add(question_id)
    if first is None:
        return None
    *respondent, assessment_status = first[:RESPONDENT_COLUMNS]
    return RespondentRecord(
        *respondent,
        answers=answers,
        assessment_status=assessment_status,
        prefilled=frozenset(prefilled),
    )


def confirm_prefilled(session: Session, respondent_id: int, question_ids: Collection[str]) -> None:
    """The respondent's pre-filled answers to these questions count from now on: confirmed
    or changed by the respondent. An answer taken back (no level, not N/A) stays as it is."""
    if not question_ids:
        return
    session.execute(
        update(Answer)
        .where(
            Answer.respondent_id == respondent_id,
            Answer.question_id.in_(sorted(question_ids)),
            Answer.prefilled.is_(True),
            or_(Answer.level.is_not(None), Answer.not_applicable.is_(True)),
        )
        .values(prefilled=False)
        .execution_options(synchronize_session=False)
    )


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
    """The latest closed assessment of the same organization and questionnaire before
    `period` (DESIGN §4.9): what "since last period" compares with."""
    # Periods look like 2026-Q4, so text order is time order.
    return session.scalars(
        select(Assessment)
        .where(
            Assessment.organization_id == organization_id,
            Assessment.questionnaire_id == questionnaire_id,
            Assessment.period < period,
            Assessment.status == AssessmentStatus.CLOSED.value,
        )
        .order_by(Assessment.period.desc())
        .limit(1)
    ).one_or_none()
