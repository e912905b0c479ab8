"""Two app hosts on one PostgreSQL database serve one person alternately, and nobody notices.

Two real gunicorn processes with the shipped configuration, the same CXM_SECRET_KEY and
instance folders of their own, as two machines behind a load balancer would run (DESIGN §9).
Every request of a respondent and of a consultant goes to the other host than the one
before: the session, the CSRF token, the autosave, "save and next", the resume link and the
language choice must all carry over. A third host with a key of its own shows what the shared
key is for. The report cache and the jobs (Redis) are not part of this test.
"""

from __future__ import annotations

import itertools
import re
import secrets
import threading
from dataclasses import dataclass, field

import psycopg
import pytest
import requests
import system_tools
from factories import PASSWORD, make_member, make_user, make_workspace
from gunicorn_servers import GunicornServer
from psycopg.conninfo import make_conninfo
from sqlalchemy.engine import make_url
from web_helpers import csrf_token, page_fields

from cxmaturity.config import DEFAULT_QUESTIONNAIRE_ID, DEFAULT_QUESTIONNAIRES_DIR
from cxmaturity.domain.statuses import WorkspaceRole
from cxmaturity.services.catalogue import catalogue_for
from cxmaturity.store.database import make_engine, session_factory, transaction, upgrade_database

# One xdist worker runs the whole module (`make test` uses --dist loadgroup), so that the
# three gunicorns start once, not once per worker.
pytestmark = [pytest.mark.postgres, pytest.mark.xdist_group("two-hosts")]

SHARED_KEY = secrets.token_hex(32)
CONSULTANT = "consultant@hosts.example"
TOKEN_IN_LOCATION = re.compile(r"/r/([A-Za-z0-9_-]+)/d/1$")
CSRF_VALUE = re.compile(r'(name="csrf_token" type="hidden" value=")[^"]+"')


@dataclass
class Hosts:
    first: GunicornServer
    second: GunicornServer
    stranger: GunicornServer
    """A third host on the same database, with a secret key of its own."""
    database_url: str
    workspace_slug: str


