"""Password reset by e-mail through a real SMTP server; without one, the operator's command."""

import re

import auth_helpers
import pytest
from auth_helpers import user
from sqlalchemy import func, select
from web_helpers import csrf_token, log_in

from cxmaturity.store.database import transaction
from cxmaturity.store.models import EmailLogEntry, LoginFailure, PasswordReset

clock = auth_helpers.clock  # the fixture
NEW_PASSWORD = "my brand new password"
LINK = re.compile(r"https://cx\.example\.org/password/reset/([A-Za-z0-9_-]+)")


@pytest.fixture
def app_config(smtp_server):
    return {"SMTP_URL": smtp_server.url}


def ask_for_link(client, email, **headers):
    page = client.get("/password/forgot").get_data(as_text=True)
    return client.post(
        "/password/forgot", data={"csrf_token": csrf_token(page), "email": email}, headers=headers
    )


def choose(client, path, password=NEW_PASSWORD, confirm=None):
    page = client.get(path)
    assert page.status_code == 200, page.get_data(as_text=True)
    return client.post(
        path,
        data={
            "csrf_token": csrf_token(page.get_data(as_text=True)),
            "password": password,
            "confirm": confirm or password,
        },
    )


def reset_path(mail):
    found = LINK.search(mail.text)
    assert found, mail.text
    return f"/password/reset/{found.group(1)}"


def test_the_link_comes_by_mail_in_the_users_language_and_sets_a_new_password(
    app, client, sessions, smtp_server, clock
):
    anna = user(sessions, language="de", workspaces=["nord", "sued"])
    elsewhere = app.test_client()
    log_in(elsewhere, anna.email)
    response = ask_for_link(client, anna.email.upper())
    assert response.status_code == 200
    [mail] = smtp_server.received
    assert mail.recipients == [anna.email]
    assert mail.message["Content-Language"] == "de"
    assert "Passwort" in mail.message["Subject"]
    # Built from CXM_BASE_URL (https://cx.example.org), not from the request's host (localhost).
    assert "localhost" not in mail.text
    path = reset_path(mail)

    changed = choose(client, path)
    assert changed.status_code == 302
    assert changed.headers["Location"] == "/login"
    assert log_in(client, anna.email, NEW_PASSWORD).status_code == 302
    # The session that was logged in before has ended.
    assert elsewhere.get("/home").headers["Location"].startswith("/login")
    with transaction(sessions) as session:
        [entry] = session.scalars(select(EmailLogEntry)).all()
        assert (entry.kind, entry.language, entry.user_id, entry.error) == (
            "password_reset",
            "de",
            anna.id,
            None,
        )
        stored = session.scalars(select(PasswordReset.token_hash)).all()
        assert path.rsplit("/", 1)[1] not in stored


def test_the_answer_is_the_same_whether_the_address_has_an_account_or_not(
    client, sessions, smtp_server
):
    anna = user(sessions)
    known = ask_for_link(client, anna.email).get_data(as_text=True)
    unknown = ask_for_link(client, "nobody@example.com").get_data(as_text=True)
    strip = re.compile(r'value="[^"]*"')
    assert strip.sub("", known) == strip.sub("", unknown)
    assert "If an account has this address" in known
    assert len(smtp_server.received) == 1


def test_the_link_works_once(client, sessions, smtp_server):
    anna = user(sessions)
    ask_for_link(client, anna.email)
    path = reset_path(smtp_server.received[0])
    assert choose(client, path).status_code == 302
    again = client.get(path)
    assert again.status_code == 404
    assert "no longer valid" in again.get_data(as_text=True)


def test_the_link_ends_after_an_hour(client, sessions, smtp_server, clock):
    anna = user(sessions)
    ask_for_link(client, anna.email)
    path = reset_path(smtp_server.received[0])
    clock.advance(minutes=59)
    assert client.get(path).status_code == 200
    clock.advance(minutes=1)
    assert client.get(path).status_code == 404
    assert log_in(client, anna.email).status_code == 302


def test_an_unknown_link_gets_the_same_page(client):
    assert client.get("/password/reset/" + "x" * 43).status_code == 404
    assert client.get("/password/reset/" + "x" * 500).status_code == 404


def test_a_new_password_clears_the_failed_logins(client, sessions, smtp_server, clock):
    anna = user(sessions)
    for _ in range(5):
        log_in(client, anna.email, "wrong password")
    assert log_in(client, anna.email).status_code == 429
    ask_for_link(client, anna.email)
    choose(client, reset_path(smtp_server.received[0]))
    with transaction(sessions) as session:
        assert session.scalar(select(func.count()).select_from(LoginFailure)) == 0
    assert log_in(client, anna.email, NEW_PASSWORD).status_code == 302


def test_a_short_or_mistyped_password_is_refused_on_the_page(client, sessions, smtp_server):
    anna = user(sessions)
    ask_for_link(client, anna.email)
    path = reset_path(smtp_server.received[0])
    short = choose(client, path, password="short")
    assert short.status_code == 400
    assert "10 to 200 characters" in short.get_data(as_text=True)
    mistyped = choose(client, path, confirm="something else entirely")
    assert mistyped.status_code == 400
    assert "not the same" in mistyped.get_data(as_text=True)
    # The link still works after the refusals.
    assert choose(client, path).status_code == 302


def test_a_mail_server_that_refuses_is_logged_and_the_page_says_the_same(
    client, sessions, smtp_server
):
    anna = user(sessions, language="en")
    smtp_server.refuse(anna.email)
    assert "If an account has this address" in ask_for_link(client, anna.email).get_data(True)
    with transaction(sessions) as session:
        [entry] = session.scalars(select(EmailLogEntry)).all()
        assert entry.error.startswith("550")
        assert entry.language == "en"


def test_more_than_three_links_an_hour_are_not_sent(client, sessions, smtp_server, clock):
    anna = user(sessions)
    for _ in range(5):
        ask_for_link(client, anna.email)
    assert len(smtp_server.received) == 3
    clock.advance(minutes=61)
    ask_for_link(client, anna.email)
    assert len(smtp_server.received) == 4


def test_the_reset_page_sends_no_referrer_and_its_token_stays_out_of_the_log(
    client, sessions, smtp_server, caplog
):
    anna = user(sessions)
    ask_for_link(client, anna.email)
    path = reset_path(smtp_server.received[0])
    assert '<meta name="referrer" content="no-referrer">' in client.get(path).get_data(True)
    from cxmaturity.web.log_redaction import redact_tokens

    assert path.rsplit("/", 1)[1] not in redact_tokens(f"GET {path} HTTP/1.1")
