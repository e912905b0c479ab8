"""The JSON shapes the command line, the web and the API share (DESIGN §6), from domain records.

Numbers are JSON numbers with two decimals, rounded half up (DESIGN §4.8); a value
that does not exist is null. The shapes of DESIGN §6 are normative, exactly: no key
more, no key less (the history's key figures are on the client's page, not here).
"""

from __future__ import annotations

from fractions import Fraction

from cxmaturity.domain.cohorts import Band, CohortStatistics
from cxmaturity.domain.history import ClientHistory, HistoryDimension, HistoryPeriod
from cxmaturity.domain.portfolio import DimensionCell, Mover, Portfolio, PortfolioRow
from cxmaturity.domain.scoring import rounded_digits


def json_number(value: Fraction | None) -> float | None:
    """An exact value as a JSON number with two decimals, rounded half up."""
    # int / int is correctly rounded: the same float as float(round_half_up(value, 2)).
    return None if value is None else rounded_digits(value, 2) / 100


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


def portfolio_json(portfolio: Portfolio) -> dict:
    """`cxmaturity portfolio`, `portfolio.json` (DESIGN §6, §9): the filter, one entry per
    client shown, the cohort band with `n` and `suppressed` (no numbers when suppressed),
    the clients per level per dimension, and the movers."""
    chosen = portfolio.filter
    top, bottom = portfolio.movers()
    return {
        "workspace": portfolio.workspace_slug,
        "period": chosen.period,
        "questionnaire": {
            "id": chosen.questionnaire_id,
            "major": chosen.major,
            "version": portfolio.questionnaire_version,
        },
        "filter": {
            "industry": chosen.industry,
            "size": chosen.size,
            "tags": list(chosen.tags),
            "status": chosen.status.value if chosen.status else None,
            "below_target": chosen.below_target,
            "overdue_actions": chosen.overdue_actions,
            "disagreement": chosen.disagreement,
            "kpi": chosen.kpi.value,
            "sort": chosen.sort,
            "desc": chosen.descending,
        },
        "dimensions": list(portfolio.dimension_ids),
        "clients": [_portfolio_row(row) for row in portfolio.rows],
        "cohort": _cohort(portfolio.cohort),
        "levels": {
            dimension_id: {
                str(level): n for level, n in portfolio.level_counts(dimension_id).items()
            }
            for dimension_id in portfolio.dimension_ids
        },
        "movers": {"top": [_mover(m) for m in top], "bottom": [_mover(m) for m in bottom]},
    }


def _portfolio_row(row: PortfolioRow) -> dict:
    return {
        "id": row.client_id,
        "name": row.client_name,
        "industry": row.industry,
        "size": row.size,
        "tags": list(row.tags),
        "status": row.status.value,
        "last_period": row.last_period,
        "questionnaire_version": row.questionnaire_version,
        "overall": {
            "score": json_number(row.overall_score),
            "level": row.overall_level,
            "change": json_number(row.overall_change),
            "comparability": _value(row.overall_comparability),
            "capped": row.capped,
        },
        "dimensions": [_portfolio_cell(cell) for cell in row.dimensions],
        "participation": {
            "invited": row.invited,
            "submitted": row.submitted,
            "rate": json_number(row.participation),
        },
        "target_progress": json_number(row.target_progress),
        "actions": {
            "open": row.open_actions,
            "overdue": row.overdue_actions,
            "stalled": row.stalled_actions,
        },
        "kpis": {name: json_number(value) for name, value in sorted(row.kpis.items())},
    }


def _portfolio_cell(cell: DimensionCell) -> dict:
    return {
        "id": cell.dimension_id,
        "score": json_number(cell.score),
        "level": cell.level,
        "change": json_number(cell.change),
        "comparability": _value(cell.comparability),
        "disagreement": cell.disagreement,
        "target_level": cell.target_level,
        "below_target": cell.below_target,
    }


def _cohort(statistics: CohortStatistics) -> dict:
    return {
        "n": statistics.n,
        "min_n": statistics.min_n,
        "suppressed": statistics.suppressed,
        "overall": band_json(statistics.overall),
        "dimensions": [
            {"id": dimension_id, **band_json(band)} for dimension_id, band in statistics.dimensions
        ],
    }


def band_json(band: Band) -> dict:
    """A band's n and whether it is suppressed; its median and quartiles only where it is not
    (null otherwise: a suppressed band carries no number)."""
    shown = not band.suppressed
    return {
        "n": band.n,
        "suppressed": band.suppressed,
        "lower_quartile": json_number(band.lower_quartile) if shown else None,
        "median": json_number(band.median) if shown else None,
        "upper_quartile": json_number(band.upper_quartile) if shown else None,
    }


def _mover(mover: Mover) -> dict:
    return {
        "client": mover.client_id,
        "name": mover.client_name,
        "change": json_number(mover.change),
        "comparability": mover.comparability.value,
    }


def _value(comparability: object) -> str | None:
    return None if comparability is None else str(comparability)
