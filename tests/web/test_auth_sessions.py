"""The login session: fresh at login, ended by logout (POST with CSRF), deactivation or a new
password; /home lists the user's workspaces; the header shows who is logged in."""

from auth_helpers import user
from sqlalchemy import update
from web_helpers import csrf_token, log_in

from cxmaturity.services import accounts
from cxmaturity.store.database import transaction
from cxmaturity.store.models import User


def session_cookie(client):
    cookie = client.get_cookie("session")
    return cookie.value if cookie else None


def test_the_cookie_from_before_the_login_does_not_become_the_logged_in_one(client, sessions):
    anna = user(sessions, workspaces=["nord", "sued"])
    client.get("/login")
    before = session_cookie(client)
    assert before
    assert log_in(client, anna.email).status_code == 302
    after = session_cookie(client)
    assert after != before
    assert client.get("/home").status_code == 200
    # Someone who planted the earlier cookie (session fixation) is not logged in with it.
    client.set_cookie("session", before, domain="localhost")
    assert client.get("/home").headers["Location"].startswith("/login")


def test_logout_is_a_post_with_the_csrf_token(client, sessions):
    anna = user(sessions, workspaces=["nord", "sued"])
    log_in(client, anna.email)
    assert client.get("/logout").status_code == 405
    assert client.post("/logout").status_code == 400
    page = client.get("/home")
    assert page.status_code == 200
    response = client.post("/logout", data={"csrf_token": csrf_token(page.get_data(True))})
    assert response.status_code == 302
    assert client.get("/home").headers["Location"].startswith("/login")


def test_a_deactivated_users_session_ends(client, sessions):
    anna = user(sessions, workspaces=["nord", "sued"])
    log_in(client, anna.email)
    assert client.get("/home").status_code == 200
    with transaction(sessions) as session:
        session.execute(update(User).where(User.id == anna.id).values(active=False))
    assert client.get("/home").headers["Location"].startswith("/login")
    assert log_in(client, anna.email).status_code == 401


def test_a_new_password_ends_the_other_sessions(app, client, sessions):
    anna = user(sessions, workspaces=["nord", "sued"])
    log_in(client, anna.email)
    accounts.set_password(sessions, anna.email, "a brand new password")
    assert client.get("/home").headers["Location"].startswith("/login")
    other = app.test_client()
    assert log_in(other, anna.email, "a brand new password").status_code == 302


def test_home_without_a_workspace_is_a_friendly_page(client, sessions):
    anna = user(sessions)
    log_in(client, anna.email)
    page = client.get("/home")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "You are not in any workspace yet" in text
    assert 'href="/"' in text


def test_home_with_one_workspace_goes_straight_there(client, sessions):
    anna = user(sessions, workspaces=["beratung-nord"])
    log_in(client, anna.email)
    response = client.get("/home")
    assert response.status_code == 302
    assert response.headers["Location"] == "/w/beratung-nord/"


def test_home_lists_every_workspace_of_the_user_and_no_other(client, sessions):
    anna = user(sessions, workspaces=["nord", "sued"])
    user(sessions, workspaces=["fremd"])
    log_in(client, anna.email)
    text = client.get("/home").get_data(as_text=True)
    assert 'href="/w/nord/"' in text and 'href="/w/sued/"' in text
    assert "/w/fremd/" not in text


def test_the_header_shows_the_logged_in_name_and_a_logout_button(client, sessions):
    anna = user(sessions, name="Anna <Berger>", workspaces=["nord", "sued"])
    assert "Log out" not in client.get("/").get_data(as_text=True)
    log_in(client, anna.email)
    text = client.get("/").get_data(as_text=True)
    assert "<bdi>Anna &lt;Berger&gt;</bdi>" in text
    assert 'action="/logout"' in text and "Log out" in text
