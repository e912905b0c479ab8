"""System tools some tests need: skipped with an install hint where missing, failed in CI.

`make test` needs only Python and make. A test that needs more (poppler's `pdftoppm`,
Chromium, a PostgreSQL or Redis server) says so with `@pytest.mark.requires("pdftoppm")`,
or with the `browser` and `postgres` markers, which imply Chromium and PostgreSQL. Where the
tool is missing the test is skipped with a message saying what to install; with CI=true it
fails instead, so that CI never passes by silently leaving something out.
"""

from __future__ import annotations

import functools
import os
import shutil
import socket
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
import pytest
from sqlalchemy.engine import make_url

CHROMIUM = Path("/usr/bin/chromium")
BROWSER_TESTS = Path(__file__).resolve().parent / "browser"
POSTGRESQL_ADMIN_URL = os.environ.get(
    "CXM_TEST_POSTGRESQL_URL", "postgresql://postgres@127.0.0.1:5432/test"
)
POSTGRESQL_ADMIN_SHOWN = make_url(POSTGRESQL_ADMIN_URL).render_as_string(hide_password=True)
REDIS_URL = os.environ.get("CXM_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


@dataclass(frozen=True)
class SystemTool:
    name: str
    install: str
    """What to install, as the skip message says it."""
    why_missing: Callable[[], str | None]
    """Why the tool cannot be used on this machine, or None where it can."""


def command_on_path(command: str) -> Callable[[], str | None]:
    return lambda: None if shutil.which(command) else f"`{command}` is not on PATH"


def file_exists(path: Path) -> Callable[[], str | None]:
    return lambda: None if path.exists() else f"{path} does not exist"


def postgresql_answers() -> str | None:
    try:
        with psycopg.connect(POSTGRESQL_ADMIN_URL, connect_timeout=3) as connection:
            connection.execute("SELECT 1")
    except psycopg.Error as error:
        first_line = (str(error).strip().splitlines() or [type(error).__name__])[0]
        return f"no PostgreSQL server answers at {POSTGRESQL_ADMIN_SHOWN}: {first_line}"
    return None


def redis_answers() -> str | None:
    address = urlsplit(REDIS_URL)
    host, port = address.hostname or "127.0.0.1", address.port or 6379
    try:
        with socket.create_connection((host, port), timeout=3) as connection:
            connection.sendall(b"PING\r\n")
            if not connection.recv(64).startswith(b"+PONG"):
                return f"the server at {host}:{port} does not answer PING like Redis"
    except OSError as error:
        return f"no Redis server answers at {host}:{port}: {error}"
    return None


TOOLS = {
    tool.name: tool
    for tool in (
        SystemTool(
            "pdftoppm",
            "poppler-utils (Debian: apt-get install poppler-utils)",
            command_on_path("pdftoppm"),
        ),
        SystemTool(
            "chromium", "Chromium (Debian: apt-get install chromium)", file_exists(CHROMIUM)
        ),
        SystemTool(
            "postgresql",
            "a PostgreSQL server with a database `test` that user postgres reaches without a "
            "password (Debian: apt-get install postgresql), or set CXM_TEST_POSTGRESQL_URL",
            postgresql_answers,
        ),
        SystemTool(
            "redis",
            "a Redis server (Debian: apt-get install redis-server), or set CXM_TEST_REDIS_URL",
            redis_answers,
        ),
    )
}
# Markers that name a tool without saying so.
IMPLIED_BY_MARKER = {"browser": "chromium", "postgres": "postgresql"}


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


@functools.cache
def why_missing(name: str) -> str | None:
    """Why the tool cannot be used here, or None; asked once per test session."""
    return TOOLS[name].why_missing()


def missing_message(name: str) -> str | None:
    reason = why_missing(name)
    return None if reason is None else f"{reason}; install {TOOLS[name].install}"


def require(name: str) -> None:
    """Return where the tool is usable; else skip the test, or fail it under CI=true."""
    if name not in TOOLS:
        pytest.fail(f"unknown system tool {name!r}; known: {', '.join(TOOLS)}", pytrace=False)
    message = missing_message(name)
    if message is None:
        return
    if in_ci():
        pytest.fail(f"CI=true and {message}", pytrace=False)
    pytest.skip(message)


def tools_required_by(item: pytest.Item) -> list[str]:
    names = [name for marker in item.iter_markers("requires") for name in marker.args]
    names += [tool for marker, tool in IMPLIED_BY_MARKER.items() if item.get_closest_marker(marker)]
    return list(dict.fromkeys(names))


# --- hooks, taken over by tests/conftest.py (the marker is registered in pyproject.toml) ---


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # Everything under tests/browser drives Chromium, whether its module says so or not.
    for item in items:
        if BROWSER_TESTS in item.path.parents:
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(tryfirst=True)  # before any fixture starts what the tool is needed for
def pytest_runtest_setup(item: pytest.Item) -> None:
    for name in tools_required_by(item):
        require(name)


def pytest_report_header(config: pytest.Config) -> list[str]:
    consequence = "their tests FAIL (CI=true)" if in_ci() else "their tests are skipped"
    missing = [name for name in TOOLS if why_missing(name) is not None]
    lines = [f"system tools: {', '.join(n for n in TOOLS if n not in missing) or 'none'} found"]
    lines += [f"  {name} missing, {consequence}: {missing_message(name)}" for name in missing]
    return lines
