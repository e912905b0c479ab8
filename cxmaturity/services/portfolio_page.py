"""The portfolio as the page, `portfolio.json`, `portfolio.csv` and the CLI ask for it (issue 11).

Built on services/portfolio_filter.py (the URL's filter) and services/portfolio.py
(the rows): this module adds what those leave to their callers — a saved cohort
named by `cohort=<id>` filling the filter, the refusal of team workspaces, and what
the page's filter form offers (periods, questionnaires, tags, saved cohorts). A
refused filter still gives the page its form, with the refusal at its field.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field, replace

from sqlalchemy.orm import Session, sessionmaker

from cxmaturity.domain.access import Actor, Decision, Permission
from cxmaturity.domain.cohorts import major_version
from cxmaturity.domain.loader import Catalogue
from cxmaturity.domain.portfolio import Portfolio
from cxmaturity.domain.statuses import WorkspaceKind
from cxmaturity.exports.portfolio_csv import portfolio_csv
from cxmaturity.services.errors import InvalidInput
from cxmaturity.services.portfolio import columns_of, portfolio_of
from cxmaturity.services.portfolio_charts import PortfolioCharts, portfolio_charts
from cxmaturity.services.portfolio_filter import Query, filter_from
from cxmaturity.services.saved_cohorts import Cohort, cohort_in, cohorts_in, portfolio_workspace
from cxmaturity.store.database import run_reading
from cxmaturity.store.models import Workspace
from cxmaturity.store.queries import accounts as account_queries
from cxmaturity.store.queries import portfolio as queries
from cxmaturity.store.queries import saved_cohorts as cohort_queries

COHORT = "cohort"


@dataclass(frozen=True)
class QuestionnaireChoice:
    questionnaire_id: str
    title: str


@dataclass(frozen=True)
class PortfolioPage:
    workspace_slug: str
    workspace_name: str
    portfolio: Portfolio | None
    """None where the filter was refused: the page shows the form and the refusal."""
    refused: InvalidInput | None = None
    query: dict[str, list[str]] = field(default_factory=dict)
    """The query as sent (a saved cohort's fields filled in), for the form."""
    periods: tuple[str, ...] = ()
    questionnaires: tuple[QuestionnaireChoice, ...] = ()
    majors: tuple[str, ...] = ()
    dimension_titles: dict[str, str] = field(default_factory=dict)
    tags: tuple[str, ...] = ()
    cohorts: tuple[Cohort, ...] = ()
    cohort: Cohort | None = None
    may_manage_cohorts: bool = False
    charts: PortfolioCharts | None = None
    """The charts above the table (services/portfolio_charts.py); None where refused."""

    @property
    def field_refused(self) -> str | None:
        return self.refused.field if self.refused else None


def portfolio_page(
    sessions: sessionmaker[Session],
    catalogue: Catalogue,
    actor: Actor | None,
    slug: str,
    query: Query,
    today: datetime.date,
    language: str,
) -> PortfolioPage:
    """The page's portfolio with its form's choices. Raises NotVisible for a workspace the
    actor does not see, a team workspace, or a saved cohort not of this workspace."""

    def read(session: Session) -> PortfolioPage:
        workspace = portfolio_workspace(session, actor, slug)
        assert actor is not None
        cohorts = cohorts_in(session, workspace)
        visible = actor.visible_clients(workspace.id)
        bad_cohort: InvalidInput | None = None
        try:
            cohort, filled = _with_cohort(session, workspace, query)
        except InvalidInput as refused:
            cohort, filled, bad_cohort = None, {k: list(v) for k, v in query.items()}, refused
        common = PortfolioPage(
            workspace_slug=workspace.slug,
            workspace_name=workspace.name,
            portfolio=None,
            query=filled,
            periods=tuple(queries.periods(session, workspace.id)),
            questionnaires=_questionnaires(catalogue, language),
            majors=_majors(catalogue),
            tags=tuple(cohort_queries.workspace_tags(session, workspace.id, visible)),
            cohorts=cohorts,
            cohort=cohort,
            may_manage_cohorts=actor.decide(Permission.MANAGE_CLIENTS, workspace.id)
            is Decision.ALLOWED,
            refused=bad_cohort,
        )
        if bad_cohort is not None:
            return common
        try:
            found = _portfolio(session, catalogue, workspace, actor, filled, today)
        except InvalidInput as refused:
            return replace(common, refused=refused)
        columns = columns_of(catalogue, found.filter.questionnaire_id, found.filter.major)
        titles = {d.id: d.title.get(language) for d in columns.dimensions}
        return replace(common, portfolio=found, dimension_titles=titles)

    shown = run_reading(sessions, read)
    if shown.portfolio is None:
        return shown
    # Drawn after the read: matplotlib's half second holds no database connection.
    filter_ = shown.portfolio.filter
    columns = columns_of(catalogue, filter_.questionnaire_id, filter_.major)
    return replace(shown, charts=portfolio_charts(shown.portfolio, language, columns))


def portfolio_for_export(
    sessions: sessionmaker[Session],
    catalogue: Catalogue,
    actor: Actor | None,
    slug: str,
    query: Query,
    today: datetime.date,
) -> Portfolio:
    """The same portfolio for `portfolio.json` and `portfolio.csv`; InvalidInput where the
    filter is refused."""

    def read(session: Session) -> Portfolio:
        workspace = portfolio_workspace(session, actor, slug)
        _cohort, filled = _with_cohort(session, workspace, query)
        return _portfolio(session, catalogue, workspace, actor, filled, today)

    return run_reading(sessions, read)


def portfolio_csv_text(portfolio: Portfolio) -> str:
    """`portfolio.csv`: the rows shown, as exports/portfolio_csv.py writes them."""
    return portfolio_csv(portfolio)


def portfolio_as_operator(
    sessions: sessionmaker[Session],
    catalogue: Catalogue,
    slug: str,
    query: Query,
    today: datetime.date,
) -> Portfolio:
    """`cxmaturity portfolio`: the operator reads every client; InvalidInput("workspace")
    for an unknown or team workspace."""

    def read(session: Session) -> Portfolio:
        workspace = account_queries.workspace_by_slug(session, slug)
        if workspace is None:
            raise InvalidInput("workspace", f"there is no workspace {slug!r}")
        if workspace.kind == WorkspaceKind.TEAM.value:
            raise InvalidInput("workspace", f"{slug!r} is a team workspace: it has no portfolio")
        chosen = filter_from(session, catalogue, workspace, query, today)
        return portfolio_of(session, catalogue, workspace, chosen, today)

    return run_reading(sessions, read)


def _portfolio(
    session: Session,
    catalogue: Catalogue,
    workspace: Workspace,
    actor: Actor | None,
    query: Query,
    today: datetime.date,
) -> Portfolio:
    assert actor is not None
    chosen = filter_from(session, catalogue, workspace, query, today)
    return portfolio_of(
        session, catalogue, workspace, chosen, today, actor.visible_clients(workspace.id)
    )


def _with_cohort(
    session: Session, workspace: Workspace, query: Query
) -> tuple[Cohort | None, dict[str, list[str]]]:
    """The saved cohort the query names, and the query with the cohort's fields in place of
    the form's (choosing a cohort replaces industry, size, tags and questionnaire)."""
    filled = {key: list(values) for key, values in query.items() if key != COHORT}
    values = [value for value in query.get(COHORT, ()) if value.strip()]
    if not values:
        return None, filled
    if len(values) > 1 or not values[0].strip().isdigit():
        raise InvalidInput(COHORT, "must be the number of a saved cohort")
    cohort = cohort_in(session, workspace, int(values[0]))
    filled.update(cohort.query())
    return cohort, filled


def _questionnaires(catalogue: Catalogue, language: str) -> tuple[QuestionnaireChoice, ...]:
    """Each installed questionnaire id with its title (of the newest version)."""
    return tuple(
        QuestionnaireChoice(qid, catalogue.get(qid).title.get(language))
        for qid in sorted({questionnaire.id for questionnaire in catalogue})
    )


def _majors(catalogue: Catalogue) -> tuple[str, ...]:
    """Every installed major version, lowest first."""
    return tuple(sorted({major_version(q.version) for q in catalogue}, key=int))


@dataclass(frozen=True)
class CohortsPage:
    workspace_slug: str
    workspace_name: str
    cohorts: tuple[Cohort, ...]
    questionnaires: tuple[QuestionnaireChoice, ...]
    majors: tuple[str, ...]
    may_manage_cohorts: bool


def cohorts_page(
    sessions: sessionmaker[Session],
    catalogue: Catalogue,
    actor: Actor | None,
    slug: str,
    language: str,
) -> CohortsPage:
    """The workspace's saved cohorts with what a new one may be made of."""

    def read(session: Session) -> CohortsPage:
        workspace = portfolio_workspace(session, actor, slug)
        assert actor is not None
        return CohortsPage(
            workspace_slug=workspace.slug,
            workspace_name=workspace.name,
            cohorts=cohorts_in(session, workspace),
            questionnaires=_questionnaires(catalogue, language),
            majors=_majors(catalogue),
            may_manage_cohorts=actor.decide(Permission.MANAGE_CLIENTS, workspace.id)
            is Decision.ALLOWED,
        )

    return run_reading(sessions, read)
