"""`cxmaturity tokens create|revoke`: workspace API tokens for scripts (DESIGN §6, §9)."""

from __future__ import annotations

import click

from cxmaturity.cli.common import fail, print_json, process_services
from cxmaturity.cli.users import OneLineGroup
from cxmaturity.domain.statuses import TokenScope


@click.group("tokens", cls=OneLineGroup)
def tokens() -> None:
    """Create and revoke API tokens."""


@tokens.command("create")
@click.option("--workspace", "slug", required=True, help="The workspace's slug.")
@click.option("--user", "email", required=True, help="The member the token acts as.")
@click.option("--scope", required=True, type=click.Choice([scope.value for scope in TokenScope]))
@click.option("--name", default=None, help="What the token is for (shown to the owners).")
def create_token(slug: str, email: str, scope: str, name: str | None) -> None:
    """Make a token; its secret is printed once and never stored."""
    # Imported here: SQLAlchemy would slow every other command.
    from cxmaturity.services import api_tokens
    from cxmaturity.services.accounts import UnknownUser
    from cxmaturity.services.errors import InvalidInput, NotVisible

    with process_services() as services:
        try:
            made = api_tokens.create_token_as_operator(services.sessions, slug, email, scope, name)
        except InvalidInput as error:
            fail(str(error))
        except UnknownUser:
            fail(f"no account has the address {email} (create it with `users create`)")
        except NotVisible:
            fail(f"no workspace {slug} with a member {email}")
    print_json({"id": made.id, "token": made.secret})


@tokens.command("revoke")
@click.argument("token_id", type=int)
def revoke_token(token_id: int) -> None:
    """End a token at once; revoking it again changes nothing."""
    from cxmaturity.services import api_tokens
    from cxmaturity.services.errors import NotVisible

    with process_services() as services:
        try:
            api_tokens.revoke_token_as_operator(services.sessions, token_id)
        except NotVisible:
            fail(f"no token has the id {token_id}")
    print_json({"id": token_id, "revoked": True})
