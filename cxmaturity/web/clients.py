"""A workspace's clients: `/w/<slug>/clients/…` (list, new, one client, edit, archive, purge).

Views parse the form, call one service and render; every check of who may
see or change what is in services/clients.py.
"""

from __future__ import annotations

import json

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext

from cxmaturity.domain.periods import first_free_period
from cxmaturity.services import (
    bundle,
    client_deletion,
    clients,
    kpis,
    plans,
    workspace_assessments,
)
from cxmaturity.services.errors import InvalidInput
from cxmaturity.web.client_forms import ClientForm, NewAssessmentForm, PurgeForm, split_tags
from cxmaturity.web.context import current_actor, services
from cxmaturity.web.forms import INDUSTRIES, SIZE_LABELS
from cxmaturity.web.history import history_section
from cxmaturity.web.targets import targets_context

blueprint = Blueprint("clients", __name__, url_prefix="/w/<slug>/clients")


@blueprint.context_processor
def labels() -> dict:
    return {
        "industry_labels": {choice.value: choice.label for choice in INDUSTRIES if choice.value},
        "size_labels": SIZE_LABELS,
    }


def refusal_message(error: InvalidInput, period: str = "") -> str:
    """A service's refusal in the reader's language (the form checked everything else)."""
    messages = {
        "name": _("Another client of this workspace has this name."),
        "period": _("This client already has an assessment of %(period)s.", period=period),
        "due_date": _("The due date must not be in the past."),
        "client": _("This client is archived. Restore it before creating an assessment."),
        "restore": _("The 30 days to restore this client are over. It will be deleted for good."),
    }
    return messages.get(error.field, _("This value was refused. Please check it."))


@blueprint.get("/")
def client_list(slug: str):
    archived = request.args.get("archived") == "1"
    listing = clients.client_list(services().sessions, current_actor(), slug, archived=archived)
    return render_template("clients/list.html", listing=listing)


@blueprint.route("/new", methods=["GET", "POST"])
def new_client(slug: str):
    workspace_name = clients.require_manage(services().sessions, current_actor(), slug)
    form = ClientForm()
    if form.validate_on_submit():
        try:
            client_id = clients.create_client(
                services().sessions, current_actor(), slug, _details(form)
            )
        except InvalidInput as error:
            _form_field(form, error.field).errors.append(refusal_message(error))
        else:
            flash(_("The client has been created."), "success")
            return redirect(url_for("clients.client_page", slug=slug, client_id=client_id))
    status = 400 if form.errors else 200
    return render_template(
        "clients/form.html", form=form, slug=slug, workspace_name=workspace_name, client=None
    ), status


@blueprint.get("/<int:client_id>")
def client_page(slug: str, client_id: int):
    page = _page(slug, client_id)
    form = _new_assessment_form(page)
    return render_template("clients/client.html", **_client_page(slug, client_id, page, form))


