"""Fixtures for the API tests: two workspaces with members, clients and tokens of each role."""

import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from factories import make_member, make_organization, make_user, make_workspace

from cxmaturity.services import api_tokens
from cxmaturity.store.database import transaction

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "web"))


@dataclass
class World:
    owner_email: str
    consultant_email: str
    viewer_email: str
    client_id: int
    other_client_id: int
    """A client of the other workspace, which no token of `nord` may see."""
    tokens: dict[str, str]
    """"owner", "consultant", "viewer", "read" (the owner's read token), "other" (süd's owner)."""


@pytest.fixture
def world(sessions) -> World:
    with transaction(sessions) as session:
        nord = make_workspace(session, slug="nord", name="Beratung Nord")
        owner = make_member(session, nord, role="owner", user=make_user(session, name="Olga"))
        consultant = make_member(session, nord, role="consultant")
        viewer = make_member(session, nord, role="viewer")
        client = make_organization(session, name="Erste GmbH", workspace=nord)
        sued = make_workspace(session, slug="sued", name="Beratung Süd")
        other_owner = make_member(session, sued, role="owner")
        other_client = make_organization(session, name="Fremde AG", workspace=sued)
    made = {
        "owner": ("nord", owner.email, "write"),
        "consultant": ("nord", consultant.email, "write"),
        "viewer": ("nord", viewer.email, "write"),
        "read": ("nord", owner.email, "read"),
        "other": ("sued", other_owner.email, "write"),
    }
    tokens = {
        key: api_tokens.create_token_as_operator(sessions, slug, email, scope, key).secret
        for key, (slug, email, scope) in made.items()
    }
    return World(owner.email, consultant.email, viewer.email, client.id, other_client.id, tokens)
