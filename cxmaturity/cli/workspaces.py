"""`cxmaturity workspaces create|add-member`: workspaces and their members (DESIGN §6)."""

from __future__ import annotations

import click

from cxmaturity.cli.common import fail, print_json, process_services
from cxmaturity.cli.users import OneLineGroup
from cxmaturity.domain.statuses import WorkspaceKind, WorkspaceRole


@click.group("workspaces", cls=OneLineGroup)
def workspaces() -> None:
    """Create workspaces and add members to them."""


@workspaces.command("create")
@click.argument("slug")
@click.option("--name", required=True, help="The workspace's name, also the sender of its e-mails.")
@click.option("--owner", "owner_email", required=True, help="The e-mail address of its owner.")
@click.option(
    "--kind",
    type=click.Choice([kind.value for kind in WorkspaceKind]),
    default=WorkspaceKind.CONSULTANCY.value,
    show_default=True,
)
def create_workspace(slug: str, name: str, owner_email: str, kind: str) -> None:
    """Create a workspace with its owner."""
    # Imported here: SQLAlchemy would slow every other command.
    from cxmaturity.services import workspaces as workspace_service
    from cxmaturity.services.accounts import UnknownUser
    from cxmaturity.services.errors import InvalidInput

    with process_services() as services:
        try:
            workspace_id = workspace_service.create_workspace(
                services.sessions, slug, name, owner_email, kind
            )
        except InvalidInput as error:
            fail(str(error))
        except UnknownUser:
            fail(f"no account has the address {owner_email} (create it with `users create`)")
        except workspace_service.SlugTaken:
            fail(f"a workspace with the slug {slug} exists already")
    print_json({"id": workspace_id, "slug": slug, "name": name.strip(), "kind": kind})


@workspaces.command("add-member")
@click.argument("slug")
@click.argument("email")
@click.option("--role", required=True, type=click.Choice([role.value for role in WorkspaceRole]))
def add_member(slug: str, email: str, role: str) -> None:
    """Make an existing account a member of a workspace."""
    # Imported here: SQLAlchemy would slow every other command.
    from cxmaturity.services import workspaces as workspace_service
    from cxmaturity.services.accounts import UnknownUser
    from cxmaturity.services.errors import InvalidInput

    with process_services() as services:
        try:
            member_id = workspace_service.add_member(services.sessions, slug, email, role)
        except InvalidInput as error:
            fail(str(error))
        except workspace_service.UnknownWorkspace:
            fail(f"no workspace has the slug {slug}")
        except UnknownUser:
            fail(f"no account has the address {email} (create it with `users create`)")
        except workspace_service.AlreadyMember:
            fail(f"{email} is a member of {slug} already")
    print_json({"id": member_id, "workspace": slug, "email": email, "role": role})
