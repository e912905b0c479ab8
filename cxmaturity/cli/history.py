"""`cxmaturity history` (DESIGN §6): a client's closed periods as JSON, read by the operator."""

from __future__ import annotations

import click

from cxmaturity.cli.common import fail, print_json, process_services
from cxmaturity.exports.serializers import history_json
from cxmaturity.services.errors import InvalidInput, StorageUnavailable


@click.command("history")
@click.option("--workspace", "slug", required=True, help="The workspace's slug.")
@click.option("--client", "client_id", required=True, type=int, help="The client's id.")
def history(slug: str, client_id: int) -> None:
    """Print every closed period of a client, oldest first, with its changes.

    {"client", "periods": [{"period", "questionnaire", "status", "overall",
    "dimensions", "panel_overlap", "different_respondents"}], "kpis"}.
    """
    # Imported here: the history's chart machinery should not slow every other command.
    from cxmaturity.services.history import client_history_as_operator

    with process_services() as services:
        try:
            found = client_history_as_operator(
                services.sessions, services.catalogue, slug, client_id
            )
        except InvalidInput as error:
            fail(str(error))
        except StorageUnavailable as error:
            fail(f"the database is not available: {error}")
    print_json(history_json(found))
