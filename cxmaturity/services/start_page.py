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
from cxmaturity.domain.statuses import WorkspaceKind
from cxmaturity.services.access import workspace_for
from cxmaturity.services.errors import NotVisible
from cxmaturity.store.database import run_reading
from cxmaturity.store.queries import clients as client_queries
from cxmaturity.store.queries.clients import AssessmentRow, AttentionRow, ClientRow

__all__ = ["AssessmentRow", "AttentionRow", "ClientRow", "StartPage", "start_page"]


# Clients per page; what needs attention is listed up to ATTENTION_SHOWN, then counted.
PAGE_SIZE = 50
ATTENTION_SHOWN = 20


@dataclass(frozen=True)
class StartPage:
    workspace_slug: str
    workspace_name: str
    clients: tuple[ClientRow, ...] = ()
    client_count: int = 0
    page: int = 1
    attention: tuple[AttentionRow, ...] = ()
    attention_count: int = 0
    today: datetime.date | None = None
    may_manage: bool = False
    staff_client_id: int | None = None
    """For client staff: their organization's page, where they are sent instead."""
    has_portfolio: bool = False
    """A consultancy's workspace has a portfolio; a team's, with its one company, has none."""

    @property
    def page_count(self) -> int:
        return max(1, -(-self.client_count // PAGE_SIZE))

    @property
    def more_attention(self) -> int:
        return self.attention_count - len(self.attention)

    def overdue(self, row: AssessmentRow) -> bool:
        return (
            self.today is not None
            and row.due_date is not None
            and row.due_date < self.today
            and row.status != "closed"
        )


def start_page(
    sessions: sessionmaker[Session],
    actor: Actor | None,
    slug: str,
    today: datetime.date,
    page: int = 1,
) -> StartPage:
    """Page `page` of the actor's clients in the workspace (their listed ones, if limited)
    and what needs them. A page past the last shows none.

    Client staff, who have no workspace page, get only `staff_client_id`.
    """
    page = max(1, page)

    def read(session: Session) -> StartPage:
        workspace = workspace_for(session, actor, slug, permission=None)
        assert actor is not None
        if actor.decide(Permission.VIEW_WORKSPACE, workspace.id) is not Decision.ALLOWED:
            own = sorted(o for o, g in actor.clients.items() if g.workspace_id == workspace.id)
            if not own:
                raise NotVisible
            return StartPage(workspace.slug, workspace.name, staff_client_id=own[0])
        visible = actor.visible_clients(workspace.id)
        clients, client_count = client_queries.clients_with_latest(
            session, workspace.id, visible, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE
        )
        attention, attention_count = client_queries.needing_attention(
            session, workspace.id, visible, today, limit=ATTENTION_SHOWN
        )
        return StartPage(
            workspace_slug=workspace.slug,
            workspace_name=workspace.name,
            clients=tuple(clients),
            client_count=client_count,
            page=page,
            attention=tuple(attention),
            attention_count=attention_count,
            today=today,
            may_manage=actor.decide(Permission.MANAGE_CLIENTS, workspace.id) is Decision.ALLOWED,
            has_portfolio=workspace.kind == WorkspaceKind.CONSULTANCY.value,
        )

    return run_reading(sessions, read)
