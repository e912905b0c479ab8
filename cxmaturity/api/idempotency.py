"""`Idempotency-Key` on POST: the same key and request replay the stored answer (DESIGN §9).

Before the view, the key is reserved (or its stored answer replayed, or a reuse
with another request refused with 422); after it, the answer is kept for 24 hours.
An answer a retry may change (a fault: 5xx, a rate limit: 429) is not kept.
"""

from __future__ import annotations

from flask import Response, current_app, g, request

from cxmaturity.api.auth import services, token
from cxmaturity.api.problems import MEDIA_TYPE, ApiProblem
from cxmaturity.services import api_idempotency
from cxmaturity.services.api_idempotency import KEY_MAX_LENGTH, Outcome
from cxmaturity.services.errors import StorageUnavailable

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"


def before() -> Response | None:
    key = request.headers.get(HEADER)
    if request.method != "POST" or key is None:
        return None
    if not key or len(key) > KEY_MAX_LENGTH:
        detail = f"An {HEADER} has 1 to {KEY_MAX_LENGTH} characters."
        raise ApiProblem(400, "bad-idempotency-key", "Bad Request", detail)
    token_id = token().token_id
    fingerprint = api_idempotency.request_hash(request.method, request.path, request.get_data())
    found = api_idempotency.reserve(services().sessions, token_id, key, fingerprint)
    if found.outcome is Outcome.CONFLICT:
        detail = f"This {HEADER} was used with another request; use a new key for this one."
        raise ApiProblem(422, "idempotency-conflict", "Unprocessable Content", detail)
    if found.outcome is Outcome.IN_PROGRESS:
        detail = f"A request with this {HEADER} is still running; try again in a moment."
        raise ApiProblem(409, "idempotency-in-progress", "Conflict", detail, {"Retry-After": "1"})
    if found.outcome is Outcome.REPLAY:
        mimetype = "application/json" if found.status < 400 else MEDIA_TYPE
        replay = current_app.response_class(found.body, status=found.status, mimetype=mimetype)
        replay.headers[REPLAYED_HEADER] = "true"
        return replay
    g.idempotency_key = (token_id, key)
    return None


def after(response: Response) -> Response:
    reserved = g.pop("idempotency_key", None)
    if reserved is None:
        return response
    token_id, key = reserved
    sessions = services().sessions
    try:
        if response.status_code >= 500 or response.status_code == 429:
            api_idempotency.release(sessions, token_id, key)
        else:
            body = response.get_data(as_text=True)
            api_idempotency.store(sessions, token_id, key, response.status_code, body)
    except StorageUnavailable:
        # The answer stands; a retry with the key meets the reservation and waits (409).
        current_app.logger.warning("idempotency key not stored for %s", request.path)
    return response
