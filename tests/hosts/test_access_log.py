"""gunicorn's access log, with the shipped configuration, holds no key of anyone's (DESIGN §7).

Real gunicorn processes on a SQLite file; the test sends requests that carry a respondent's
token in the path and the referrer, a token in a query string, an API bearer token and a
session cookie, then reads what gunicorn wrote.
"""

from __future__ import annotations

import re
import time

import pytest
import requests
from gunicorn_servers import GunicornServer

from cxmaturity import gunicorn_conf
from cxmaturity.store.database import upgrade_database

# The shape of a real respondent's token: 43 URL-safe characters.
LINK_TOKEN = "Zm9vYmFyYmF6cXV4cXV1eGNvcmdlZ3JhdWx0Z2FycGx5"
OTHER_LINK_TOKEN = "cXV1eGNvcmdlZ3JhdWx0Z2FycGx5Zm9vYmFyYmF6cXV4"
QUERY_TOKEN = "q7Rk2LmYpX9vTq3sWz8NcH1bJf5GdA0e"
API_TOKEN = "cxm_live_8f2d1c7b9a6e4f3d2c1b0a9e8d7c6b5a"
COOKIE_VALUE = "eyJjc3JmX3Rva2VuIjoic2VjcmV0In0.ZZZ.signature"
SECRETS = (LINK_TOKEN, OTHER_LINK_TOKEN, QUERY_TOKEN, API_TOKEN, COOKIE_VALUE)
# An operator's own format that names every header a key travels in.
EVERY_CREDENTIAL_FORMAT = (
    '"%(r)s" %(s)s q=%(q)s auth=%({authorization}i)s cookie=%({cookie}i)s '
    "env=%({http_authorization}e)s set=%({set-cookie}o)s"
)


def start(tmp_path, *arguments: str) -> GunicornServer:
    database_url = f"sqlite:///{tmp_path / 'cxmaturity.sqlite3'}"
    upgrade_database(database_url)
    env = {
        "CXM_DATABASE_URL": database_url,
        "CXM_SECRET_KEY": "access-log-test",
        "CXM_INSTANCE_PATH": str(tmp_path / "instance"),
    }
    server = GunicornServer(env, tmp_path, *arguments).start()
    server.wait_ready()
    return server


def send_requests_with_keys(base: str) -> str:
    """Requests that carry every kind of key; returns the session cookie the app set."""
    requests.get(f"{base}/r/{LINK_TOKEN}/d/1", headers={"Referer": f"{base}/r/{LINK_TOKEN}/review"})
    requests.get(f"{base}/login?token={QUERY_TOKEN}&next=/r/{OTHER_LINK_TOKEN}/")
    requests.get(
        f"{base}/api/v1/clients",
        headers={"Authorization": f"Bearer {API_TOKEN}", "Cookie": f"session={COOKIE_VALUE}"},
    )
    login = requests.get(f"{base}/login")  # sets a session cookie with a CSRF token in it
    return login.cookies["session"]


SENT = ("/r/", "/login?token", "/api/v1/clients", "GET /login HTTP")
"""A piece of each request's line that send_requests_with_keys makes."""


def access_log(server: GunicornServer) -> str:
    """The log once gunicorn has written the line of every request sent. Each of its
    workers writes its own lines: on a busy machine one may write after the next request's."""
    deadline = time.monotonic() + 30  # a busy machine writes late
    written = server.log()
    while not all(piece in written for piece in SENT) and time.monotonic() < deadline:
        time.sleep(0.05)
        written = server.log()
    return written


@pytest.fixture
def shipped(tmp_path):
    server = start(tmp_path)
    yield server
    server.stop()


def test_the_shipped_format_names_no_header_that_carries_a_key():
    named_headers = re.findall(r"%\(\{([^}]+)\}[ioe]\)s", gunicorn_conf.access_log_format)
    assert not set(named_headers) & gunicorn_conf.CREDENTIAL_HEADERS
    assert "authorization" not in gunicorn_conf.access_log_format.lower()


def test_the_shipped_access_log_redacts_link_tokens_query_tokens_and_bearer_tokens(shipped):
    base = shipped.url
    session_cookie = send_requests_with_keys(base)
    written = access_log(shipped)

    for secret in (*SECRETS, session_cookie):
        assert secret not in written
    assert '"GET /r/<redacted>/d/1 HTTP/1.1" 404 ' in written
    assert f'"{base}/r/<redacted>/review"' in written  # the referrer
    assert '"GET /login?token=<redacted>&next=/r/<redacted>/ HTTP/1.1" 200 ' in written
    assert '"GET /api/v1/clients HTTP/1.1" ' in written


def test_an_operators_own_format_naming_credential_headers_gets_them_redacted(tmp_path):
    server = start(tmp_path, "--access-logformat", EVERY_CREDENTIAL_FORMAT)
    try:
        session_cookie = send_requests_with_keys(server.url)
        written = access_log(server)
    finally:
        server.stop()

    for secret in (*SECRETS, session_cookie):
        assert secret not in written
    api_line = next(line for line in written.splitlines() if "/api/v1/clients" in line)
    assert "auth=<redacted> cookie=<redacted> env=<redacted>" in api_line
    login_line = next(line for line in written.splitlines() if "GET /login HTTP" in line)
    assert "set=<redacted>" in login_line
    assert "q=token=<redacted>&next=/r/<redacted>/" in written
