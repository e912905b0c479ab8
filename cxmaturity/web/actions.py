"""A client's action plan: `/w/<slug>/clients/<id>/actions` (the plan, add by hand or from
the recommendations, edit, change status).

Views parse the form, call the services of services/plans.py and render; who may read
or change the plan is decided there. A user who may only read gets 403 on every change,
before the form is even looked at.
"""

from __future__ import annotations

import datetime

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from cxmaturity.services import plans
from cxmaturity.services.errors import Forbidden, InvalidInput, NotVisible
from cxmaturity.web.action_forms import (
    STATUS_LABELS,
    ActionFields,
    NewActionForm,
    StatusForm,
    StepForm,
)
from cxmaturity.web.context import current_actor, services
from cxmaturity.web.i18n import current_language

blueprint = Blueprint("actions", __name__, url_prefix="/w/<slug>/clients/<int:client_id>/actions")


@blueprint.context_processor
def labels() -> dict:
    return {"action_status_labels": STATUS_LABELS}


def refusal_message(error: InvalidInput) -> str:
    """A service's refusal in the reader's language (the form checked most before)."""
    messages = {
        "title": _("Please describe the action in at most 300 characters, on one line."),
        "owner": _("Please give the owner in at most 200 characters, on one line."),
        "dimension_id": _("Please choose a dimension of the questionnaire."),
        "question_id": _("This question is not part of the chosen dimension."),
        "due_date": _("Please give a due date between 2000 and 2100."),
        "status": _("Please choose one of the statuses offered."),
        "source_key": _("This step is already in the plan."),
    }
    return messages.get(error.field, _("This value was refused. Please check it."))


@blueprint.get("")
def plan_page(slug: str, client_id: int):
    plan = _plan(slug, client_id)
    form = NewActionForm(formdata=None)
    form.offer(plan.questionnaire, current_language(), None)
    return render_template("actions/plan.html", plan=plan, form=form)


@blueprint.post("")
def add_action(slug: str, client_id: int):
    plan = _managed_plan(slug, client_id, with_steps=True)  # shown again where refused
    form = NewActionForm()
    form.offer(plan.questionnaire, current_language(), None)
    if form.validate_on_submit():
        new = plans.NewAction(
            dimension_id=form.dimension_id.data,
            title=form.title.data,
            question_id=form.question_id.data or None,
            owner=form.owner.data or None,
            due_date=form.due_date.data,
            status=form.status.data,
        )
        try:
            plans.create_action(
                services().sessions,
                services().catalogue,
                current_actor(),
                slug,
                client_id,
                _questionnaire_id(),
                new,
                _today(),
            )
        except InvalidInput as error:
            _field_of(form, error.field).errors.append(refusal_message(error))
        else:
            flash(_("The action has been added to the plan."), "success")
            return redirect(url_for("actions.plan_page", slug=slug, client_id=client_id))
    return render_template("actions/plan.html", plan=plan, form=form), 400


@blueprint.post("/steps")
def add_step(slug: str, client_id: int):
    _managed_plan(slug, client_id)
    form = StepForm()
    if not form.validate_on_submit():
        flash(_("This step could not be added. Please try again."), "error")
        return redirect(url_for("actions.plan_page", slug=slug, client_id=client_id), 303)
    try:
        plans.add_recommended_step(
            services().sessions,
            services().catalogue,
            current_actor(),
            slug,
            client_id,
            _questionnaire_id(),
            form.source_key.data,
            current_language(),
            _today(),
        )
    except InvalidInput as error:
        flash(refusal_message(error), "error")
    else:
        flash(_("The step has been added to the plan."), "success")
    return redirect(url_for("actions.plan_page", slug=slug, client_id=client_id), 303)


