"""Logging in and out (DESIGN §7): Flask-Login sessions over the accounts service.

The login session keeps the user's id and session version together; a new
password raises the version and so ends every other session of that user.
"""

from __future__ import annotations

from flask import Blueprint, Flask, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager, UserMixin, current_user, login_user, logout_user
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, Length

from cxmaturity.services import accounts
from cxmaturity.web.context import services

blueprint = Blueprint("auth", __name__)
login_manager = LoginManager()


class SessionUser(UserMixin):
    """The logged-in user as the login session knows them: id and session version."""

    def __init__(self, user_id: int, version: int) -> None:
        self.user_id = user_id
        self.version = version

    def get_id(self) -> str:
        return f"{self.user_id}:{self.version}"


@login_manager.user_loader
def load_session_user(session_id: str) -> SessionUser | None:
    user_id, _colon, version = session_id.partition(":")
    if not (user_id.isdigit() and version.isdigit()):
        return None
    current = accounts.session_version(services().sessions, int(user_id))
    if current is None or current != int(version):
        return None
    return SessionUser(int(user_id), current)


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail address"), validators=[DataRequired(), Length(max=320)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])


@blueprint.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm()
    error = None
    if form.validate_on_submit():
        try:
            logged_in = accounts.log_in(services().sessions, form.email.data, form.password.data)
        except accounts.LoginRefused:
            error = _("The e-mail address or the password is not right.")
        else:
            # A fresh session: nothing from before the login carries over (session fixation).
            language = session.get("language")
            session.clear()
            if language:
                session["language"] = language
            login_user(SessionUser(logged_in.user_id, logged_in.session_version))
            return redirect(url_for("auth.home"))
    status = 401 if error else (400 if form.errors else 200)
    return render_template("auth/login.html", form=form, error=error), status


@blueprint.post("/logout")
def logout():
    logout_user()
    session.clear()
    return redirect(url_for("auth.login"))


@blueprint.get("/home")
def home():
    """Where a login lands; the workspace start page takes over once it exists."""
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login", next=request.path))
    return render_template("auth/home.html")


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    # Flask-Login's own "strong" protection would log a user out on a changed
    # address; the session version does the job that matters (new password).
    login_manager.session_protection = "basic"
