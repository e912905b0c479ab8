"""Without a mail server, the forgot page names the operator's command and sends nothing."""

from auth_helpers import user
from sqlalchemy import func, select

from cxmaturity.store.database import transaction
from cxmaturity.store.models import PasswordReset


def test_without_smtp_the_forgot_page_names_the_command(client, sessions):
    anna = user(sessions)
    page = client.get("/password/forgot").get_data(as_text=True)
    assert "cxmaturity users set-password" in page
    assert 'name="email"' not in page
    client.post("/password/forgot", data={"email": anna.email})
    with transaction(sessions) as session:
        assert session.scalar(select(func.count()).select_from(PasswordReset)) == 0


def test_the_forgot_page_in_german(client):
    client.set_cookie("cxm_lang", "de", domain="localhost")
    page = client.get("/password/forgot").get_data(as_text=True)
    assert "Betreiber" in page
    assert "cxmaturity users set-password" in page


def test_the_login_page_links_to_the_forgot_page(client):
    assert 'href="/password/forgot"' in client.get("/login").get_data(as_text=True)
