"""The raw figures a person types for each CX key figure, their rules, and the value they give.

`evaluate(kpi, raw)` turns the texts of one key figure's form fields into its value
and sample size (DESIGN §5), or into a `FieldProblem` per refused field, so that a
page can name every field at once. Numbers are read exactly: "12,5" and "12.5" are
both Fraction(25, 2), never a float. Zero responses give no value, not an error.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction

from cxmaturity.domain import kpi as calculators
from cxmaturity.domain.statuses import KpiName
from cxmaturity.domain.text import TextRefused, clean_optional_text

# Whole numbers fit the database's 32-bit sample size; amounts stay far from silly.
MAX_COUNT = 1_000_000_000
MAX_AMOUNT = 10**12
MAX_DECIMALS = 6
MAX_TEXT_LENGTH = 40
NOTE_MAX_LENGTH = 500
# [0-9], not \d: \d would also accept other scripts' digits.
_NUMBER = re.compile(r"^-?[0-9]+(?:[.,][0-9]+)?$")


class Kind(StrEnum):
    COUNT = "count"
    """A whole number of at least 0."""
    AMOUNT = "amount"
    """A decimal number of at least 0 (hours, euros, years)."""


class Problem(StrEnum):
    """Why a field is refused; the web words each in the reader's language."""

    REQUIRED = "required"
    NOT_A_NUMBER = "not_a_number"
    NOT_WHOLE = "not_whole"
    NEGATIVE = "negative"
    TOO_LARGE = "too_large"
    TOO_PRECISE = "too_precise"
    EXCEEDS_RESPONSES = "exceeds_responses"
    """A part (satisfied, answers of 4–5) is more than the responses."""
    SUM_EXCEEDS_RESPONSES = "sum_exceeds_responses"
    """NPS: promoters + detractors are more than the responses."""
    PASSIVES_OR_RESPONSES = "passives_or_responses"
    """NPS: neither the passives nor the total responses were given."""
    SUM_DIFFERS = "sum_differs"
    """NPS: promoters + passives + detractors differ from the responses given too."""
    NOTE_TOO_LONG = "note_too_long"
    NOTE_REFUSED = "note_refused"
    """A note with a control or text-direction character."""
    NOTE_WITHOUT_FIGURES = "note_without_figures"


@dataclass(frozen=True)
class KpiField:
    name: str
    kind: Kind
    required: bool = True


# The fields of each key figure, in the order a form shows them.
FIELDS: dict[KpiName, tuple[KpiField, ...]] = {
    KpiName.NPS: (
        KpiField("promoters", Kind.COUNT),
        KpiField("passives", Kind.COUNT, required=False),
        KpiField("detractors", Kind.COUNT),
        KpiField("responses", Kind.COUNT, required=False),
    ),
    KpiName.CES: (KpiField("agreeing", Kind.COUNT), KpiField("responses", Kind.COUNT)),
    KpiName.CSAT: (KpiField("satisfied", Kind.COUNT), KpiField("responses", Kind.COUNT)),
    KpiName.RESPONSE_TIME: (
        KpiField("total_hours", Kind.AMOUNT),
        KpiField("inquiries", Kind.COUNT),
    ),
    KpiName.CLV: (
        KpiField("annual_revenue", Kind.AMOUNT),
        KpiField("years", Kind.AMOUNT),
        KpiField("acquisition_cost", Kind.AMOUNT),
    ),
}


@dataclass(frozen=True)
class FieldProblem:
    field: str
    problem: Problem
    values: Mapping[str, str] | None = None
    """The figures a message quotes (e.g. {"responses": "20"})."""

    @property
    def message(self) -> str:
        """The problem in English, for the API, the CLI and the logs."""
        quoted = dict(self.values or {})
        return _MESSAGES[self.problem].format(**quoted)


_MESSAGES = {
    Problem.REQUIRED: "enter a number",
    Problem.NOT_A_NUMBER: "must be a number such as 12 or 12.5",
    Problem.NOT_WHOLE: "must be a whole number",
    Problem.NEGATIVE: "cannot be negative",
    Problem.TOO_LARGE: "is too large",
    Problem.TOO_PRECISE: f"may have at most {MAX_DECIMALS} decimals",
    Problem.EXCEEDS_RESPONSES: "cannot be more than the responses ({responses})",
    Problem.SUM_EXCEEDS_RESPONSES: (
        "promoters and detractors ({promoters} + {detractors}) cannot be more than the"
        " responses ({responses})"
    ),
    Problem.PASSIVES_OR_RESPONSES: "enter the passives or the total responses",
    Problem.SUM_DIFFERS: (
        "promoters, passives and detractors add up to {total}, not to the responses ({responses})"
    ),
    Problem.NOTE_TOO_LONG: f"may have at most {NOTE_MAX_LENGTH} characters",
    Problem.NOTE_REFUSED: "contains a control character",
    Problem.NOTE_WITHOUT_FIGURES: "a note needs the figures it belongs to",
}


@dataclass(frozen=True)
class Evaluated:
    """A key figure computed from its raw figures."""

    value: Fraction | None
    """None: no value (no responses, no inquiries)."""
    sample_size: int | None
    """Responses or inquiries; None where the figure has no sample (CLV)."""
    inputs: dict[str, str]
    """The figures entered, as exact decimal text ("12.5"), empty fields left out."""


