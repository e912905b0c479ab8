"""Managing a workspace's members through the service: who may, the last owner, the audit log."""

from __future__ import annotations

import threading

import pytest
from factories import make_member, make_organization, make_user, make_workspace
from sqlalchemy import select

from cxmaturity.services import members
from cxmaturity.services.access import load_actor
from cxmaturity.services.errors import Forbidden, NotVisible
from cxmaturity.services.members import MemberRefused, Refusal
from cxmaturity.store.database import reading, transaction
from cxmaturity.store.models import AuditEntry, Workspace, WorkspaceMember


@pytest.fixture
def ws(sessions):
    """A workspace with an owner, a consultant, a viewer and two clients; and an outsider."""
    with transaction(sessions) as session:
        workspace = make_workspace(session, slug="nord")
        owner = make_member(session, workspace, role="owner")
        consultant = make_member(session, workspace, role="consultant")
        viewer = make_member(session, workspace, role="viewer")
        first = make_organization(session, name="Erste GmbH", workspace=workspace)
        second = make_organization(session, name="Zweite AG", workspace=workspace)
        other = make_workspace(session, slug="sued")
        stranger = make_member(session, other, role="owner")
        foreign_client = make_organization(session, name="Fremd KG", workspace=other)
        newcomer = make_user(session, email="Neu@Example.com")
    ids = {
        "owner": owner.id,
        "consultant": consultant.id,
        "viewer": viewer.id,
        "stranger": stranger.id,
    }
    actors = {name: load_actor(sessions, user_id) for name, user_id in ids.items()}
    with reading(sessions) as session:
        member_ids = dict(
            session.execute(select(WorkspaceMember.user_id, WorkspaceMember.id)).all()
        )
    return {
        "actors": actors,
        "members": {name: member_ids[user_id] for name, user_id in ids.items()},
        "clients": (first.id, second.id),
        "foreign_client": foreign_client.id,
        "newcomer": newcomer,
    }


def roles(sessions):
    """Member id → role, of the workspace "nord" only."""
    with reading(sessions) as session:
        rows = session.execute(
            select(WorkspaceMember.id, WorkspaceMember.role)
            .join(Workspace)
            .where(Workspace.slug == "nord")
        )
        return dict(rows.all())


def audit_entries(sessions):
    with reading(sessions) as session:
        return list(session.scalars(select(AuditEntry).order_by(AuditEntry.id)))


def test_everyone_of_the_workspace_sees_the_list_and_only_the_owner_may_manage(sessions, ws):
    page = members.members_page(sessions, ws["actors"]["owner"], "nord")
    assert page.can_manage
    assert {line.role for line in page.members} == {"owner", "consultant", "viewer"}
    assert [client.name for client in page.clients] == ["Erste GmbH", "Zweite AG"]
    for name in ("consultant", "viewer"):
        assert not members.members_page(sessions, ws["actors"][name], "nord").can_manage


def test_outsiders_and_logged_out_visitors_see_no_member_list(sessions, ws):
    with pytest.raises(NotVisible):
        members.members_page(sessions, ws["actors"]["stranger"], "nord")
    with pytest.raises(NotVisible):
        members.members_page(sessions, None, "nord")
    with pytest.raises(NotVisible):
        members.members_page(sessions, ws["actors"]["owner"], "no-such-workspace")


def test_an_owner_adds_an_existing_account_by_email_and_the_log_says_who(sessions, ws):
    owner = ws["actors"]["owner"]
    member_id = members.add_member(sessions, owner, "nord", "  neu@EXAMPLE.com ", "viewer")
    assert roles(sessions)[member_id] == "viewer"
    (entry,) = audit_entries(sessions)
    assert (entry.action, entry.object_type, entry.object_id) == (
        "member_added",
        "member",
        member_id,
    )
    assert entry.actor_email == owner.email
    assert "Neu@Example.com" in entry.detail


@pytest.mark.parametrize(
    ("email", "role", "reason"),
    [
        ("nobody@example.com", "viewer", Refusal.NO_ACCOUNT),
        ("not an address", "viewer", Refusal.BAD_EMAIL),
        ("neu@example.com", "admin", Refusal.BAD_ROLE),
    ],
)
def test_adding_refuses_bad_input_and_changes_nothing(sessions, ws, email, role, reason):
    with pytest.raises(MemberRefused) as refused:
        members.add_member(sessions, ws["actors"]["owner"], "nord", email, role)
    assert refused.value.reason is reason
    assert len(roles(sessions)) == 3
    assert audit_entries(sessions) == []


def test_adding_someone_who_is_already_a_member_is_refused(sessions, ws):
    owner = ws["actors"]["owner"]
    members.add_member(sessions, owner, "nord", "neu@example.com", "viewer")
    with pytest.raises(MemberRefused) as refused:
        members.add_member(sessions, owner, "nord", "NEU@example.com", "owner")
    assert refused.value.reason is Refusal.ALREADY_MEMBER


@pytest.mark.parametrize("name", ["consultant", "viewer"])
def test_consultants_and_viewers_may_not_change_members(sessions, ws, name):
    actor, target = ws["actors"][name], ws["members"]["viewer"]
    attempts = [
        lambda: members.add_member(sessions, actor, "nord", "neu@example.com", "owner"),
        lambda: members.change_role(sessions, actor, "nord", target, "owner"),
        lambda: members.limit_to_clients(sessions, actor, "nord", target, [ws["clients"][0]]),
        lambda: members.lift_limit(sessions, actor, "nord", target),
        lambda: members.remove_member(sessions, actor, "nord", target),
    ]
    for attempt in attempts:
        with pytest.raises(Forbidden):
            attempt()
    assert len(roles(sessions)) == 3 and audit_entries(sessions) == []


