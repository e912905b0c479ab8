"""The client bundle `cxmaturity-export/1`: stored values to the file and back, with its rules.

The service hands in each stored row as a mapping of attribute → Python value
(`bundle_fields.Field.attribute`); `row_json` writes it the bundle's way (times
and dates ISO, exact numbers as fraction text, JSON text as the value itself)
and `row_values` reads it back. `read_bundle` refuses a file that is not JSON
of this format, breaks the published schema, or breaks a rule of the domain
(a questionnaire version not installed, a question it does not have, two
assessments of one period, …) with one `BundleRefused` naming the place.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cache
from typing import Any

from jsonschema import Draft202012Validator  # type: ignore[import-untyped]
from jsonschema.exceptions import best_match  # type: ignore[import-untyped]

from cxmaturity.domain.loader import Catalogue, QuestionnaireMissing
from cxmaturity.domain.questionnaire import Questionnaire
from cxmaturity.domain.statuses import Anonymity, RespondentStatus, TargetStatus
from cxmaturity.exports import bundle_fields as shape
from cxmaturity.exports.bundle_fields import FORMAT, PERSON_KEYS, Field, Kind
from cxmaturity.exports.bundle_schema import bundle_schema

Values = dict[str, Any]


class BundleRefused(ValueError):
    """The file is not a bundle this version can import; the message says where and why."""


@dataclass
class ReadAssessment:
    values: Values
    respondents: list[tuple[Values, list[Values]]] = field(default_factory=list)
    snapshot: Values | None = None
    dimensions: list[Values] = field(default_factory=list)
    previous_period: str | None = None


@dataclass
class ReadBundle:
    """A checked bundle as stored values: every mapping fits its model's attributes."""

    client: Values
    tags: list[str]
    assessments: list[ReadAssessment]
    targets: list[Values]
    actions: list[tuple[Values, list[Values]]]
    kpis: list[Values]


def row_json(fields: tuple[Field, ...], values: Mapping[str, Any]) -> dict:
    """One stored row the bundle's way."""
    return {f.key: _to_json(f, values[f.attribute]) for f in fields}


def row_values(fields: tuple[Field, ...], data: Mapping[str, Any]) -> Values:
    """One row of a schema-valid bundle as stored values."""
    return {f.attribute: _from_json(f, data[f.key]) for f in fields}


def derived_number(exact: str | None) -> float | None:
    """The float the store keeps beside an exact value, for sorting and charts."""
    return None if exact is None else float(Fraction(exact))


def without_person(respondent: dict, anonymity: str) -> dict:
    """An anonymous assessment's respondent names nobody (DESIGN §8), also before submitting."""
    if anonymity == Anonymity.ANONYMOUS:
        return respondent | dict.fromkeys(PERSON_KEYS)
    return respondent


def parse_text(text: str | bytes) -> object:
    try:
        return json.loads(text)
    except (UnicodeDecodeError, ValueError) as error:
        raise BundleRefused(f"the file is not JSON: {error}") from None


def read_bundle(data: object, catalogue: Catalogue) -> ReadBundle:
    """The bundle `data` (parsed JSON) as stored values; BundleRefused where it is not one."""
    if not isinstance(data, dict):
        raise BundleRefused("the file is not a cxmaturity bundle (a JSON object)")
    found = data.get("format")
    if found != FORMAT:
        raise BundleRefused(f"the file's format is {found!r}; this version reads {FORMAT!r}")
    error = best_match(_validator().iter_errors(data))
    if error is not None:
        place = "/".join(str(part) for part in error.absolute_path) or "the file"
        raise BundleRefused(f"{place}: {error.message}")
    bundle = ReadBundle(
        client=row_values(shape.CLIENT, data["client"]),
        tags=list(data["client"]["tags"]),
        assessments=[_assessment(item) for item in data["assessments"]],
        targets=[row_values(shape.TARGET, item) for item in data["targets"]],
        actions=[
            (row_values(shape.ACTION, item), [row_values(shape.EVENT, e) for e in item["events"]])
            for item in data["actions"]
        ],
        kpis=[row_values(shape.KPI, item) for item in data["kpis"]],
    )
    problems = list(_problems(bundle, catalogue))
    if problems:
        raise BundleRefused("; ".join(problems))
    return bundle


@cache
def _validator() -> Draft202012Validator:
    return Draft202012Validator(bundle_schema())


def _assessment(data: Mapping[str, Any]) -> ReadAssessment:
    read = ReadAssessment(row_values(shape.ASSESSMENT, data))
    for respondent in data["respondents"]:
        answers = [row_values(shape.ANSWER, answer) for answer in respondent["answers"]]
        read.respondents.append((row_values(shape.RESPONDENT, respondent), answers))
    snapshot = data["snapshot"]
    if snapshot is not None:
        read.snapshot = row_values(shape.SNAPSHOT, snapshot)
        read.previous_period = read.snapshot.pop("previous_period")
        read.dimensions = [row_values(shape.DIMENSION, d) for d in snapshot["dimensions"]]
    return read


