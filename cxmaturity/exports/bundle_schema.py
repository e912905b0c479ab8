"""The JSON Schema (2020-12) of the client bundle, built from its fields (`bundle_fields.py`).

The published copy is `docs/bundle.schema.json`: `python -m
cxmaturity.exports.bundle_schema` prints it, and a test compares the two.
"""

from __future__ import annotations

import json

from cxmaturity.domain.statuses import Anonymity
from cxmaturity.exports.bundle_fields import (
    ACTION,
    ANSWER,
    ASSESSMENT,
    CLIENT,
    DIMENSION,
    EVENT,
    FORMAT,
    KPI,
    PERSON_KEYS,
    RESPONDENT,
    SNAPSHOT,
    TARGET,
    Field,
    Kind,
)

SCHEMA_ID = "https://cxmaturity.example/schemas/cxmaturity-export-1.json"
# Exact numbers are kept as the stored fraction text ("9/5", "-1/2", "3").
FRACTION_PATTERN = r"^-?[0-9]+(/[0-9]+)?$"
PERIOD_PATTERN = r"^[0-9]{4}-Q[1-4]$"
DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
# Points in time are UTC, written by datetime.isoformat().
DATETIME_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,6})?\+00:00$"


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
