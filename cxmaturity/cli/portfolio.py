"""`cxmaturity portfolio` (DESIGN §6): a workspace's portfolio of a period as JSON (operators)."""

from __future__ import annotations

import click

from cxmaturity.cli.common import fail, print_json, process_services
from cxmaturity.exports.serializers import portfolio_json
from cxmaturity.services.errors import InvalidInput, StorageUnavailable


@click.command("portfolio")
@click.option("--workspace", "slug", required=True, help="The workspace's slug.")
@click.option("--period", required=True, help="The quarter, e.g. 2026-Q4.")
@click.option("--industry", help="Only clients of this industry.")
@click.option("--size", help="Only clients of this size.")
@click.option("--tag", "tags", multiple=True, help="Only clients with this tag (repeatable).")
def portfolio(
    slug: str, period: str, industry: str | None, size: str | None, tags: tuple[str, ...]
) -> None:
    """Print every client's row of the period, the cohort band (with `n` and `suppressed`),
    the clients per level per dimension and the movers, as the page's portfolio.json."""
    from cxmaturity.services.portfolio_page import portfolio_as_operator

    query = {"period": [period], "industry": [industry or ""], "size": [size or ""]}
    query["tag"] = list(tags)
    with process_services() as services:
        try:
            found = portfolio_as_operator(
                services.sessions, services.catalogue, slug, query, services.now().date()
            )
        except InvalidInput as error:
            fail(str(error))
        except StorageUnavailable as error:
            fail(f"the database is not available: {error}")
    print_json(portfolio_json(found))
