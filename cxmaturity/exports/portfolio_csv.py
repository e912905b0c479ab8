"""`portfolio.csv`: the portfolio's table as CSV (UTF-8 with BOM, RFC 4180), formula-safe.

One line per client shown, the values as the page shows them (DESIGN §4.8): scores
with one decimal rounded down, changes, shares and key figures rounded half up,
numbers with a decimal point so that any spreadsheet reads them. A change that does
not compare (broken) is left empty, its comparability says why. Every text cell that
a spreadsheet would read as a formula — starting with `= + - @`, tab or CR — gets a
leading `'` (DESIGN §9).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from fractions import Fraction

from cxmaturity.domain.portfolio import Portfolio, PortfolioRow
from cxmaturity.domain.statuses import Comparability
from cxmaturity.exports.tabular import Cell, Column, Table, csv_bytes
from cxmaturity.locale import round_down, round_half_up


def write_csv(header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> str:
    """The table as every export writes it (exports/tabular.py), as text."""
    table = Table("portfolio", tuple(Column(name) for name in header), rows)
    return csv_bytes(table).decode("utf-8")


def portfolio_csv(portfolio: Portfolio) -> str:
    dimension_ids = portfolio.dimension_ids
    header = [
        "client_id",
        "client",
        "industry",
        "size",
        "tags",
        "status",
        "last_period",
        "overall_level",
        "overall_score",
        "overall_change",
        "overall_comparability",
        *(f"{d}_{part}" for d in dimension_ids for part in _DIMENSION_PARTS),
        "invited",
        "submitted",
        "participation_percent",
        "target_progress_percent",
        "open_actions",
        "overdue_actions",
        "stalled_actions",
        "nps",
        "csat",
    ]
    return write_csv(header, (_row(row, dimension_ids) for row in portfolio.rows))


_DIMENSION_PARTS = ("level", "score", "change", "disagreement", "below_target")


def _row(row: PortfolioRow, dimension_ids: Sequence[str]) -> list[Cell]:
    cells: list[Cell] = [
        row.client_id,
        row.client_name,
        row.industry,
        row.size,
        " ".join(row.tags),
        row.status.value,
        row.last_period,
        row.overall_level,
        _score(row.overall_score),
        _change(row.overall_change, row.overall_comparability),
        row.overall_comparability.value if row.overall_comparability else None,
    ]
    for dimension_id in dimension_ids:
        cell = row.cell(dimension_id)
        if cell is None:
            cells += [None] * len(_DIMENSION_PARTS)
            continue
        cells += [
            cell.level,
            _score(cell.score),
            _change(cell.change, cell.comparability),
            "yes" if cell.disagreement else "no",
            "yes" if cell.below_target else "no",
        ]
    cells += [
        row.invited,
        row.submitted,
        _percent(row.participation),
        _percent(row.target_progress),
        row.open_actions,
        row.overdue_actions,
        row.stalled_actions,
        _half_up(row.kpi("nps")),
        _half_up(row.kpi("csat")),
    ]
    return cells


def _score(value: Fraction | None) -> Decimal | None:
    return None if value is None else round_down(value)


def _change(value: Fraction | None, comparability: Comparability | None) -> Decimal | None:
    if value is None or comparability is Comparability.BROKEN:
        return None
    return round_half_up(value)


def _percent(share: Fraction | None) -> Decimal | None:
    return None if share is None else round_half_up(share * 100, 0)


def _half_up(value: Fraction | None) -> Decimal | None:
    return None if value is None else round_half_up(value)
