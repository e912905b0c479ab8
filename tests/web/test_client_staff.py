"""Client staff: a consultant gives a person of the client company access to that client only."""

from __future__ import annotations

import pytest
from factories import make_member, make_organization, make_user, make_workspace
from sqlalchemy import func, select
from web_helpers import csrf_token, log_in

from cxmaturity.domain.access import Permission
from cxmaturity.services.access import load_actor
from cxmaturity.store.database import reading, transaction
from cxmaturity.store.models import AuditEntry, Membership


@pytest.fixture
def setup(sessions):
    with transaction(sessions) as session:
        workspace = make_workspace(session, slug="nord")
        other = make_workspace(session, slug="sued")
        client = make_organization(session, name="Kunde AG", workspace=workspace)
        second = make_organization(session, name="Zweite GmbH", workspace=workspace)
        foreign = make_organization(session, name="Fremd KG", workspace=other)
        people = {
            "consultant": make_member(session, workspace).email,
            "viewer": make_member(session, workspace, role="viewer").email,
            "limited": make_member(session, workspace, listed_clients=[second]).email,
            "outsider": make_member(session, other, role="owner").email,
            "staff": make_user(session, email="Petra@Kunde.example").email,
        }
        return {
            "client": client.id,
            "second": second.id,
            "foreign": foreign.id,
            "workspace": workspace.id,
            **people,
        }


def staff_url(client_id: int, slug: str = "nord") -> str:
    return f"/w/{slug}/clients/{client_id}/staff"


def give_access(client, client_id, email, role="client_viewer", slug="nord"):
    page = client.get(staff_url(client_id, slug)).get_data(as_text=True)
    return client.post(
        staff_url(client_id, slug),
        data={"csrf_token": csrf_token(page), "email": email, "role": role},
    )


def memberships(sessions) -> int:
    with reading(sessions) as session:
        return session.scalar(select(func.count()).select_from(Membership))


def test_a_consultant_gives_access_and_the_person_sees_that_client_only(client, sessions, setup):
    log_in(client, setup["consultant"])
    response = give_access(client, setup["client"], " petra@kunde.example ", "client_admin")
    assert response.status_code == 302
    page = client.get(staff_url(setup["client"])).get_data(as_text=True)
    assert "Petra@Kunde.example" in page

    with reading(sessions) as session:
        staff_id = session.scalar(select(Membership.user_id))
        entry = session.scalar(select(AuditEntry))
    assert (entry.action, entry.object_type, entry.detail) == (
        "member_added",
        "client_staff",
        "client_admin",
    )
    assert entry.actor_email == setup["consultant"]
    actor = load_actor(sessions, staff_id)
    assert actor.sees_workspace(setup["workspace"])
    assert actor.visible_clients(setup["workspace"]) == {setup["client"]}
    assert actor.decide(Permission.MANAGE_PLANS, setup["workspace"], setup["second"]).name == (
        "NOT_VISIBLE"
    )


def test_an_address_without_an_account_is_refused_with_a_message(client, sessions, setup):
    log_in(client, setup["consultant"])
    response = give_access(client, setup["client"], "nobody@kunde.example")
    assert response.status_code == 400
    assert "No account has this address" in response.get_data(as_text=True)
    assert memberships(sessions) == 0


def test_removing_access_ends_it(client, sessions, setup):
    log_in(client, setup["consultant"])
    give_access(client, setup["client"], setup["staff"])
    with reading(sessions) as session:
        staff_id = session.scalar(select(Membership.user_id))
    page = client.get(staff_url(setup["client"])).get_data(as_text=True)
    response = client.post(
        f"{staff_url(setup['client'])}/{staff_id}/remove", data={"csrf_token": csrf_token(page)}
    )
    assert response.status_code == 302
    assert memberships(sessions) == 0


@pytest.mark.parametrize(
    ("who", "client_key", "expected"),
    [
        ("outsider", "client", 404),
        ("limited", "client", 404),
        (None, "client", 404),
        ("consultant", "foreign", 404),
        ("viewer", "client", 403),
    ],
)
def test_nobody_else_changes_a_clients_staff(client, sessions, setup, who, client_key, expected):
    if who:
        log_in(client, setup[who])
    page = client.get("/").get_data(as_text=True)
    response = client.post(
        staff_url(setup[client_key]),
        data={"csrf_token": csrf_token(page), "email": setup["staff"], "role": "client_admin"},
    )
    assert response.status_code == expected
    assert memberships(sessions) == 0


@pytest.mark.parametrize(("who", "expected"), [("outsider", 404), ("limited", 404), (None, 404)])
def test_nobody_outside_sees_a_clients_staff(client, setup, who, expected):
    if who:
        log_in(client, setup[who])
    assert client.get(staff_url(setup["client"])).status_code == expected


def test_a_viewer_reads_the_list_without_the_form(client, setup):
    log_in(client, setup["viewer"])
    page = client.get(staff_url(setup["client"]))
    assert page.status_code == 200
    assert "Give access" not in page.get_data(as_text=True)
