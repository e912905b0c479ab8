"""Deleting a client for good on its page: the owner types its name; nobody else may."""

import auth_helpers
import pytest
from factories import make_member, make_workspace
from purge_fixtures import all_rows, client_rows, populate_client
from storage_faults import make_read_only
from web_helpers import csrf_token, log_in

from cxmaturity.services import clients
from cxmaturity.services.access import load_actor
from cxmaturity.store.database import reading, transaction
from cxmaturity.web.context import services_of

clock = auth_helpers.clock  # the fixture


@pytest.fixture
def world(app, sessions):
    """Workspace "nord": Alpha AG (archived) and Beta GmbH, an owner and a consultant;
    workspace "sued" with its own owner."""
    with transaction(sessions) as session:
        nord = make_workspace(session, slug="nord", name="Beratung Nord")
        owner = make_member(session, nord, role="owner")
        emails = {
            "owner": owner.email,
            "consultant": make_member(session, nord, role="consultant").email,
            "other": make_member(session, make_workspace(session, slug="sued"), role="owner").email,
        }
        alpha = populate_client(session, nord, "Alpha AG")
        beta = populate_client(session, nord, "Beta GmbH")
        owner_id = owner.id
    clients.archive_client(
        services_of(app).sessions, load_actor(sessions, owner_id), "nord", alpha["id"]
    )
    return {"emails": emails, "alpha": alpha, "beta": beta}


def purge(client, world, who, name):
    if who is not None:
        assert log_in(client, world["emails"][who]).status_code == 302
    alpha = world["alpha"]["id"]
    page = client.get(f"/w/nord/clients/{alpha}")
    if page.status_code != 200:  # another workspace's client: a token from an own page
        page = client.get("/w/sued/clients/new")
    token = csrf_token(page.get_data(as_text=True))
    return client.post(
        f"/w/nord/clients/{alpha}/purge", data={"csrf_token": token, "confirm_name": name}
    )


def report_of(client, assessment_id):
    response = client.get(f"/w/nord/assessments/{assessment_id}/report.pdf?lang=en")
    assert response.status_code == 200 and response.mimetype == "application/pdf"


def test_the_owner_types_the_name_and_the_client_its_data_and_its_reports_are_gone(
    app, client, world, sessions
):
    alpha, beta = world["alpha"], world["beta"]
    assert log_in(client, world["emails"]["owner"]).status_code == 302
    page = client.get(f"/w/nord/clients/{alpha['id']}").get_data(as_text=True)
    assert "It can be restored until" in page and "Delete for good" in page
    report_of(client, alpha["assessments"][0])
    report_of(client, beta["assessments"][0])
    cache_dir = services_of(app).report_cache.directory
    assert any(cache_dir.glob(f"{alpha['assessments'][0]}-*.pdf"))

    response = purge(client, world, None, "Alpha AG")

    assert response.status_code == 302 and response.headers["Location"].endswith("/clients/")
    listing = client.get(response.headers["Location"]).get_data(as_text=True)
    assert f"Client #{alpha['id']} and all its data have been deleted for good." in listing
    assert client.get(f"/w/nord/clients/{alpha['id']}").status_code == 404
    with reading(sessions) as session:
        assert not any(client_rows(session, alpha["id"]).values())
        assert all(client_rows(session, beta["id"]).values())
    assert not any(cache_dir.glob(f"{alpha['assessments'][0]}-*.pdf"))
    assert any(cache_dir.glob(f"{beta['assessments'][0]}-*.pdf"))


def test_a_wrong_name_is_shown_beside_the_field_and_deletes_nothing(client, world, sessions):
    assert log_in(client, world["emails"]["owner"]).status_code == 302
    with reading(sessions) as session:
        before = all_rows(session)  # after the login, which notes its time
    response = purge(client, world, None, "Alpha")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "This is not the client&#39;s name. Nothing was deleted." in page
    assert 'aria-invalid="true"' in page
    with reading(sessions) as session:
        assert all_rows(session) == before


def test_a_consultant_sees_no_delete_and_is_refused_with_403(client, world, sessions):
    assert log_in(client, world["emails"]["consultant"]).status_code == 302
    with reading(sessions) as session:
        before = all_rows(session)  # after the login, which notes its time
    response = purge(client, world, None, "Alpha AG")
    assert response.status_code == 403
    page = client.get(f"/w/nord/clients/{world['alpha']['id']}").get_data(as_text=True)
    assert "Delete for good" not in page and "Restore client" in page
    with reading(sessions) as session:
        assert all_rows(session) == before


def test_an_owner_of_another_workspace_gets_404(client, world, sessions):
    assert log_in(client, world["emails"]["other"]).status_code == 302
    with reading(sessions) as session:
        before = all_rows(session)
    assert purge(client, world, None, "Alpha AG").status_code == 404
    with reading(sessions) as session:
        assert all_rows(session) == before


def test_after_30_days_the_page_says_it_will_be_deleted_and_restoring_is_refused(
    client, world, clock
):
    clock.advance(days=31)
    alpha = world["alpha"]["id"]
    assert log_in(client, world["emails"]["owner"]).status_code == 302
    page = client.get(f"/w/nord/clients/{alpha}").get_data(as_text=True)
    assert "The 30 days to restore it are over" in page and "Restore client" not in page
    token = csrf_token(page)
    response = client.post(f"/w/nord/clients/{alpha}/restore", data={"csrf_token": token})
    assert response.status_code == 302
    page = client.get(f"/w/nord/clients/{alpha}").get_data(as_text=True)
    assert "The 30 days to restore this client are over." in page
    assert "This client is archived" in page


def test_the_delete_section_speaks_german(client, world):
    assert log_in(client, world["emails"]["owner"]).status_code == 302
    page = client.get(
        f"/w/nord/clients/{world['alpha']['id']}", headers={"Accept-Language": "de"}
    ).get_data(as_text=True)
    assert "Endgültig löschen" in page


def test_a_database_that_fails_during_the_purge_answers_503_and_keeps_everything(
    app, client, world, sessions
):
    assert log_in(client, world["emails"]["owner"]).status_code == 302
    page = client.get(f"/w/nord/clients/{world['alpha']['id']}").get_data(as_text=True)
    with reading(sessions) as session:
        before = all_rows(session)
    make_read_only(services_of(app).engine)
    response = client.post(
        f"/w/nord/clients/{world['alpha']['id']}/purge",
        data={"csrf_token": csrf_token(page), "confirm_name": "Alpha AG"},
    )
    assert response.status_code == 503
    assert "Please try again" in response.get_data(as_text=True)
    with reading(sessions) as session:
        assert all_rows(session) == before


def test_the_archived_list_says_until_when_each_client_can_be_restored(client, world):
    assert log_in(client, world["emails"]["owner"]).status_code == 302
    page = client.get("/w/nord/clients/?archived=1").get_data(as_text=True)
    assert "Alpha AG" in page and "Restorable until" in page
    german = client.get("/w/nord/clients/?archived=1", headers={"Accept-Language": "de"})
    assert "Wiederherstellbar bis" in german.get_data(as_text=True)
