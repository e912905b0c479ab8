"""A client's history whose questionnaire version is no longer installed: shown, never a 500."""

import pytest
from factories import make_member, make_organization, make_workspace
from history_quarters import four_versions, import_all
from questionnaire_versions import versions_dir
from web_helpers import log_in

from cxmaturity.services.catalogue import catalogue_for
from cxmaturity.store.database import transaction


@pytest.fixture(scope="module")
def versions(tmp_path_factory):
    return catalogue_for(versions_dir(tmp_path_factory.mktemp("questionnaires")))


def test_a_version_gone_is_shown_with_the_titles_of_one_installed(client, sessions, versions):
    with transaction(sessions) as session:
        nord = make_workspace(session, slug="nord")
        alpha = make_organization(session, name="Alpha AG", workspace=nord)
        member = make_member(session, nord)
    # Answered with 1.0 and 1.1; this app knows only the shipped 1.0.
    import_all(sessions, versions, "nord", alpha.id, four_versions(versions)[:2])
    assert log_in(client, member.email).status_code == 302
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "de"
    page = client.get(f"/w/nord/clients/{alpha.id}")
    assert page.status_code == 200
    section = page.get_data(as_text=True).split('id="history-heading"')[1]
    assert "<summary>2026-Q2" in section and "Kundenverständnis" in section
    chart = client.get(f"/w/nord/clients/{alpha.id}/history.svg")
    assert chart.status_code == 200 and "Kundenverständnis" in chart.get_data(as_text=True)
    data = client.get(f"/w/nord/clients/{alpha.id}/history.json").get_json()
    assert [p["questionnaire"]["version"] for p in data["periods"]] == ["1.0", "1.1"]
