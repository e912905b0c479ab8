"""The consultant's start page `/w/<slug>/`: their clients, latest assessments, what needs them."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for

from cxmaturity.services.start_page import start_page
from cxmaturity.web.context import current_actor, services

blueprint = Blueprint("workspace", __name__, url_prefix="/w/<slug>")


@blueprint.get("/")
def start(slug: str):
    number = request.args.get("page", default=1, type=int)
    today = services().now().date()
    page = start_page(services().sessions, current_actor(), slug, today, number)
    if page.staff_client_id is not None:
        # Client staff have no workspace page: their organization's page is theirs.
        return redirect(url_for("clients.client_page", slug=slug, client_id=page.staff_client_id))
    return render_template("workspace/start.html", page=page)
