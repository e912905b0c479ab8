"""Forgotten passwords: a reset link by e-mail where SMTP is set, else the operator's command.

`/password/forgot` answers the same whether the address has an account or not.
`/password/reset/<token>` is a key like a respondent's link: it is sent no Referer
(the page's own meta tag) and its token is kept out of the logs.
"""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from cxmaturity.services import password_resets
from cxmaturity.services.errors import InvalidInput
from cxmaturity.web.account_forms import ForgotPasswordForm, NewPasswordForm
from cxmaturity.web.context import services

blueprint = Blueprint("password", __name__)


def _by_mail() -> bool:
    return password_resets.by_mail_available(services().mailer, services().base_url)


def _footer_links() -> tuple[str, ...]:
    return tuple(
        url
        for url in (current_app.config.get(key) for key in ("IMPRINT_URL", "PRIVACY_URL"))
        if url
    )


@blueprint.route("/password/forgot", methods=["GET", "POST"])
def forgot():
    form = ForgotPasswordForm()
    if not _by_mail():
        return render_template("auth/forgot.html", form=None, sent=False)
    if form.validate_on_submit():
        password_resets.request_password_reset(
            services().sessions,
            services().mailer,
            services().base_url,
            form.email.data,
            now=services().now,
            footer_links=_footer_links(),
        )
        return render_template("auth/forgot.html", form=None, sent=True)
    status = 400 if form.errors else 200
    return render_template("auth/forgot.html", form=form, sent=False), status


@blueprint.route("/password/reset/<token>", methods=["GET", "POST"])
def reset(token: str):
    form = NewPasswordForm()
    if form.validate_on_submit():
        try:
            password_resets.reset_password(
                services().sessions, token, form.password.data, now=services().now
            )
        except password_resets.UnknownResetLink:
            return _unusable()
        except InvalidInput:
            form.password.errors = [_("Please choose another password.")]
        else:
            flash(_("Your password is changed. Please log in with it."), "success")
            return redirect(url_for("auth.login"))
    elif not password_resets.reset_link_usable(services().sessions, token, now=services().now):
        return _unusable()
    status = 400 if form.errors else 200
    return render_template("auth/reset.html", form=form, token=token), status


def _unusable():
    return render_template("auth/reset_unusable.html"), 404
