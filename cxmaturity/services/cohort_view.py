"""The consultant's view of one client against a saved cohort (issue 11, DESIGN §4.13).

`/w/<slug>/clients/<id>/cohort?cohort=<id>&period=P`: the client by name, each
peer only as an alias (A, B, C… in order of score, so an alias tells nothing of
who it is), and the band of the peers — the *other* comparable clients the cohort
admits (leave-one-out). Under the workspace's min-n neither the band nor the
peers are shown: a handful of aliased scores would name their clients. The band
counts every comparable peer of the workspace; the aliased list shows only the
peers the consultant may see (a consultant limited to some clients sees no others).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from sqlalchemy.orm import Session, sessionmaker

from cxmaturity.domain.access import Actor, Permission
from cxmaturity.domain.cohorts import (
    CohortClient,
    CohortFilter,
    CohortStatistics,
    aliases,
    major_version,
    peers_of,
    position_of,
)
from cxmaturity.domain.loader import Catalogue
from cxmaturity.domain.periods import is_period
from cxmaturity.services.access import client_for
from cxmaturity.services.cohorts import closed_clients_of_period
from cxmaturity.services.errors import InvalidInput
from cxmaturity.services.saved_cohorts import Cohort, cohort_in, cohorts_in, portfolio_workspace
from cxmaturity.store.database import run_reading
from cxmaturity.store.queries import portfolio as portfolio_queries


@dataclass(frozen=True)
class Peer:
    alias: str
    scores: CohortClient


@dataclass(frozen=True)
class CohortView:
    workspace_slug: str
    workspace_name: str
    client_id: int
    client_name: str
    period: str
    periods: tuple[str, ...]
    cohorts: tuple[Cohort, ...]
    cohort: Cohort | None
    own: CohortClient | None
    """The client's closed assessment of the period; None where it has none."""
    other_questionnaire: bool = False
    """The client's assessment is of another questionnaire or major version than the cohort's."""
    peers: tuple[Peer, ...] = ()
    band: CohortStatistics | None = None
    dimension_ids: tuple[str, ...] = ()
    dimension_titles: dict[str, str] = field(default_factory=dict)

    @property
    def published(self) -> bool:
        return self.band is not None and not self.band.suppressed


def cohort_view(
    sessions: sessionmaker[Session],
    catalogue: Catalogue,
    actor: Actor | None,
    slug: str,
    client_id: int,
    cohort_id: int | None,
    period: str | None,
    language: str,
) -> CohortView:
    """Raises NotVisible for a client or cohort outside the actor's sight (and in a team
    workspace), InvalidInput("period") for a period that is not a quarter."""
    if period is not None and not is_period(period):
        raise InvalidInput("period", "must be a quarter like 2026-Q4")

    def read(session: Session) -> CohortView:
        workspace = portfolio_workspace(session, actor, slug)
        _, organization = client_for(session, actor, slug, client_id, Permission.VIEW_RESULTS)
        assert actor is not None
        cohort = cohort_in(session, workspace, cohort_id) if cohort_id is not None else None
        periods = tuple(portfolio_queries.periods(session, workspace.id))
        chosen = period or (periods[0] if periods else "")
        base = CohortView(
            workspace_slug=workspace.slug,
            workspace_name=workspace.name,
            client_id=organization.id,
            client_name=organization.name,
            period=chosen,
            periods=periods,
            cohorts=cohorts_in(session, workspace),
            cohort=cohort,
            own=None,
        )
        candidates = closed_clients_of_period(session, workspace.id, chosen) if chosen else []
        own = next((c for c in candidates if c.client_id == organization.id), None)
        if own is None:
            return base
        if cohort is not None and (
            own.questionnaire_id != cohort.questionnaire_id
            or major_version(own.questionnaire_version) != cohort.major
        ):
            return replace(base, own=own, other_questionnaire=True)
        questionnaire = catalogue.get(own.questionnaire_id, own.questionnaire_version)
        dimension_ids = tuple(d.id for d in questionnaire.dimensions)
        admits = CohortFilter(cohort.industry, cohort.size, cohort.tags) if cohort else None
        position = position_of(own, candidates, dimension_ids, workspace.cohort_min_n, admits)
        visible = actor.visible_clients(workspace.id)
        peers = [
            peer
            for peer in peers_of(own, candidates, admits)
            if visible is None or peer.client_id in visible
        ]
        peers.sort(key=lambda peer: (-(peer.overall or 0), peer.client_id))
        named = aliases([peer.client_id for peer in peers])
        return replace(
            base,
            own=own,
            peers=tuple(Peer(named[p.client_id], p) for p in peers)
            if not position.peers.suppressed
            else (),
            band=position.peers,
            dimension_ids=dimension_ids,
            dimension_titles={d.id: d.title.get(language) for d in questionnaire.dimensions},
        )

    return run_reading(sessions, read)
