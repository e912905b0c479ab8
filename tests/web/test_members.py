"""The members page and the audit log as an owner, a consultant and a viewer use them."""

from __future__ import annotations

import re

import pytest
from factories import make_member, make_organization, make_user, make_workspace
from web_helpers import csrf_token, log_in

from cxmaturity.domain.statuses import AuditAction
from cxmaturity.services import audit
from cxmaturity.store.database import transaction

GERMAN = {"Accept-Language": "de"}


@pytest.fixture
def team(sessions):
    with transaction(sessions) as session:
        workspace = make_workspace(session, slug="nord", name="Beratung Nord")
        owner = make_member(
            session, workspace, role="owner", user=make_user(session, name="Olga Owner")
        )
        consultant = make_member(
            session, workspace, role="consultant", user=make_user(session, name="Carl Consultant")
        )
        viewer = make_member(session, workspace, role="viewer")
        make_organization(session, name="Erste GmbH", workspace=workspace)
        make_organization(session, name="Zweite AG", workspace=workspace)
        newcomer = make_user(session, email="neu@example.com", name="Nina Neu")
    return {
        "owner": owner,
        "consultant": consultant,
        "viewer": viewer,
        "newcomer": newcomer,
        "workspace": workspace,
    }


def member_id(page: str, name: str) -> str:
    match = re.search(rf'id="member-(\d+)">\s*<h2><bdi>{name}</bdi>', page)
    assert match, name
    return match.group(1)


def text_of(response) -> str:
    return response.get_data(as_text=True)


def test_an_owner_adds_a_member_by_email_and_sees_it_in_the_audit_log(client, team):
    log_in(client, team["owner"].email)
    page = text_of(client.get("/w/nord/members"))
    response = client.post(
        "/w/nord/members",
        data={"csrf_token": csrf_token(page), "email": "NEU@example.com", "role": "viewer"},
    )
    assert response.status_code == 303
    page = text_of(client.get("/w/nord/members"))
    assert "Member added." in page and "Nina Neu" in page
    log = text_of(client.get("/w/nord/audit"))
    assert "Member added" in log and "neu@example.com (viewer)" in log
    assert team["owner"].email in log


def test_adding_an_address_without_account_says_so_beside_the_field(client, team):
    log_in(client, team["owner"].email)
    page = text_of(client.get("/w/nord/members"))
    response = client.post(
        "/w/nord/members",
        data={"csrf_token": csrf_token(page), "email": "nobody@example.com", "role": "viewer"},
    )
    assert response.status_code == 400
    page = text_of(response)
    assert "There is no account with this e-mail address." in page
    assert 'value="nobody@example.com"' in page
    assert re.search(r'id="add-email"[^>]*aria-describedby="add-hint error-new"', page)
    assert 'id="error-new"' in page


def test_the_last_owner_is_told_why_they_cannot_step_down(client, team):
    log_in(client, team["owner"].email)
    page = text_of(client.get("/w/nord/members"))
    own = member_id(page, "Olga Owner")
    for url, data in (
        (f"/w/nord/members/{own}/role", {"role": "viewer"}),
        (f"/w/nord/members/{own}/remove", {}),
    ):
        response = client.post(url, data={"csrf_token": csrf_token(page), **data})
        assert response.status_code == 400
        assert "The workspace needs at least one owner." in text_of(response)
    german = client.post(
        f"/w/nord/members/{own}/remove", data={"csrf_token": csrf_token(page)}, headers=GERMAN
    )
    assert "Der Arbeitsbereich braucht mindestens einen Eigentümer." in text_of(german)
    assert "Olga Owner" in text_of(client.get("/w/nord/members"))