def parse_number(text: str) -> Fraction:
    """The exact number written in `text`: "12", "12.5", "12,5", "-3". Raises ValueError.

    Only one decimal separator is read, so "1.234,5" is refused rather than guessed at.
    """
    written = text.strip().replace("\N{MINUS SIGN}", "-")
    if len(written) > MAX_TEXT_LENGTH or not _NUMBER.fullmatch(written):
        raise ValueError(f"not a number: {text!r}")
    return Fraction(written.replace(",", "."))


def decimal_text(value: Fraction) -> str:
    """An exact number with a finite decimal expansion as plain text: 25/2 -> "12.5"."""
    sign = "-" if value < 0 else ""
    whole, rest = divmod(abs(value), 1)
    if rest == 0:
        return f"{sign}{whole}"
    digits = ""
    while rest and len(digits) < MAX_DECIMALS:
        rest *= 10
        digit, rest = divmod(rest, 1)
        digits += str(digit)
    return f"{sign}{whole}.{digits}"


def is_empty(raw: Mapping[str, str]) -> bool:
    """True where no field of the key figure holds anything but spaces."""
    return all(not (text or "").strip() for text in raw.values())


def checked_note(text: str | None, has_figures: bool) -> str | FieldProblem | None:
    """The note as stored (None for none), or its problem."""
    try:
        note = clean_optional_text(text, multiline=True)
    except TextRefused:
        return FieldProblem("note", Problem.NOTE_REFUSED)
    if note is None:
        return None
    if len(note) > NOTE_MAX_LENGTH:
        return FieldProblem("note", Problem.NOTE_TOO_LONG)
    if not has_figures:
        return FieldProblem("note", Problem.NOTE_WITHOUT_FIGURES)
    return note


def evaluate(kpi: KpiName, raw: Mapping[str, str]) -> Evaluated | list[FieldProblem]:
    """The value of `kpi` from the texts of its fields, or every field's problem.

    Fields not in FIELDS[kpi] are ignored; a caller that cares refuses them first.
    """
    numbers: dict[str, Fraction] = {}
    problems: list[FieldProblem] = []
    for spec in FIELDS[kpi]:
        text = (raw.get(spec.name) or "").strip()
        if not text:
            if spec.required:
                problems.append(FieldProblem(spec.name, Problem.REQUIRED))
            continue
        checked = _checked(spec, text)
        if isinstance(checked, Problem):
            problems.append(FieldProblem(spec.name, checked))
        else:
            numbers[spec.name] = checked
    if problems:
        return problems
    inputs = {name: decimal_text(number) for name, number in numbers.items()}
    combined = _RULES[kpi](numbers)
    if isinstance(combined, FieldProblem):
        return [combined]
    value, sample_size = combined
    return Evaluated(value, sample_size, inputs)


def _checked(spec: KpiField, text: str) -> Fraction | Problem:
    try:
        number = parse_number(text)
    except ValueError:
        return Problem.NOT_A_NUMBER
    if number < 0:
        return Problem.NEGATIVE
    if spec.kind is Kind.COUNT and number.denominator != 1:
        return Problem.NOT_WHOLE
    if number > (MAX_COUNT if spec.kind is Kind.COUNT else MAX_AMOUNT):
        return Problem.TOO_LARGE
    if (number * 10**MAX_DECIMALS).denominator != 1:
        return Problem.TOO_PRECISE
    return number


Computed = tuple[Fraction | None, int | None] | FieldProblem
Rule = Callable[[dict[str, Fraction]], Computed]


def _nps(numbers: dict[str, Fraction]) -> Computed:
    promoters, detractors = int(numbers["promoters"]), int(numbers["detractors"])
    passives = int(numbers["passives"]) if "passives" in numbers else None
    responses = int(numbers["responses"]) if "responses" in numbers else None
    if passives is None and responses is None:
        return FieldProblem("passives", Problem.PASSIVES_OR_RESPONSES)
    if passives is None:
        assert responses is not None
        if promoters + detractors > responses:
            return FieldProblem(
                "responses",
                Problem.SUM_EXCEEDS_RESPONSES,
                {
                    "promoters": str(promoters),
                    "detractors": str(detractors),
                    "responses": str(responses),
                },
            )
        passives = responses - promoters - detractors
    total = promoters + passives + detractors
    if responses is not None and responses != total:
        return FieldProblem(
            "responses", Problem.SUM_DIFFERS, {"total": str(total), "responses": str(responses)}
        )
    return calculators.net_promoter_score(promoters, passives, detractors), total


def _share(part_name: str, calculator: Callable[[int, int], Fraction | None]) -> Rule:
    def share(numbers: dict[str, Fraction]) -> Computed:
        part, responses = int(numbers[part_name]), int(numbers["responses"])
        if part > responses:
            return FieldProblem(part_name, Problem.EXCEEDS_RESPONSES, {"responses": str(responses)})
        return calculator(part, responses), responses

    return share


def _response_time(numbers: dict[str, Fraction]) -> Computed:
    inquiries = int(numbers["inquiries"])
    return calculators.average_response_time(numbers["total_hours"], inquiries), inquiries


def _clv(numbers: dict[str, Fraction]) -> Computed:
    value = calculators.customer_lifetime_value(
        numbers["annual_revenue"], numbers["years"], numbers["acquisition_cost"]
    )
    return value, None


_RULES: dict[KpiName, Rule] = {
    KpiName.NPS: _nps,
    KpiName.CES: _share("agreeing", calculators.customer_effort_score),
    KpiName.CSAT: _share("satisfied", calculators.customer_satisfaction_score),
    KpiName.RESPONSE_TIME: _response_time,
    KpiName.CLV: _clv,
}
