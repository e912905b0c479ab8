"""Every error of /api/v1 as `application/problem+json` (RFC 9457): type, title, status, detail.

One function, `problem_for`, turns whatever a view raised (a service's refusal, a
routing error, a fault of the database) into the problem document; the texts are
English, as docs/api.md says, because programs read them, not people.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from flask import Response, current_app, request
from werkzeug.exceptions import HTTPException

from cxmaturity.domain.invitations import ListTooLong
from cxmaturity.domain.loader import QuestionnaireMissing
from cxmaturity.services.assessments import AssessmentClosed, AssessmentNotOpen
from cxmaturity.services.errors import Forbidden, InvalidInput, NotVisible, StorageUnavailable
from cxmaturity.services.invitations import InvitationRefused, ListRefused
from cxmaturity.services.kpis import KpiFiguresRefused
from cxmaturity.services.workspace_assessments import WrongStatus

MEDIA_TYPE = "application/problem+json"
PREFIX = "/api/v1"
RETRY_AFTER_SECONDS = 10
TYPES = "urn:cxmaturity:problem:"
"""Problem types are URNs: stable names a program can compare, not pages to fetch."""


# Refusals of an invitation step that concern the state of things, not the input.
CONFLICTS = frozenset(
    {"no_mail_server", "no_address", "opted_out", "link_ended", "closed", "not_resendable"}
    | {"already_invited"}
)


class RequestInvalid(Exception):
    """The request's query, body or headers do not match the operation's schema."""

    def __init__(self, errors: list[dict[str, str]]) -> None:
        super().__init__(f"{len(errors)} invalid fields")
        self.errors = errors


class ApiProblem(Exception):
    """A refusal of the API layer itself (a bad cursor, an idempotency conflict)."""

    def __init__(
        self, status: int, kind: str, title: str, detail: str, headers: dict | None = None
    ) -> None:
        super().__init__(detail)
        self.status, self.kind, self.title, self.detail = status, kind, title, detail
        self.headers = headers or {}


def in_api() -> bool:
    return request.path == PREFIX or request.path.startswith(PREFIX + "/")


def problem(
    status: int,
    kind: str,
    title: str,
    detail: str,
    errors: Iterable[dict[str, str]] | None = None,
    headers: dict | None = None,
) -> Response:
    body: dict = {"type": TYPES + kind, "title": title, "status": status, "detail": detail}
    if errors is not None:
        body["errors"] = list(errors)
    response = current_app.response_class(
        json.dumps(body, ensure_ascii=False), status=status, mimetype=MEDIA_TYPE
    )
    response.headers.update(headers or {})
    return response


def problem_for(error: BaseException) -> Response:
    """The problem document for `error`, raised while serving a request of /api/v1."""
    if isinstance(error, ApiProblem):
        return problem(error.status, error.kind, error.title, error.detail, headers=error.headers)
    if isinstance(error, RequestInvalid):
        return _invalid("The request does not match the schema of this operation.", error.errors)
    if isinstance(error, KpiFiguresRefused):
        errors = [_field(field, problem.message) for field, problem in error.problems]
        return _invalid("Some figures were refused; nothing was changed.", errors)
    if isinstance(error, InvalidInput):
        field, _sep, message = str(error).partition(": ")
        return _invalid("A value was refused; nothing was changed.", [_field(field, message)])
    if isinstance(error, ListRefused):
        errors = [_field(f"respondents[{p.line - 1}]", p.problem.value) for p in error.problems]
        return _invalid("Some respondents were refused; none was added.", errors)
    if isinstance(error, ListTooLong):
        return _invalid(str(error), [_field("respondents", "too many")])
    if isinstance(error, NotVisible):
        return not_found()
    if isinstance(error, Forbidden):
        detail = "The token's scope or its creator's role does not allow this; nothing changed."
        return problem(403, "forbidden", "Forbidden", detail)
    if isinstance(error, WrongStatus):
        detail = f"The assessment is {error.status}; this step starts from another status."
        return problem(409, "wrong-status", "Conflict", detail)
    if isinstance(error, InvitationRefused):
        return _invitation_refused(error)
    if isinstance(error, (AssessmentClosed, AssessmentNotOpen)):
        return problem(409, "wrong-status", "Conflict", "The assessment is not open.")
    if isinstance(error, (StorageUnavailable, QuestionnaireMissing)):
        current_app.logger.warning("API 503 on %s %s: %s", request.method, request.path, error)
        return unavailable()
    if isinstance(error, HTTPException):
        return _http(error)
    current_app.logger.exception("unexpected error on %s %s", request.method, request.path)
    return problem(500, "internal", "Internal Server Error", "Something went wrong on our side.")


def not_found() -> Response:
    detail = "There is no such object, or the token has no access to it."
    return problem(404, "not-found", "Not Found", detail)


def unavailable() -> Response:
    detail = "The database is not available just now. Nothing was changed; try again soon."
    return problem(
        503,
        "unavailable",
        "Service Unavailable",
        detail,
        headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
    )


def _invalid(detail: str, errors: list[dict[str, str]]) -> Response:
    return problem(422, "validation", "Unprocessable Content", detail, errors)


def _field(field: str, message: str) -> dict[str, str]:
    return {"field": field, "message": message}


def _invitation_refused(error: InvitationRefused) -> Response:
    detail = f"Refused: {error.reason}."
    if error.reason in CONFLICTS:
        return problem(409, error.reason.replace("_", "-"), "Conflict", detail)
    return _invalid(detail, [_field("respondents", error.reason)])


def _http(error: HTTPException) -> Response:
    code = error.code or 500
    if code == 404:
        return not_found()
    headers = {}
    if code == 405 and error.valid_methods:  # type: ignore[attr-defined]
        headers["Allow"] = ", ".join(error.valid_methods)  # type: ignore[attr-defined]
    if code == 401:
        headers["WWW-Authenticate"] = 'Bearer realm="cxmaturity"'
    if code == 429:
        headers["Retry-After"] = str(getattr(error, "retry_after", 60))
    title = error.name
    kind = title.lower().replace(" ", "-")
    return problem(code, kind, title, error.description or title, headers=headers)
