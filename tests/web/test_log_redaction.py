"""No respondent's private link appears in any log line the app writes (DESIGN §7).

Each test makes real requests and reads what the real loggers wrote: the
error log of a 500, the development server's access log. gunicorn's access log is
read by tests/hosts/test_access_log.py.
"""

from __future__ import annotations

import logging
import socket
import threading
import urllib.error
import urllib.request
from pathlib import Path

from web_helpers import start_assessment
from werkzeug.serving import make_server

from cxmaturity.web.context import services_of

PROJECT_ROOT = Path(__file__).resolve().parents[2]
# The shape of a real token: 43 URL-safe characters.
FAKE_TOKEN = "Zm9vYmFyYmF6cXV4cXV1eGNvcmdlZ3JhdWx0Z2FycGx5"


def test_a_500_on_a_respondent_page_logs_the_path_and_traceback_without_the_token(app, caplog):
    @app.get("/r/<token>/explode")
    def explode(token):
        raise RuntimeError(f"could not save for /r/{token}/d/1")

    client = app.test_client()
    token = start_assessment(client)
    with caplog.at_level(logging.INFO):
        response = client.get(f"/r/{token}/explode")

    assert response.status_code == 500
    assert token not in caplog.text
    assert "unexpected error on GET /r/<redacted>/explode" in caplog.text
    assert "RuntimeError: could not save for /r/<redacted>/d/1" in caplog.text


def test_a_warning_that_names_a_respondent_path_is_redacted(app, caplog):
    with app.test_request_context(f"/r/{FAKE_TOKEN}/d/2"), caplog.at_level(logging.INFO):
        from flask import current_app, request

        current_app.logger.warning("slow save on %s (referrer %s)", request.path, request.url)

    assert FAKE_TOKEN not in caplog.text
    assert "slow save on /r/<redacted>/d/2 (referrer http://localhost/r/<redacted>/d/2)" in (
        caplog.text
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_the_development_servers_access_log_shows_no_token(app, caplog):
    token = start_assessment(app.test_client())
    server = make_server("127.0.0.1", free_port(), app)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.port}"
    try:
        with caplog.at_level(logging.INFO, logger="werkzeug"):
            assert fetch(f"{base}/r/{token}/d/1") == 200
            fetch(f"{base}/language/de?next=/r/{token}/d/1%3F")  # redirected back
    finally:
        server.shutdown()
        thread.join()

    access_lines = [r.getMessage() for r in caplog.records if r.name == "werkzeug"]
    assert any('"GET /r/<redacted>/d/1 HTTP/1.1" 200' in line for line in access_lines)
    assert any("next=/r/<redacted>/d/1" in line for line in access_lines)
    assert token not in caplog.text


def test_creating_the_app_again_installs_the_redaction_once(app, database_url):
    from cxmaturity import create_app
    from cxmaturity.web.log_redaction import REDACTED_LOGGERS, RedactTokens

    again = create_app({"TESTING": True, "SECRET_KEY": "x", "DATABASE_URL": database_url})
    services_of(again).close()
    for name in REDACTED_LOGGERS:
        filters = logging.getLogger(name).filters
        assert sum(isinstance(f, RedactTokens) for f in filters) == 1, name
