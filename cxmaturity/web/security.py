"""Response headers that limit what a page may do, and the error pages."""

from __future__ import annotations

from flask import Flask, current_app, render_template, request
from flask.sessions import SecureCookieSessionInterface
from flask_wtf.csrf import CSRFError
from itsdangerous import URLSafeTimedSerializer
from werkzeug.exceptions import HTTPException, InternalServerError

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
ERROR_PAGES = (400, 403, 404, 405, 413, 500)


def set_security_headers(response):
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = referrer_policy(request.path)
    if current_app.config["SESSION_COOKIE_SECURE"]:
        response.headers["Strict-Transport-Security"] = "max-age=31536000"
    response.headers["X-Frame-Options"] = "DENY"
    if request.path.startswith("/r/"):
        # Pages behind a private link hold a company's answers.
        response.headers["Cache-Control"] = "no-store"
    return response


def referrer_policy(path: str) -> str:
    """A token page's URL is its key: no request it starts may carry it (DESIGN §7)."""
    return "no-referrer" if path.startswith("/r/") else "same-origin"


def render_error(error: HTTPException, message: str | None = None):
    code = error.code or 500
    return render_template("error.html", code=code, message=message), code


def handle_http_error(error: HTTPException):
    # A view that explains its refusal (abort with a description) is shown as
    # is; Werkzeug's generic English descriptions are replaced by our own.
    own_words = error.description != type(error).description
    return render_error(error, message=error.description if own_words else None)


def handle_csrf_error(error: CSRFError):
    return render_error(error, message="csrf")


def handle_unexpected_error(error: Exception):
    # Whatever went wrong, the visitor gets the friendly page, never a trace;
    # the trace goes to the log.
    current_app.logger.exception("unexpected error on %s %s", request.method, request.path)
    return render_error(InternalServerError())


class SignedCookieSessions(SecureCookieSessionInterface):
    """Flask's signed session cookie, with its serializer made once per set of keys.

    Flask makes a new serializer for reading the cookie and another for writing it, in
    every request; the serializer keeps no state between uses.
    """

    def __init__(self) -> None:
        self._serializers: dict[tuple, URLSafeTimedSerializer | None] = {}

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        keys = (app.secret_key, tuple(app.config["SECRET_KEY_FALLBACKS"] or ()))
        if keys not in self._serializers:
            self._serializers[keys] = super().get_signing_serializer(app)
        return self._serializers[keys]


def init_app(app: Flask) -> None:
    app.session_interface = SignedCookieSessions()
    app.after_request(set_security_headers)
    app.register_error_handler(CSRFError, handle_csrf_error)
    for code in ERROR_PAGES:
        app.register_error_handler(code, handle_http_error)
    app.register_error_handler(Exception, handle_unexpected_error)
