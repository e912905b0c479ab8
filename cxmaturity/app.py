"""The Flask application factory."""

from __future__ import annotations

from flask import Flask

from cxmaturity.config import STATIC_DIR, TEMPLATES_DIR


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(
        __name__,
        template_folder=str(TEMPLATES_DIR),
        static_folder=str(STATIC_DIR),
        instance_relative_config=True,
    )
    if test_config:
        app.config.update(test_config)

    from cxmaturity.cli import cli

    app.cli.add_command(cli, "cx")

    @app.get("/")
    def start() -> str:
        return "cxmaturity"

    return app
