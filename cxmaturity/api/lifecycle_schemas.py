"""The pydantic models of /api/v1 for the steps around a client's and an assessment's life:
bulk PDFs, archive / restore / purge, the anonymity mode, a link's extension, the next
quarter, renaming a cohort and the action plan's recommended steps."""

from __future__ import annotations

import datetime
from typing import Literal

from pydantic import BaseModel, Field

from cxmaturity.api.plan_schemas import ActionsOut
from cxmaturity.api.schemas import QUARTER, AssessmentOut, ClientOut, LinkOut, PageQuery, Strict

LanguageKey = Literal["de", "en"]
AnonymityKey = Literal["named", "confidential", "anonymous"]

# --- bulk PDFs --------------------------------------------------------------------------


class BulkReportIn(Strict):
    client_ids: list[int] = Field(
        min_length=1, max_length=2000, description="The clients whose reports go into the ZIP."
    )
    period: str = Field(description="The quarter of the reports, e.g. 2026-Q3.", pattern=QUARTER)
    language: LanguageKey = "en"


class BulkReportOut(BaseModel):
    """A bulk-report job: its clients' PDFs as one ZIP, made in the background."""

    id: int
    status: Literal["queued", "running", "done", "failed"]
    period: str
    language: LanguageKey
    client_ids: list[int]
    total: int = Field(description="Reports to make.")
    done: int = Field(description="Reports made so far.")
    percent: int
    error: Literal["interrupted", "render_failed", "storage", "unexpected"] | None = Field(
        description="Why a failed job failed; start it again."
    )
    created_at: datetime.datetime
    finished_at: datetime.datetime | None
    file_available: bool = Field(
        description="Whether the ZIP can be downloaded now (done, and not yet removed 24 h after)."
    )


# --- clients: archive, restore, purge -----------------------------------------------------


class ClientListQuery(PageQuery):
    archived: bool = Field(
        default=False, description="true lists the archived clients instead of the others."
    )


class ArchivedOut(BaseModel):
    client: ClientOut
    purge_due_at: datetime.datetime | None = Field(
        description="When restoring ends and the client is deleted for good (30 days)."
    )
    open_assessments: int = Field(
        description="Open assessments of the client: they stay open, their links keep working."
    )


class PurgeIn(Strict):
    confirm_name: str = Field(
        min_length=1,
        max_length=300,
        description="The client's name, as the confirmation that it is to be deleted for good.",
    )


# --- the anonymity mode --------------------------------------------------------------------


class AnonymityIn(Strict):
    mode: AnonymityKey


class AnonymityOut(BaseModel):
    assessment_id: int
    mode: AnonymityKey
    locked: bool = Field(description="true once a respondent has submitted: the mode is fixed.")
    changeable: bool = Field(description="Whether this token may change the mode now.")


# --- a link's extension -------------------------------------------------------------------


class ExtensionIn(Strict):
    last_day: datetime.date = Field(
        description="The last day the link works (UTC): after today, at most 120 days after"
        " the invitation."
    )


class ExtendedOut(BaseModel):
    respondent_id: int
    expires_at: datetime.datetime


# --- next quarter --------------------------------------------------------------------------


class NextQuarterOfferOut(BaseModel):
    """What starting the next quarter would do, before anything is made."""

    client_id: int
    client_archived: bool
    previous_assessment_id: int | None = Field(
        description="The latest closed assessment; null: there is none to start from."
    )
    previous_period: str | None
    suggested_period: str | None
    invitable: int = Field(description="Last quarter's respondents who can be invited again.")
    left_out: int = Field(description="Revoked, opted out, or not known by name (anonymous).")
    anonymous: bool = Field(description="Last quarter was anonymous: nothing can be pre-filled.")
    version_then: str | None
    version_now: str | None


class NextQuarterIn(Strict):
    period: str | None = Field(
        default=None,
        pattern=QUARTER,
        description="After the latest closed quarter; the suggested period if left out.",
    )
    due_date: datetime.date | None = None
    reinvite: bool = Field(default=True, description="Invite last quarter's respondents again.")
    prefill: bool = Field(
        default=False,
        description="Offer them their previous answers pre-filled (needs reinvite; never"
        " after an anonymous quarter).",
    )


class NextQuarterOut(BaseModel):
    assessment: AssessmentOut
    links: list[LinkOut] = Field(description="The new private links: in this answer only.")
    mailed: int
    waiting: int
    prefilled_answers: int
    prefilled_respondents: int
    left_out: int


# --- cohorts ------------------------------------------------------------------------------


class CohortRenameIn(Strict):
    name: str = Field(min_length=1, max_length=100)


# --- recommended steps of the action plan ----------------------------------------------------


class StepsQuery(Strict):
    lang: LanguageKey = "en"


class StepOut(BaseModel):
    source_key: str = Field(description='"dimension:level:position": add it by this key.')
    dimension_id: str
    level: int
    text: str
    priority: bool = Field(description="The dimension is one of the three priorities.")
    added: bool = Field(description="Already in the plan.")


class StepsOut(BaseModel):
    client_id: int
    current_period: str | None
    steps: list[StepOut] = Field(
        description="The next steps of each scored dimension's level, the priorities' first."
    )


class StepIn(Strict):
    source_key: str = Field(min_length=1, max_length=200)
    language: LanguageKey = Field(default="en", description="The language of the step's title.")


class PriorityStepsIn(Strict):
    language: LanguageKey = Field(default="en", description="The language of the titles.")


class StepsAddedOut(ActionsOut):
    added: int = Field(description="Steps added now (those already in the plan are left).")
