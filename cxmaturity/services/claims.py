"""Claiming a self-assessment: its starter creates an account and owns its team workspace.

A self-assessment makes a claimable team workspace (services/assessments). The
first respondent of that workspace, and only they, may claim it from their
private link: the account is created, made the workspace's owner, and the
workspace stops being claimable, all in one transaction. Nothing else changes:
the answers and results stay where they are.
"""

from __future__ import annotations

from enum import StrEnum
from typing import cast

from sqlalchemy import CursorResult, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from cxmaturity.domain.access import Actor
from cxmaturity.domain.statuses import AuditAction, WorkspaceKind, WorkspaceRole
from cxmaturity.services import audit
from cxmaturity.services.accounts import EmailTaken, LoggedIn, add_user, checked_new_user
from cxmaturity.store.database import run_in_transaction, run_reading
from cxmaturity.store.models import (
    Assessment,
    Organization,
    Respondent,
    Workspace,
    WorkspaceMember,
    hash_token,
)

TOKEN_MAX_LENGTH = 64


class ClaimState(StrEnum):
    OFFERED = "offered"
    """The respondent may create an account that owns the assessment."""
    CLAIMED = "claimed"
    """The respondent's workspace belongs to an account already."""
    NOT_OFFERED = "not_offered"
    """Not this respondent's to claim (an invited respondent, or an unknown link)."""


class ClaimRefused(Exception):
    """The link cannot claim (anymore); `state` says why."""

    def __init__(self, state: ClaimState) -> None:
        super().__init__(state.value)
        self.state = state


def _workspace_of(session: Session, token: object) -> tuple[Workspace, bool] | None:
    """The workspace of the link's respondent, and whether they are its first respondent."""
    if not isinstance(token, str) or not token or len(token) > TOKEN_MAX_LENGTH:
        return None
    found = session.execute(
        select(Respondent.id, Workspace)
        .join(Assessment, Assessment.id == Respondent.assessment_id)
        .join(Organization, Organization.id == Assessment.organization_id)
        .join(Workspace, Workspace.id == Organization.workspace_id)
        .where(Respondent.token_hash == hash_token(token))
    ).one_or_none()
    if found is None:
        return None
    respondent_id, workspace = found
    first_id = session.scalar(
        select(func.min(Respondent.id))
        .join(Assessment, Assessment.id == Respondent.assessment_id)
        .join(Organization, Organization.id == Assessment.organization_id)
        .where(Organization.workspace_id == workspace.id)
    )
    return workspace, respondent_id == first_id


def _state(session: Session, token: object) -> tuple[ClaimState, Workspace | None]:
    found = _workspace_of(session, token)
    if found is None:
        return ClaimState.NOT_OFFERED, None
    workspace, first = found
    if not first or workspace.kind != WorkspaceKind.TEAM:
        return ClaimState.NOT_OFFERED, workspace
    if workspace.claimable:
        return ClaimState.OFFERED, workspace
    has_owner = session.scalar(
        select(func.count())
        .select_from(WorkspaceMember)
        .where(WorkspaceMember.workspace_id == workspace.id)
    )
    return (ClaimState.CLAIMED if has_owner else ClaimState.NOT_OFFERED), workspace


def claim_state(sessions: sessionmaker[Session], token: str) -> ClaimState:
    """Whether the link's respondent may claim their assessment, or has done so."""
    return run_reading(sessions, lambda session: _state(session, token)[0])


def claim_workspace(
    sessions: sessionmaker[Session],
    token: str,
    email: str,
    name: str,
    password: str,
    language: str,
) -> LoggedIn:
    """Create the account and make it the owner of the link's workspace; return the login.

    Raises InvalidInput for a field the rules refuse, EmailTaken for an address
    with an account, ClaimRefused when the link may not (or no longer) claim.
    """
    new = checked_new_user(email, name, password, language)

    def claim(session: Session) -> LoggedIn:
        state, workspace = _state(session, token)
        if state is not ClaimState.OFFERED or workspace is None:
            raise ClaimRefused(state)
        user = add_user(session, new)
        # Only one claim wins, also when two arrive at once.
        taken = cast(
            CursorResult,
            session.execute(
                update(Workspace)
                .where(Workspace.id == workspace.id, Workspace.claimable.is_(True))
                .values(claimable=False)
            ),
        )
        if taken.rowcount != 1:
            raise ClaimRefused(ClaimState.CLAIMED)
        member = WorkspaceMember(
            workspace_id=workspace.id, user_id=user.id, role=WorkspaceRole.OWNER.value
        )
        session.add(member)
        session.flush()
        audit.record(
            session,
            Actor(user_id=user.id, email=user.email),
            AuditAction.MEMBER_ADDED,
            "workspace_member",
            member.id,
            "claimed the self-assessment as owner",
            workspace_id=workspace.id,
        )
        return LoggedIn(user.id, user.session_version, user.language)

    try:
        return run_in_transaction(sessions, claim)
    except IntegrityError:
        raise EmailTaken(new.email) from None
