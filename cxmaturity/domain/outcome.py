"""The one outcome record of an assessment: what its results page, PDF, exports and API show.

Pages and reports read it; nothing in it depends on the day it is shown, so the render
date is always an argument of whoever draws it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from cxmaturity.domain.actions import PlannedAction
from cxmaturity.domain.cohorts import CohortPosition
from cxmaturity.domain.comparison import Comparison, compare
from cxmaturity.domain.kpi import KpiReading
from cxmaturity.domain.questionnaire import Questionnaire
from cxmaturity.domain.scoring import AssessmentResult, score_assessment
from cxmaturity.domain.scoring import Participant as Participant  # where results code looks
from cxmaturity.domain.statuses import Anonymity
from cxmaturity.domain.targets import TargetProgress, TargetSetting, target_progress

RESPONDENT_GROUPS = ("executive", "manager", "frontline", "other")


@dataclass(frozen=True)
class Comment:
    """A respondent's comment on one question."""

    respondent: str
    question_id: str
    text: str


@dataclass(frozen=True)
class PreviousPeriod:
    """The period compared with: its questionnaire version and submitted respondents."""

    questionnaire: Questionnaire
    period: str
    respondents: tuple[Participant, ...]
    anonymity: str = Anonymity.NAMED.value


@dataclass(frozen=True)
class Outcome:
    """Everything shown about one assessment; equal outcomes give an identical report."""

    questionnaire: Questionnaire
    organization: str
    period: str
    respondents: tuple[Participant, ...]
    comments: tuple[Comment, ...]
    result: AssessmentResult
    previous: AssessmentResult | None = None
    previous_period: str | None = None
    comparison: Comparison | None = None
    """Since last period (DESIGN §4.9–4.10), where there is a previous period."""
    reconfirmed: tuple[int, int] | None = None
    """(answers re-confirmed, answers offered pre-filled) where answers were offered."""
    targets: tuple[TargetProgress, ...] = ()
    """The client's active targets, in questionnaire order of their dimensions."""
    actions: tuple[PlannedAction, ...] = ()
    """The client's action plan as of this period; empty: the report recommends instead."""
    kpis: tuple[KpiReading, ...] = ()
    """The client's key figures of this period, with last period's for their change."""
    anonymity: str = Anonymity.NAMED.value
    """The anonymity mode this record was prepared for (domain/anonymity.py): what its
    names and comments may show. Part of the report cache's key like every field."""
    cohort: CohortPosition | None = None
    """The client among the workspace's other comparable clients (DESIGN §4.13); None
    where there are no peers to speak of: a team workspace, the headless commands."""

    @property
    def questions_answered(self) -> int:
        """How many of the questionnaire's questions at least one respondent answered."""
        return sum(
            1
            for question_id in self.questionnaire.questions
            if any(person.answers.get(question_id) for person in self.respondents)
        )


def outcome_of(
    questionnaire: Questionnaire,
    organization: str,
    period: str,
    respondents: Sequence[Participant],
    comments: Sequence[Comment] = (),
    previous: PreviousPeriod | None = None,
    anonymity: str = Anonymity.NAMED.value,
    reconfirmed: tuple[int, int] | None = None,
    targets: Sequence[TargetSetting] = (),
    actions: Sequence[PlannedAction] = (),
    kpis: Sequence[KpiReading] = (),
) -> Outcome:
    """The outcome of submitted respondents, scored by DESIGN §4, compared with `previous`.

    Question means in the comparison count only with three answers unless the mode is
    named, as per-question ranges do (DESIGN §8).
    """
    comparison = None
    if previous is not None:
        comparison = compare(
            previous.questionnaire,
            previous.respondents,
            questionnaire,
            respondents,
            previous.period,
            min_answers_per_question=1 if anonymity == Anonymity.NAMED else 3,
            panel_known=Anonymity.ANONYMOUS not in (anonymity, previous.anonymity),
        )
    result = score_assessment(questionnaire, respondents)
    return Outcome(
        questionnaire=questionnaire,
        organization=organization,
        period=period,
        respondents=tuple(respondents),
        comments=tuple(comments),
        result=result,
        previous=(
            score_assessment(previous.questionnaire, previous.respondents) if previous else None
        ),
        previous_period=previous.period if previous is not None else None,
        comparison=comparison,
        anonymity=Anonymity(anonymity).value,
        reconfirmed=reconfirmed,
        targets=_progress_of(questionnaire, result, targets),
        actions=tuple(actions),
        kpis=tuple(kpis),
    )


def _progress_of(
    questionnaire: Questionnaire, result: AssessmentResult, targets: Sequence[TargetSetting]
) -> tuple[TargetProgress, ...]:
    """Each target against its dimension's score, in questionnaire order; targets of a
    dimension the questionnaire no longer has are left out."""
    by_dimension = {target.dimension_id: target for target in targets}
    shown = []
    for dimension in result.dimensions:
        target = by_dimension.get(dimension.dimension_id)
        if target is not None:
            shown.append(
                target_progress(
                    questionnaire,
                    target.dimension_id,
                    target.target_level,
                    target.due_period,
                    target.baseline,
                    dimension.score,
                    dimension.level,
                )
            )
    return tuple(shown)
