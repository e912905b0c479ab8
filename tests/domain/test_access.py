"""Who may do what (DESIGN §7): the decision is allowed, 404 (not visible) or 403 (forbidden)."""

from __future__ import annotations

import pytest

from cxmaturity.domain.access import (
    Actor,
    ClientGrant,
    Decision,
    Forbidden,
    NotVisible,
    Permission,
    WorkspaceGrant,
)
from cxmaturity.domain.statuses import ClientRole, WorkspaceRole

WORKSPACE, OTHER_WORKSPACE = 1, 2
CLIENT, OTHER_CLIENT = 10, 11


def member(role: WorkspaceRole, listed: set[int] | None = None) -> Actor:
    grant = WorkspaceGrant(role, frozenset(listed) if listed is not None else None)
    return Actor(user_id=1, email="a@example.com", workspaces={WORKSPACE: grant})


def staff(role: ClientRole) -> Actor:
    return Actor(user_id=2, email="s@example.com", clients={CLIENT: ClientGrant(role, WORKSPACE)})


def test_nobody_sees_a_workspace_they_do_not_belong_to():
    for role in WorkspaceRole:
        actor = member(role)
        for permission in Permission:
            assert actor.decide(permission, OTHER_WORKSPACE) is Decision.NOT_VISIBLE
            assert actor.decide(permission, OTHER_WORKSPACE, CLIENT) is Decision.NOT_VISIBLE


def test_an_owner_may_do_everything_in_their_workspace():
    owner = member(WorkspaceRole.OWNER)
    assert all(owner.decide(p, WORKSPACE, CLIENT) is Decision.ALLOWED for p in Permission)


def test_a_consultant_works_on_clients_but_does_not_manage_members_tokens_or_deletion():
    consultant = member(WorkspaceRole.CONSULTANT)
    assert consultant.decide(Permission.MANAGE_ASSESSMENTS, WORKSPACE, CLIENT) is Decision.ALLOWED
    assert consultant.decide(Permission.EXPORT, WORKSPACE) is Decision.ALLOWED
    for permission in (Permission.MANAGE_MEMBERS, Permission.MANAGE_TOKENS, Permission.DELETE):
        assert consultant.decide(permission, WORKSPACE) is Decision.FORBIDDEN


def test_a_viewer_reads_and_is_told_no_when_changing():
    viewer = member(WorkspaceRole.VIEWER)
    assert viewer.decide(Permission.VIEW_RESULTS, WORKSPACE, CLIENT) is Decision.ALLOWED
    assert viewer.decide(Permission.MANAGE_CLIENTS, WORKSPACE, CLIENT) is Decision.FORBIDDEN
    with pytest.raises(Forbidden):
        viewer.require(Permission.MANAGE_ASSESSMENTS, WORKSPACE, CLIENT)


def test_a_consultant_limited_to_listed_clients_does_not_see_the_others():
    consultant = member(WorkspaceRole.CONSULTANT, listed={CLIENT})
    assert consultant.decide(Permission.MANAGE_PLANS, WORKSPACE, CLIENT) is Decision.ALLOWED
    assert consultant.decide(Permission.VIEW_RESULTS, WORKSPACE, OTHER_CLIENT) is (
        Decision.NOT_VISIBLE
    )
    with pytest.raises(NotVisible):
        consultant.require(Permission.VIEW_RESULTS, WORKSPACE, OTHER_CLIENT)
    assert consultant.visible_clients(WORKSPACE) == {CLIENT}
    assert member(WorkspaceRole.CONSULTANT).visible_clients(WORKSPACE) is None


def test_client_staff_see_their_own_organization_only_and_no_workspace_page():
    admin, viewer = staff(ClientRole.CLIENT_ADMIN), staff(ClientRole.CLIENT_VIEWER)
    assert admin.decide(Permission.MANAGE_PLANS, WORKSPACE, CLIENT) is Decision.ALLOWED
    assert viewer.decide(Permission.VIEW_RESULTS, WORKSPACE, CLIENT) is Decision.ALLOWED
    assert viewer.decide(Permission.MANAGE_PLANS, WORKSPACE, CLIENT) is Decision.FORBIDDEN
    assert admin.decide(Permission.VIEW_RESULTS, WORKSPACE, OTHER_CLIENT) is Decision.NOT_VISIBLE
    assert admin.decide(Permission.VIEW_WORKSPACE, WORKSPACE) is Decision.NOT_VISIBLE
    assert admin.decide(Permission.MANAGE_ASSESSMENTS, WORKSPACE, CLIENT) is Decision.FORBIDDEN
    assert admin.sees_workspace(WORKSPACE) and not admin.sees_workspace(OTHER_WORKSPACE)
    assert admin.visible_clients(WORKSPACE) == {CLIENT}


def test_a_client_grant_in_another_workspace_gives_nothing_here():
    actor = Actor(
        user_id=3, email="x@example.com", clients={CLIENT: ClientGrant(ClientRole.CLIENT_ADMIN, 2)}
    )
    assert actor.decide(Permission.VIEW_RESULTS, WORKSPACE, CLIENT) is Decision.NOT_VISIBLE