@blueprint.route("/<int:client_id>/edit", methods=["GET", "POST"])
def edit_client(slug: str, client_id: int):
    client = clients.editable_client(services().sessions, current_actor(), slug, client_id)
    form = ClientForm(data=_form_data(client) if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            clients.update_client(
                services().sessions, current_actor(), slug, client_id, _details(form)
            )
        except InvalidInput as error:
            _form_field(form, error.field).errors.append(refusal_message(error))
        else:
            flash(_("The client's details have been saved."), "success")
            return redirect(url_for("clients.client_page", slug=slug, client_id=client_id))
    status = 400 if form.errors else 200
    return render_template(
        "clients/form.html", form=form, slug=slug, workspace_name=None, client=client
    ), status


@blueprint.get("/<int:client_id>/bundle.json")
def bundle_file(slug: str, client_id: int):
    """The client's JSON bundle (DESIGN §9), the hand-over when it leaves; keys in file order."""
    data = bundle.export_bundle(
        services().sessions, services().catalogue, current_actor(), slug, client_id
    )
    name = f"cxmaturity-client-{client_id}-{services().now().date().isoformat()}.json"
    return Response(
        json.dumps(data, ensure_ascii=False, indent=2) + "\n",
        mimetype="application/json",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@blueprint.post("/<int:client_id>/archive")
def archive(slug: str, client_id: int):
    archived = clients.archive_client(services().sessions, current_actor(), slug, client_id)
    flash(_("The client has been archived: it is listed under “Archived” now."), "success")
    if archived.open_assessments:
        flash(
            ngettext(
                "Its open assessment stays open: the respondents' links keep working.",
                "Its %(num)d open assessments stay open: the respondents' links keep working.",
                archived.open_assessments,
            ),
            "info",
        )
    return redirect(url_for("clients.client_page", slug=slug, client_id=client_id))


@blueprint.post("/<int:client_id>/restore")
def restore(slug: str, client_id: int):
    try:
        clients.restore_client(
            services().sessions, current_actor(), slug, client_id, services().now()
        )
    except InvalidInput as error:
        flash(refusal_message(error), "error")
    else:
        flash(_("The client has been restored."), "success")
    return redirect(url_for("clients.client_page", slug=slug, client_id=client_id))


@blueprint.post("/<int:client_id>/purge")
def purge(slug: str, client_id: int):
    """Delete an archived client for good, once its owner has typed its name."""
    purge_form = PurgeForm()  # CSRFProtect has checked the token of this POST
    try:
        purged = client_deletion.purge_client(
            services().sessions,
            services().report_cache,
            current_actor(),
            slug,
            client_id,
            purge_form.confirm_name.data or "",
        )
    except InvalidInput as error:
        purge_form.confirm_name.errors = [_purge_refusal(error)]
    else:
        client_deletion.forget_stored_files(services(), purged)
        message = _(
            "Client #%(id)d and all its data have been deleted for good.", id=purged.client_id
        )
        flash(message, "success")
        return redirect(url_for("clients.client_list", slug=slug))
    page = _page(slug, client_id)
    context = _client_page(slug, client_id, page, _new_assessment_form(page), purge_form)
    return render_template("clients/client.html", **context), 400


def _purge_refusal(error: InvalidInput) -> str:
    if error.field == "client":
        return _("Archive the client first: only an archived client can be deleted.")
    return _("This is not the client's name. Nothing was deleted.")


def _new_assessment_form(page: clients.ClientPage) -> NewAssessmentForm:
    """The new-assessment form, offering the first period the client has no assessment of."""
    taken = (row.period for row in page.assessments)
    return NewAssessmentForm(
        formdata=None, period=first_free_period(services().now().date(), taken)
    )


def _page(slug: str, client_id: int) -> clients.ClientPage:
    return clients.client_page(
        services().sessions, current_actor(), slug, client_id, services().now()
    )


@blueprint.post("/<int:client_id>/assessments")
def new_assessment(slug: str, client_id: int):
    form = NewAssessmentForm()
    if form.validate_on_submit():
        new = workspace_assessments.NewAssessment(client_id, form.period.data, form.due_date.data)
        try:
            assessment_id = workspace_assessments.create_assessment(
                services().sessions,
                services().catalogue,
                current_actor(),
                slug,
                _questionnaire_id(),
                new,
                services().now().date(),
            )
        except InvalidInput as error:
            field = form.due_date if error.field == "due_date" else form.period
            field.errors = [*field.errors, refusal_message(error, form.period.data)]
        else:
            flash(_("The assessment has been created as a draft."), "success")
            return redirect(
                url_for("workspace_assessments.overview", slug=slug, assessment_id=assessment_id)
            )
    page = _page(slug, client_id)
    return render_template("clients/client.html", **_client_page(slug, client_id, page, form)), 400


def _client_page(
    slug: str, client_id: int, page: clients.ClientPage, form, purge_form=None
) -> dict:
    """What the client page shows: its details and assessments, then the quarterly sections."""
    return {
        "page": page,
        "form": form,
        "purge_form": purge_form or PurgeForm(formdata=None),
        "history": history_section(slug, client_id),
        "action_plan": _action_plan(slug, client_id),
        "kpis": kpis.client_kpis(services().sessions, current_actor(), slug, client_id),
        **targets_context(slug, client_id),
    }


def _action_plan(slug: str, client_id: int) -> plans.ActionPlan:
    """The client page's action plan section (templates/clients/actions.html)."""
    return plans.action_plan(
        services().sessions,
        services().catalogue,
        current_actor(),
        slug,
        client_id,
        _questionnaire_id(),
        services().now().date(),
        with_steps=False,
    )


def _questionnaire_id() -> str:
    return current_app.config["QUESTIONNAIRE_ID"]


def _details(form: ClientForm) -> clients.ClientDetails:
    return clients.ClientDetails(
        name=form.name.data,
        industry=form.industry.data or None,
        size=form.size.data or None,
        external_reference=form.external_reference.data or None,
        tags=split_tags(form.tags.data),
    )


def _form_data(client: clients.Client) -> dict:
    return {
        "name": client.name,
        "industry": client.industry or "",
        "size": client.size or "",
        "external_reference": client.external_reference or "",
        "tags": ", ".join(client.tags),
    }


def _form_field(form: ClientForm, name: str):
    field = getattr(form, name, None) if name in form else form.name
    if not isinstance(field.errors, list):
        field.errors = list(field.errors)
    return field
