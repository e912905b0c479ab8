"""The pydantic models of a client's plans and of the portfolio in /api/v1: history, portfolio,
targets, KPIs, actions and cohorts (the shapes of exports/serializers.py where one exists)."""

from __future__ import annotations

import datetime
from typing import Literal

from pydantic import BaseModel, Field

from cxmaturity.api.schemas import QUARTER, QuestionnaireRef, Strict

# --- history and portfolio (the shapes of exports/serializers.py) -----------------------------

Comparability = Literal["same", "bridged", "broken"]


class HistoryOverall(BaseModel):
    score: float | None
    level: int | None
    change: float | None
    comparability: Comparability | None


class HistoryDimension(BaseModel):
    id: str
    score: float | None
    level: int | None
    change: float | None
    comparability: Comparability | None
    like_for_like_change: float | None
    stable_panel_change: float | None


class HistoryPeriod(BaseModel):
    period: str
    questionnaire: QuestionnaireRef
    status: str
    overall: HistoryOverall
    dimensions: list[HistoryDimension]
    panel_overlap: float | None
    different_respondents: bool | None


class HistoryOut(BaseModel):
    """`cxmaturity history` (DESIGN §6): every closed period, oldest first."""

    client: int
    periods: list[HistoryPeriod]


class PortfolioQuery(Strict):
    """The portfolio's filter, as in the portfolio page's URL; missing fields take the
    workspace's defaults (the latest period, its most used questionnaire)."""

    period: str | None = Field(default=None, description="A quarter like 2026-Q4.", pattern=QUARTER)
    questionnaire: str | None = None
    major: str | None = Field(default=None, pattern=r"^[0-9]{1,3}$")
    industry: str | None = None
    size: str | None = None
    tag: list[str] = Field(default_factory=list)
    status: str | None = None
    below_target: Literal["0", "1"] | None = None
    overdue: Literal["0", "1"] | None = None
    disagreement: Literal["0", "1"] | None = None
    kpi: str | None = None
    sort: str | None = None
    desc: Literal["0", "1"] | None = None
    cohort: str | None = Field(default=None, description="The id of a saved cohort.")


class PortfolioQuestionnaire(BaseModel):
    id: str
    major: str
    version: str | None


class PortfolioFilterOut(BaseModel):
    industry: str | None
    size: str | None
    tags: list[str]
    status: str | None
    below_target: bool
    overdue_actions: bool
    disagreement: bool
    kpi: str
    sort: str
    desc: bool


class PortfolioOverall(BaseModel):
    score: float | None
    level: int | None
    change: float | None
    comparability: Comparability | None
    capped: bool | None


class PortfolioCell(BaseModel):
    id: str
    score: float | None
    level: int | None
    change: float | None
    comparability: Comparability | None
    disagreement: bool | None
    target_level: int | None
    below_target: bool | None


class PortfolioParticipation(BaseModel):
    invited: int | None
    submitted: int | None
    rate: float | None


class PortfolioActions(BaseModel):
    open: int
    overdue: int
    stalled: int


class PortfolioClient(BaseModel):
    id: int
    name: str
    industry: str | None
    size: str | None
    tags: list[str]
    status: str
    last_period: str | None
    questionnaire_version: str | None
    overall: PortfolioOverall
    dimensions: list[PortfolioCell]
    participation: PortfolioParticipation
    target_progress: float | None
    actions: PortfolioActions
    kpis: dict[str, float | None]


class BandOut(BaseModel):
    n: int
    suppressed: bool
    lower_quartile: float | None
    median: float | None
    upper_quartile: float | None


class CohortDimensionBand(BandOut):
    id: str


class CohortOut(BaseModel):
    n: int
    min_n: int
    suppressed: bool
    overall: BandOut
    dimensions: list[CohortDimensionBand]


class MoverOut(BaseModel):
    client: int
    name: str
    change: float | None
    comparability: Comparability


class MoversOut(BaseModel):
    top: list[MoverOut]
    bottom: list[MoverOut]


class PortfolioOut(BaseModel):
    """`cxmaturity portfolio` and `portfolio.json` (DESIGN §6, §9)."""

    workspace: str
    period: str
    questionnaire: PortfolioQuestionnaire
    filter: PortfolioFilterOut
    dimensions: list[str]
    clients: list[PortfolioClient]
    cohort: CohortOut
    levels: dict[str, dict[str, int]]
    movers: MoversOut


