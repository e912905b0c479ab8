"""The application factory (flaskr style): test configuration, and the `flask cx` commands."""

import json

from cxmaturity import create_app
from cxmaturity.web.context import services_of


def test_the_factory_takes_a_test_configuration(migrated_database_url, monkeypatch, tmp_path):
    monkeypatch.setenv("CXM_INSTANCE_PATH", str(tmp_path / "instance"))
    plain = create_app({"SECRET_KEY": "k", "DATABASE_URL": migrated_database_url})
    testing = create_app(
        {"SECRET_KEY": "k", "DATABASE_URL": migrated_database_url, "TESTING": True}
    )
    assert not plain.testing and testing.testing
    for app in (plain, testing):
        services_of(app).close()


def test_the_app_fixture_keeps_its_files_in_the_tests_own_folder(app, tmp_path):
    assert app.testing
    assert app.instance_path == str((tmp_path / "instance").resolve())


def test_the_start_page_answers(client):
    response = client.get("/", headers={"Accept-Language": "de"})
    assert response.status_code == 200
    assert '<html lang="de">' in response.get_data(as_text=True)


def test_the_commands_are_reachable_as_flask_cx(runner):
    result = runner.invoke(args=["cx", "questionnaire", "show", "cx-maturity", "--lang", "de"])
    assert result.exit_code == 0, result.output
    shown = json.loads(result.output)
    assert (shown["id"], len(shown["dimensions"])) == ("cx-maturity", 8)
