"""Browser tests: Debian's Chromium driven by Playwright against a live server."""

import sys
import threading
from dataclasses import dataclass
from pathlib import Path

import pytest
from smtp_server import LocalSmtpServer
from werkzeug.serving import make_server

from cxmaturity import create_app
from cxmaturity.store.database import upgrade_database

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "web"))

CHROMIUM = "/usr/bin/chromium"
# Quiet, offline Chromium: without these it tries to reach Google's hosts at start.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# A browser that moves on while the test server still sends it a static file (a favicon,
# a stylesheet) leaves that file to be closed by the garbage collector in the server's
# thread: the test server's doing, not the app's, whose files gunicorn closes.
STATIC_FILE_LEFT_OPEN = (
    r"ignore:Exception ignored in. <_io.FileIO name='[^']*/static/"
    ":pytest.PytestUnraisableExceptionWarning"
)


def pytest_collection_modifyitems(items):
    browser_tests = Path(__file__).resolve().parent
    for item in items:
        if browser_tests in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.filterwarnings(STATIC_FILE_LEFT_OPEN))


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    """The real app on a real HTTP server on 127.0.0.1, with its own SQLite file."""
    database_url = f"sqlite:///{tmp_path_factory.mktemp('live') / 'live.sqlite3'}"
    upgrade_database(database_url)
    app = create_app({"SECRET_KEY": "browser-tests", "DATABASE_URL": database_url})
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)


@dataclass
class MailingServer:
    """A live server whose app sends e-mail through a real local SMTP server."""

    url: str
    database_url: str
    smtp: LocalSmtpServer


@pytest.fixture(scope="session")
def mailing_live_server(tmp_path_factory):
    """Like `live_server`, with SMTP_URL set and BASE_URL = the server's own address,
    so that the links in the e-mails lead back to it."""
    database_url = f"sqlite:///{tmp_path_factory.mktemp('mailing') / 'live.sqlite3'}"
    upgrade_database(database_url)
    smtp = LocalSmtpServer()
    smtp.start()
    # The port is known only once the server listens: it starts with a placeholder
    # app, and the real one (which needs its own address) takes over before any request.
    server = make_server("127.0.0.1", 0, lambda environ, start_response: [], threaded=True)
    url = f"http://127.0.0.1:{server.server_port}"
    server.app = create_app(
        {
            "SECRET_KEY": "browser-tests",
            "DATABASE_URL": database_url,
            "SMTP_URL": smtp.url,
            "BASE_URL": url,
            "MAIL_FROM": "noreply@cxmaturity.test",
        }
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield MailingServer(url, database_url, smtp)
    server.shutdown()
    thread.join(timeout=10)
    smtp.stop()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser):
    """Open pages in fresh browser contexts (no shared cookies), closed after the test."""
    contexts = []

    def open_page(**options):
        context = browser.new_context(**options)
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()
