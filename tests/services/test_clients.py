"""Clients of a workspace: created, edited, tagged, archived and restored, seen only by whom may."""

import pytest
from factories import (
    make_assessment,
    make_client_staff,
    make_member,
    make_organization,
    make_respondent,
    make_workspace,
)
from sqlalchemy import func, select

from cxmaturity.services import clients
from cxmaturity.services.access import load_actor
from cxmaturity.services.errors import Forbidden, InvalidInput, NotVisible
from cxmaturity.store.database import transaction
from cxmaturity.store.models import AuditEntry, Organization


@pytest.fixture
def world(sessions):
    """Workspace "nord" with two clients, its owner, a viewer, a limited consultant, client
    staff of one client; and workspace "sued" with its own consultant."""
    with transaction(sessions) as session:
        nord = make_workspace(session, slug="nord")
        alpha = make_organization(session, name="Alpha AG", workspace=nord)
        beta = make_organization(session, name="Beta GmbH", workspace=nord)
        people = {
            "owner": make_member(session, nord, role="owner"),
            "viewer": make_member(session, nord, role="viewer"),
            "limited": make_member(session, nord, role="consultant", listed_clients=[alpha]),
            "staff": make_client_staff(session, beta, "client_viewer"),
            "other": make_member(session, make_workspace(session, slug="sued"), role="owner"),
        }
        ids = {name: user.id for name, user in people.items()}
        clients_ = {"alpha": alpha.id, "beta": beta.id}
    actors = {name: load_actor(sessions, user_id) for name, user_id in ids.items()}
    return actors, clients_


def test_a_consultant_creates_a_client_with_industry_size_reference_and_normalised_tags(
    sessions, world
):
    actors, _ = world
    details = clients.ClientDetails(
        name="  Gamma  KG ",
        industry="retail",
        size="50-249",
        external_reference="CRM-17",
        tags=["Pilot", " pilot ", "Nord   West", ""],
    )
    client_id = clients.create_client(sessions, actors["owner"], "nord", details)
    page = clients.client_page(sessions, actors["owner"], "nord", client_id)
    assert page.client.name == "Gamma  KG"
    assert (page.client.industry, page.client.size) == ("retail", "50-249")
    assert page.client.external_reference == "CRM-17"
    assert page.client.tags == ("nord west", "pilot")
    assert page.may_manage_client


def test_more_than_ten_tags_an_unknown_industry_or_an_empty_name_are_refused(sessions, world):
    actors, _ = world
    for details, field in [
        (clients.ClientDetails(name="X", tags=[f"t{n}" for n in range(11)]), "tags"),
        (clients.ClientDetails(name="X", industry="mining"), "industry"),
        (clients.ClientDetails(name="   "), "name"),
        (clients.ClientDetails(name="Alpha ag"), "name"),
    ]:
        with pytest.raises(InvalidInput) as refused:
            clients.create_client(sessions, actors["owner"], "nord", details)
        assert refused.value.field == field
    with transaction(sessions) as session:
        assert session.scalar(select(func.count()).select_from(Organization)) == 2


def test_editing_replaces_details_and_tags(sessions, world):
    actors, ids = world
    clients.update_client(
        sessions,
        actors["owner"],
        "nord",
        ids["alpha"],
        clients.ClientDetails(name="Alpha Holding", size="5000+", tags=["key account"]),
    )
    page = clients.client_page(sessions, actors["owner"], "nord", ids["alpha"])
    assert (page.client.name, page.client.size, page.client.industry) == (
        "Alpha Holding",
        "5000+",
        None,
    )
    assert page.client.tags == ("key account",)


def test_an_archived_client_leaves_the_list_and_comes_back_when_restored(sessions, world):
    actors, ids = world
    owner = actors["owner"]
    clients.archive_client(sessions, owner, "nord", ids["alpha"])
    assert [c.name for c in clients.client_list(sessions, owner, "nord").clients] == ["Beta GmbH"]
    archived = clients.client_list(sessions, owner, "nord", archived=True)
    assert [c.name for c in archived.clients] == ["Alpha AG"]
    clients.restore_client(sessions, owner, "nord", ids["alpha"])
    assert len(clients.client_list(sessions, owner, "nord").clients) == 2
    with transaction(sessions) as session:
        actions = session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions == ["client_archived", "client_restored"]


def test_archiving_a_client_with_an_open_assessment_keeps_it_open_and_says_so(sessions, world):
    actors, ids = world
    with transaction(sessions) as session:
        alpha = session.get(Organization, ids["alpha"])
        make_respondent(session, make_assessment(session, alpha))
    archived = clients.archive_client(sessions, actors["owner"], "nord", ids["alpha"])
    assert archived.open_assessments == 1
    page = clients.client_page(sessions, actors["owner"], "nord", ids["alpha"])
    assert page.client.archived and page.assessments[0].status == "open"


def test_a_viewer_reads_but_may_not_change(sessions, world):
    actors, ids = world
    viewer = actors["viewer"]
    assert len(clients.client_list(sessions, viewer, "nord").clients) == 2
    assert not clients.client_page(sessions, viewer, "nord", ids["alpha"]).may_manage_client
    with pytest.raises(Forbidden):
        clients.create_client(sessions, viewer, "nord", clients.ClientDetails(name="New"))
    with pytest.raises(Forbidden):
        clients.archive_client(sessions, viewer, "nord", ids["alpha"])


def test_a_limited_consultant_sees_only_listed_clients_and_those_they_create(sessions, world):
    actors, ids = world
    limited = actors["limited"]
    assert [c.name for c in clients.client_list(sessions, limited, "nord").clients] == ["Alpha AG"]
    with pytest.raises(NotVisible):
        clients.client_page(sessions, limited, "nord", ids["beta"])
    with pytest.raises(NotVisible):
        clients.archive_client(sessions, limited, "nord", ids["beta"])
    new_id = clients.create_client(sessions, limited, "nord", clients.ClientDetails(name="Neu"))
    limited = load_actor(sessions, limited.user_id)
    assert clients.client_page(sessions, limited, "nord", new_id).client.name == "Neu"


def test_client_staff_read_only_their_own_organization(sessions, world):
    actors, ids = world
    staff = actors["staff"]
    page = clients.client_page(sessions, staff, "nord", ids["beta"])
    assert page.client.name == "Beta GmbH" and not page.may_manage_client
    with pytest.raises(NotVisible):
        clients.client_page(sessions, staff, "nord", ids["alpha"])
    with pytest.raises(NotVisible):
        clients.client_list(sessions, staff, "nord")
    with pytest.raises(Forbidden):
        clients.update_client(sessions, staff, "nord", ids["beta"], clients.ClientDetails("B"))


def test_another_workspace_sees_nothing_as_if_it_did_not_exist(sessions, world):
    actors, ids = world
    other = actors["other"]
    with pytest.raises(NotVisible):
        clients.client_page(sessions, other, "nord", ids["alpha"])
    with pytest.raises(NotVisible):
        clients.client_page(sessions, other, "sued", ids["alpha"])
    with pytest.raises(NotVisible):
        clients.client_list(sessions, None, "nord")
    with pytest.raises(NotVisible):
        clients.archive_client(sessions, other, "sued", ids["alpha"])
