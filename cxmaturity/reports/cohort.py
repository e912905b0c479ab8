"""Your position in the cohort (DESIGN §4.13): the band of the peers, per dimension and overall.

What a client sees of its peers is only this band: lower quartile, median and upper
quartile of the workspace's other comparable clients, with the client's own score
marked. Never a peer's name, alias, minimum or maximum; below the workspace's min-n
not even a number, only "fewer than 5 comparable clients". The results pages and the
PDF show the same rows, worded here; reports/cohort_chart.py draws them.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from cxmaturity.domain.cohorts import Band
from cxmaturity.domain.outcome import Outcome
from cxmaturity.domain.questionnaire import Questionnaire
from cxmaturity.reports.text_tools import clean
from cxmaturity.reports.texts import ReportText

OVERALL = "overall"


@dataclass(frozen=True)
class CohortRow:
    id: str
    """The dimension's id, or "overall"."""
    title: str
    own: str
    """The client's own score, rounded down like every score (§4.8); "–" where not scored."""
    exact_own: Fraction | None
    band: Band
    lower_quartile: str
    """Rounded half up to one decimal; "" where the band is suppressed."""
    median: str
    upper_quartile: str
    withheld: str
    """"fewer than 5 comparable clients" where the band is suppressed; else ""."""

    @property
    def shown(self) -> bool:
        return not self.band.suppressed


@dataclass(frozen=True)
class CohortView:
    min_n: int
    peers: int
    """The comparable clients besides this one (a dimension's band may count fewer)."""
    rows: tuple[CohortRow, ...]
    """Overall first, then the dimensions in questionnaire order."""
    intro: str
    peers_line: str
    """"Compared with 7 other clients of …" or why no band is shown."""
    levels: tuple[tuple[int, float, float], ...]
    """(level, lowest score, highest score) of the questionnaire's levels, for the chart."""

    @property
    def any_shown(self) -> bool:
        return any(row.shown for row in self.rows)


def cohort_view(outcome: Outcome, language: str) -> CohortView | None:
    """The band rows of the outcome's cohort position; None where it has none (a team
    workspace, the headless report)."""
    position = outcome.cohort
    if position is None:
        return None
    t = ReportText(language)
    peers = position.peers
    result = outcome.result
    rows = [_row(OVERALL, t.gettext("Overall"), result.overall_score, peers.overall, t)]
    for dimension in outcome.questionnaire.dimensions:
        rows.append(
            _row(
                dimension.id,
                clean(dimension.title.get(language)),
                result.dimension(dimension.id).score,
                peers.dimension(dimension.id),
                t,
            )
        )
    if peers.overall.suppressed:
        peers_line = t.gettext(
            "There are fewer than %(min_n)s comparable clients in %(period)s: to keep every "
            "client's results to itself, no band is shown below %(min_n)s.",
            min_n=peers.min_n,
            period=clean(outcome.period),
        )
    else:
        peers_line = t.ngettext(
            "Compared with %(num)s other client of the consultancy with a closed assessment "
            "of %(period)s on the same questionnaire.",
            "Compared with %(num)s other clients of the consultancy with a closed assessment "
            "of %(period)s on the same questionnaire.",
            peers.n,
            period=clean(outcome.period),
        )
    return CohortView(
        min_n=peers.min_n,
        peers=peers.n,
        rows=tuple(rows),
        intro=t.gettext(
            "Where you stand among the other clients: the band spans the middle half of "
            "their scores, from the lower to the upper quartile, with the median marked. "
            "No other client is named, and their lowest and highest scores are never shown."
        ),
        peers_line=peers_line,
        levels=_levels(outcome.questionnaire),
    )


def _row(row_id: str, title: str, own: Fraction | None, band: Band, t: ReportText) -> CohortRow:
    shown = not band.suppressed
    return CohortRow(
        id=row_id,
        title=title,
        own=t.score(own),
        exact_own=own,
        band=band,
        lower_quartile=t.spread(band.lower_quartile) if shown else "",
        median=t.spread(band.median) if shown else "",
        upper_quartile=t.spread(band.upper_quartile) if shown else "",
        withheld=""
        if shown
        else t.gettext("fewer than %(count)s comparable clients", count=band.min_n),
    )


def _levels(questionnaire: Questionnaire) -> tuple[tuple[int, float, float], ...]:
    thresholds = [float(level.threshold) for level in questionnaire.levels]
    highs = [*thresholds[1:], 5.0]
    return tuple((n, low, highs[n - 1]) for n, low in enumerate(thresholds, 1))
