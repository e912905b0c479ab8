"""The fields of the client bundle `cxmaturity-export/1` and its JSON Schema, built from them.

Each table of the bundle is a tuple of `Field`s: the one place that says which
stored column goes into the file under which key and of which kind. The
published schema (`docs/bundle.schema.json`) is generated from these tuples, so
file, code and schema cannot drift apart: `python -m cxmaturity.exports.bundle_schema`
prints it, and a test compares it with the published copy.
"""

from __future__ import annotations

import json
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
SCHEMA_ID = "https://cxmaturity.example/schemas/cxmaturity-export-1.json"
# Exact numbers are kept as the stored fraction text ("9/5", "-1/2", "3").
FRACTION_PATTERN = r"^-?[0-9]+(/[0-9]+)?$"
PERIOD_PATTERN = r"^[0-9]{4}-Q[1-4]$"
DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
# Points in time are UTC, written by datetime.isoformat().
DATETIME_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,6})?\+00:00$"


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


def _property(field: Field) -> dict:
    kinds: dict[Kind, dict] = {
        Kind.TEXT: {"type": "string"},
        Kind.CHOICE: {"enum": list(field.choices)},
        Kind.INTEGER: {"type": "integer"},
        Kind.BOOLEAN: {"type": "boolean"},
        Kind.DATETIME: {"type": "string", "pattern": DATETIME_PATTERN},
        Kind.DATE: {"type": "string", "pattern": DATE_PATTERN},
        Kind.PERIOD: {"type": "string", "pattern": PERIOD_PATTERN},
        Kind.FRACTION: {"type": "string", "pattern": FRACTION_PATTERN},
        Kind.JSON: {},
    }
    schema = dict(kinds[field.kind])
    if field.max_length is not None:
        schema["maxLength"] = field.max_length
    if field.minimum is not None:
        schema["minimum"] = field.minimum
    if field.maximum is not None:
        schema["maximum"] = field.maximum
    if field.kind is Kind.JSON and not field.nullable:
        return {"type": "object"}
    if field.nullable and schema:
        return {"anyOf": [schema, {"type": "null"}]}
    return schema


def _object(fields: tuple[Field, ...], **more: dict) -> dict:
    properties = {field.key: _property(field) for field in fields} | more
    return {
        "type": "object",
        "additionalProperties": False,
        "required": list(properties),
        "properties": properties,
    }


def _list(item: str) -> dict:
    return {"type": "array", "items": {"$ref": f"#/$defs/{item}"}}


def _anonymous_holds_no_person() -> dict:
    """An anonymous assessment's respondents carry no name, e-mail or role."""
    nobody = {"properties": {key: {"type": "null"} for key in PERSON_KEYS}}
    return {
        "if": {"properties": {"anonymity": {"const": Anonymity.ANONYMOUS.value}}},
        "then": {"properties": {"respondents": {"items": nobody}}},
    }


def bundle_schema() -> dict:
    """The JSON Schema (2020-12) every bundle of this format satisfies."""
    assessment = (
        _object(
            ASSESSMENT,
            respondents=_list("respondent"),
            snapshot={"anyOf": [{"$ref": "#/$defs/snapshot"}, {"type": "null"}]},
        )
        | _anonymous_holds_no_person()
    )
    tags = {"type": "array", "maxItems": 10, "items": {"type": "string", "maxLength": 50}}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "cxmaturity client bundle (cxmaturity-export/1)",
        "type": "object",
        "additionalProperties": False,
        "required": [
            "format",
            "exported_at",
            "client",
            "assessments",
            "targets",
            "actions",
            "kpis",
        ],
        "properties": {
            "format": {"const": FORMAT},
            "exported_at": {"type": "string", "pattern": DATETIME_PATTERN},
            "client": _object(CLIENT, tags=tags),
            "assessments": _list("assessment"),
            "targets": _list("target"),
            "actions": _list("action"),
            "kpis": _list("kpi"),
        },
        "$defs": {
            "assessment": assessment,
            "respondent": _object(RESPONDENT, answers=_list("answer")),
            "answer": _object(ANSWER),
            "snapshot": _object(SNAPSHOT, dimensions=_list("dimension")),
            "dimension": _object(DIMENSION),
            "target": _object(TARGET),
            "action": _object(ACTION, events=_list("event")),
            "event": _object(EVENT),
            "kpi": _object(KPI),
        },
    }


def published_text() -> str:
    """The text of docs/bundle.schema.json."""
    return json.dumps(bundle_schema(), indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    print(published_text(), end="")
