"""The fields of the client bundle `cxmaturity-export/1`: which stored column, under which key.

Each table of the bundle is a tuple of `Field`s, the one place that says which
stored column goes into the file under which key and of which kind. The
service reads and writes the models by these tuples, `bundle.py` converts the
values by them, and the published JSON Schema is built from them
(`bundle_schema.py`), so that file, code and schema cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from cxmaturity.domain.statuses import (
    ORGANIZATION_SIZES,
    ActionEffect,
    ActionEventKind,
    ActionSource,
    ActionStatus,
    Anonymity,
    AssessmentStatus,
    Comparability,
    Delivery,
    KpiName,
    Language,
    RespondentGroup,
    RespondentStatus,
    TargetStatus,
)

FORMAT = "cxmaturity-export/1"


class Kind(StrEnum):
    TEXT = "text"
    CHOICE = "choice"
    INTEGER = "integer"
    BOOLEAN = "boolean"
    DATETIME = "datetime"
    DATE = "date"
    PERIOD = "period"
    FRACTION = "fraction"
    JSON = "json"
    """Stored as JSON text; in the bundle the parsed value itself."""


@dataclass(frozen=True)
class Field:
    key: str
    kind: Kind
    nullable: bool = True
    column: str = ""
    """The model's attribute where it differs from `key`."""
    max_length: int | None = None
    choices: tuple[str, ...] = ()
    minimum: int | None = None
    maximum: int | None = None

    @property
    def attribute(self) -> str:
        return self.column or self.key


def _text(key: str, max_length: int | None, *, nullable: bool = True) -> Field:
    return Field(key, Kind.TEXT, nullable, max_length=max_length)


def _choice(key: str, values: type[StrEnum] | tuple[str, ...], **rules: object) -> Field:
    return Field(key, Kind.CHOICE, choices=tuple(str(v) for v in values), **rules)  # type: ignore[arg-type]


SMALL = 32_767
"""The largest count the store keeps in a small integer column."""


def _count(key: str, *, nullable: bool = False, maximum: int = SMALL) -> Field:
    return Field(key, Kind.INTEGER, nullable, minimum=0, maximum=maximum)


def _level(key: str, *, nullable: bool = True) -> Field:
    return Field(key, Kind.INTEGER, nullable, minimum=1, maximum=5)


def _time(key: str, *, nullable: bool = True) -> Field:
    return Field(key, Kind.DATETIME, nullable)


def _period(key: str, *, nullable: bool = True) -> Field:
    return Field(key, Kind.PERIOD, nullable)


def _fraction(key: str) -> Field:
    return Field(key, Kind.FRACTION)


def _flag(key: str) -> Field:
    return Field(key, Kind.BOOLEAN, nullable=False)


CLIENT = (
    _text("name", 200, nullable=False),
    _text("industry", 100),
    _choice("size", ORGANIZATION_SIZES),
    _text("external_reference", 100),
    _time("archived_at"),
    _time("created_at", nullable=False),
)
ASSESSMENT = (
    _text("questionnaire_id", 100, nullable=False),
    _text("questionnaire_version", 20, nullable=False),
    _period("period", nullable=False),
    _choice("status", AssessmentStatus, nullable=False),
    _choice("anonymity", Anonymity, nullable=False),
    Field("due_date", Kind.DATE),
    _time("opened_at"),
    _time("closed_at"),
    _time("created_at", nullable=False),
)
PERSON_KEYS = ("name", "email", "role")
"""What names a respondent: never in the bundle of an anonymous assessment (DESIGN §8)."""
RESPONDENT = (
    _text("name", 200),
    _text("email", 320),
    _text("role", 200),
    _choice("group", RespondentGroup, column="respondent_group"),
    _choice("language", Language, nullable=False),
    _choice("status", RespondentStatus, nullable=False),
    _time("submitted_at"),
    _count("last_page", nullable=True),
    _time("invited_at", nullable=False),
    _time("expires_at"),
    _time("revoked_at"),
    _time("last_opened_at"),
    _count("reminder_count"),
    _time("last_reminded_at"),
    _time("opted_out_at"),
    _choice("delivery", Delivery),
    _count("delivery_attempts"),
    _time("delivery_tried_at"),
    _time("created_at", nullable=False),
    _time("updated_at", nullable=False),
)
ANSWER = (
    _text("question_id", 100, nullable=False),
    _level("level"),
    _flag("not_applicable"),
    _text("comment", None),
    _flag("prefilled"),
    _flag("offered"),
    _time("updated_at", nullable=False),
)
SNAPSHOT = (
    _fraction("overall_score"),
    _level("overall_level"),
    _flag("capped"),
    _count("submitted_respondents"),
    # The previous assessment is one of the same client's, named by its period.
    _period("previous_period", nullable=True),
    _fraction("overall_change"),
    _choice("overall_comparability", Comparability),
    _count("previous_respondents", nullable=True),
    _count("matched_respondents", nullable=True),
    _time("computed_at", nullable=False),
)
DIMENSION = (
    _text("dimension_id", 100, nullable=False),
    _fraction("score"),
    _level("level"),
    _fraction("spread"),
    _count("respondents"),
    _flag("disagreement"),
    _choice("comparability", Comparability),
    _fraction("change"),
    _fraction("like_for_like_change"),
    _fraction("stable_panel_change"),
    _count("changed_questions", nullable=True),
    _count("question_ids", nullable=True),
)
TARGET = (
    _text("questionnaire_id", 100, nullable=False),
    _text("dimension_id", 100, nullable=False),
    _level("target_level", nullable=False),
    _period("due_period"),
    _fraction("baseline_score"),
    _period("baseline_period"),
    _choice("status", TargetStatus, nullable=False),
    _period("achieved_period"),
    _time("created_at", nullable=False),
    _time("updated_at", nullable=False),
)
ACTION = (
    _text("questionnaire_id", 100, nullable=False),
    _text("dimension_id", 100, nullable=False),
    _text("question_id", 100),
    _text("title", 300, nullable=False),
    _text("owner", 200),
    Field("due_date", Kind.DATE),
    _choice("status", ActionStatus, nullable=False),
    _choice("source", ActionSource, nullable=False),
    _text("source_key", 200),
    _period("opened_period", nullable=False),
    _period("closed_period"),
    _count("times_carried"),
    _count("carried_unchanged"),
    _period("last_carried_period"),
    _choice("effect", ActionEffect),
    _period("effect_period"),
    _time("created_at", nullable=False),
    _time("updated_at", nullable=False),
)
EVENT = (
    _choice("kind", ActionEventKind, nullable=False),
    Field("detail", Kind.JSON),
    _period("period"),
    _time("at", nullable=False),
)
KPI = (
    _period("period", nullable=False),
    _choice("kpi", KpiName, nullable=False),
    Field("inputs", Kind.JSON, nullable=False),
    _fraction("value"),
    _count("sample_size", nullable=True, maximum=2_147_483_647),
    _text("note", None),
    _time("updated_at", nullable=False),
)
