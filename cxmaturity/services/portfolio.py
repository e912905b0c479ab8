"""The portfolio of a workspace for one period (DESIGN §9), read from result snapshots.

A constant number of queries whatever the number of clients: one per table
(clients, tags, the period's assessments, their dimension rows, participation,
targets, actions, KPIs, earlier periods). Nothing is scored again.
"""

from __future__ import annotations

import datetime
import functools
from collections import defaultdict
from dataclasses import dataclass
from fractions import Fraction

from sqlalchemy.orm import Session, sessionmaker

from cxmaturity.domain.access import Actor, Permission
from cxmaturity.domain.cohorts import CohortClient, cohort_statistics
from cxmaturity.domain.loader import Catalogue
from cxmaturity.domain.portfolio import (
    DimensionCell,
    Portfolio,
    PortfolioFilter,
    PortfolioRow,
    PortfolioStatus,
    filtered,
    sorted_rows,
)
from cxmaturity.domain.questionnaire import Questionnaire
from cxmaturity.domain.statuses import AssessmentStatus, Comparability
from cxmaturity.domain.targets import progress_to
from cxmaturity.services.access import workspace_for
from cxmaturity.services.errors import InvalidInput
from cxmaturity.store.database import run_reading
from cxmaturity.store.models import Workspace
from cxmaturity.store.queries import portfolio as queries
from cxmaturity.store.queries.portfolio import Scope
from cxmaturity.store.queries.snapshots import exact_value


def portfolio(
    sessions: sessionmaker[Session],
    catalogue: Catalogue,
    actor: Actor | None,
    slug: str,
    chosen: PortfolioFilter,
    today: datetime.date,
) -> Portfolio:
    """The portfolio the filter asks for, of the clients the actor sees.

    Raises NotVisible for a workspace the actor does not see, InvalidInput where the
    filter names a questionnaire id and major version that is not installed.
    """

    def read(session: Session) -> Portfolio:
        workspace = workspace_for(session, actor, slug, Permission.VIEW_WORKSPACE)
        assert actor is not None
        return portfolio_of(
            session, catalogue, workspace, chosen, today, actor.visible_clients(workspace.id)
        )

    return run_reading(sessions, read)


def portfolio_of(
    session: Session,
    catalogue: Catalogue,
    workspace: Workspace,
    chosen: PortfolioFilter,
    today: datetime.date,
    visible: frozenset[int] | None = None,
) -> Portfolio:
    """The same for a workspace already authorized (the CLI's operator, the benchmarks)."""
    questionnaire = columns_of(catalogue, chosen.questionnaire_id, chosen.major)
    scope = Scope(workspace.id, chosen.period, chosen.questionnaire_id, visible)
    rows = _rows(session, scope, questionnaire, chosen.major, today)
    shown = sorted_rows(filtered(rows, chosen), chosen)
    dimension_ids = tuple(dimension.id for dimension in questionnaire.dimensions)
    assessed = [_cohort_client(row, chosen) for row in shown if row.assessed]
    return Portfolio(
        workspace_slug=workspace.slug,
        filter=chosen,
        questionnaire_version=questionnaire.version,
        dimension_ids=dimension_ids,
        rows=tuple(shown),
        cohort=cohort_statistics(assessed, dimension_ids, workspace.cohort_min_n),
    )


def columns_of(catalogue: Catalogue, questionnaire_id: str, major: str) -> Questionnaire:
    """The newest installed version of the id with that major version: its dimensions are
    the portfolio's columns. Raises InvalidInput where none is installed."""
    versions = [
        q for q in catalogue if q.id == questionnaire_id and q.version.split(".")[0] == major
    ]
    if not versions:
        raise InvalidInput(
            "questionnaire", f"no questionnaire {questionnaire_id!r} of major version {major}"
        )
    return max(versions, key=lambda q: q.version_key)


@dataclass(frozen=True)
class _Tables:
    """What the queries read for the scope, keyed for the rows."""

    clients: list[queries.ClientFacts]
    tags: dict[int, tuple[str, ...]]
    assessments: dict[int, queries.PeriodAssessment]
    """Client id → its assessment of the period, of the chosen major version."""
    cells: dict[int, list[DimensionCell]]
    """Assessment id → its cells in the questionnaire's order (closed assessments only)."""
    earlier: dict[int, str]
    participation: dict[int, tuple[int, int]]
    targets: dict[int, dict[str, queries.TargetFacts]]
    actions: dict[int, queries.ActionCounts]
    kpis: dict[int, dict[str, str | None]]


def _rows(
    session: Session,
    scope: Scope,
    questionnaire: Questionnaire,
    major: str,
    today: datetime.date,
) -> list[PortfolioRow]:
    tables = _read(session, scope, questionnaire, major, today)
    thresholds = {level.level: level.threshold for level in questionnaire.levels}
    return [_row(client, tables, thresholds) for client in tables.clients]


