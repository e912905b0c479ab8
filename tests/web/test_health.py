"""`/healthz` tells a load balancer whether to send visitors to this host, and nothing else."""

from __future__ import annotations

from storage_faults import make_read_only

from cxmaturity import create_app
from cxmaturity.web.context import services_of


def test_healthz_says_ok_while_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_data(as_text=True) == "ok\n"
    assert response.mimetype == "text/plain"
    assert response.headers["Cache-Control"] == "no-store"


def test_healthz_needs_no_login_and_sets_no_cookie(client):
    response = client.get("/healthz")
    assert "Set-Cookie" not in response.headers


def test_a_read_only_database_still_answers_the_health_check(app, client):
    # Reading is what the check asks: a standby or a full disk is not a dead host.
    make_read_only(services_of(app).engine)
    assert client.get("/healthz").status_code == 200


def test_healthz_answers_503_when_the_database_does_not(tmp_path, monkeypatch):
    # Nothing listens on port 1: as a PostgreSQL server that is down.
    monkeypatch.setenv("CXM_INSTANCE_PATH", str(tmp_path / "instance"))
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "health",
            "DATABASE_URL": "postgresql+psycopg://postgres@127.0.0.1:1/gone",
        }
    )
    try:
        response = app.test_client().get("/healthz")
    finally:
        services_of(app).close()
    assert response.status_code == 503
    page = response.get_data(as_text=True)
    assert page == "unavailable\n"
    assert "127.0.0.1" not in page and "Traceback" not in page
