"""Checks every API request passes before its view: ids the database can hold, JSON bodies.

Without them an id beyond the database's integer type would fail inside the
database driver, and a body that is no JSON (a form, a multipart without a
boundary) would reach a view that expects a parsed model.
"""

from __future__ import annotations

from flask import request
from werkzeug.exceptions import BadRequest, UnsupportedMediaType

from cxmaturity.services.errors import NotVisible

MAX_ID = 2**31 - 1
"""The largest id PostgreSQL's `integer` holds; a larger one names nothing."""
JSON_TYPES = ("application/json",)


def check_ids() -> None:
    """An id beyond every stored one is not found, exactly as an unknown id."""
    for value in (request.view_args or {}).values():
        if isinstance(value, int) and not 0 <= value <= MAX_ID:
            raise NotVisible


def check_body() -> None:
    """A body must be JSON, and well-formed; a PUT or PATCH must have one (every one of the
    API's changes what its body says: without one it would answer 200 for nothing done)."""
    if request.method not in ("POST", "PUT", "PATCH"):
        return
    if not request.get_data(cache=True):
        if request.method in ("PUT", "PATCH"):
            raise BadRequest("Send the changes as a JSON body.")
        return
    if request.mimetype not in JSON_TYPES and not request.mimetype.endswith("+json"):
        raise UnsupportedMediaType("Send the body as application/json.")
    body = request.get_json(silent=True)
    if body is None:
        raise BadRequest("The body is not well-formed JSON.")
    if not isinstance(body, dict):
        # Every body of the API is an object; a bare `false` or `[]` would pass for "nothing".
        raise BadRequest("Send the body as a JSON object.")
