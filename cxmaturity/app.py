"""The Flask application factory: configuration, extensions, blueprints."""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from flask_wtf.csrf import CSRFProtect
from werkzeug.middleware.proxy_fix import ProxyFix

from cxmaturity import api
from cxmaturity.config import STATIC_DIR, TEMPLATES_DIR, Settings, fallback_secret_key
from cxmaturity.services.container import Services
from cxmaturity.web import (
    assess,
    auth,
    autosave,
    bulk_reports,
    client_staff,
    errors,
    health,
    history,
    i18n,
    members,
    opt_out,
    participation,
    results,
    security,
    static_urls,
    tokens,
    workspace_results,
)
from cxmaturity.web.actions import blueprint as actions_blueprint
from cxmaturity.web.assessments import blueprint as assessments_blueprint
from cxmaturity.web.clients import blueprint as clients_blueprint
from cxmaturity.web.cohorts import blueprint as cohorts_blueprint
from cxmaturity.web.context import install_services
from cxmaturity.web.exports import blueprint as exports_blueprint
from cxmaturity.web.kpis import blueprint as kpis_blueprint
from cxmaturity.web.log_redaction import redact_application_logs
from cxmaturity.web.next_quarter import blueprint as next_quarter_blueprint
from cxmaturity.web.portfolio import blueprint as portfolio_blueprint
from cxmaturity.web.targets import blueprint as targets_blueprint
from cxmaturity.web.workspace import blueprint as workspace_blueprint

# Large enough for a dimension page with long comments, far below abuse.
MAX_CONTENT_LENGTH = 256 * 1024
# A CSRF token stays valid for a working day; an expired one is handled by
# re-showing the page with the answers kept (see web/assess.py).
CSRF_TIME_LIMIT_SECONDS = 12 * 3600

csrf = CSRFProtect()


def create_app(test_config: dict | None = None) -> Flask:
    settings = Settings.from_environment()
    app = Flask(
        "cxmaturity",
        root_path=str(Path(__file__).parent),
        template_folder=str(TEMPLATES_DIR),
        static_folder=str(STATIC_DIR),
        instance_path=str(settings.instance_path.resolve()),
    )
    # Autoescape every template, whatever its file name ends with.
    app.jinja_options = {**app.jinja_options, "autoescape": True}
    app.config.update(
        SECRET_KEY=settings.secret_key,
        DATABASE_URL=settings.resolved_database_url(),
        QUESTIONNAIRES_DIR=str(settings.questionnaires_dir),
        QUESTIONNAIRE_ID=settings.questionnaire_id,
        MAX_CONTENT_LENGTH=MAX_CONTENT_LENGTH,
        WTF_CSRF_TIME_LIMIT=CSRF_TIME_LIMIT_SECONDS,
        # Token pages send no Referer (see web/security.py), so Flask-WTF's
        # HTTPS Referer check would refuse every post from them. The CSRF token
        # and the SameSite=Lax session cookie are what protect the forms.
        WTF_CSRF_SSL_STRICT=False,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.https,
        PREFERRED_URL_SCHEME="https" if settings.https else "http",
        BASE_URL=settings.base_url,
        SMTP_URL=settings.smtp_url,
        MAIL_FROM=settings.mail_from,
        IMPRINT_URL=settings.imprint_url,
        PRIVACY_URL=settings.privacy_url,
        REDIS_URL=settings.redis_url,
        PROXY_HOPS=settings.proxy_hops,
    )
    if settings.api_rate_limit:
        app.config["API_RATE_LIMIT"] = settings.api_rate_limit
    if test_config:
        app.config.update(test_config)
    if not app.config["SECRET_KEY"]:
        app.config["SECRET_KEY"] = fallback_secret_key(
            app.config["DATABASE_URL"], Path(app.instance_path)
        )

    trust_proxies(app, app.config["PROXY_HOPS"])
    # Before anything can log: no respondent's token in any log line.
    redact_application_logs(app.logger)
    install_services(app, build_services(app))
    # An operator hosting for others links an Impressum and a privacy notice (DESIGN §8).
    app.jinja_env.globals.update(
        imprint_url=app.config["IMPRINT_URL"], privacy_url=app.config["PRIVACY_URL"]
    )
    csrf.init_app(app)
    i18n.init_app(app)
    static_urls.init_app(app)
    security.init_app(app)
    errors.init_app(app)
    auth.init_app(app)
    app.register_blueprint(health.blueprint)
    app.register_blueprint(assess.blueprint)
    app.register_blueprint(autosave.blueprint)
    app.register_blueprint(results.blueprint)
    app.register_blueprint(auth.blueprint)
    app.register_blueprint(client_staff.blueprint)
    app.register_blueprint(members.blueprint)
    app.register_blueprint(tokens.blueprint)
    app.register_blueprint(workspace_results.blueprint)
    app.register_blueprint(workspace_blueprint)
    app.register_blueprint(clients_blueprint)
    app.register_blueprint(targets_blueprint)
    app.register_blueprint(actions_blueprint)
    app.register_blueprint(history.blueprint)
    app.register_blueprint(assessments_blueprint)
    app.register_blueprint(participation.blueprint)
    app.register_blueprint(next_quarter_blueprint)
    app.register_blueprint(opt_out.blueprint)
    app.register_blueprint(kpis_blueprint)
    app.register_blueprint(bulk_reports.blueprint)
    app.register_blueprint(exports_blueprint)
    app.register_blueprint(portfolio_blueprint)
    app.register_blueprint(cohorts_blueprint)
    # The API authenticates by bearer token only: no session, so no CSRF token either.
    csrf.exempt(api.blueprint)
    api.init_app(app)

    from cxmaturity.cli import cli

    app.cli.add_command(cli, "cx")
    return app


def trust_proxies(app: Flask, hops: int) -> None:
    """Behind `hops` reverse proxies, the client's address and scheme are theirs to tell.

    The login guard counts failures per address and cookies turn Secure on HTTPS: both read
    what the nearest `hops` proxies wrote into X-Forwarded-*, never what a client claims.
    """
    if hops:
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_port=hops
        )


def build_services(app: Flask) -> Services:
    """The app's collaborators. The questionnaires load now: an invalid file stops the
    start with its message, instead of failing every request later."""
    services = Services.build(
        database_url=app.config["DATABASE_URL"],
        questionnaires_dir=Path(app.config["QUESTIONNAIRES_DIR"]),
        report_cache_dir=Path(app.instance_path) / "report-cache",
        smtp_url=app.config["SMTP_URL"],
        mail_from=app.config["MAIL_FROM"],
        base_url=app.config["BASE_URL"],
        redis_url=app.config["REDIS_URL"],
    )
    services.catalogue.get(app.config["QUESTIONNAIRE_ID"])
    install_mail_jobs(app, services)
    return services


def install_mail_jobs(app: Flask, services: Services) -> None:
    """What the e-mail jobs this process runs itself (no Redis, or Redis down) need: the
    link secret and the footer links, known here from the app's configuration."""
    from cxmaturity.services.emails import Postage

    services.job_context.postage = Postage.of(services, app.config)
