"""The history of a client (DESIGN §6 `cxmaturity history`, §7 `/w/<slug>/clients/<id>`).

Every closed period is read from its result snapshot as it was stored when the
period closed (and refreshed when an earlier one closed later); nothing is
scored again. The number of SQL queries does not grow with the number of periods:
one per table (assessments with snapshots, dimension snapshots, targets, KPIs).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

from sqlalchemy.orm import Session, sessionmaker

from cxmaturity import locale
from cxmaturity.domain.access import Actor, Permission
from cxmaturity.domain.history import (
    ClientHistory,
    HistoryDimension,
    HistoryPeriod,
    HistoryTarget,
    KpiPoint,
)
from cxmaturity.domain.loader import Catalogue
from cxmaturity.domain.questionnaire import Questionnaire
from cxmaturity.domain.statuses import Comparability, KpiName
from cxmaturity.services.access import client_for
from cxmaturity.services.errors import InvalidInput
from cxmaturity.store.database import run_reading
from cxmaturity.store.models import Assessment, DimensionSnapshot, Organization, ResultSnapshot
from cxmaturity.store.queries import accounts as account_queries
from cxmaturity.store.queries import clients as client_queries
from cxmaturity.store.queries import history as history_queries
from cxmaturity.store.queries.snapshots import exact_value


def client_history(
    sessions: sessionmaker[Session],
    actor: Actor | None,
    slug: str,
    client_id: int,
    catalogue: Catalogue | None = None,
) -> ClientHistory:
    """The client's closed periods, oldest first, with its active targets and KPI values.

    With the catalogue, each period's dimensions come in its questionnaire's order;
    without, by id.

    Raises NotVisible for a client outside what the actor may see (also another
    workspace's), exactly as for an unknown id.
    """

    def read(session: Session) -> ClientHistory:
        _workspace, organization = client_for(
            session, actor, slug, client_id, Permission.VIEW_RESULTS
        )
        return history_of(session, organization, catalogue)

    return run_reading(sessions, read)


def client_history_as_operator(
    sessions: sessionmaker[Session], catalogue: Catalogue, slug: str, client_id: int
) -> ClientHistory:
    """The same for the operator's command line, which needs no account.

    Raises InvalidInput naming an unknown workspace or client.
    """

    def read(session: Session) -> ClientHistory:
        workspace = account_queries.workspace_by_slug(session, slug)
        if workspace is None:
            raise InvalidInput("workspace", f"there is no workspace {slug!r}")
        organization = client_queries.client_in(session, workspace.id, client_id)
        if organization is None:
            raise InvalidInput("client", f"workspace {slug!r} has no client {client_id}")
        return history_of(session, organization, catalogue)

    return run_reading(sessions, read)


@dataclass(frozen=True)
class HistorySection:
    """What the client page's history section shows (templates/clients/history.html)."""

    history: ClientHistory
    questionnaire: Questionnaire | None
    """The latest period's: titles and the targets' thresholds; None if its file is gone."""
    language: str
    chart_description: str
    chart_size: tuple[int, int]
    """Width and height of the trend chart in CSS pixels."""

    @property
    def periods_newest_first(self) -> tuple[HistoryPeriod, ...]:
        return tuple(reversed(self.history.periods))

    def title(self, dimension_id: str) -> str:
        if self.questionnaire is not None:
            for dimension in self.questionnaire.dimensions:
                if dimension.id == dimension_id:
                    return dimension.title.get(self.language)
        return dimension_id

    def score(self, value: Fraction | None) -> str:
        return _formatted(locale.format_score, value, self.language)

    def change(self, value: Fraction | None) -> str:
        return _formatted(locale.format_change, value, self.language)

    def figure(self, value: Fraction | None) -> str:
        """A KPI value or an overlap: one decimal, rounded half up."""
        return _formatted(locale.format_spread, value, self.language)

    def kpi_value(self, kpi: str, value: Fraction | None) -> str:
        """A key figure with its unit, rounded half up, as the results page shows it."""
        return locale.format_kpi(kpi, value, self.language)

    def kpi_change(self, period: str, kpi: str) -> str:
        """The change since the latest earlier period with a value ("" where none)."""
        point = self.history.kpi(period, kpi)
        earlier = [
            p
            for p in self.history.kpis
            if p.kpi == kpi and p.period < period and p.value is not None
        ]
        if point is None or point.value is None or not earlier:
            return ""
        before = max(earlier, key=lambda p: p.period)
        assert before.value is not None
        return locale.format_kpi_change(kpi, point.value - before.value, self.language)

    def percent(self, value: Fraction | None) -> str:
        return self.figure(None if value is None else value * 100)

    @property
    def kpi_names(self) -> tuple[str, ...]:
        """The key figures entered in any period, in the order of DESIGN §5."""
        entered = {point.kpi for point in self.history.kpis}
        return tuple(name.value for name in KpiName if name.value in entered)


def history_section(
    sessions: sessionmaker[Session],
    catalogue: Catalogue,
    actor: Actor | None,
    slug: str,
    client_id: int,
    language: str,
) -> HistorySection:
    """The client page's history section; NotVisible as `client_history`."""
    from cxmaturity.reports import trend  # matplotlib: loaded by the first page that needs it

    history = client_history(sessions, actor, slug, client_id, catalogue)
    questionnaire = latest_questionnaire(catalogue, history)
    description = trend.description(history, questionnaire, language)
    size = trend.size_px(history, questionnaire)
    return HistorySection(history, questionnaire, language, description, size)


def history_chart(
    sessions: sessionmaker[Session],
    catalogue: Catalogue,
    actor: Actor | None,
    slug: str,
    client_id: int,
    language: str,
) -> str:
    """The client's trend chart (reports/trend.py) as SVG in `language`; NotVisible as
    above. Its text alternative is the history section's `chart_description`."""
    from cxmaturity.reports import trend

    history = client_history(sessions, actor, slug, client_id, catalogue)
    return trend.trend_svg(history, latest_questionnaire(catalogue, history), language)


def latest_questionnaire(catalogue: Catalogue, history: ClientHistory) -> Questionnaire | None:
    """The questionnaire of the latest period whose file is still installed (titles,
    thresholds); None where none is."""
    for period in reversed(history.periods):
        found = questionnaire_or_none(
            catalogue, period.questionnaire_id, period.questionnaire_version
        )
        if found is not None:
            return found
    return None


def questionnaire_or_none(
    catalogue: Catalogue, questionnaire_id: str, version: str
) -> Questionnaire | None:
    try:
        return catalogue.get(questionnaire_id, version)
    except LookupError:
        return None


def history_of(
    session: Session, organization: Organization, catalogue: Catalogue | None
) -> ClientHistory:
    """Read in four queries, whatever the number of periods."""
    closed = history_queries.closed_periods(session, organization.id)
    ids = [assessment.id for assessment, _ in closed]
    dimensions = history_queries.dimension_rows(session, ids) if ids else {}
    levels = {
        assessment.id: (
            snapshot.overall_level if snapshot else None,
            {row.dimension_id: row.level for row in dimensions.get(assessment.id, [])},
        )
        for assessment, snapshot in closed
    }
    periods = tuple(
        _period(
            assessment,
            snapshot,
            dimensions.get(assessment.id, []),
            levels,
            _order(catalogue, assessment.questionnaire_id, assessment.questionnaire_version),
        )
        for assessment, snapshot in closed
    )
    targets = tuple(
        HistoryTarget(row.dimension_id, row.target_level, row.due_period)
        for row in history_queries.active_targets(session, organization.id)
        if not periods or row.questionnaire_id == periods[-1].questionnaire_id
    )
    kpis = tuple(
        KpiPoint(row.period, row.kpi, exact_value(row.value), row.sample_size)
        for row in history_queries.kpi_values(session, organization.id)
    )
    return ClientHistory(organization.id, organization.name, periods, targets, kpis)


Levels = dict[int, tuple[int | None, dict[str, int | None]]]


def _period(
    assessment: Assessment,
    snapshot: ResultSnapshot | None,
    rows: list[DimensionSnapshot],
    levels: Levels,
    order: dict[str, int],
) -> HistoryPeriod:
    previous_id = snapshot.previous_assessment_id if snapshot else None
    overall_then, dimension_levels_then = levels.get(previous_id or -1, (None, {}))
    return HistoryPeriod(
        period=assessment.period,
        assessment_id=assessment.id,
        questionnaire_id=assessment.questionnaire_id,
        questionnaire_version=assessment.questionnaire_version,
        status=assessment.status,
        score=exact_value(snapshot.overall_score) if snapshot else None,
        level=snapshot.overall_level if snapshot else None,
        capped=snapshot.capped if snapshot else False,
        change=exact_value(snapshot.overall_change) if snapshot else None,
        comparability=_comparability(snapshot.overall_comparability) if snapshot else None,
        level_then=overall_then,
        submitted_respondents=snapshot.submitted_respondents if snapshot else 0,
        previous_respondents=snapshot.previous_respondents if snapshot else None,
        matched_respondents=snapshot.matched_respondents if snapshot else None,
        dimensions=tuple(
            _dimension(row, dimension_levels_then.get(row.dimension_id))
            for row in _in_order(rows, order)
        ),
    )


def _dimension(row: DimensionSnapshot, level_then: int | None) -> HistoryDimension:
    return HistoryDimension(
        dimension_id=row.dimension_id,
        score=exact_value(row.score),
        level=row.level,
        comparability=_comparability(row.comparability),
        change=exact_value(row.change),
        like_for_like_change=exact_value(row.like_for_like_change),
        stable_panel_change=exact_value(row.stable_panel_change),
        changed_questions=row.changed_questions,
        question_ids=row.question_ids,
        level_then=level_then,
    )


def _in_order(rows: list[DimensionSnapshot], order: dict[str, int]) -> list[DimensionSnapshot]:
    # The rows keep no order of their own: the questionnaire's order, then any dimension
    # it no longer has (or all, where its file is gone) by id.
    return sorted(rows, key=lambda row: (order.get(row.dimension_id, len(order)), row.dimension_id))


@functools.lru_cache(maxsize=4096)
def _formatted(
    format_value: Callable[[Fraction | None, str], str], value: Fraction | None, language: str
) -> str:
    # A page of twelve quarters writes some 200 numbers, most of them alike; Babel takes
    # a quarter of a millisecond for each.
    return format_value(value, language)


def _order(catalogue: Catalogue | None, questionnaire_id: str, version: str) -> dict[str, int]:
    found = questionnaire_or_none(catalogue, questionnaire_id, version) if catalogue else None
    return {dimension.id: n for n, dimension in enumerate(found.dimensions)} if found else {}


def _comparability(text: str | None) -> Comparability | None:
    return None if text is None else Comparability(text)
