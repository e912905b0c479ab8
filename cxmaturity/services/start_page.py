"""The consultant's start page `/w/<slug>/` (issue 9, item 8): their clients and what needs them.

Read in a constant number of queries whatever the number of clients: the
clients with their latest assessment in one aggregate query, what needs
attention (overdue, bounced invitations) in another.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from sqlalchemy.orm import Session, sessionmaker

from cxmaturity.domain.access import Actor, Decision, Permission
from cxmaturity.services.access import workspace_for
from cxmaturity.services.errors import NotVisible
from cxmaturity.store.database import run_reading
from cxmaturity.store.queries import clients as client_queries
from cxmaturity.store.queries.clients import AssessmentRow, AttentionRow, ClientRow

__all__ = ["AssessmentRow", "AttentionRow", "ClientRow", "StartPage", "start_page"]


@dataclass(frozen=True)
class StartPage:
    workspace_slug: str
    workspace_name: str
    clients: tuple[ClientRow, ...] = ()
    attention: tuple[AttentionRow, ...] = ()
    today: datetime.date | None = None
    may_manage: bool = False
    staff_client_id: int | None = None
    """For client staff: their organization's page, where they are sent instead."""

    def overdue(self, row: AssessmentRow) -> bool:
        return (
            self.today is not None
            and row.due_date is not None
            and row.due_date < self.today
            and row.status != "closed"
        )


def start_page(
    sessions: sessionmaker[Session], actor: Actor | None, slug: str, today: datetime.date
) -> StartPage:
    """The actor's clients in the workspace (their listed ones, if limited) and what needs them.

    Client staff, who have no workspace page, get only `staff_client_id`.
    """

    def read(session: Session) -> StartPage:
        workspace = workspace_for(session, actor, slug, permission=None)
        assert actor is not None
        if actor.decide(Permission.VIEW_WORKSPACE, workspace.id) is not Decision.ALLOWED:
            own = sorted(o for o, g in actor.clients.items() if g.workspace_id == workspace.id)
            if not own:
                raise NotVisible
            return StartPage(workspace.slug, workspace.name, staff_client_id=own[0])
        visible = actor.visible_clients(workspace.id)
        return StartPage(
            workspace_slug=workspace.slug,
            workspace_name=workspace.name,
            clients=tuple(client_queries.clients_with_latest(session, workspace.id, visible)),
            attention=tuple(
                client_queries.needing_attention(session, workspace.id, visible, today)
            ),
            today=today,
            may_manage=actor.decide(Permission.MANAGE_CLIENTS, workspace.id) is Decision.ALLOWED,
        )

    return run_reading(sessions, read)