@blueprint.post("/priority-steps")
def add_priority_steps(slug: str, client_id: int):
    _managed_plan(slug, client_id)
    if not StepForm(source_key="all").validate_on_submit():  # the CSRF token only
        flash(_("The steps could not be added. Please try again."), "error")
        return redirect(url_for("actions.plan_page", slug=slug, client_id=client_id), 303)
    added = plans.add_priority_steps(
        services().sessions,
        services().catalogue,
        current_actor(),
        slug,
        client_id,
        _questionnaire_id(),
        current_language(),
        _today(),
    )
    flash(
        ngettext(
            "%(num)d step has been added to the plan.",
            "%(num)d steps have been added to the plan.",
            added,
        ),
        "success",
    )
    return redirect(url_for("actions.plan_page", slug=slug, client_id=client_id), 303)


@blueprint.route("/<int:action_id>/edit", methods=["GET", "POST"])
def edit_action(slug: str, client_id: int, action_id: int):
    plan = _plan(slug, client_id, with_steps=False)
    line = plan.action(action_id)
    if line is None:
        raise NotVisible
    if not plan.may_manage:
        raise Forbidden
    data = {
        "title": line.title,
        "owner": line.owner or "",
        "due_date": line.due_date,
        "question_id": line.question_id or "",
        "status": line.status,
    }
    form = ActionFields(data=data) if request.method == "GET" else ActionFields()
    form.offer(plan.questionnaire, current_language(), line.dimension_id)
    if form.validate_on_submit():
        changes = plans.ActionChanges(
            title=form.title.data,
            owner=form.owner.data or "",
            due_date=form.due_date.data,
            clear_due_date=form.due_date.data is None,
            question_id=form.question_id.data or "",
            status=form.status.data,
        )
        try:
            _update(slug, client_id, action_id, changes)
        except InvalidInput as error:
            _field_of(form, error.field).errors.append(refusal_message(error))
        else:
            flash(_("The action has been saved."), "success")
            return redirect(url_for("actions.plan_page", slug=slug, client_id=client_id))
    status = 400 if form.errors else 200
    return render_template("actions/edit.html", plan=plan, line=line, form=form), status


@blueprint.post("/<int:action_id>/status")
def change_status(slug: str, client_id: int, action_id: int):
    plan = _managed_plan(slug, client_id)
    if plan.action(action_id) is None:
        raise NotVisible
    form = StatusForm()
    form.offer()
    if not form.validate_on_submit():
        flash(_("Please choose one of the statuses offered."), "error")
        return redirect(url_for("actions.plan_page", slug=slug, client_id=client_id), 303)
    _update(slug, client_id, action_id, plans.ActionChanges(status=form.status.data))
    flash(_("The status has been changed."), "success")
    return redirect(url_for("actions.plan_page", slug=slug, client_id=client_id), 303)


def _update(slug: str, client_id: int, action_id: int, changes: plans.ActionChanges) -> None:
    plans.update_action(
        services().sessions,
        services().catalogue,
        current_actor(),
        slug,
        client_id,
        action_id,
        changes,
        _today(),
    )


def _plan(slug: str, client_id: int, *, with_steps: bool = True) -> plans.ActionPlan:
    return plans.action_plan(
        services().sessions,
        services().catalogue,
        current_actor(),
        slug,
        client_id,
        _questionnaire_id(),
        _today(),
        with_steps=with_steps,
    )


def _managed_plan(slug: str, client_id: int, *, with_steps: bool = False) -> plans.ActionPlan:
    """The plan where the actor may change it (Forbidden otherwise): checked before any
    form is read, so that a reader gets 403 whatever they sent."""
    plan = _plan(slug, client_id, with_steps=with_steps)
    if not plan.may_manage:
        raise Forbidden
    return plan


def _questionnaire_id() -> str:
    return current_app.config["QUESTIONNAIRE_ID"]


def _today() -> datetime.date:
    return services().now().date()


def _field_of(form: ActionFields, name: str):
    field = getattr(form, name, None) if name in form else form.title
    if not isinstance(field.errors, list):
        field.errors = list(field.errors)
    return field