def test_an_owner_of_another_workspace_cannot_touch_this_ones_members(sessions, ws):
    stranger = ws["actors"]["stranger"]
    with pytest.raises(NotVisible):
        members.change_role(sessions, stranger, "nord", ws["members"]["viewer"], "owner")
    # Nor a member of this workspace through their own workspace's address.
    with pytest.raises(NotVisible):
        members.remove_member(sessions, stranger, "sued", ws["members"]["viewer"])
    assert len(roles(sessions)) == 3


def test_the_last_owner_can_be_neither_demoted_nor_removed(sessions, ws):
    owner, own_id = ws["actors"]["owner"], ws["members"]["owner"]
    for attempt in (
        lambda: members.change_role(sessions, owner, "nord", own_id, "viewer"),
        lambda: members.remove_member(sessions, owner, "nord", own_id),
    ):
        with pytest.raises(MemberRefused) as refused:
            attempt()
        assert refused.value.reason is Refusal.LAST_OWNER
    assert roles(sessions)[own_id] == "owner"


def test_with_a_second_owner_the_first_may_step_down(sessions, ws):
    owner = ws["actors"]["owner"]
    members.change_role(sessions, owner, "nord", ws["members"]["consultant"], "owner")
    members.change_role(sessions, owner, "nord", ws["members"]["owner"], "viewer")
    assert roles(sessions)[ws["members"]["owner"]] == "viewer"
    # The old owner's grants are read again: they manage nothing any more.
    with pytest.raises(Forbidden):
        members.remove_member(sessions, owner, "nord", ws["members"]["viewer"])
    details = [entry.detail for entry in audit_entries(sessions)]
    assert details[-1].endswith("owner → viewer")


def test_two_owners_demoting_each_other_at_once_leave_one_owner(sessions, ws):
    owner = ws["actors"]["owner"]
    second_id = ws["members"]["consultant"]
    members.change_role(sessions, owner, "nord", second_id, "owner")
    second = load_actor(sessions, ws["actors"]["consultant"].user_id)
    results = []

    def demote(actor, member_id):
        try:
            members.change_role(sessions, actor, "nord", member_id, "viewer")
            results.append("demoted")
        except (MemberRefused, Forbidden) as refused:
            results.append(type(refused).__name__)

    threads = [
        threading.Thread(target=demote, args=(owner, second_id)),
        threading.Thread(target=demote, args=(second, ws["members"]["owner"])),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results.count("demoted") == 1, results
    assert list(roles(sessions).values()).count("owner") == 1


def test_a_consultant_is_limited_to_listed_clients_and_the_limit_is_lifted(sessions, ws):
    owner, consultant_id = ws["actors"]["owner"], ws["members"]["consultant"]
    first = ws["clients"][0]
    members.limit_to_clients(sessions, owner, "nord", consultant_id, [str(first)])
    (grant,) = load_actor(sessions, ws["actors"]["consultant"].user_id).workspaces.values()
    assert grant.listed_clients == {first}
    members.lift_limit(sessions, owner, "nord", consultant_id)
    consultant = load_actor(sessions, ws["actors"]["consultant"].user_id)
    assert all(grant.listed_clients is None for grant in consultant.workspaces.values())
    assert [entry.action for entry in audit_entries(sessions)] == ["role_changed"] * 2


def test_a_client_of_another_workspace_can_never_be_listed(sessions, ws):
    with pytest.raises(MemberRefused) as refused:
        members.limit_to_clients(
            sessions,
            ws["actors"]["owner"],
            "nord",
            ws["members"]["consultant"],
            [ws["clients"][0], ws["foreign_client"]],
        )
    assert refused.value.reason is Refusal.UNKNOWN_CLIENT
    with reading(sessions) as session:
        assert not session.get(WorkspaceMember, ws["members"]["consultant"]).limited_to_clients


@pytest.mark.parametrize(
    ("target", "clients", "reason"),
    [
        ("viewer", [1], Refusal.NOT_CONSULTANT),
        ("consultant", [], Refusal.NO_CLIENTS),
        ("consultant", ["x1"], Refusal.UNKNOWN_CLIENT),
    ],
)
def test_limits_refuse_what_makes_no_sense(sessions, ws, target, clients, reason):
    clients = [ws["clients"][0] if value == 1 else value for value in clients]
    with pytest.raises(MemberRefused) as refused:
        members.limit_to_clients(
            sessions, ws["actors"]["owner"], "nord", ws["members"][target], clients
        )
    assert refused.value.reason is reason


def test_a_new_role_other_than_consultant_lifts_the_limit(sessions, ws):
    owner, consultant_id = ws["actors"]["owner"], ws["members"]["consultant"]
    members.limit_to_clients(sessions, owner, "nord", consultant_id, [ws["clients"][1]])
    members.change_role(sessions, owner, "nord", consultant_id, "viewer")
    with reading(sessions) as session:
        member = session.get(WorkspaceMember, consultant_id)
        assert (member.role, member.limited_to_clients, member.listed_clients) == (
            "viewer",
            False,
            [],
        )


def test_removing_a_member_ends_their_access_and_is_logged(sessions, ws):
    owner = ws["actors"]["owner"]
    assert members.remove_member(sessions, owner, "nord", ws["members"]["viewer"]) is False
    assert load_actor(sessions, ws["actors"]["viewer"].user_id).workspaces == {}
    (entry,) = audit_entries(sessions)
    assert entry.action == "member_removed" and ws["actors"]["viewer"].email in entry.detail
    assert ws["members"]["viewer"] not in roles(sessions)


def test_an_unknown_member_id_is_not_visible(sessions, ws):
    with pytest.raises(NotVisible):
        members.change_role(sessions, ws["actors"]["owner"], "nord", 999_999, "viewer")
