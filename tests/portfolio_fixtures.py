"""Portfolio records built by hand for the charts' tests: 30 clients of a consultancy."""

from __future__ import annotations

from fractions import Fraction

from cxmaturity.domain.cohorts import Band, CohortStatistics
from cxmaturity.domain.portfolio import (
    DimensionCell,
    Portfolio,
    PortfolioFilter,
    PortfolioRow,
    PortfolioStatus,
)
from cxmaturity.domain.statuses import Comparability, KpiName

DIMENSIONS = (
    "strategy",
    "customer-understanding",
    "touchpoints",
    "measurement",
    "data-technology",
    "personalization",
    "service-voc",
    "culture",
)
THRESHOLDS = (Fraction(1), Fraction(9, 5), Fraction(13, 5), Fraction(17, 5), Fraction(21, 5))
TRICKY_NAME = '<script>alert("x")</script> & Söhne'
ARABIC_NAME = "شركة النور"


def level_of(score: Fraction) -> int:
    return max(n for n, threshold in enumerate(THRESHOLDS, 1) if threshold <= score)


def cell(dimension_id: str, score: Fraction | None, **fields) -> DimensionCell:
    values = {
        "change": None,
        "comparability": None,
        "disagreement": False,
        "target_level": None,
        **fields,
    }
    return DimensionCell(
        dimension_id, score, level_of(score) if score is not None else None, **values
    )


def row(client_id: int, name: str, scores, **fields) -> PortfolioRow:
    """An assessed row; `scores` per dimension (None: not scored)."""
    cells = fields.pop("cells", None) or tuple(
        cell(d, s) for d, s in zip(DIMENSIONS, scores, strict=True)
    )
    scored = [s for s in scores if s is not None]
    overall = sum(scored, Fraction(0)) / len(scored) if scored else None
    values = {
        "industry": "energy",
        "size": "250-999",
        "tags": (),
        "status": PortfolioStatus.ASSESSED,
        "assessment_id": client_id * 10,
        "last_period": None,
        "questionnaire_version": "1.0",
        "overall_score": overall,
        "overall_level": level_of(overall) if overall is not None else None,
        "overall_change": None,
        "overall_comparability": None,
        "capped": False,
        "dimensions": cells,
        "invited": 4,
        "submitted": 3,
        "target_progress": None,
        "open_actions": 0,
        "overdue_actions": 0,
        "stalled_actions": 0,
        **fields,
    }
    return PortfolioRow(client_id, name, **values)


def absent_row(client_id: int, name: str, status=PortfolioStatus.NOT_ASSESSED) -> PortfolioRow:
    return row(client_id, name, [None] * len(DIMENSIONS), status=status, assessment_id=None,
               last_period="2026-Q3", cells=(), overall_score=None, overall_level=None,
               invited=0, submitted=0)  # fmt: skip


def thirty_rows() -> tuple[PortfolioRow, ...]:
    """28 assessed clients with spread-out scores, changes, flags and KPIs, and 2 without."""
    rows = []
    for n in range(28):
        base = Fraction(10 + (n * 7) % 30, 10)  # 1.0 … 3.9
        scores = [min(base + Fraction((n + d) % 5, 5), Fraction(5)) for d in range(8)]
        if n == 3:
            scores[7] = None
        change = Fraction((n % 7) - 3, 5)
        comparability = Comparability.BRIDGED if n % 4 == 1 else Comparability.SAME
        if n == 5:
            comparability = Comparability.BROKEN
        cells = tuple(
            cell(
                d,
                s,
                change=change if n % 3 else None,
                comparability=comparability if n % 3 else None,
                disagreement=(n + index) % 9 == 0,
                target_level=(level_of(s) + 1 if (n + index) % 6 == 0 else None) if s else None,
            )
            for index, (d, s) in enumerate(zip(DIMENSIONS, scores, strict=True))
        )
        name = {0: TRICKY_NAME, 1: ARABIC_NAME, 2: "Stadtwerke Musterstadt-Nord GmbH & Co. KG"}
        rows.append(
            row(
                n + 1,
                name.get(n, f"Client {n + 1:02d}"),
                scores,
                cells=cells,
                overall_change=change if n % 3 else None,
                overall_comparability=comparability if n % 3 else None,
                kpis={KpiName.NPS.value: Fraction(-20 + n * 3), KpiName.CSAT.value: None},
            )
        )
    rows.append(absent_row(29, "Client 29"))
    rows.append(absent_row(30, "Client 30", PortfolioStatus.OPEN))
    return tuple(rows)


def band(n: int, lower: str, median: str, upper: str, min_n: int = 5) -> Band:
    return Band(n, min_n, Fraction(lower), Fraction(median), Fraction(upper))


def statistics(suppressed: bool = False, min_n: int = 5) -> CohortStatistics:
    if suppressed:
        return CohortStatistics(4, min_n, Band(4, min_n),
                                tuple((d, Band(4, min_n)) for d in DIMENSIONS))  # fmt: skip
    dimensions = tuple(
        (d, band(28, "2.1", "2.8", "3.5") if d != "culture" else Band(3, min_n)) for d in DIMENSIONS
    )
    return CohortStatistics(28, min_n, band(28, "2.2", "2.9", "3.6"), dimensions)


def portfolio(
    rows: tuple[PortfolioRow, ...] | None = None,
    cohort: CohortStatistics | None = None,
    kpi: KpiName = KpiName.NPS,
    aliases: dict[int, str] | None = None,
) -> Portfolio:
    return Portfolio(
        workspace_slug="acme",
        filter=PortfolioFilter(
            period="2026-Q4", questionnaire_id="cx-maturity", major="1", kpi=kpi
        ),
        questionnaire_version="1.0",
        dimension_ids=DIMENSIONS,
        rows=thirty_rows() if rows is None else rows,
        cohort=statistics() if cohort is None else cohort,
        aliases=aliases or {},
    )
