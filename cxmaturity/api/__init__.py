"""The JSON API `/api/v1` (DESIGN §9): bearer tokens, problem+json, OpenAPI 3.1, cursor
pagination, `Idempotency-Key` on POST, rate limits per token.

`init_app` registers the blueprint with its resource modules, the rate limiter,
and the error handling that answers every error under /api/v1 as a problem,
also those that happen before a route is found (an unknown path, a wrong method).
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask, jsonify, request
from flask_limiter.errors import RateLimitExceeded

from cxmaturity.api import (
    actions,
    assessments,
    bulk_reports,
    client_lifecycle,
    clients,
    cohorts,
    exports,
    idempotency,
    invitations,
    kpis,
    limits,
    next_quarter,
    portfolio,
    questionnaires,
    request_checks,
    targets,
)
from cxmaturity.api.auth import authenticate
from cxmaturity.api.base import blueprint
from cxmaturity.api.problems import in_api, problem_for
from cxmaturity.api.spec import document

RESOURCES = (
    questionnaires,
    clients,
    assessments,
    invitations,
    portfolio,
    targets,
    kpis,
    actions,
    cohorts,
    exports,
    client_lifecycle,
    next_quarter,
    bulk_reports,
)
"""Imported for their routes on the blueprint."""
OPENAPI_ENDPOINT = "api.openapi"
# Every status an API view or the routing before it may answer with.
HTTP_CODES = (400, 401, 403, 404, 405, 409, 413, 415, 422, 429, 500, 503)


@blueprint.get("/openapi.json")
def openapi():
    """The OpenAPI 3.1 document; public, so that a client can be generated before a token."""
    return jsonify(document())


@blueprint.before_request
def before_api_request():
    if request.endpoint == OPENAPI_ENDPOINT:
        return None
    authenticate()
    request_checks.check_ids()
    request_checks.check_body()
    return idempotency.before()


@blueprint.after_request
def after_api_request(response):
    response.headers["Cache-Control"] = "no-store"
    return idempotency.after(response)


def _problem_with_retry(error: BaseException):
    response = problem_for(error)
    if isinstance(error, RateLimitExceeded):
        response.headers["Retry-After"] = str(limits.retry_after_seconds())
    return response


blueprint.register_error_handler(Exception, _problem_with_retry)
for _code in HTTP_CODES:
    blueprint.register_error_handler(_code, _problem_with_retry)


def init_app(app: Flask) -> None:
    app.register_blueprint(blueprint)
    limits.init_app(app)
    _answer_routing_errors_as_problems(app)


def _answer_routing_errors_as_problems(app: Flask) -> None:
    """An unknown path or method under /api/v1 matches no blueprint: the app's own
    handlers (HTML pages) would answer it. Put the problem answer in front of them."""
    for code in (404, 405):
        handlers = app.error_handler_spec[None][code]
        for error_class, handler in list(handlers.items()):
            handlers[error_class] = _api_first(handler)


def _api_first(handler: Callable) -> Callable:
    def answer(error):
        return problem_for(error) if in_api() else handler(error)

    return answer
