"""The current app's Services, for the views: one place that knows where the app keeps them."""

from __future__ import annotations

from flask import Flask, current_app

from cxmaturity.services.container import Services

EXTENSION = "cxmaturity"


def install_services(app: Flask, services: Services) -> None:
    app.extensions[EXTENSION] = services


def services_of(app: Flask) -> Services:
    return app.extensions[EXTENSION]


def services() -> Services:
    """The Services of the app handling this request."""
    return services_of(current_app)
