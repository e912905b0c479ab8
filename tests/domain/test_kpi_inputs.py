"""The raw KPI figures a person types: exact reading, the value of DESIGN §5, and a problem
per refused field. Properties are checked against a plain reference written here."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cxmaturity.domain.kpi_inputs import (
    FIELDS,
    Evaluated,
    FieldProblem,
    Problem,
    decimal_text,
    evaluate,
    is_empty,
    parse_number,
)
from cxmaturity.domain.statuses import KpiName

counts = st.integers(min_value=0, max_value=10_000)
amounts = st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False)


def reference_nps(promoters: int, passives: int, detractors: int) -> Fraction | None:
    # Straight from DESIGN §5: % promoters − % detractors.
    responses = promoters + passives + detractors
    if responses == 0:
        return None
    return Fraction(100 * promoters, responses) - Fraction(100 * detractors, responses)


def reference_share(part: int, responses: int) -> Fraction | None:
    return None if responses == 0 else Fraction(part, responses) * 100


def written(number: Decimal, comma: bool) -> str:
    text = format(number, "f")
    return text.replace(".", ",") if comma else text


def problems_of(result: Evaluated | list[FieldProblem]) -> dict[str, Problem]:
    assert isinstance(result, list), result
    return {problem.field: problem.problem for problem in result}


@given(counts, counts, counts)
def test_nps_from_three_counts_is_the_reference(promoters, passives, detractors):
    result = evaluate(
        KpiName.NPS,
        {"promoters": str(promoters), "passives": str(passives), "detractors": str(detractors)},
    )
    assert isinstance(result, Evaluated)
    assert result.value == reference_nps(promoters, passives, detractors)
    assert result.sample_size == promoters + passives + detractors
    if result.value is not None:
        assert -100 <= result.value <= 100


@given(counts, counts, counts)
def test_nps_from_promoters_detractors_and_responses(promoters, detractors, extra):
    responses = promoters + detractors + extra
    result = evaluate(
        KpiName.NPS,
        {"promoters": str(promoters), "detractors": str(detractors), "responses": str(responses)},
    )
    assert isinstance(result, Evaluated)
    assert result.value == reference_nps(promoters, extra, detractors)
    assert result.sample_size == responses
    assert "passives" not in result.inputs


@given(counts, counts, st.integers(min_value=1, max_value=1000))
def test_more_promoters_and_detractors_than_responses_is_refused_on_responses(
    promoters, detractors, missing
):
    responses = max(0, promoters + detractors - missing)
    if promoters + detractors <= responses:
        return
    result = evaluate(
        KpiName.NPS,
        {"promoters": str(promoters), "detractors": str(detractors), "responses": str(responses)},
    )
    assert isinstance(result, list)
    (problem,) = result
    assert problem.field == "responses"
    assert problem.problem is Problem.SUM_EXCEEDS_RESPONSES
    assert str(responses) in problem.message


@pytest.mark.parametrize(("kpi", "part"), [(KpiName.CES, "agreeing"), (KpiName.CSAT, "satisfied")])
@given(part_count=counts, responses=counts)
def test_ces_and_csat_are_the_share_or_refused_above_the_responses(
    kpi, part, part_count, responses
):
    result = evaluate(kpi, {part: str(part_count), "responses": str(responses)})
    if part_count > responses:
        assert problems_of(result) == {part: Problem.EXCEEDS_RESPONSES}
    else:
        assert isinstance(result, Evaluated)
        assert result.value == reference_share(part_count, responses)
        assert result.sample_size == responses


@given(amounts, counts, st.booleans())
def test_average_response_time_reads_decimals_exactly(total, inquiries, comma):
    result = evaluate(
        KpiName.RESPONSE_TIME, {"total_hours": written(total, comma), "inquiries": str(inquiries)}
    )
    assert isinstance(result, Evaluated)
    expected = None if inquiries == 0 else Fraction(total) / inquiries
    assert result.value == expected
    assert result.sample_size == inquiries
    assert Fraction(result.inputs["total_hours"]) == Fraction(total)


@given(amounts, amounts, amounts, st.booleans())
def test_clv_is_revenue_times_years_minus_cost(revenue, years, cost, comma):
    result = evaluate(
        KpiName.CLV,
        {
            "annual_revenue": written(revenue, comma),
            "years": written(years, comma),
            "acquisition_cost": written(cost, comma),
        },
    )
    assert isinstance(result, Evaluated)
    assert result.value == Fraction(revenue) * Fraction(years) - Fraction(cost)
    assert result.sample_size is None


@given(st.decimals(min_value=-(10**9), max_value=10**9, places=6, allow_nan=False))
def test_decimal_text_reads_back_as_the_same_number(number):
    value = Fraction(number)
    assert parse_number(decimal_text(value)) == value
    assert parse_number(written(number, comma=True)) == value


def test_german_decimal_comma_and_point_give_the_same_exact_number():
    assert parse_number("12,5") == parse_number("12.5") == Fraction(25, 2)
    assert parse_number(" 0,1 ") == Fraction(1, 10)


@pytest.mark.parametrize("text", ["", "abc", "1.234,5", "1e3", "12.", ",5", "½", "١٢", "1 000"])
def test_text_that_is_not_plainly_a_number_is_refused(text):
    with pytest.raises(ValueError):
        parse_number(text)


@pytest.mark.parametrize("kpi", list(KpiName))
def test_zero_responses_give_no_value_never_an_error(kpi):
    zeros = {spec.name: "0" for spec in FIELDS[kpi]}
    result = evaluate(kpi, zeros)
    assert isinstance(result, Evaluated)
    if kpi is KpiName.CLV:
        assert result.value == 0
    else:
        assert result.value is None
        assert result.sample_size == 0


def test_each_refused_field_gets_its_own_problem():
    result = evaluate(KpiName.NPS, {"promoters": "-3", "passives": "zwölf", "detractors": "2,5"})
    assert problems_of(result) == {
        "promoters": Problem.NEGATIVE,
        "passives": Problem.NOT_A_NUMBER,
        "detractors": Problem.NOT_WHOLE,
    }


def test_missing_fields_are_named():
    assert problems_of(evaluate(KpiName.CSAT, {"satisfied": "4"})) == {
        "responses": Problem.REQUIRED
    }
    assert problems_of(evaluate(KpiName.NPS, {"promoters": "4", "detractors": "1"})) == {
        "passives": Problem.PASSIVES_OR_RESPONSES
    }


def test_nps_with_passives_and_responses_must_add_up():
    result = evaluate(
        KpiName.NPS, {"promoters": "5", "passives": "3", "detractors": "2", "responses": "11"}
    )
    assert isinstance(result, list)
    assert result[0].field == "responses"
    assert result[0].message == (
        "promoters, passives and detractors add up to 10, not to the responses (11)"
    )


def test_negative_amounts_and_overlong_figures_are_refused():
    result = evaluate(
        KpiName.CLV,
        {"annual_revenue": "-1", "years": "1,1234567", "acquisition_cost": "9" * 20},
    )
    assert problems_of(result) == {
        "annual_revenue": Problem.NEGATIVE,
        "years": Problem.TOO_PRECISE,
        "acquisition_cost": Problem.TOO_LARGE,
    }


def test_csat_message_quotes_the_responses():
    result = evaluate(KpiName.CSAT, {"satisfied": "12", "responses": "10"})
    assert isinstance(result, list)
    assert result[0].message == "cannot be more than the responses (10)"


def test_a_key_figure_with_no_field_filled_is_empty():
    assert is_empty({"promoters": "", "passives": "  "})
    assert not is_empty({"promoters": "0"})


@pytest.mark.parametrize("kpi", list(KpiName))
@given(
    texts=st.lists(
        st.one_of(
            st.text(max_size=12), st.from_regex(r"-?[0-9]{1,4}([.,][0-9]{1,3})?", fullmatch=True)
        ),
        min_size=4,
        max_size=4,
    )
)
def test_any_text_gives_a_value_or_a_problem_per_field_never_an_exception(kpi, texts):
    raw = {spec.name: text for spec, text in zip(FIELDS[kpi], texts, strict=False)}
    result = evaluate(kpi, raw)
    if isinstance(result, list):
        assert result
        assert {problem.field for problem in result} <= {spec.name for spec in FIELDS[kpi]}
        assert all(problem.message for problem in result)
    else:
        assert result.sample_size is None or result.sample_size >= 0
