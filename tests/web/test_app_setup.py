"""Application set-up: the secret key, and friendly pages when something breaks."""

import stat

import pytest

from cxmaturity import create_app
from cxmaturity.config import MissingSecretKey
from cxmaturity.web.context import services_of


def test_on_sqlite_a_secret_key_is_generated_once_and_kept_in_the_instance_folder(
    monkeypatch, tmp_path
):
    monkeypatch.setenv("CXM_INSTANCE_PATH", str(tmp_path / "instance"))
    monkeypatch.delenv("CXM_SECRET_KEY", raising=False)
    database_url = f"sqlite:///{tmp_path / 'cxmaturity.sqlite3'}"
    first = create_app({"DATABASE_URL": database_url})
    second = create_app({"DATABASE_URL": database_url})
    key_file = tmp_path / "instance" / "secret_key"
    assert len(first.config["SECRET_KEY"]) == 64
    assert first.config["SECRET_KEY"] == second.config["SECRET_KEY"] == key_file.read_text()
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    for app in (first, second):
        services_of(app).close()


@pytest.mark.postgres
def test_on_postgresql_the_app_refuses_to_start_without_a_shared_secret_key(
    monkeypatch, tmp_path, postgresql_database
):
    # Hosts sharing the database with keys of their own would log people out.
    monkeypatch.setenv("CXM_INSTANCE_PATH", str(tmp_path / "instance"))
    monkeypatch.delenv("CXM_SECRET_KEY", raising=False)
    url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{postgresql_database}"
    with pytest.raises(MissingSecretKey, match="CXM_SECRET_KEY is not set") as refused:
        create_app({"DATABASE_URL": url})
    assert "the same random value on every host" in str(refused.value)
    assert not (tmp_path / "instance" / "secret_key").exists()


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
