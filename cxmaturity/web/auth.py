"""Logging in and out (DESIGN §7): Flask-Login sessions over the accounts service.

The login session keeps the user's id and session version together; a new
password raises the version and so ends every other session of that user, and
a deactivated account's sessions end at their next request.
"""

from __future__ import annotations

import datetime
import math
from urllib.parse import urlsplit

from flask import Blueprint, Flask, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import LoginManager, UserMixin, current_user, login_user, logout_user
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, Length

from cxmaturity.services import accounts
from cxmaturity.services.errors import StorageUnavailable
from cxmaturity.services.login_guard import TooManyFailures
from cxmaturity.web.context import services

blueprint = Blueprint("auth", __name__)
login_manager = LoginManager()

HOME = "/home"


class SessionUser(UserMixin):
    """The logged-in user as the login session knows them: id, session version, name."""

    def __init__(self, user_id: int, version: int, display_name: str = "") -> None:
        self.user_id = user_id
        self.version = version
        self.display_name = display_name

    def get_id(self) -> str:
        return f"{self.user_id}:{self.version}"


@login_manager.user_loader
def load_session_user(session_id: str) -> SessionUser | None:
    user_id, _colon, version = session_id.partition(":")
    if not (user_id.isdigit() and version.isdigit()):
        return None
    try:
        current = accounts.session_user(services().sessions, int(user_id))
    except StorageUnavailable:
        # The page itself answers 503 if it needs the database; its header must not fail.
        return None
    if current is None or current.session_version != int(version):
        return None
    return SessionUser(int(user_id), current.session_version, current.display_name)


def local_target(target: str | None) -> str:
    """`next=` only to a path of our own: no scheme, host, //, backslash or control character."""
    if not target or any(c.isspace() or not c.isprintable() or c == "\\" for c in target):
        return HOME
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return HOME
    return target


def start_session(user_id: int, version: int) -> None:
    """Log in with a fresh session: nothing from before carries over (session fixation)."""
    language = session.get("language")
    session.clear()
    if language:
        session["language"] = language
    login_user(SessionUser(user_id, version))


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail address"), validators=[DataRequired(), Length(max=320)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])


def _wait_message(retry_at: datetime.datetime) -> str:
    minutes = max(1, math.ceil((retry_at - services().now()).total_seconds() / 60))
    return ngettext(
        "Too many failed logins. Please try again in %(num)s minute.",
        "Too many failed logins. Please try again in %(num)s minutes.",
        minutes,
    )


@blueprint.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm()
    target = local_target(request.args.get("next"))
    if request.method == "GET" and current_user.is_authenticated:
        return redirect(target)
    error, status, headers = None, 200, {}
    if form.validate_on_submit():
        try:
            logged_in = accounts.log_in(
                services().sessions,
                form.email.data,
                form.password.data,
                remote_address=request.remote_addr,
                now=services().now,
            )
        except accounts.LoginRefused:
            error, status = _("The e-mail address or the password is not right."), 401
        except TooManyFailures as refused:
            error, status = _wait_message(refused.retry_at), 429
            wait = math.ceil((refused.retry_at - services().now()).total_seconds())
            headers["Retry-After"] = str(max(1, wait))
        else:
            start_session(logged_in.user_id, logged_in.session_version)
            return redirect(target)
    elif form.errors:
        status = 400
    page = render_template("auth/login.html", form=form, error=error, next=request.args.get("next"))
    return page, status, headers


@blueprint.post("/logout")
def logout():
    # CSRFProtect checks the token of every POST: no other site can log a user out.
    logout_user()
    session.clear()
    return redirect(url_for("auth.login"))


@blueprint.get("/home")
def home():
    """Where a login lands: the user's workspaces; with exactly one, that workspace."""
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login", next=request.path))
    entries = accounts.workspaces_of(services().sessions, current_user.user_id)
    if len(entries) == 1:
        return redirect(workspace_path(entries[0].slug))
    return render_template("auth/home.html", workspaces=entries, workspace_path=workspace_path)


def workspace_path(slug: str) -> str:
    # A plain path: the workspace's pages are another blueprint's.
    return f"/w/{slug}/"


def init_app(app: Flask) -> None:
    from cxmaturity.web import claim, password_reset

    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    # Flask-Login's own "strong" protection would log a user out on a changed
    # address; the session version does the job that matters (new password).
    login_manager.session_protection = "basic"
    app.register_blueprint(password_reset.blueprint)
    app.register_blueprint(claim.blueprint)
