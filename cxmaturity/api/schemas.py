"""The pydantic models of /api/v1: they validate requests and responses, and spectree writes
the OpenAPI document from them, so the document is what the code checks. This module holds
the shared ones and those of questionnaires, clients, assessments and invitations;
plan_schemas.py those of plans and the portfolio."""

from __future__ import annotations

import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from cxmaturity.api.pagination import DEFAULT_LIMIT, MAX_LIMIT

QUARTER = r"^[0-9]{4}-Q[1-4]$"


class Strict(BaseModel):
    """A request body: an unknown field is refused, not silently dropped."""

    model_config = ConfigDict(extra="forbid")


# --- shared ---------------------------------------------------------------------------------


class FieldError(BaseModel):
    field: str
    message: str


class Problem(BaseModel):
    """An error as `application/problem+json` (RFC 9457)."""

    type: str
    title: str
    status: int
    detail: str
    errors: list[FieldError] | None = Field(
        default=None, description="For validation errors: each refused field and why."
    )


class PageQuery(Strict):
    cursor: str | None = Field(default=None, description="`next_cursor` of the page before.")
    limit: int = Field(default=DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)


class IdempotencyHeaders(BaseModel):
    """The header every POST may carry; the other headers pass unchecked."""

    model_config = ConfigDict(extra="allow", populate_by_name=True)
    idempotency_key: str | None = Field(
        default=None,
        alias="Idempotency-Key",
        min_length=1,
        max_length=200,
        description="Sent again with the same body, the stored answer is replayed (24 h).",
    )


class Done(BaseModel):
    id: int
    done: Literal[True] = True


# --- questionnaires ---------------------------------------------------------------------


class LanguageQuery(Strict):
    lang: Literal["de", "en"] = "en"


class QuestionnaireSummary(BaseModel):
    id: str
    version: str
    title: str


class QuestionnaireList(BaseModel):
    items: list[QuestionnaireSummary]


class LevelOut(BaseModel):
    level: int
    key: str
    name: str
    threshold: float


class QuestionOut(BaseModel):
    id: str
    text: str
    weight: float
    allow_na: bool


class DimensionOut(BaseModel):
    id: str
    title: str
    weight: float
    questions: list[QuestionOut]
    recommendations: dict[str, list[str]]


class QuestionnaireOut(BaseModel):
    """The shape of `cxmaturity questionnaire show` (DESIGN §6)."""

    id: str
    version: str
    cap_above_weakest: int | None
    levels: list[LevelOut]
    dimensions: list[DimensionOut]


# --- clients ---------------------------------------------------------------------------


class ClientIn(Strict):
    name: str = Field(min_length=1, max_length=200)
    industry: str | None = Field(default=None, max_length=50)
    size: str | None = Field(default=None, max_length=20)
    external_reference: str | None = Field(default=None, max_length=100)
    tags: list[str] = Field(default_factory=list, max_length=10)


class ClientOut(BaseModel):
    id: int
    name: str
    industry: str | None
    size: str | None
    external_reference: str | None
    tags: list[str]
    archived: bool


class ClientPage(BaseModel):
    items: list[ClientOut]
    next_cursor: str | None


# --- assessments ---------------------------------------------------------------------


class AssessmentIn(Strict):
    period: str = Field(description="A quarter, e.g. 2026-Q4.", pattern=QUARTER)
    due_date: datetime.date | None = None
    questionnaire: str | None = Field(
        default=None, description="The questionnaire id; the server's default if left out."
    )


class QuestionnaireRef(BaseModel):
    id: str
    version: str


class AssessmentOut(BaseModel):
    id: int
    client_id: int
    period: str
    questionnaire: QuestionnaireRef
    status: Literal["draft", "open", "closed"]
    due_date: datetime.date | None
    invited: int
    submitted: int
    overall_level: int | None


class AssessmentPage(BaseModel):
    items: list[AssessmentOut]
    next_cursor: str | None


class OverallOut(BaseModel):
    score: float | None
    level: int | None
    level_key: str | None
    capped: bool


class DimensionResult(BaseModel):
    id: str
    score: float | None
    level: int | None
    respondents: int
    spread: float | None
    disagreement: bool


class DimensionChangeOut(BaseModel):
    id: str
    comparability: Literal["same", "bridged", "broken"]
    change: float | None
    like_for_like_change: float | None
    stable_panel_change: float | None
    score_then: float | None
    score_now: float | None
    level_then: int | None
    level_now: int | None
    spread_then: float | None
    spread_now: float | None
    changed_questions: int = Field(description="Questions changed between the two versions.")


class SinceOut(BaseModel):
    period: str
    comparability: Literal["same", "bridged", "broken"]
    change: float | None
    panel_overlap: float | None
    different_respondents: bool
    respondents_then: int
    respondents_now: int
    dimensions: list[DimensionChangeOut]


class Reconfirmed(BaseModel):
    confirmed: int
    offered: int


class ResultsOut(BaseModel):
    """The results page's JSON: the shape of `cxmaturity score` plus since last period."""

    questionnaire: QuestionnaireRef
    period: str
    overall: OverallOut
    dimensions: list[DimensionResult]
    priorities: list[str]
    since_last_period: SinceOut | None
    reconfirmed: Reconfirmed | None


class ComparisonOut(BaseModel):
    assessment_id: int
    period: str
    since_last_period: SinceOut | None = Field(
        description="null when the client has no earlier closed assessment to compare with."
    )


# --- invitations and participation ----------------------------------------------------------


class RespondentIn(Strict):
    name: str = Field(min_length=1, max_length=200)
    email: str | None = Field(default=None, max_length=320)
    group: str = Field(default="other", max_length=30)
    language: Literal["de", "en"] = "en"


class InvitationsIn(Strict):
    respondents: list[RespondentIn] = Field(min_length=1, max_length=500)


class LinkOut(BaseModel):
    respondent_id: int
    name: str | None
    email: str | None
    url: str = Field(description="The respondent's private link: shown here once.")


class InvitationsOut(BaseModel):
    links: list[LinkOut]
    mailed: int = Field(description="E-mails sent now (with a mail server configured).")
    waiting: int = Field(description="E-mails left for `cxmaturity reminders send`.")


class ResendOut(BaseModel):
    id: int
    sent: int
    failed: int
    bounced: int


class RespondentOut(BaseModel):
    id: int
    name: str | None
    email: str | None
    group: str | None
    language: str
    stage: Literal["invited", "opened", "in_progress", "submitted"]
    answered: int
    bounced: bool
    opted_out: bool
    revoked: bool
    expired: bool
    expires_at: datetime.datetime | None


class ParticipationOut(BaseModel):
    assessment_id: int
    status: Literal["draft", "open", "closed"]
    anonymity: Literal["named", "confidential", "anonymous"]
    total_questions: int
    counts: dict[str, int]
    respondents: list[RespondentOut] = Field(
        description="Empty for an anonymous assessment: it shows counts only."
    )
