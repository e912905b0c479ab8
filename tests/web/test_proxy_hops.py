"""Behind a reverse proxy: X-Forwarded-* is believed for CXM_PROXY_HOPS hops, never more."""

from __future__ import annotations

import pytest
from factories import make_user
from sqlalchemy import select
from web_helpers import log_in

from cxmaturity.config import InvalidSetting, Settings
from cxmaturity.store.database import transaction
from cxmaturity.store.models import LoginFailure

FORWARDED = {"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https"}


@pytest.fixture
def app_config(request):
    return {"PROXY_HOPS": getattr(request, "param", 0)}


def failed_login_address(client, sessions) -> str | None:
    with transaction(sessions) as session:
        user = make_user(session)
    response = log_in(client, user.email, "not the password")
    assert response.status_code == 401
    with transaction(sessions) as session:
        return session.scalars(select(LoginFailure.remote_address)).one()


@pytest.mark.parametrize("app_config", [1], indirect=True)
def test_behind_one_proxy_the_forwarded_client_address_and_scheme_count(client, sessions):
    client.environ_base.update(
        {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in FORWARDED.items()}
    )
    # The login guard counts the failure against the visitor, not against the proxy.
    assert failed_login_address(client, sessions) == "203.0.113.7"
    # The proxy spoke HTTPS with the browser: the language cookie is sent only over HTTPS.
    cookie = client.get("/language/de?next=/").headers["Set-Cookie"]
    assert "Secure" in cookie


def test_without_proxy_hops_a_forwarded_address_is_not_believed(client, sessions):
    client.environ_base.update(
        {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in FORWARDED.items()}
    )
    # A client naming another address gets its failures counted against its own.
    assert failed_login_address(client, sessions) == "127.0.0.1"
    assert "Secure" not in client.get("/language/de?next=/").headers["Set-Cookie"]


@pytest.mark.parametrize("value", ["two", "-1", "99"])
def test_a_proxy_hop_count_that_is_no_small_number_stops_the_start(monkeypatch, value):
    monkeypatch.setenv("CXM_PROXY_HOPS", value)
    with pytest.raises(InvalidSetting, match="CXM_PROXY_HOPS must be the number of reverse"):
        Settings.from_environment()
