"""Application set-up: the secret key, and friendly pages when something breaks."""

import stat

from cxmaturity import create_app
from cxmaturity.web.context import services_of


def test_a_secret_key_is_generated_once_and_kept_in_the_instance_folder(
    monkeypatch, tmp_path, database_url
):
    monkeypatch.setenv("CXM_INSTANCE_PATH", str(tmp_path / "instance"))
    monkeypatch.delenv("CXM_SECRET_KEY", raising=False)
    first = create_app({"DATABASE_URL": database_url})
    second = create_app({"DATABASE_URL": database_url})
    key_file = tmp_path / "instance" / "secret_key"
    assert len(first.config["SECRET_KEY"]) == 64
    assert first.config["SECRET_KEY"] == second.config["SECRET_KEY"] == key_file.read_text()
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    for app in (first, second):
        services_of(app).close()


def test_an_unexpected_error_shows_the_friendly_500_page_in_the_visitors_language(app):
    @app.get("/explode")
    def explode():
        raise RuntimeError("database on fire")

    client = app.test_client()
    english = client.get("/explode", headers={"Accept-Language": "en"})
    assert english.status_code == 500
    page = english.get_data(as_text=True)
    assert "Something went wrong on our side" in page
    assert "database on fire" not in page and "Traceback" not in page
    german = client.get("/explode", headers={"Accept-Language": "de"}).get_data(as_text=True)
    assert '<html lang="de">' in german and "Something went wrong" not in german
