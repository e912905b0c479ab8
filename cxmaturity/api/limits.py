"""Rate limits per API token (flask-limiter): in Redis with CXM_REDIS_URL, else in memory.

In memory each process counts for itself, which is enough for `make run`; several
hosts share one count through Redis. Should Redis fail, the count falls back to
memory instead of failing the request.
"""

from __future__ import annotations

import time

from flask import Flask, current_app
from flask_limiter import HeaderNames, Limiter
from limits import parse_many

from cxmaturity.api.auth import rate_limit_key
from cxmaturity.api.base import blueprint

DEFAULT_LIMIT = "600 per minute"
KEY_PREFIX = "cxm-api"


def init_app(app: Flask) -> Limiter:
    app.config.setdefault("API_RATE_LIMIT", DEFAULT_LIMIT)
    try:
        parse_many(app.config["API_RATE_LIMIT"])
    except ValueError:
        # Refused at the start, not at the first request: a typo would otherwise turn
        # every API call into an error.
        raise ValueError(
            f"CXM_API_RATE_LIMIT {app.config['API_RATE_LIMIT']!r} is not a rate limit; "
            "write it like '600 per minute' or '100 per minute; 2000 per hour'"
        ) from None
    app.config.setdefault("API_RATE_LIMIT_PREFIX", KEY_PREFIX)
    limiter = Limiter(
        rate_limit_key,
        app=app,
        storage_uri=app.config.get("REDIS_URL") or "memory://",
        key_prefix=app.config["API_RATE_LIMIT_PREFIX"],
        headers_enabled=True,
        # flask-limiter would put a Retry-After on every answer; only a 429 (and a 503)
        # should carry one, set by the problem handler.
        header_name_mapping={HeaderNames.RETRY_AFTER: "X-RateLimit-Retry-After"},
        swallow_errors=True,
        in_memory_fallback_enabled=True,
    )
    limiter.limit(lambda: current_app.config["API_RATE_LIMIT"])(blueprint)
    _only_for_the_api(app)
    return limiter


def _only_for_the_api(app: Flask) -> None:
    """Move flask-limiter's request hooks from the whole app to the API blueprint.

    Only the API is limited, yet flask-limiter hooks into every request: a questionnaire
    page spent a tenth of its time there. In the blueprint's scope the hooks keep their
    order: the limit is checked before the token is, and the limit headers are added
    after the API's own answer hook (so a replayed answer carries fresh ones).
    """
    scopes = (app.before_request_funcs, app.after_request_funcs, app.teardown_request_funcs)
    for hooks in scopes:
        moved = [hook for hook in hooks[None] if _of_flask_limiter(hook)]
        hooks[None] = [hook for hook in hooks[None] if hook not in moved]
        hooks[blueprint.name] = moved + hooks.get(blueprint.name, [])


def _of_flask_limiter(hook) -> bool:
    function = getattr(hook, "func", hook)  # the after-request hook is a functools.partial
    return getattr(function, "__module__", "").startswith("flask_limiter")


def retry_after_seconds() -> int:
    """Seconds until the breached window ends (at least 1)."""
    limiter = current_app.extensions.get("limiter")
    limit = getattr(next(iter(limiter), None), "current_limit", None) if limiter else None
    if limit is None:
        return 60
    return max(1, int(limit.reset_at - time.time()) + 1)
