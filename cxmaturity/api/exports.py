"""`/api/v1/exports/…` and `/api/v1/clients/<id>/exports/…`: the export files of DESIGN §9
(CSV, UTF-8 with BOM, formula-safe; XLSX), as the web's exports page offers them.

Each file is written whole into a temporary file before the first byte is sent, so
that a fault of the database answers a 503 problem, never a cut-off download.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from typing import IO

from flask import Response

from cxmaturity.api.auth import services, token
from cxmaturity.api.base import blueprint
from cxmaturity.api.spec import FILE_TYPES, answers, api
from cxmaturity.services import exports
from cxmaturity.services.errors import NotVisible

TAGS = ["exports"]
CSV = FILE_TYPES[".csv"]
XLSX = FILE_TYPES[".xlsx"]
SPOOL_BYTES = 8 * 1024 * 1024


def _download(write: Callable[[IO[bytes]], None], filename: str, mimetype: str) -> Response:
    # The whole file is in the answer: spectree reads an answer's body to check it, which
    # a streamed file cannot give (a later step may stream large ones past spectree).
    with tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES) as spooled:
        write(spooled)
        spooled.seek(0)
        content = spooled.read()
    disposition = f"attachment; filename={filename}"
    headers = {"Content-Disposition": disposition, "Cache-Control": "no-store"}
    return Response(content, mimetype=mimetype, headers=headers)


def _known(table: str) -> None:
    if table not in exports.TABLE_NAMES:
        raise NotVisible


def _who():
    own, found = services(), token()
    return own.sessions, own.catalogue, found.actor


def _name(*parts: object) -> str:
    return "-".join(str(part) for part in (token().workspace_slug, *parts))


@blueprint.get("/exports/<table>.csv")
@api.validate(resp=answers(), tags=TAGS)
def workspace_table(table: str):
    """One table of the workspace as CSV (assessments, dimension scores, answers as the
    anonymity mode allows, participation, targets, actions, KPIs)."""
    _known(table)
    slug, now = token().workspace_slug, services().now()
    return _download(
        lambda out: exports.write_table_csv(*_who(), slug, table, out, now=now),
        f"{_name(table, now.date())}.csv",
        CSV,
    )


@blueprint.get("/exports/workspace.xlsx")
@api.validate(resp=answers(), tags=TAGS)
def workspace_xlsx():
    """Every table of the workspace as one XLSX workbook."""
    slug, now = token().workspace_slug, services().now()
    return _download(
        lambda out: exports.write_workspace_xlsx(*_who(), slug, out, now=now),
        f"{_name(now.date())}.xlsx",
        XLSX,
    )


@blueprint.get("/clients/<int:client_id>/exports/<table>.csv")
@api.validate(resp=answers(), tags=TAGS)
def client_table(client_id: int, table: str):
    """One table of one client as CSV."""
    _known(table)
    slug, now = token().workspace_slug, services().now()
    return _download(
        lambda out: exports.write_table_csv(*_who(), slug, table, out, client_id, now=now),
        f"{_name('client', client_id, table, now.date())}.csv",
        CSV,
    )


@blueprint.get("/clients/<int:client_id>/exports/client.xlsx")
@api.validate(resp=answers(), tags=TAGS)
def client_xlsx(client_id: int):
    """Every table of one client as one XLSX workbook."""
    slug, now = token().workspace_slug, services().now()
    return _download(
        lambda out: exports.write_workspace_xlsx(*_who(), slug, out, client_id, now=now),
        f"{_name('client', client_id, now.date())}.xlsx",
        XLSX,
    )
