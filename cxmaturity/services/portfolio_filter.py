"""The portfolio's filter from a URL's query (page, JSON, CSV) or the CLI's options.

Every field is checked here, not in a form: the API and the CLI come without one.
An unknown value of a closed list (status, KPI, sort column, questionnaire) is refused
with InvalidInput naming the field; an industry, size or tag that no client has is
no error: it matches nobody, and the page says so.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from enum import StrEnum
from typing import TypeVar

from sqlalchemy.orm import Session, sessionmaker

from cxmaturity.domain.access import Actor, Permission
from cxmaturity.domain.loader import Catalogue
from cxmaturity.domain.periods import is_period, quarter_of
from cxmaturity.domain.portfolio import Portfolio, PortfolioFilter, PortfolioStatus, SortKey
from cxmaturity.domain.statuses import KpiName
from cxmaturity.services.access import workspace_for
from cxmaturity.services.errors import InvalidInput
from cxmaturity.services.portfolio import columns_of, portfolio_of
from cxmaturity.store.database import run_reading
from cxmaturity.store.models import Workspace
from cxmaturity.store.queries import portfolio as queries

SINGLE = ("period", "questionnaire", "major", "industry", "size", "status", "kpi", "sort", "page")
FLAGS = ("below_target", "overdue", "disagreement", "desc")
KNOWN = frozenset((*SINGLE, *FLAGS, "tag"))
DEFAULT_QUESTIONNAIRE = "cx-maturity"

Choice = TypeVar("Choice", bound=StrEnum)

Query = Mapping[str, Sequence[str]]
"""Each key with all its values, as `request.args.to_dict(flat=False)` gives them."""


def portfolio_from_query(
    sessions: sessionmaker[Session],
    catalogue: Catalogue,
    actor: Actor | None,
    slug: str,
    query: Query,
    today: datetime.date,
) -> Portfolio:
    """The portfolio the query asks for; missing fields take the workspace's defaults
    (the latest period with an assessment, its most used questionnaire, NPS, by name).

    Raises NotVisible for a workspace the actor does not see; InvalidInput for a field
    the rules refuse (nothing else happens: reading changes nothing).
    """

    def read(session: Session) -> Portfolio:
        workspace = workspace_for(session, actor, slug, Permission.VIEW_WORKSPACE)
        assert actor is not None
        chosen = filter_from(session, catalogue, workspace, query, today)
        return portfolio_of(
            session, catalogue, workspace, chosen, today, actor.visible_clients(workspace.id)
        )

    return run_reading(sessions, read)


def filter_from(
    session: Session, catalogue: Catalogue, workspace: Workspace, query: Query, today: datetime.date
) -> PortfolioFilter:
    unknown = sorted(set(query) - KNOWN)
    if unknown:
        raise InvalidInput(unknown[0], "is not a portfolio filter")
    values = {key: _single(query, key) for key in SINGLE}
    period = values["period"] or _latest_period(session, workspace.id) or quarter_of(today)
    if not is_period(period):
        raise InvalidInput("period", "must be a quarter like 2026-Q4")
    questionnaire_id = values["questionnaire"] or _usual_questionnaire(session, workspace, period)
    if not any(q.id == questionnaire_id for q in catalogue):
        raise InvalidInput("questionnaire", f"there is no questionnaire {questionnaire_id!r}")
    major = values["major"] or catalogue.get(questionnaire_id).version.split(".")[0]
    columns = columns_of(catalogue, questionnaire_id, major)
    sort = values["sort"] or SortKey.NAME.value
    if sort not in {key.value for key in SortKey} | {d.id for d in columns.dimensions}:
        raise InvalidInput("sort", f"cannot sort by {sort!r}")
    return PortfolioFilter(
        period=period,
        questionnaire_id=questionnaire_id,
        major=major,
        industry=values["industry"] or None,
        size=values["size"] or None,
        tags=tuple(sorted({tag for tag in query.get("tag", ()) if tag})),
        status=_choice("status", values["status"], PortfolioStatus),
        below_target=_flag(query, "below_target"),
        overdue_actions=_flag(query, "overdue"),
        disagreement=_flag(query, "disagreement"),
        kpi=_choice("kpi", values["kpi"], KpiName) or KpiName.NPS,
        sort=sort,
        descending=_flag(query, "desc"),
        page=_page(values["page"]),
    )


def _single(query: Query, key: str) -> str | None:
    found = list(query.get(key, ()))
    if len(found) > 1:
        raise InvalidInput(key, "is given more than once")
    return found[0].strip() if found else None


def _page(value: str | None) -> int:
    if not value:
        return 1
    if not value.isdigit() or not 1 <= int(value) <= 100_000:
        raise InvalidInput("page", "must be a page number from 1")
    return int(value)


def _flag(query: Query, key: str) -> bool:
    value = _single(query, key)
    if value in (None, "", "0"):
        return False
    if value in ("1", "on", "true"):
        return True
    raise InvalidInput(key, "must be 1 or 0")


def _choice(key: str, value: str | None, allowed: type[Choice]) -> Choice | None:
    if not value:
        return None
    try:
        return allowed(value)
    except ValueError:
        raise InvalidInput(key, f"{value!r} is not one of {', '.join(allowed)}") from None


def _latest_period(session: Session, workspace_id: int) -> str | None:
    found = queries.periods(session, workspace_id)
    return found[0] if found else None


def _usual_questionnaire(session: Session, workspace: Workspace, period: str) -> str:
    used = queries.questionnaire_ids(session, workspace.id, period)
    return used[0][0] if used else DEFAULT_QUESTIONNAIRE
