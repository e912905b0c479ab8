"""`cxmaturity clients create` (DESIGN §6) and `clients purge-expired` (DESIGN §9, for cron)."""

from __future__ import annotations

import click

from cxmaturity.cli.common import fail, print_json, process_services
from cxmaturity.domain.statuses import ORGANIZATION_SIZES
from cxmaturity.services import clients as client_service
from cxmaturity.services.errors import InvalidInput, StorageUnavailable


@click.group("clients")
def clients() -> None:
    """Clients of a workspace."""


@clients.command("create")
@click.option("--workspace", "slug", required=True, help="The workspace's slug.")
@click.option("--name", required=True, help="The client's name.")
@click.option(
    "--industry", type=click.Choice(client_service.INDUSTRY_KEYS), help="The client's industry."
)
@click.option("--size", type=click.Choice(ORGANIZATION_SIZES), help="Employees.")
@click.option("--reference", "external_reference", help="An optional external reference.")
@click.option("--tag", "tags", multiple=True, help="A tag; repeat for more (at most 10).")
def create(
    slug: str,
    name: str,
    industry: str | None,
    size: str | None,
    external_reference: str | None,
    tags: tuple[str, ...],
) -> None:
    """Add a client to a workspace; prints {"id", "name", "workspace", "tags"}."""
    details = client_service.ClientDetails(
        name=name, industry=industry, size=size, external_reference=external_reference, tags=tags
    )
    with process_services() as services:
        try:
            client_id = client_service.create_client_as_operator(services.sessions, slug, details)
        except InvalidInput as error:
            fail(str(error))
        except StorageUnavailable as error:
            fail(f"the database is not available: {error}")
    checked = client_service.checked_details(details)
    print_json(
        {"id": client_id, "name": checked.name, "workspace": slug, "tags": list(checked.tags)}
    )


@clients.command("purge-expired")
@click.option("--dry-run", is_flag=True, help="Only list the clients due; delete nothing.")
def purge_expired(dry_run: bool) -> None:
    """Delete for good every client archived 30 days ago or longer (for cron, e.g. daily).

    Prints {"dry_run", "purged": [{"id", "reports_removed"}]}; names are not printed,
    so the cron mail keeps no client's name either.
    """
    from cxmaturity.services.client_deletion import forget_stored_files
    from cxmaturity.services.client_deletion import purge_expired as purge

    with process_services() as services:
        try:
            purged = purge(
                services.sessions, services.report_cache, services.now(), dry_run=dry_run
            )
            for client in [] if dry_run else purged:
                forget_stored_files(services, client)
        except StorageUnavailable as error:
            fail(f"the database is not available: {error}")
    print_json(
        {
            "dry_run": dry_run,
            "purged": [
                {"id": client.client_id, "reports_removed": client.reports_removed}
                for client in purged
            ],
        }
    )
