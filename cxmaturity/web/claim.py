"""Claiming a self-assessment: its starter creates an account that owns it (issue 9, item 2)."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template
from flask_babel import gettext as _

from cxmaturity.services import accounts, claims
from cxmaturity.services.errors import InvalidInput
from cxmaturity.web.account_forms import ClaimForm
from cxmaturity.web.auth import HOME, start_session
from cxmaturity.web.context import services
from cxmaturity.web.i18n import current_language

blueprint = Blueprint("claim", __name__)

FIELD_PROBLEMS = {
    "email": lambda: _("Please enter an e-mail address like name@example.com."),
    "name": lambda: _("Please enter your name."),
    "password": lambda: _("Please choose another password."),
}


@blueprint.route("/r/<token>/claim", methods=["GET", "POST"])
def claim(token: str):
    form = ClaimForm()
    if form.validate_on_submit():
        try:
            logged_in = claims.claim_workspace(
                services().sessions,
                token,
                form.email.data,
                form.name.data,
                form.password.data,
                current_language(),
            )
        except claims.ClaimRefused as refused:
            return _refused_page(token, refused.state, 409)
        except accounts.EmailTaken:
            form.email.errors = [
                _("An account with this e-mail address exists already. Please use another one.")
            ]
        except InvalidInput as invalid:
            field = getattr(form, invalid.field, form.password)
            field.errors = [FIELD_PROBLEMS.get(invalid.field, FIELD_PROBLEMS["password"])()]
        else:
            start_session(logged_in.user_id, logged_in.session_version)
            return redirect(HOME)
        return render_template("auth/claim.html", form=form, token=token), 400
    state = claims.claim_state(services().sessions, token)
    if state is not claims.ClaimState.OFFERED:
        return _refused_page(token, state, 200)
    status = 400 if form.errors else 200
    return render_template("auth/claim.html", form=form, token=token), status


def _refused_page(token: str, state: claims.ClaimState, status: int):
    if state is not claims.ClaimState.CLAIMED:
        # Not this link's to claim, or no link at all: the neutral page of an unknown link.
        abort(404)
    return render_template("auth/claimed.html", token=token), status
