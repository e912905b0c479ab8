"""`cxmaturity import-bundle` and the JSON bundle of `cxmaturity export` (DESIGN §6, §9).

`write_bundle` is what `cxmaturity export --format json --client ID -o PATH` calls;
`cxmaturity export --format json --client ID` writes it (cli/exports.py).
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from cxmaturity.cli.common import fail, print_json, process_services
from cxmaturity.services.errors import InvalidInput, StorageUnavailable


def write_bundle(slug: str, client_id: int, path: Path) -> None:
    """Write the client's bundle to `path`; on a refusal one line on stderr and exit 2."""
    from cxmaturity.services.bundle import export_bundle_as_operator

    with process_services() as services:
        try:
            bundle = export_bundle_as_operator(
                services.sessions, services.catalogue, slug, client_id
            )
        except InvalidInput as error:
            fail(str(error))
        except StorageUnavailable as error:
            fail(f"the database is not available: {error}")
    text = json.dumps(bundle, ensure_ascii=False, indent=2) + "\n"
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as error:
        fail(f"cannot write {path}: {error.strerror}")


@click.command("import-bundle")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--workspace", "slug", required=True, help="The workspace that gets the client.")
def import_bundle_command(file: Path, slug: str) -> None:
    """Make the client of a bundle (cxmaturity-export/1) a new client of a workspace.

    Prints {"id": the new client's id}. A file that is not such a bundle, names a
    questionnaire version not installed here, or a client the workspace already
    has ends with one line on stderr and exit code 2; nothing is written.
    """
    from cxmaturity.services.bundle import import_bundle

    try:
        raw = file.read_bytes()
    except OSError as error:
        fail(f"cannot read {file}: {error.strerror}")
    with process_services() as services:
        try:
            client_id = import_bundle(services.sessions, services.catalogue, slug, raw)
        except InvalidInput as error:
            fail(str(error))
        except StorageUnavailable as error:
            fail(f"the database is not available: {error}")
    print_json({"id": client_id})
