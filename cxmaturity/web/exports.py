"""Downloads of a workspace's or a client's data: `/w/<slug>/exports/` and its files (DESIGN §9).

The views parse the URL, let services/exports.py check who may and write the file
into a spooled temporary file (memory up to SPOOL_BYTES, then disk), and send it as
an attachment. Every file is built before the first byte is sent, so that a fault of
the database still answers 503 "try again" instead of a cut-off download.
"""

from __future__ import annotations

import io
import tempfile
from collections.abc import Callable
from typing import IO

from flask import Blueprint, abort, render_template, send_file

from cxmaturity.services import exports
from cxmaturity.web.context import current_actor, services

blueprint = Blueprint("exports", __name__, url_prefix="/w/<slug>")

SPOOL_BYTES = 8 * 1024 * 1024
CSV = "text/csv"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@blueprint.app_context_processor
def export_tables() -> dict:
    """The table names, for the client page's export links (templates/clients/exports.html)."""
    return {"export_tables": exports.TABLE_NAMES}


@blueprint.get("/exports/")
def page(slug: str):
    found = exports.export_page(services().sessions, current_actor(), slug)
    return render_template("exports/page.html", page=found)


@blueprint.get("/exports/<table>.csv")
def workspace_table(slug: str, table: str):
    _known(table)
    return _download(
        lambda out: exports.write_table_csv(*_common(), slug, table, out, now=services().now()),
        f"{slug}-{table}-{_today()}.csv",
        CSV,
    )


@blueprint.get("/exports/workspace.xlsx")
def workspace_xlsx(slug: str):
    return _download(
        lambda out: exports.write_workspace_xlsx(*_common(), slug, out, now=services().now()),
        f"{slug}-{_today()}.xlsx",
        XLSX,
    )


@blueprint.get("/clients/<int:client_id>/exports/<table>.csv")
def client_table(slug: str, client_id: int, table: str):
    _known(table)
    return _download(
        lambda out: exports.write_table_csv(
            *_common(), slug, table, out, client_id, now=services().now()
        ),
        f"{slug}-client-{client_id}-{table}-{_today()}.csv",
        CSV,
    )


@blueprint.get("/clients/<int:client_id>/exports/client.xlsx")
def client_xlsx(slug: str, client_id: int):
    return _download(
        lambda out: exports.write_workspace_xlsx(
            *_common(), slug, out, client_id, now=services().now()
        ),
        f"{slug}-client-{client_id}-{_today()}.xlsx",
        XLSX,
    )


def _known(table: str) -> None:
    if table not in exports.TABLE_NAMES:
        abort(404)


def _common():
    return services().sessions, services().catalogue, current_actor()


def _today() -> str:
    return services().now().date().isoformat()


def _download(write: Callable[[IO[bytes]], None], filename: str, mimetype: str):
    spooled = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 - closed below
    try:
        write(spooled)
        size = spooled.tell()
        spooled.seek(0)
        # A file that stayed in memory is sent as bytes and closed now; a larger one is
        # streamed from its temporary file, which the server closes after the last byte.
        body: IO[bytes] | bytes = spooled.read() if size <= SPOOL_BYTES else spooled
    except BaseException:
        spooled.close()
        raise
    if isinstance(body, bytes):
        spooled.close()
        body = io.BytesIO(body)
    response = send_file(body, mimetype=mimetype, as_attachment=True, download_name=filename)
    # Personal data: no copy in a shared cache or the browser's.
    response.headers["Cache-Control"] = "no-store"
    return response
