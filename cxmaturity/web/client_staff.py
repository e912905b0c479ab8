"""The staff of a client company: list, add by e-mail address, change role, remove."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from cxmaturity.domain.statuses import ClientRole
from cxmaturity.services import client_staff
from cxmaturity.services.errors import InvalidInput
from cxmaturity.web.context import current_actor, services

blueprint = Blueprint("client_staff", __name__)

ROLE_LABELS = {
    ClientRole.CLIENT_ADMIN: _l("Client admin: results, targets, actions, KPIs"),
    ClientRole.CLIENT_VIEWER: _l("Client viewer: reads the results"),
}


class StaffForm(FlaskForm):
    email = EmailField(
        _l("E-mail address of their account"),
        validators=[DataRequired(), Length(max=320)],
    )
    role = SelectField(
        _l("Role"),
        choices=[SelectChoice(role.value, label) for role, label in ROLE_LABELS.items()],
        default=ClientRole.CLIENT_VIEWER.value,
    )


class RemoveForm(FlaskForm):
    pass


@blueprint.route("/w/<slug>/clients/<int:client_id>/staff", methods=["GET", "POST"])
def staff(slug: str, client_id: int):
    form = StaffForm()
    status = 200
    if form.is_submitted():
        if form.validate():
            try:
                client_staff.add_client_staff(
                    services().sessions,
                    current_actor(),
                    slug,
                    client_id,
                    form.email.data,
                    form.role.data,
                )
            except client_staff.NoSuchAccount:
                form.email.errors = [
                    _("No account has this address. Ask the person to create one first.")
                ]
            except InvalidInput:
                form.email.errors = [_("Please enter a valid e-mail address.")]
            else:
                flash(_("Saved: %(email)s has access to this client.", email=form.email.data))
                return redirect(url_for("client_staff.staff", slug=slug, client_id=client_id))
        status = 400
    view = client_staff.client_staff(services().sessions, current_actor(), slug, client_id)
    return render_template(
        "client_staff/staff.html",
        view=view,
        form=form,
        remove_form=RemoveForm(),
        role_labels=ROLE_LABELS,
    ), status


@blueprint.post("/w/<slug>/clients/<int:client_id>/staff/<int:user_id>/remove")
def remove(slug: str, client_id: int, user_id: int):
    client_staff.remove_client_staff(services().sessions, current_actor(), slug, client_id, user_id)
    flash(_("Access removed."))
    return redirect(url_for("client_staff.staff", slug=slug, client_id=client_id))