def _read(
    session: Session,
    scope: Scope,
    questionnaire: Questionnaire,
    major: str,
    today: datetime.date,
) -> _Tables:
    targets: dict[int, dict[str, queries.TargetFacts]] = defaultdict(dict)
    for target in queries.targets(session, scope):
        targets[target.client_id][target.dimension_id] = target
    order = {dimension.id: n for n, dimension in enumerate(questionnaire.dimensions)}
    assessments = {
        a.client_id: a
        for a in queries.period_assessments(session, scope)
        if a.questionnaire_version.split(".")[0] == major
    }
    client_of = {a.id: a.client_id for a in assessments.values()}
    slots: dict[int, list[DimensionCell | None]] = {}
    for facts in queries.closed_dimensions(session, scope):
        position = order.get(facts.dimension_id)
        client_id = client_of.get(facts.assessment_id)
        if position is None or client_id is None:
            continue  # a dimension the columns do not have, or another major version
        row = slots.setdefault(facts.assessment_id, [None] * len(order))
        aim = targets.get(client_id, {}).get(facts.dimension_id)
        row[position] = _cell(facts[1:], aim.target_level if aim else None)
    return _Tables(
        clients=queries.clients(session, scope),
        tags=queries.tags(session, scope),
        assessments=assessments,
        cells={key: [c for c in row if c is not None] for key, row in slots.items()},
        earlier=queries.last_closed_periods(session, scope),
        participation=queries.participation(session, scope),
        targets=targets,
        actions=queries.action_counts(session, scope, today),
        kpis=queries.kpi_values(session, scope),
    )


_NO_ACTIONS = queries.ActionCounts(0, 0, 0)


def _row(
    client: queries.ClientFacts, tables: _Tables, thresholds: dict[int, Fraction]
) -> PortfolioRow:
    assessment = tables.assessments.get(client.id)
    closed = assessment if assessment and assessment.status == AssessmentStatus.CLOSED else None
    cells = tuple(tables.cells.get(closed.id, ())) if closed else ()
    invited, submitted = tables.participation.get(assessment.id, (0, 0)) if assessment else (0, 0)
    counts = tables.actions.get(client.id, _NO_ACTIONS)
    return PortfolioRow(
        client_id=client.id,
        client_name=client.name,
        industry=client.industry,
        size=client.size,
        tags=tables.tags.get(client.id, ()),
        status=_status(assessment),
        assessment_id=closed.id if closed else None,
        last_period=None if closed else tables.earlier.get(client.id),
        questionnaire_version=assessment.questionnaire_version if assessment else None,
        overall_score=exact_value(closed.overall_score) if closed else None,
        overall_level=closed.overall_level if closed else None,
        overall_change=exact_value(closed.overall_change) if closed else None,
        overall_comparability=_comparability(closed.overall_comparability) if closed else None,
        capped=bool(closed.capped) if closed else False,
        dimensions=cells,
        invited=invited,
        submitted=submitted,
        target_progress=_target_progress(thresholds, cells, tables.targets.get(client.id, {})),
        open_actions=counts.open,
        overdue_actions=counts.overdue,
        stalled_actions=counts.stalled,
        kpis={name: exact_value(value) for name, value in tables.kpis.get(client.id, {}).items()},
    )


def _status(assessment: queries.PeriodAssessment | None) -> PortfolioStatus:
    if assessment is None:
        return PortfolioStatus.NOT_ASSESSED
    if assessment.status == AssessmentStatus.CLOSED.value:
        return PortfolioStatus.ASSESSED
    return PortfolioStatus.OPEN


@functools.lru_cache(maxsize=8192)
def _cell(stored: tuple, target_level: int | None) -> DimensionCell:
    """A cell from a dimension snapshot row without its assessment id. Cells are values and
    a workspace's clients share most of them, so equal rows share one cell."""
    dimension_id, score, level, change, comparability, disagreement = stored
    return DimensionCell(
        dimension_id=dimension_id,
        score=exact_value(score),
        level=level,
        change=exact_value(change),
        comparability=_comparability(comparability),
        disagreement=bool(disagreement),
        target_level=target_level,
    )


def _target_progress(
    thresholds: dict[int, Fraction],
    cells: tuple[DimensionCell, ...],
    targets: dict[str, queries.TargetFacts],
) -> Fraction | None:
    """The mean progress over the client's targets on scored dimensions (DESIGN §4.11);
    a target set before any score counts from its dimension's current score."""
    shares = []
    for cell in cells:
        target = targets.get(cell.dimension_id)
        if target is None or cell.score is None:
            continue
        baseline = exact_value(target.baseline_score) or cell.score
        shares.append(_progress(thresholds[target.target_level], cell.score, baseline))
    return sum(shares, Fraction(0)) / len(shares) if shares else None


@functools.lru_cache(maxsize=8192)
def _progress(threshold: Fraction, score: Fraction, baseline: Fraction) -> Fraction:
    # Clients of one workspace share few distinct scores; Fraction arithmetic is slow.
    return progress_to(threshold, score, baseline)


def _cohort_client(row: PortfolioRow, chosen: PortfolioFilter) -> CohortClient:
    return CohortClient(
        client_id=row.client_id,
        questionnaire_id=chosen.questionnaire_id,
        questionnaire_version=row.questionnaire_version or chosen.major,
        period=chosen.period,
        overall=row.overall_score,
        dimensions={cell.dimension_id: cell.score for cell in row.dimensions},
        industry=row.industry,
        size=row.size,
        tags=row.tags,
    )


_COMPARABILITY = {value.value: value for value in Comparability}


def _comparability(text: str | None) -> Comparability | None:
    return None if text is None else _COMPARABILITY[text]
