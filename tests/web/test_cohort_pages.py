"""Saved cohorts as a consultant keeps them: save the portfolio's filter, pick it on the portfolio,
rename, delete; and one client against a cohort, its peers only as letters."""

import re

import pytest
import storage_faults
from portfolio_world import build
from sqlalchemy import func, select
from web_helpers import csrf_token, log_in

from cxmaturity.store.database import reading, transaction
from cxmaturity.store.models import SavedCohort, Workspace
from cxmaturity.web.context import services_of


@pytest.fixture
def world(app, sessions):
    return build(sessions, services_of(app).catalogue)


@pytest.fixture
def consultant(client, world):
    assert log_in(client, world.emails["consultant"]).status_code == 302
    client.get("/language/en")
    return client


def save(client, **fields):
    page = client.get("/w/nord/cohorts").get_data(as_text=True)
    form = {"csrf_token": csrf_token(page), "questionnaire": "cx-maturity", "major": "1"}
    return client.post("/w/nord/cohorts", data={**form, **fields})


def cohort_count(sessions) -> int:
    with reading(sessions) as session:
        return session.scalar(select(func.count()).select_from(SavedCohort))


def test_the_portfolios_filter_is_saved_and_picked_again_by_its_id(consultant, sessions):
    page = consultant.get("/w/nord/portfolio?industry=retail").get_data(as_text=True)
    assert "Save this filter as a cohort" in page
    form = {
        "csrf_token": csrf_token(page),
        "name": "Handel",
        "questionnaire": "cx-maturity",
        "major": "1",
        "industry": "retail",
        "size": "",
    }
    response = consultant.post("/w/nord/cohorts", data=form)
    assert response.status_code == 302
    cohort_id = int(re.search(r"cohort=(\d+)", response.headers["Location"]).group(1))
    shown = consultant.get(f"/w/nord/portfolio?cohort={cohort_id}").get_data(as_text=True)
    assert f'<option value="{cohort_id}" selected>Handel</option>' in shown
    assert '<option value="retail" selected>' in shown
    assert "Delta KG" not in shown  # finance
    # The cohort's own fields win over the form's.
    data = consultant.get(f"/w/nord/portfolio.json?cohort={cohort_id}&industry=finance").get_json()
    assert data["filter"]["industry"] == "retail"


def test_a_name_is_required_and_unique_in_the_workspace(consultant, sessions):
    assert save(consultant, name="Pilot", tags="pilot").status_code == 302
    taken = save(consultant, name="Pilot")
    assert taken.status_code == 400
    assert "no other cohort of this workspace has" in taken.get_data(as_text=True)
    assert save(consultant, name="  ").status_code == 400
    assert save(consultant, name="Energie", industry="oil").status_code == 400
    assert cohort_count(sessions) == 1


def test_rename_and_delete(consultant, sessions):
    save(consultant, name="Pilot", tags="pilot")
    with reading(sessions) as session:
        cohort_id = session.scalar(select(SavedCohort.id))
    page = consultant.get("/w/nord/cohorts").get_data(as_text=True)
    token = csrf_token(page)
    renamed = consultant.post(
        f"/w/nord/cohorts/{cohort_id}/rename", data={"csrf_token": token, "name": "Piloten"}
    )
    assert renamed.status_code == 302
    assert "Piloten" in consultant.get("/w/nord/cohorts").get_data(as_text=True)
    empty = consultant.post(
        f"/w/nord/cohorts/{cohort_id}/rename", data={"csrf_token": token, "name": ""}
    )
    assert empty.status_code == 400
    deleted = consultant.post(f"/w/nord/cohorts/{cohort_id}/delete", data={"csrf_token": token})
    assert deleted.status_code == 302 and cohort_count(sessions) == 0
    assert consultant.get(f"/w/nord/portfolio?cohort={cohort_id}").status_code == 404


def test_a_viewer_sees_the_cohorts_but_may_not_change_them(client, world, sessions):
    log_in(client, world.emails["viewer"])
    page = client.get("/w/nord/cohorts")
    assert page.status_code == 200 and "New cohort" not in page.get_data(as_text=True)
    form = {"csrf_token": csrf_token(page.get_data(as_text=True)), "name": "X"}
    form |= {"questionnaire": "cx-maturity", "major": "1"}
    assert client.post("/w/nord/cohorts", data=form).status_code == 403
    assert cohort_count(sessions) == 0


def test_a_client_against_a_cohort_shows_peers_only_as_letters(consultant, world, sessions):
    save(consultant, name="Handel", industry="retail")
    with reading(sessions) as session:
        cohort_id = session.scalar(select(SavedCohort.id))
    alpha = world.ids["Alpha AG"]
    url = f"/w/nord/clients/{alpha}/cohort?cohort={cohort_id}&period=2026-Q4"
    response = consultant.get(url)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    # Alpha by name; the four other retail clients assessed in Q4 only as A–D… under min-n 5.
    assert "Alpha AG" in page
    assert "Fewer than 5 comparable clients" in page
    assert "Peer A" not in page and "Beta GmbH" not in page
    with transaction(sessions) as session:
        session.scalars(select(Workspace)).first().cohort_min_n = 3
    page = consultant.get(url).get_data(as_text=True)
    assert [f"Peer {letter}" in page for letter in "ABCD"] == [True] * 4
    assert "Peer E" not in page
    for other in ("Beta GmbH", "Epsilon SE", "Zeta AG", "HYPERLINK"):
        assert other not in page
    assert "The band is taken over 4 peers; this client is not part of it." in page


def test_a_client_without_a_closed_assessment_in_the_period_is_said_so(consultant, world):
    omega = world.ids["Omega AG"]
    page = consultant.get(f"/w/nord/clients/{omega}/cohort?period=2026-Q4").get_data(as_text=True)
    assert "This client has no closed assessment in 2026-Q4." in page
    assert consultant.get(f"/w/nord/clients/{omega}/cohort?period=2026-Q9").status_code == 400


def test_saving_a_cohort_on_a_read_only_database_answers_503_and_stores_nothing(
    app, consultant, sessions
):
    page = consultant.get("/w/nord/cohorts").get_data(as_text=True)
    storage_faults.make_read_only(services_of(app).engine)
    form = {"csrf_token": csrf_token(page), "name": "Handel"}
    response = consultant.post(
        "/w/nord/cohorts", data=form | {"questionnaire": "cx-maturity", "major": "1"}
    )
    assert response.status_code == 503
    assert "Not saved" in response.get_data(as_text=True)
    assert cohort_count(sessions) == 0
