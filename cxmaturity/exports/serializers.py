"""The JSON shapes the command line, the web and the API share (DESIGN §6), from domain records.

Numbers are JSON numbers with two decimals, rounded half up (DESIGN §4.8); a value
that does not exist is null. The shapes of DESIGN §6 are normative, exactly: no key
more, no key less (the history's key figures are on the client's page, not here).
"""

from __future__ import annotations

from fractions import Fraction

from cxmaturity.domain.history import ClientHistory, HistoryDimension, HistoryPeriod
from cxmaturity.domain.scoring import round_half_up


def json_number(value: Fraction | None) -> float | None:
    """An exact value as a JSON number with two decimals, rounded half up."""
    return None if value is None else float(round_half_up(value, 2))


def history_json(history: ClientHistory) -> dict:
    """`cxmaturity history` and `history.json`: every closed period, oldest first."""
    return {
        "client": history.client_id,
        "periods": [_period(period) for period in history.periods],
    }


def _period(period: HistoryPeriod) -> dict:
    overlap = period.panel_overlap
    return {
        "period": period.period,
        "questionnaire": {"id": period.questionnaire_id, "version": period.questionnaire_version},
        "status": period.status,
        "overall": {
            "score": json_number(period.score),
            "level": period.level,
            "change": json_number(period.change),
            "comparability": period.comparability.value if period.comparability else None,
        },
        "dimensions": [_dimension(dimension) for dimension in period.dimensions],
        "panel_overlap": json_number(overlap),
        "different_respondents": period.different_respondents,
    }


def _dimension(dimension: HistoryDimension) -> dict:
    return {
        "id": dimension.dimension_id,
        "score": json_number(dimension.score),
        "level": dimension.level,
        "change": json_number(dimension.change),
        "comparability": dimension.comparability.value if dimension.comparability else None,
        "like_for_like_change": json_number(dimension.like_for_like_change),
        "stable_panel_change": json_number(dimension.stable_panel_change),
    }
