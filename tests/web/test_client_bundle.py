"""The "Download JSON bundle" link of the client page and `/w/<slug>/clients/<id>/bundle.json`."""

import json

import pytest
from factories import make_client_staff, make_member, make_organization, make_user, make_workspace
from history_quarters import import_all, same_version
from jsonschema import Draft202012Validator
from web_helpers import log_in

from cxmaturity.exports.bundle_schema import bundle_schema
from cxmaturity.store.database import transaction
from cxmaturity.web.context import services_of


@pytest.fixture
def world(app, sessions):
    with transaction(sessions) as session:
        nord = make_workspace(session, slug="nord", name="Beratung Nord")
        alpha = make_organization(session, name="Alpha AG", workspace=nord)
        english = make_user(session, language="en")
        make_member(session, nord, english, role="consultant")
        emails = {
            "consultant": english.email,
            "german": make_member(session, nord, role="owner").email,
            "owner": make_member(
                session, nord, make_user(session, language="en"), role="owner"
            ).email,
            "viewer": make_member(session, nord, role="viewer").email,
            "staff": make_client_staff(session, alpha, "client_admin").email,
        }
        alpha_id = alpha.id
    catalogue = services_of(app).catalogue
    import_all(sessions, catalogue, "nord", alpha_id, same_version(catalogue, 2))
    return emails, f"/w/nord/clients/{alpha_id}"


def test_an_owner_downloads_the_bundle_from_the_client_page(client, world):
    emails, page = world
    log_in(client, emails["owner"])
    html = client.get(page).get_data(as_text=True)
    assert "Download JSON bundle" in html and f'href="{page}/bundle.json"' in html
    response = client.get(f"{page}/bundle.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert response.headers["Content-Disposition"].startswith("attachment; filename=")
    bundle = json.loads(response.get_data(as_text=True))
    Draft202012Validator(bundle_schema()).validate(bundle)
    assert bundle["client"]["name"] == "Alpha AG"
    assert [a["period"] for a in bundle["assessments"]] == ["2024-Q1", "2024-Q2"]


def test_the_link_speaks_german_to_a_german_owner(client, world):
    emails, page = world
    log_in(client, emails["german"])
    html = client.get(page, headers={"Accept-Language": "de"}).get_data(as_text=True)
    assert "JSON-Paket herunterladen" in html


@pytest.mark.parametrize("who", ["consultant", "viewer", "staff"])
def test_only_owners_see_the_link_and_may_download(client, world, who):
    emails, page = world
    log_in(client, emails[who])
    assert "bundle.json" not in client.get(page).get_data(as_text=True)
    assert client.get(f"{page}/bundle.json").status_code == 403