@pytest.fixture(scope="module")
def shared_database():
    """A fresh, migrated PostgreSQL database of this module's own; dropped at the end."""
    system_tools.require("postgresql")
    name = f"cxm_hosts_{secrets.token_hex(6)}"
    admin_url = system_tools.POSTGRESQL_ADMIN_URL
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    url = make_url(admin_url).set(drivername="postgresql+psycopg", database=name)
    rendered = url.render_as_string(hide_password=False)
    try:
        upgrade_database(rendered)
        yield rendered
    finally:
        with psycopg.connect(make_conninfo(admin_url), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def hosts(shared_database, tmp_path_factory):
    engine = make_engine(shared_database)
    with transaction(session_factory(engine)) as session:
        workspace = make_workspace(session, name="Beratung Nord")
        make_member(session, workspace, make_user(session, CONSULTANT), WorkspaceRole.OWNER)
        slug = workspace.slug
    engine.dispose()

    def host(name: str, key: str) -> GunicornServer:
        folder = tmp_path_factory.mktemp(name)
        env = {
            "CXM_DATABASE_URL": shared_database,
            "CXM_SECRET_KEY": key,
            # The public address behind the proxy: links shown must not name the host.
            "CXM_BASE_URL": "https://cx.example.org",
            "CXM_INSTANCE_PATH": str(folder / "instance"),
        }
        return GunicornServer(env, folder).start()

    servers = Hosts(
        host("host-a", SHARED_KEY),
        host("host-b", SHARED_KEY),
        host("stranger", secrets.token_hex(32)),
        shared_database,
        slug,
    )
    started = (servers.first, servers.second, servers.stranger)
    try:
        waits = [threading.Thread(target=server.wait_ready) for server in started]
        for wait in waits:
            wait.start()
        for wait in waits:
            wait.join()
        for server in started:
            server.wait_ready()  # raises here, with the log, if one did not start
        yield servers
    finally:
        for server in started:
            server.stop()


@dataclass
class Alternating:
    """One browser whose every request goes to the next host in turn (no sticky sessions)."""

    urls: list[str]
    browser: requests.Session = field(default_factory=requests.Session)
    served_by: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._next_url = itertools.cycle(self.urls)

    def request(self, method: str, path: str, **arguments) -> requests.Response:
        url = next(self._next_url)
        self.served_by.append(url)
        # Cookies are not bound to a port: both hosts get the browser's session cookie,
        # as two hosts behind one proxy address would.
        return self.browser.request(
            method, url + path, allow_redirects=False, timeout=30, **arguments
        )

    def get(self, path: str, **arguments) -> requests.Response:
        return self.request("GET", path, **arguments)

    def post(self, path: str, data: dict, **arguments) -> requests.Response:
        return self.request("POST", path, data=data, **arguments)


def location(response: requests.Response) -> str:
    assert response.status_code in (302, 303), (response.status_code, response.text[:500])
    return response.headers["Location"]


def expected_answers(questionnaire) -> dict[str, str]:
    """Every question's answer: the levels in turn, and "na" where a question allows it."""
    answers = {}
    every_question = [q for dimension in questionnaire.dimensions for q in dimension.questions]
    for number, question in enumerate(every_question):
        not_applicable = question.allow_na and number % 4 == 0
        answers[question.id] = "na" if not_applicable else str(number % 5 + 1)
    return answers


def stored_answers(database_url: str) -> list[tuple[str, int | None, bool]]:
    url = make_url(database_url).set(drivername="postgresql")
    with psycopg.connect(url.render_as_string(hide_password=False)) as db:
        return db.execute(
            "SELECT question_id, level, not_applicable FROM answers ORDER BY question_id"
        ).fetchall()


def page_language(page: str) -> str:
    match = re.search(r'<html lang="([a-z]{2})"', page)
    assert match, "the page names no language"
    return match.group(1)


def test_one_respondent_served_alternately_by_two_hosts_notices_nothing(hosts):
    questionnaire = catalogue_for(DEFAULT_QUESTIONNAIRES_DIR).get(DEFAULT_QUESTIONNAIRE_ID)
    answers = expected_answers(questionnaire)
    browser = Alternating([hosts.first.url, hosts.second.url])

    start_page = browser.get("/")
    form = page_fields(start_page.text)
    form.update(organization="Müller GmbH", period="2026-Q4", language="en", respondent="CEO")
    form.update(industry="retail", size="50-249")
    first_page = location(browser.post("/start", form))
    token = TOKEN_IN_LOCATION.search(first_page).group(1)
    # The message the second host put into the session is shown by the first.
    assert "Your assessment has started" in browser.get(first_page).text
    dimensions = questionnaire.dimensions
    # The language is switched to German with the page's own button on page 3.
    switch_on = 3

    for number, dimension in enumerate(dimensions, start=1):
        path = f"/r/{token}/d/{number}"
        page = browser.get(path)
        assert page.status_code == 200
        assert page_language(page.text) == ("en" if number <= switch_on else "de")
        ids = [question.id for question in dimension.questions]

        # The script's autosave of the first answer, on the other host.
        fields = page_fields(page.text)
        fields[f"answer-{ids[0]}"] = answers[ids[0]]
        saved = browser.post(f"{path}/autosave", fields, headers={"Accept": "application/json"})
        assert saved.status_code == 200, saved.text
        assert saved.json()["saved"] is True

        # The private link opens the page last visited, with the autosaved answer on it.
        assert location(browser.get(f"/r/{token}/")).endswith(f"{path}?resumed=1")
        again = browser.get(f"{path}?resumed=1")
        fields = page_fields(again.text)
        assert fields.get(f"answer-{ids[0]}") == answers[ids[0]]

        # "Save and next" (or the language button, or "review" on the last page).
        fields.update({f"answer-{question_id}": answers[question_id] for question_id in ids})
        if number == switch_on:
            fields["action"] = "language-de"
            assert location(browser.post(path, fields)).endswith(path)
            german = browser.get(path)
            assert page_language(german.text) == "de"
            assert page_fields(german.text)[f"answer-{ids[-1]}"] == answers[ids[-1]]
            continue
        fields["action"] = "next" if number < len(dimensions) else "review"
        following = location(browser.post(path, fields))
        assert following.endswith(
            f"/r/{token}/d/{number + 1}" if number < len(dimensions) else f"/r/{token}/review"
        )
    # Page 3's button saved its answers without moving on: its "next" was never pressed.

    review = browser.get(f"/r/{token}/review")
    assert review.status_code == 200 and page_language(review.text) == "de"
    submitted = browser.post(f"/r/{token}/submit", {"csrf_token": csrf_token(review.text)})
    assert location(submitted).endswith(f"/r/{token}/results")

    stored = stored_answers(hosts.database_url)
    expected = sorted(
        (question_id, None if choice == "na" else int(choice), choice == "na")
        for question_id, choice in answers.items()
    )
    assert stored == expected  # every answer once, as given, whichever host took it

    from_first = requests.get(f"{hosts.first.url}/r/{token}/results", timeout=30)
    from_second = requests.get(f"{hosts.second.url}/r/{token}/results", timeout=30)
    assert from_first.status_code == from_second.status_code == 200
    assert "Müller GmbH" in from_first.text
    assert CSRF_VALUE.sub(r"\1…", from_first.text) == CSRF_VALUE.sub(r"\1…", from_second.text)
    assert set(browser.served_by) == {hosts.first.url, hosts.second.url}


def log_in(browser: Alternating) -> None:
    page = browser.get("/login")
    form = {"csrf_token": csrf_token(page.text), "email": CONSULTANT, "password": PASSWORD}
    assert "/login" not in location(browser.post("/login", form))


def test_a_consultant_logged_in_on_one_host_works_on_the_other(hosts):
    browser = Alternating([hosts.first.url, hosts.second.url])
    log_in(browser)  # the login page from the first host, the post to the second
    clients = f"/w/{hosts.workspace_slug}/clients"

    new_client = browser.get(f"{clients}/new")  # first host
    assert new_client.status_code == 200, "logged out by the other host"
    form = {"csrf_token": csrf_token(new_client.text), "name": "Schmidt AG"}
    created = location(browser.post(f"{clients}/new", form))  # second host: CSRF holds
    assert re.search(rf"{clients}/\d+$", created)
    client_page = browser.get(created.removeprefix(hosts.second.url))
    assert client_page.status_code == 200 and "Schmidt AG" in client_page.text


def test_a_host_with_a_secret_key_of_its_own_logs_the_consultant_out(hosts):
    # What the shared key is for: the session made on the first host means nothing here.
    browser = Alternating([hosts.first.url])
    log_in(browser)
    clients = f"/w/{hosts.workspace_slug}/clients/"
    assert browser.get(clients).status_code == 200
    elsewhere = browser.browser.get(hosts.stranger.url + clients, allow_redirects=False)
    assert elsewhere.status_code == 404  # what a logged-out visitor gets for a workspace
    home = browser.browser.get(hosts.stranger.url + "/home", allow_redirects=False)
    assert "/login" in location(home)


def test_a_host_on_postgresql_without_a_secret_key_does_not_start(shared_database, tmp_path):
    env = {"CXM_DATABASE_URL": shared_database, "CXM_INSTANCE_PATH": str(tmp_path / "i")}
    server = GunicornServer(env, tmp_path).start()
    try:
        assert server.wait_ended() != 0
    finally:
        server.stop()
    assert "CXM_SECRET_KEY is not set" in server.log()
    assert not (tmp_path / "i" / "secret_key").exists()
