"""`/api/v1/portfolio` and `/api/v1/clients/<id>/history`: the JSON of `cxmaturity portfolio`
and `cxmaturity history`, from the same serializers."""

from __future__ import annotations

from flask import request

from cxmaturity.api.auth import services, token
from cxmaturity.api.base import blueprint
from cxmaturity.api.plan_schemas import HistoryOut, PortfolioOut, PortfolioQuery
from cxmaturity.api.spec import answers, api
from cxmaturity.exports.serializers import history_json, portfolio_json
from cxmaturity.services import history
from cxmaturity.services.portfolio_page import portfolio_for_export


@blueprint.get("/clients/<int:client_id>/history")
@api.validate(resp=answers(HTTP_200=HistoryOut), tags=["clients"])
def client_history(client_id: int):
    """Every closed period of the client, oldest first, with changes and comparability."""
    own, found = services(), token()
    shown = history.client_history(
        own.sessions, found.actor, found.workspace_slug, client_id, own.catalogue
    )
    return HistoryOut.model_validate(history_json(shown))


@blueprint.get("/portfolio")
@api.validate(query=PortfolioQuery, resp=answers(HTTP_200=PortfolioOut), tags=["portfolio"])
def portfolio(query: PortfolioQuery):
    """One entry per client the token sees, the cohort band (with `n` and `suppressed`),
    clients per level per dimension, and the movers."""
    own, found = services(), token()
    shown = portfolio_for_export(
        own.sessions,
        own.catalogue,
        found.actor,
        found.workspace_slug,
        request.args.to_dict(flat=False),
        own.now().date(),
    )
    return PortfolioOut.model_validate(portfolio_json(shown))
