"""Saved cohorts: `/w/<slug>/cohorts` (list, create, rename, delete) and a client against one,
`/w/<slug>/clients/<id>/cohort?cohort=<id>&period=P` (issue 11).

Views parse the form or the query, call one service and render; every check of who
may see or change what is in services/saved_cohorts.py and services/cohort_view.py.
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from cxmaturity.services import saved_cohorts
from cxmaturity.services.cohort_view import cohort_view
from cxmaturity.services.errors import InvalidInput
from cxmaturity.services.portfolio_page import cohorts_page
from cxmaturity.web.client_forms import split_tags
from cxmaturity.web.context import current_actor, services
from cxmaturity.web.forms import INDUSTRIES, SIZE_LABELS, SIZES
from cxmaturity.web.i18n import current_language
from cxmaturity.web.portfolio import shown_values

blueprint = Blueprint("cohorts", __name__, url_prefix="/w/<slug>")
blueprint.context_processor(shown_values)


def refusal_message(error: InvalidInput) -> str:
    messages = {
        "name": _(
            "Please give the cohort a name of at most 100 characters"
            " that no other cohort of this workspace has."
        ),
        "questionnaire": _("Please choose a questionnaire and major version from the list."),
        "industry": _("Please choose an industry from the list."),
        "size": _("Please choose a company size from the list."),
        "tags": _("Please give at most 10 tags of at most 50 characters each."),
    }
    return messages.get(error.field, _("This value was refused. Please check it."))


@blueprint.get("/cohorts")
def list_cohorts(slug: str):
    return _list_page(slug)


@blueprint.post("/cohorts")
def create_cohort(slug: str):
    form = request.form
    definition = saved_cohorts.CohortDefinition(
        name=form.get("name", ""),
        questionnaire_id=form.get("questionnaire", ""),
        major=form.get("major", ""),
        industry=form.get("industry") or None,
        size=form.get("size") or None,
        tags=[*form.getlist("tag"), *split_tags(form.get("tags"))],
    )
    try:
        cohort_id = saved_cohorts.create_cohort(
            services().sessions, services().catalogue, current_actor(), slug, definition
        )
    except InvalidInput as error:
        return _list_page(slug, error=error, typed=form), 400
    flash(_("The cohort has been saved."), "success")
    return redirect(url_for("portfolio.page", slug=slug, cohort=cohort_id))


@blueprint.post("/cohorts/<int:cohort_id>/rename")
def rename_cohort(slug: str, cohort_id: int):
    try:
        saved_cohorts.rename_cohort(
            services().sessions, current_actor(), slug, cohort_id, request.form.get("name", "")
        )
    except InvalidInput as error:
        return _list_page(slug, error=error, renamed=cohort_id), 400
    flash(_("The cohort has been renamed."), "success")
    return redirect(url_for("cohorts.list_cohorts", slug=slug))


@blueprint.post("/cohorts/<int:cohort_id>/delete")
def delete_cohort(slug: str, cohort_id: int):
    saved_cohorts.delete_cohort(services().sessions, current_actor(), slug, cohort_id)
    flash(_("The cohort has been deleted. No client was changed."), "success")
    return redirect(url_for("cohorts.list_cohorts", slug=slug))


@blueprint.get("/clients/<int:client_id>/cohort")
def client_cohort(slug: str, client_id: int):
    cohort_id = request.args.get("cohort", "").strip()
    if cohort_id and not cohort_id.isdigit():
        raise InvalidInput("cohort", "must be the number of a saved cohort")
    view = cohort_view(
        services().sessions,
        services().catalogue,
        current_actor(),
        slug,
        client_id,
        int(cohort_id) if cohort_id else None,
        request.args.get("period", "").strip() or None,
        current_language(),
    )
    return render_template("portfolio/client_cohort.html", view=view)


def _list_page(slug: str, error: InvalidInput | None = None, typed=None, renamed=None):
    page = cohorts_page(
        services().sessions, services().catalogue, current_actor(), slug, current_language()
    )
    return render_template(
        "portfolio/cohorts.html",
        page=page,
        error_field=error.field if error else None,
        error=refusal_message(error) if error else None,
        typed=typed or {},
        renamed=renamed,
        industries=INDUSTRIES,
        industry_labels={c.value: c.label for c in INDUSTRIES if c.value},
        sizes=SIZES,
        size_labels=SIZE_LABELS,
    )
