"""Next quarter in one step: `/w/<slug>/clients/<id>/next-quarter` (DESIGN §8).

The form offers the period after the client's latest closed one, and whether to
invite last quarter's people again and offer them their answers pre-filled. The
new links are shown once, on the invitations' own "new links" page.
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, StringField
from wtforms.validators import DataRequired, Optional

from cxmaturity.services import next_quarter
from cxmaturity.services.errors import InvalidInput
from cxmaturity.web.context import current_actor, services
from cxmaturity.web.forms import TEXT, valid_period
from cxmaturity.web.participation import created_page, postage

blueprint = Blueprint("next_quarter", __name__)
PAGE = "/w/<slug>/clients/<int:client_id>/next-quarter"


class NextQuarterForm(FlaskForm):
    period = StringField(
        _l("Period"),
        description=_l("The quarter this assessment describes, e.g. 2026-Q4."),
        validators=[DataRequired(_l("Please enter the period.")), valid_period],
        **TEXT,
    )
    due_date = DateField(
        _l("Due date (optional)"),
        description=_l("By when the respondents should have answered."),
        validators=[Optional()],
    )
    reinvite = BooleanField(_l("Invite last quarter's respondents again (new links)"))
    prefill = BooleanField(_l("Offer them their previous answers pre-filled"))


def _offer(slug: str, client_id: int) -> next_quarter.Offer:
    own = services()
    return next_quarter.next_quarter_offer(
        own.sessions, own.catalogue, current_actor(), slug, client_id
    )


def _page(offer: next_quarter.Offer, form: NextQuarterForm, status: int = 200):
    return render_template("next_quarter/start.html", offer=offer, form=form), status


@blueprint.get(PAGE)
def start_form(slug: str, client_id: int):
    offer = _offer(slug, client_id)
    form = NextQuarterForm(
        period=offer.suggested_period, reinvite=True, prefill=not offer.anonymous
    )
    return _page(offer, form)


def _refusal(refused: InvalidInput, offer: next_quarter.Offer, period: str) -> str:
    """The service's refusal in the reader's language (the form checked the rest)."""
    if refused.field == "period":
        if "must come after" in str(refused):
            return _(
                "The period must come after the last closed quarter, %(period)s.",
                period=offer.previous_period,
            )
        if "already" in str(refused):
            return _("This client already has an assessment of %(period)s.", period=period)
        return _("Please write the period as year and quarter, e.g. 2026-Q4.")
    if refused.field == "client" and "archived" in str(refused):
        return _("This client is archived. Restore it before creating an assessment.")
    messages = {
        "due_date": _("The due date must not be in the past."),
        "client": _("This client has no closed assessment to start the next quarter from."),
        "prefill": _("Previous answers can be offered only to respondents who are invited again."),
    }
    return messages.get(refused.field, _("This value was refused. Please check it."))


@blueprint.post(PAGE)
def start(slug: str, client_id: int):
    offer = _offer(slug, client_id)  # 404 and 403 before the form is read
    form = NextQuarterForm()
    if not form.validate():
        return _page(offer, form, 400)
    try:
        started = next_quarter.start_next_quarter(
            postage(),
            services().catalogue,
            current_actor(),
            slug,
            client_id,
            form.period.data,
            reinvite=form.reinvite.data,
            prefill=form.prefill.data and not offer.anonymous,
            due_date=form.due_date.data,
        )
    except InvalidInput as refused:
        fields = {"due_date": form.due_date, "prefill": form.prefill}
        fields.get(refused.field, form.period).errors = [_refusal(refused, offer, form.period.data)]
        return _page(offer, form, 400)
    flash(
        _(
            "The assessment %(period)s has been created as a draft: open it so that the links "
            "can be used.",
            period=started.period,
        ),
        "success",
    )
    if started.prefilled_answers:
        flash(
            ngettext(
                "%(num)s answer from last quarter is offered pre-filled; each counts only once "
                "its respondent confirms or changes it.",
                "%(num)s answers from last quarter are offered pre-filled; each counts only once "
                "its respondent confirms or changes it.",
                started.prefilled_answers,
            ),
            "info",
        )
    if started.created.links:
        return created_page(slug, started.assessment_id, started.created)
    return redirect(
        url_for("workspace_assessments.overview", slug=slug, assessment_id=started.assessment_id)
    )
