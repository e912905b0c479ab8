"""The members of a workspace and its audit log (DESIGN §7: the owner manages members).

Each view parses the request and calls one service; the services check who
may do it (404 outside the workspace, 403 for a consultant or viewer who posts)
before they look at the form, so a refused request changes nothing whatever it sent.
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from cxmaturity.domain.statuses import AuditAction, WorkspaceRole
from cxmaturity.services import audit, members, workspace_settings
from cxmaturity.services.members import MemberRefused, Refusal
from cxmaturity.web.context import current_actor, services

blueprint = Blueprint("members", __name__)
COHORT_FORM = "cohort"
"""The `member_id` of an error that belongs to the cohort setting's form."""

ROLE_NAMES = {
    WorkspaceRole.OWNER: _l("Owner"),
    WorkspaceRole.CONSULTANT: _l("Consultant"),
    WorkspaceRole.VIEWER: _l("Viewer"),
}

REFUSALS = {
    Refusal.BAD_EMAIL: _l("Enter an e-mail address like name@example.com."),
    Refusal.NO_ACCOUNT: _l(
        "There is no account with this e-mail address. Ask the person to create one first."
    ),
    Refusal.ALREADY_MEMBER: _l("This person is already a member of the workspace."),
    Refusal.BAD_ROLE: _l("Choose one of the roles offered."),
    Refusal.LAST_OWNER: _l(
        "The workspace needs at least one owner. Make another member owner first."
    ),
    Refusal.NOT_CONSULTANT: _l("Only a consultant can be limited to listed clients."),
    Refusal.NO_CLIENTS: _l("Choose at least one client, or lift the limit."),
    Refusal.UNKNOWN_CLIENT: _l("Choose clients of this workspace only."),
    Refusal.BAD_MIN_N: _l(
        "Enter a whole number from 3 to 999: bands are never shown for fewer than 3 clients."
    ),
}

AUDIT_ACTIONS = {
    AuditAction.ROLE_CHANGED: _l("Role changed"),
    AuditAction.SETTINGS_CHANGED: _l("Setting changed"),
    AuditAction.TOKEN_CREATED: _l("API token made"),
    AuditAction.TOKEN_REVOKED: _l("API token revoked"),
    AuditAction.MEMBER_ADDED: _l("Member added"),
    AuditAction.MEMBER_REMOVED: _l("Member removed"),
    AuditAction.LINK_REVOKED: _l("Link revoked"),
    AuditAction.LINK_ROTATED: _l("Link renewed"),
    AuditAction.EXPORTED: _l("Exported"),
    AuditAction.CLIENT_ARCHIVED: _l("Client archived"),
    AuditAction.CLIENT_RESTORED: _l("Client restored"),
    AuditAction.DELETED: _l("Deleted"),
    AuditAction.ASSESSMENT_CLOSED: _l("Assessment closed"),
    AuditAction.KPIS_SAVED: _l("Key figures saved"),
}


@blueprint.get("/w/<slug>/members")
def list_members(slug: str):
    return _members_page(slug)


@blueprint.post("/w/<slug>/members")
def add_member(slug: str):
    form = request.form
    try:
        members.add_member(
            services().sessions, current_actor(), slug, form.get("email", ""), form.get("role", "")
        )
    except MemberRefused as refused:
        return _members_page(slug, refused, member_id=None, email=form.get("email", ""))
    flash(_("Member added."), "success")
    return _back(slug)


@blueprint.post("/w/<slug>/members/<int:member_id>/role")
def change_role(slug: str, member_id: int):
    try:
        members.change_role(
            services().sessions, current_actor(), slug, member_id, request.form.get("role", "")
        )
    except MemberRefused as refused:
        return _members_page(slug, refused, member_id=member_id)
    flash(_("Role changed."), "success")
    return _back(slug)


@blueprint.post("/w/<slug>/members/<int:member_id>/limit")
def limit(slug: str, member_id: int):
    clients = request.form.getlist("client")
    try:
        members.limit_to_clients(services().sessions, current_actor(), slug, member_id, clients)
    except MemberRefused as refused:
        return _members_page(slug, refused, member_id=member_id)
    flash(_("The consultant now works on the chosen clients only."), "success")
    return _back(slug)


@blueprint.post("/w/<slug>/members/<int:member_id>/limit/lift")
def lift_limit(slug: str, member_id: int):
    members.lift_limit(services().sessions, current_actor(), slug, member_id)
    flash(_("The limit is lifted: the member works on every client."), "success")
    return _back(slug)


@blueprint.post("/w/<slug>/members/<int:member_id>/remove")
def remove(slug: str, member_id: int):
    try:
        removed_self = members.remove_member(services().sessions, current_actor(), slug, member_id)
    except MemberRefused as refused:
        return _members_page(slug, refused, member_id=member_id)
    if removed_self:
        flash(_("You have left the workspace."), "success")
        return redirect(url_for("auth.home"), 303)
    flash(_("Member removed."), "success")
    return _back(slug)


@blueprint.post("/w/<slug>/settings/cohort")
def cohort_min_n(slug: str):
    """The owners' choice of from how many comparable clients a cohort band is shown."""
    value = request.form.get("cohort_min_n", "")
    try:
        chosen = workspace_settings.set_cohort_min_n(
            services().sessions, current_actor(), slug, value
        )
    except MemberRefused as refused:
        return _members_page(slug, refused, member_id=COHORT_FORM, min_n=value)
    flash(_("Cohort bands are now shown from %(num)s comparable clients.", num=chosen), "success")
    return _back(slug)


@blueprint.get("/w/<slug>/audit")
def audit_log(slug: str):
    page = audit.audit_page(
        services().sessions, current_actor(), slug, request.args.get("before", type=int)
    )
    return render_template("members/audit.html", page=page, actions=AUDIT_ACTIONS)


def _members_page(
    slug: str,
    refused: MemberRefused | None = None,
    member_id: int | str | None = None,
    email: str = "",
    min_n: int | str | None = None,
):
    """The list; after a refused change, with the reason beside the form it came from."""
    page = members.members_page(services().sessions, current_actor(), slug)
    error = None
    if refused is not None:
        error = {"member_id": member_id, "field": refused.field, "text": REFUSALS[refused.reason]}
    html = render_template(
        "members/list.html",
        page=page,
        roles=ROLE_NAMES,
        error=error,
        email=email,
        min_n=page.cohort_min_n if min_n is None else min_n,
    )
    return html, 400 if error else 200


def _back(slug: str):
    return redirect(url_for("members.list_members", slug=slug), 303)