def _problems(bundle: ReadBundle, catalogue: Catalogue) -> Iterator[str]:
    """What the schema cannot say: the rules of the domain across rows."""
    seen: set[tuple[str, str]] = set()
    for number, read in enumerate(bundle.assessments):
        place = f"assessments/{number}"
        key = (read.values["questionnaire_id"], read.values["period"])
        if key in seen:
            yield f"{place}: a second assessment of {key[0]} in {key[1]}"
        seen.add(key)
        try:
            questionnaire = catalogue.get(key[0], read.values["questionnaire_version"])
        except QuestionnaireMissing as missing:
            yield f"{place}: {missing} here; install it before importing"
            continue
        yield from _assessment_problems(place, read, questionnaire)
    for number, read in enumerate(bundle.assessments):
        previous = read.previous_period
        key = (read.values["questionnaire_id"], previous)
        if previous is not None and (key not in seen or previous >= read.values["period"]):
            yield f"assessments/{number}/snapshot: no earlier assessment of {previous} in the file"
    yield from _plan_problems(bundle, catalogue)


def _assessment_problems(
    place: str, read: ReadAssessment, questionnaire: Questionnaire
) -> Iterator[str]:
    emails: set[str] = set()
    for number, (respondent, answers) in enumerate(read.respondents):
        where = f"{place}/respondents/{number}"
        submitted = respondent["status"] == RespondentStatus.SUBMITTED
        if submitted != (respondent["submitted_at"] is not None):
            yield f"{where}: submitted_at is set exactly when the status is submitted"
        email = (respondent["email"] or "").casefold()
        if email and email in emails:
            yield f"{where}: a second invitation for {respondent['email']}"
        emails.add(email)
        questions: set[str] = set()
        for index, answer in enumerate(answers):
            question_id = answer["question_id"]
            if question_id not in questionnaire.questions:
                version = f"{questionnaire.id} {questionnaire.version}"
                yield f"{where}/answers/{index}: {version} has no question {question_id!r}"
            if question_id in questions:
                yield f"{where}/answers/{index}: a second answer to {question_id!r}"
            if answer["level"] is not None and answer["not_applicable"]:
                yield f"{where}/answers/{index}: a level and 'not applicable' at once"
            questions.add(question_id)
    dimensions = {dimension.id for dimension in questionnaire.dimensions}
    for index, dimension in enumerate(read.dimensions):
        if dimension["dimension_id"] not in dimensions:
            yield f"{place}/snapshot/dimensions/{index}: no dimension {dimension['dimension_id']!r}"


def _plan_problems(bundle: ReadBundle, catalogue: Catalogue) -> Iterator[str]:
    active: set[tuple[str, str]] = set()
    for index, target in enumerate(bundle.targets):
        key = (target["questionnaire_id"], target["dimension_id"])
        if not _has_dimension(catalogue, *key):
            yield f"targets/{index}: no installed questionnaire {key[0]} has a dimension {key[1]!r}"
        if target["status"] == TargetStatus.ACTIVE:
            if key in active:
                yield f"targets/{index}: a second active target for {key[1]!r}"
            active.add(key)
    for index, (action, _events) in enumerate(bundle.actions):
        key = (action["questionnaire_id"], action["dimension_id"])
        if not _has_dimension(catalogue, *key):
            yield f"actions/{index}: no installed questionnaire {key[0]} has a dimension {key[1]!r}"
    figures: set[tuple[str, str]] = set()
    for index, kpi in enumerate(bundle.kpis):
        key = (kpi["period"], kpi["kpi"])
        if key in figures:
            yield f"kpis/{index}: a second {key[1]} for {key[0]}"
        figures.add(key)


def _has_dimension(catalogue: Catalogue, questionnaire_id: str, dimension_id: str) -> bool:
    return any(
        questionnaire.id == questionnaire_id
        and any(dimension.id == dimension_id for dimension in questionnaire.dimensions)
        for questionnaire in catalogue
    )


def _to_json(spec: Field, value: Any) -> Any:
    if value is None:
        return None
    if spec.kind in (Kind.DATETIME, Kind.DATE):
        return value.isoformat()
    if spec.kind is Kind.JSON:
        return json.loads(value)
    return value


def _from_json(spec: Field, value: Any) -> Any:
    if value is None:
        return None
    if spec.kind is Kind.TEXT and "\x00" in value:
        # PostgreSQL cannot store it; the app never writes it.
        raise BundleRefused(f"{spec.key}: the text holds a NUL character")
    if spec.kind is Kind.DATETIME:
        try:
            return datetime.datetime.fromisoformat(value)
        except ValueError:
            raise BundleRefused(f"{spec.key}: {value!r} is not a point in time") from None
    if spec.kind is Kind.DATE:
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            raise BundleRefused(f"{spec.key}: {value!r} is not a date") from None
    if spec.kind is Kind.FRACTION:
        try:
            return str(Fraction(value))
        except ZeroDivisionError:
            raise BundleRefused(f"{spec.key}: {value!r} divides by zero") from None
    if spec.kind is Kind.JSON:
        return _json_text(spec.key, value)
    return value


def _json_text(key: str, value: object) -> str:
    """The JSON text as the app itself writes it into that column, so that it reads back the
    same: KPI inputs with sorted keys (services/kpis.py), action events as they come
    (services/action_rules.py)."""
    if key == "inputs":
        return json.dumps(value, sort_keys=True)
    return json.dumps(value, ensure_ascii=False)
