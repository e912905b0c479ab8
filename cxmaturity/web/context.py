"""The current app's Services and the request's actor, for the views: one place that knows where."""

from __future__ import annotations

from flask import Flask, current_app, g
from flask_login import current_user

from cxmaturity.domain.access import Actor
from cxmaturity.services.access import load_actor
from cxmaturity.services.container import EXTENSION, Services, services_of


def install_services(app: Flask, services: Services) -> None:
    app.extensions[EXTENSION] = services


def services() -> Services:
    """The Services of the app handling this request."""
    return services_of(current_app)


def current_actor() -> Actor | None:
    """The logged-in user with their grants, loaded once per request; None when logged out."""
    if "actor" not in g:
        g.actor = (
            load_actor(services().sessions, current_user.user_id)
            if current_user.is_authenticated
            else None
        )
    return g.actor
