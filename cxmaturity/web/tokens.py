"""A workspace's API tokens, for its owners: `/w/<slug>/tokens` (list, create, revoke).

A new token's secret is on the page that answers the creating POST and nowhere
else: it is not stored, so it cannot be shown again.
"""

from __future__ import annotations

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from cxmaturity.domain.statuses import TokenScope
from cxmaturity.services import api_tokens
from cxmaturity.services.errors import InvalidInput
from cxmaturity.web.context import current_actor, services

blueprint = Blueprint("tokens", __name__)

SCOPE_NAMES = {
    TokenScope.READ: _l("Read only"),
    TokenScope.WRITE: _l("Read and write"),
}


@blueprint.app_template_global()
def may_manage_tokens(slug: str) -> bool:
    """Whether the workspace navigation offers the tokens page (owners only)."""
    if "owned_slugs" not in g:
        g.owned_slugs = api_tokens.owned_slugs(services().sessions, current_actor())
    return slug in g.owned_slugs


@blueprint.get("/w/<slug>/tokens")
def list_tokens(slug: str):
    return _page(slug)


@blueprint.post("/w/<slug>/tokens")
def create(slug: str):
    name = request.form.get("name", "")
    scope = request.form.get("scope", "")
    try:
        made = api_tokens.create_token(services().sessions, current_actor(), slug, name, scope)
    except InvalidInput as refused:
        return _page(slug, error=refused.field, name=name)
    html, status = _page(slug, new=made)
    # The secret must not linger in a shared cache or the browser's back-forward cache.
    return html, 201 if status == 200 else status, {"Cache-Control": "no-store"}


@blueprint.post("/w/<slug>/tokens/<int:token_id>/revoke")
def revoke(slug: str, token_id: int):
    api_tokens.revoke_token(services().sessions, current_actor(), slug, token_id)
    flash(_("The token is revoked: requests with it are refused from now on."), "success")
    return redirect(url_for("tokens.list_tokens", slug=slug), 303)


def _page(slug: str, *, new=None, error: str | None = None, name: str = ""):
    page = api_tokens.tokens_page(services().sessions, current_actor(), slug)
    messages = {
        "name": _("Enter a name of at most 100 characters, without control characters."),
        "scope": _("Choose one of the scopes offered."),
    }
    html = render_template(
        "tokens/list.html",
        page=page,
        scopes=SCOPE_NAMES,
        new=new,
        error=messages.get(error or "", messages["scope"]) if error else None,
        error_field=error,
        name=name,
    )
    return html, 400 if error else 200
