"""Who sends an API request: `Authorization: Bearer <token>`, nothing else (no session cookie).

The token's actor is loaded once per request into `g`; views take it with
`token()`. A missing, unknown, revoked or orphaned token answers 401.
"""

from __future__ import annotations

import hashlib

from flask import current_app, g, request
from werkzeug.exceptions import Unauthorized

from cxmaturity.services import api_tokens
from cxmaturity.services.api_tokens import TokenActor
from cxmaturity.services.container import Services, services_of

SCHEME = "bearer"


def presented_secret() -> str | None:
    """The bearer token of the request, if it sent one."""
    scheme, _sep, secret = request.headers.get("Authorization", "").partition(" ")
    secret = secret.strip()
    if scheme.lower() != SCHEME or not secret or len(secret) > 200:
        return None
    return secret


def authenticate() -> None:
    """Before every API view: load the token's actor or refuse with 401."""
    secret = presented_secret()
    found = api_tokens.token_actor(services().sessions, secret) if secret else None
    if found is None:
        raise Unauthorized("Send a valid API token as `Authorization: Bearer <token>`.")
    g.api_token = found


def services() -> Services:
    return services_of(current_app)


def token() -> TokenActor:
    return g.api_token


def rate_limit_key() -> str:
    """Requests are counted per token (its hash: no database read before the limit),
    and per address for requests without one."""
    secret = presented_secret()
    if secret:
        return "token:" + hashlib.sha256(secret.encode()).hexdigest()
    return "address:" + (request.remote_addr or "unknown")
