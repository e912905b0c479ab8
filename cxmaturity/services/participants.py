"""Stored respondents as the scoring sees them: one place decides which answers count.

A pre-filled answer (offered from last quarter, DESIGN §8) counts only once the
respondent has confirmed or changed it; until then it is as if unanswered.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from cxmaturity.domain.loader import Catalogue, QuestionnaireMissing
from cxmaturity.domain.outcome import PreviousPeriod
from cxmaturity.domain.scoring import Participant
from cxmaturity.store import queries
from cxmaturity.store.models import Assessment, Respondent


def counted_answers(respondent: Respondent) -> dict[str, int | None]:
    """Question id → level of the answers that count (None: not applicable)."""
    return {
        answer.question_id: answer.level for answer in respondent.answers if not answer.prefilled
    }


def participant_of(respondent: Respondent) -> Participant:
    # No name: the report counts such respondents and quotes them as R1, R2, ….
    return Participant(
        name=respondent.name or "",
        answers=counted_answers(respondent),
        group=respondent.respondent_group,
        email=respondent.email,
    )


def submitted_participants(session: Session, assessment_id: int) -> tuple[Participant, ...]:
    """The submitted respondents in order of submission (an alias R3 stays R3)."""
    return tuple(
        participant_of(respondent)
        for respondent in queries.submitted_respondents_with_answers(session, assessment_id)
    )


def reconfirmed_counts(respondents: Sequence[Respondent]) -> tuple[int, int] | None:
    """(answers re-confirmed, answers offered pre-filled), or None where none were offered."""
    offered = [
        answer for respondent in respondents for answer in respondent.answers if answer.offered
    ]
    if not offered:
        return None
    return sum(1 for answer in offered if not answer.prefilled), len(offered)


def previous_period(
    session: Session, catalogue: Catalogue, assessment: Assessment
) -> tuple[Assessment, PreviousPeriod] | None:
    """The assessment compared with (§4.9: the latest closed earlier one of the same
    questionnaire id) and what the comparison needs of it; None where there is none.

    None too where that period's questionnaire file is gone: without its questions
    nothing can say whether the two periods compare, and this period must still be
    answered, closed and shown (DESIGN §2).
    """
    previous = queries.previous_assessment(
        session, assessment.organization_id, assessment.questionnaire_id, assessment.period
    )
    if previous is None:
        return None
    try:
        questionnaire = catalogue.get(previous.questionnaire_id, previous.questionnaire_version)
    except QuestionnaireMissing:
        return None
    return previous, PreviousPeriod(
        questionnaire,
        previous.period,
        submitted_participants(session, previous.id),
        previous.anonymity,
    )