# --- targets ----------------------------------------------------------------------------


class TargetOut(BaseModel):
    level: int
    due_period: str | None
    baseline: float | None
    gap: float | None
    progress: float | None
    reached: bool


class TargetDimension(BaseModel):
    id: str
    score: float | None
    level: int | None
    suggested_level: int
    target: TargetOut | None


class AchievedOut(BaseModel):
    id: str
    target_level: int
    achieved_on: datetime.date
    achieved_in: str | None


class TargetsOut(BaseModel):
    client_id: int
    questionnaire: QuestionnaireRef | None
    period: str | None = Field(description="The assessment measured against; null before any.")
    closed: bool
    dimensions: list[TargetDimension]
    achieved: list[AchievedOut]


class TargetIn(Strict):
    level: int = Field(ge=1, le=5)
    due_period: str | None = Field(default=None, description="A quarter such as 2027-Q2.")


class TargetsIn(Strict):
    targets: dict[str, TargetIn | None] = Field(
        description="Per dimension id its target; null drops the dimension's active target."
    )


# --- KPIs -------------------------------------------------------------------------------

KpiKey = Literal["nps", "ces", "csat", "response_time", "clv"]


class KpiOut(BaseModel):
    kpi: KpiKey
    value: float | None
    sample_size: int | None
    note: str | None
    inputs: dict[str, str] = Field(description="The figures as entered (exact decimal text).")
    change: float | None
    previous_period: str | None


class KpiPeriodOut(BaseModel):
    period: str
    kpis: list[KpiOut]


class KpisOut(BaseModel):
    client_id: int
    periods: list[KpiPeriodOut] = Field(description="Latest period first.")


class KpisIn(Strict):
    figures: dict[KpiKey, dict[str, str]] = Field(
        description='Per key figure the texts of its fields, e.g. {"nps": {"promoters": "40",'
        ' "detractors": "10", "responses": "80"}}; all fields empty deletes the figure.'
    )
    notes: dict[KpiKey, str] = Field(default_factory=dict)


# --- actions ----------------------------------------------------------------------------

ActionStatusKey = Literal["planned", "in_progress", "blocked", "done", "dropped"]


class ActionOut(BaseModel):
    id: int
    dimension_id: str
    question_id: str | None
    title: str
    owner: str | None
    due_date: datetime.date | None
    status: ActionStatusKey
    source: str
    opened_period: str
    closed_period: str | None
    times_carried: int
    stalled: bool
    effect: str | None
    effect_period: str | None


class ActionsOut(BaseModel):
    client_id: int
    current_period: str | None
    actions: list[ActionOut]


class ActionIn(Strict):
    dimension_id: str = Field(max_length=100)
    title: str = Field(min_length=1, max_length=300)
    question_id: str | None = Field(default=None, max_length=100)
    owner: str | None = Field(default=None, max_length=200)
    due_date: datetime.date | None = None
    status: ActionStatusKey = "planned"


class ActionChangesIn(Strict):
    """Only the fields sent change; `owner: ""` removes the owner, `due_date: null` the date."""

    title: str | None = Field(default=None, min_length=1, max_length=300)
    owner: str | None = Field(default=None, max_length=200)
    due_date: datetime.date | None = None
    question_id: str | None = Field(default=None, max_length=100)
    status: ActionStatusKey | None = None


# --- cohorts ----------------------------------------------------------------------------


class CohortIn(Strict):
    name: str = Field(min_length=1, max_length=100)
    questionnaire: str = Field(max_length=100)
    major: str = Field(max_length=10, description="The questionnaire's major version, e.g. 1.")
    industry: str | None = Field(default=None, max_length=50)
    size: str | None = Field(default=None, max_length=20)
    tags: list[str] = Field(default_factory=list, max_length=10)


class SavedCohortOut(BaseModel):
    id: int
    name: str
    questionnaire: str
    major: str
    industry: str | None
    size: str | None
    tags: list[str]


class CohortList(BaseModel):
    items: list[SavedCohortOut]
