"""`/healthz`: 200 "ok" while this host and its database answer, else 503; nothing else shown.

For the proxy, the load balancer, compose and systemd (docs/deploy.md). It needs no login,
so it tells nothing but "ok" or "unavailable", and is never cached.
"""

from __future__ import annotations

from flask import Blueprint, Response

from cxmaturity.services.health import database_answers
from cxmaturity.web.context import services

blueprint = Blueprint("health", __name__)


@blueprint.get("/healthz")
def healthz() -> Response:
    healthy = database_answers(services().sessions)
    response = Response(
        "ok\n" if healthy else "unavailable\n", 200 if healthy else 503, mimetype="text/plain"
    )
    response.headers["Cache-Control"] = "no-store"
    return response