def test_an_owner_changes_a_role_limits_a_consultant_and_lifts_the_limit(client, team, sessions):
    log_in(client, team["owner"].email)
    page = text_of(client.get("/w/nord/members"))
    token, carl = csrf_token(page), member_id(page, "Carl Consultant")
    clients = re.findall(rf'name="client" value="(\d+)" id="client-{carl}-', page)
    assert len(clients) == 2
    response = client.post(
        f"/w/nord/members/{carl}/limit", data={"csrf_token": token, "client": clients[:1]}
    )
    assert response.status_code == 303
    page = text_of(client.get("/w/nord/members"))
    assert "Works on these clients only:" in page and "Lift the limit" in page
    client.post(f"/w/nord/members/{carl}/limit/lift", data={"csrf_token": token})
    assert "Works on every client." in text_of(client.get("/w/nord/members"))
    client.post(f"/w/nord/members/{carl}/role", data={"csrf_token": token, "role": "owner"})
    log = text_of(client.get("/w/nord/audit"))
    assert "consultant → owner" in log and "client limit lifted" in log


def test_an_owner_who_leaves_lands_on_the_home_page(client, team):
    log_in(client, team["owner"].email)
    page = text_of(client.get("/w/nord/members"))
    token = csrf_token(page)
    client.post(
        f"/w/nord/members/{member_id(page, 'Carl Consultant')}/role",
        data={"csrf_token": token, "role": "owner"},
    )
    response = client.post(
        f"/w/nord/members/{member_id(page, 'Olga Owner')}/remove", data={"csrf_token": token}
    )
    assert response.status_code == 303 and response.headers["Location"].endswith("/home")
    assert client.get("/w/nord/members").status_code == 404


@pytest.mark.parametrize("role", ["consultant", "viewer"])
def test_consultants_and_viewers_read_the_list_but_change_nothing(client, team, role):
    log_in(client, team[role].email)
    response = client.get("/w/nord/members")
    assert response.status_code == 200
    page = text_of(response)
    assert "Olga Owner" in page and "Only the workspace's owners can change its members." in page
    assert "Add a member" not in page and "Change role" not in page
    token = csrf_token(text_of(client.get("/")))
    posted = client.post(
        "/w/nord/members", data={"csrf_token": token, "email": "neu@example.com", "role": "owner"}
    )
    assert posted.status_code == 403
    assert client.get("/w/nord/audit").status_code == 403
    assert "Nina Neu" not in text_of(client.get("/w/nord/members"))


def test_the_audit_log_pages_from_newest_to_oldest(client, team, sessions):
    from cxmaturity.services.access import load_actor

    actor = load_actor(sessions, team["owner"].id)
    with transaction(sessions) as session:
        for number in range(audit.PAGE_SIZE + 3):
            audit.record(
                session,
                actor,
                AuditAction.EXPORTED,
                "client",
                number,
                f"export {number}",
                workspace_id=team["workspace"].id,
            )
    log_in(client, team["owner"].email)
    first = text_of(client.get("/w/nord/audit"))
    assert f"export {audit.PAGE_SIZE + 2}" in first and "export 2<" not in first
    older = re.search(r'href="(/w/nord/audit\?before=\d+)"', first).group(1)
    second = text_of(client.get(older))
    assert "export 2<" in second and "export 0<" in second
    assert "Older entries" not in second and "Newest entries" in second
    german = text_of(client.get("/w/nord/audit", headers=GERMAN))
    assert "Protokoll" in german and "Exportiert" in german


def test_client_staff_and_outsiders_do_not_see_the_members_or_the_log(client, team, sessions):
    from factories import make_client_staff

    with transaction(sessions) as session:
        organization = make_organization(session, name="Dritte KG", workspace=team["workspace"])
        staff = make_client_staff(session, organization, "client_admin")
    log_in(client, staff.email)
    assert client.get("/w/nord/members").status_code == 404
    assert client.get("/w/nord/audit").status_code == 404
    client.post("/logout", data={"csrf_token": csrf_token(text_of(client.get("/")))})
    log_in(client, team["newcomer"].email)
    assert client.get("/w/nord/members").status_code == 404
