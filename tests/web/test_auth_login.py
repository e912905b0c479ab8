"""Logging in: failures rate-limited, the same answer for unknown and wrong, next= kept local."""

import auth_helpers
import pytest
from auth_helpers import user
from factories import PASSWORD
from sqlalchemy import func, select
from web_helpers import csrf_token, log_in

from cxmaturity.store.database import transaction
from cxmaturity.store.models import LoginFailure

clock = auth_helpers.clock  # the fixture
WRONG = "not the password at all"


def failing(client, email, times, remote=None):
    for _ in range(times):
        response = attempt(client, email, WRONG, remote)
        assert response.status_code == 401


def attempt(client, email, password, remote=None, next_path=None):
    environ = {"REMOTE_ADDR": remote} if remote else {}
    page = client.get("/login", environ_base=environ).get_data(as_text=True)
    url = "/login" + (f"?next={next_path}" if next_path else "")
    return client.post(
        url,
        data={"csrf_token": csrf_token(page), "email": email, "password": password},
        environ_base=environ,
    )


def log_out(client):
    page = client.get("/home").get_data(as_text=True)
    assert client.post("/logout", data={"csrf_token": csrf_token(page)}).status_code == 302


def failures_stored(sessions):
    with transaction(sessions) as session:
        return session.scalar(select(func.count()).select_from(LoginFailure))


def test_a_right_password_lands_on_home(client, sessions):
    anna = user(sessions)
    response = log_in(client, anna.email)
    assert response.status_code == 302
    assert response.headers["Location"] == "/home"


def test_unknown_address_and_wrong_password_get_the_same_answer(client, sessions):
    anna = user(sessions)
    unknown = attempt(client, "nobody@example.com", WRONG)
    wrong = attempt(client, anna.email, WRONG)
    assert unknown.status_code == wrong.status_code == 401
    message = "The e-mail address or the password is not right."
    assert message in unknown.get_data(as_text=True)
    assert message in wrong.get_data(as_text=True)


def test_five_failures_block_the_address_for_15_minutes_even_with_the_right_password(
    client, sessions, clock
):
    anna = user(sessions)
    failing(client, anna.email, 5)
    blocked = attempt(client, anna.email, PASSWORD)
    assert blocked.status_code == 429
    assert "Please try again in 15 minutes." in blocked.get_data(as_text=True)
    assert blocked.headers["Retry-After"] == "900"
    clock.advance(minutes=10)
    still = attempt(client, anna.email.upper(), PASSWORD)
    assert still.status_code == 429
    assert "try again in 5 minutes" in still.get_data(as_text=True)
    clock.advance(minutes=5, seconds=1)
    assert attempt(client, anna.email, PASSWORD).status_code == 302


def test_an_unknown_address_is_blocked_like_a_known_one(client, clock):
    failing(client, "nobody@example.com", 5)
    assert attempt(client, "nobody@example.com", WRONG).status_code == 429


def test_the_wait_message_is_in_the_users_language(client, sessions, clock):
    anna = user(sessions)
    client.set_cookie("cxm_lang", "de", domain="localhost")
    failing(client, anna.email, 5)
    page = attempt(client, anna.email, PASSWORD).get_data(as_text=True)
    assert "Zu viele fehlgeschlagene Anmeldungen" in page
    assert "in 15 Minuten" in page


def test_twenty_failures_from_one_remote_address_block_it_but_not_others(client, sessions, clock):
    anna = user(sessions)
    for number in range(20):
        response = attempt(client, f"guess{number}@example.com", WRONG, remote="203.0.113.9")
        assert response.status_code == 401
    assert attempt(client, anna.email, PASSWORD, remote="203.0.113.9").status_code == 429
    assert attempt(client, anna.email, PASSWORD, remote="198.51.100.7").status_code == 302


def test_someone_elses_success_does_not_reset_a_blocked_address(client, sessions, clock):
    anna, bernd = user(sessions), user(sessions, name="Bernd")
    failing(client, anna.email, 5)
    assert attempt(client, bernd.email, PASSWORD).status_code == 302
    log_out(client)
    assert attempt(client, anna.email, PASSWORD).status_code == 429


def test_a_success_starts_the_own_count_afresh(client, sessions, clock):
    anna = user(sessions)
    failing(client, anna.email, 4)
    assert attempt(client, anna.email, PASSWORD).status_code == 302
    log_out(client)
    failing(client, anna.email, 4)
    assert attempt(client, anna.email, PASSWORD).status_code == 302


def test_failures_older_than_the_window_are_pruned(client, sessions, clock):
    failing(client, "someone@example.com", 3)
    assert failures_stored(sessions) == 3
    clock.advance(minutes=16)
    failing(client, "someone@example.com", 1)
    assert failures_stored(sessions) == 1


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example/",
        "https://evil.example/",
        "/\\evil.example",
        "\\\\evil.example",
        "/%09/evil.example",
        "javascript:alert(1)",
        "evil.example",
        "///evil.example",
    ],
)
def test_next_never_leads_to_another_site(client, sessions, target):
    anna = user(sessions)
    response = attempt(client, anna.email, PASSWORD, next_path=target)
    assert response.status_code == 302
    assert response.headers["Location"] == "/home"


def test_next_to_an_own_page_is_honoured(client, sessions):
    anna = user(sessions)
    response = attempt(client, anna.email, PASSWORD, next_path="/w/nord/clients/")
    assert response.headers["Location"] == "/w/nord/clients/"


def test_a_page_that_needs_a_login_comes_back_after_it(client, sessions):
    assert client.get("/home").headers["Location"].endswith("/login?next=/home")
    page = client.get("/login?next=/home").get_data(as_text=True)
    assert 'action="/login?next=/home"' in page
