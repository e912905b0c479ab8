"""CX key figures computed from the raw figures a team enters (DESIGN §5).

Each calculator returns an exact `Fraction`, or None where there is nothing to
compute from (no responses, no inquiries): "no value" is an answer, not an error.
Impossible raw figures (negative counts, more satisfied than responses) raise
`KpiInputError`.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

Number = int | Fraction


class KpiInputError(ValueError):
    """The raw figures contradict each other or are out of range."""


def _count(name: str, value: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise KpiInputError(f"{name} must be a whole number of at least 0, not {value!r}")
    return value


def _amount(name: str, value: Number) -> Fraction:
    if isinstance(value, bool) or not isinstance(value, int | Fraction):
        raise KpiInputError(f"{name} must be an exact number, not {value!r}")
    return Fraction(value)


def _share_percent(part: int, whole: int, part_name: str, whole_name: str) -> Fraction | None:
    _count(part_name, part)
    _count(whole_name, whole)
    if part > whole:
        raise KpiInputError(f"{part_name} ({part}) cannot exceed {whole_name} ({whole})")
    if whole == 0:
        return None
    return Fraction(part * 100, whole)


def net_promoter_score(promoters: int, passives: int, detractors: int) -> Fraction | None:
    """% promoters (9–10) minus % detractors (0–6); from −100 to 100."""
    for name, value in (
        ("promoters", promoters),
        ("passives", passives),
        ("detractors", detractors),
    ):
        _count(name, value)
    responses = promoters + passives + detractors
    if responses == 0:
        return None
    return Fraction((promoters - detractors) * 100, responses)


def net_promoter_score_from_ratings(ratings: list[int]) -> Fraction | None:
    """NPS from the 0–10 answers to "How likely are you to recommend us?"."""
    for rating in ratings:
        if isinstance(rating, bool) or not isinstance(rating, int) or not 0 <= rating <= 10:
            raise KpiInputError(f"a recommendation rating must be 0 to 10, not {rating!r}")
    promoters = sum(1 for rating in ratings if rating >= 9)
    detractors = sum(1 for rating in ratings if rating <= 6)
    return net_promoter_score(promoters, len(ratings) - promoters - detractors, detractors)


def customer_effort_score(agreeing: int, responses: int) -> Fraction | None:
    """Share (%) of respondents choosing 4–5 on the 1–5 "it was easy" scale."""
    return _share_percent(agreeing, responses, "answers of 4–5", "responses")


def customer_satisfaction_score(satisfied: int, responses: int) -> Fraction | None:
    """Share (%) of satisfied responses (4–5 on a 1–5 scale)."""
    return _share_percent(satisfied, responses, "satisfied responses", "responses")


def average_response_time(total_time: Number, inquiries: int) -> Fraction | None:
    """Total time to first response divided by the number of inquiries, in its unit."""
    total = _amount("total response time", total_time)
    if total < 0:
        raise KpiInputError("total response time cannot be negative")
    if _count("inquiries", inquiries) == 0:
        return None
    return total / inquiries


def customer_lifetime_value(
    annual_revenue_per_customer: Number, relationship_years: Number, acquisition_cost: Number
) -> Fraction:
    """Annual revenue per customer × relationship length in years − acquisition cost."""
    revenue = _amount("annual revenue per customer", annual_revenue_per_customer)
    years = _amount("relationship length", relationship_years)
    cost = _amount("acquisition cost", acquisition_cost)
    if years < 0 or cost < 0:
        raise KpiInputError("relationship length and acquisition cost cannot be negative")
    return revenue * years - cost


@dataclass(frozen=True)
class KpiReading:
    """One key figure of a client in one period, beside the maturity in history and PDF."""

    kpi: str
    """KpiName value."""
    period: str
    value: Fraction | None
    """None: "no value" (no responses)."""
    sample_size: int | None
    previous_value: Fraction | None = None
    """The same figure in the client's previous period with one, for its change."""
    note: str | None = None

    @property
    def change(self) -> Fraction | None:
        if self.value is None or self.previous_value is None:
            return None
        return self.value - self.previous_value
