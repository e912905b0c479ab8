"""A client's history: `/w/<slug>/clients/<id>/history.json` and `history.svg` (DESIGN §7).

The history section of the client page itself is rendered by web/clients.py with
`history_section` below; every check of who may see what is in services/history.py.
"""

from __future__ import annotations

import json

from flask import Blueprint, Response

from cxmaturity.exports.serializers import history_json
from cxmaturity.services import history as history_service
from cxmaturity.web.context import current_actor, services
from cxmaturity.web.i18n import current_language

blueprint = Blueprint("history", __name__, url_prefix="/w/<slug>/clients/<int:client_id>")


@blueprint.get("/history.json")
def history_data(slug: str, client_id: int):
    """The same JSON as `cxmaturity history`, keys in the same order (jsonify would sort them)."""
    found = history_service.client_history(
        services().sessions, current_actor(), slug, client_id, services().catalogue
    )
    text = json.dumps(history_json(found), ensure_ascii=False, indent=2)
    return Response(text, mimetype="application/json")


@blueprint.get("/history.svg")
def history_chart(slug: str, client_id: int):
    """The trend chart, in the reader's language (its text alternative is on the page)."""
    svg = history_service.history_chart(
        services().sessions,
        services().catalogue,
        current_actor(),
        slug,
        client_id,
        current_language(),
    )
    return Response(svg, mimetype="image/svg+xml")


def history_section(slug: str, client_id: int) -> history_service.HistorySection:
    """What templates/clients/history.html shows, for the client page."""
    return history_service.history_section(
        services().sessions,
        services().catalogue,
        current_actor(),
        slug,
        client_id,
        current_language(),
    )
