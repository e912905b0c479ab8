"""`cxmaturity export` (DESIGN §6): a workspace's or a client's tables as XLSX or CSV files.

`--format xlsx` writes one workbook, a sheet per table. `--format csv` writes one
file per table: into a ZIP when PATH ends in `.zip`, else into the folder PATH
(made if missing; it must be empty). Files appear only when complete: they are
written beside the target under a temporary name and moved into place at the end,
so a failure leaves nothing half-written.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import click

from cxmaturity.cli.bundle import write_bundle
from cxmaturity.cli.common import fail, print_json, process_services
from cxmaturity.services.errors import InvalidInput, StorageUnavailable


@click.command("export")
@click.option("--workspace", "slug", required=True, help="The workspace's slug.")
@click.option(
    "--format",
    "file_format",
    required=True,
    type=click.Choice(["csv", "xlsx", "json"]),
    help="File type.",
)
@click.option("--client", "client_id", type=int, help="Only this client (its id).")
@click.option("-o", "--output", "output", required=True, type=click.Path(path_type=Path))
def export(slug: str, file_format: str, client_id: int | None, output: Path) -> None:
    """Export the tables of a workspace (or of one client) for a spreadsheet.

    Tables: assessments, dimension_scores, answers, participation, targets, actions,
    kpis. CSV: a ZIP of one file per table when -o ends in .zip, else a folder.
    JSON: the client's bundle (cxmaturity-export/1, needs --client), the hand-over when it
    leaves. Prints {"path", "format", "tables"}.
    """
    if file_format == "json":
        if client_id is None:
            fail("--format json exports one client: name it with --client ID")
        write_bundle(slug, client_id, output)
        print_json({"path": str(output), "format": "json", "tables": []})
        return
    # Imported here: openpyxl should not slow every other command.
    from cxmaturity.services import exports

    folder = file_format == "csv" and output.suffix.lower() != ".zip"
    _check_target(output, folder=folder)
    with process_services() as services:
        common = (services.sessions, services.catalogue, exports.OPERATOR, slug)
        try:
            if folder:
                with _folder_in_place(output) as partial:
                    exports.write_csv_tables(*common, _opener(partial), client_id)
            else:
                write = (
                    exports.write_workspace_xlsx if file_format == "xlsx" else exports.write_csv_zip
                )
                with _file_in_place(output) as stream:
                    write(*common, stream, client_id)
        except InvalidInput as error:
            fail(str(error))
        except StorageUnavailable as error:
            fail(f"the database is not available: {error}")
        except OSError as error:
            fail(f"cannot write {output}: {error.strerror or error}")
    print_json({"path": str(output), "format": file_format, "tables": list(exports.TABLE_NAMES)})


def _check_target(output: Path, *, folder: bool) -> None:
    if folder:
        if output.exists() and (not output.is_dir() or any(output.iterdir())):
            fail(f"{output} exists and is not an empty folder")
    elif output.is_dir():
        fail(f"{output} is a folder; give a file name")
    if not output.absolute().parent.is_dir():
        fail(f"the folder {output.absolute().parent} does not exist")


@contextlib.contextmanager
def _file_in_place(output: Path) -> Iterator[IO[bytes]]:
    """A temporary file beside `output`, moved onto it only if the block succeeds."""
    handle, name = tempfile.mkstemp(prefix=f".{output.name}.", dir=output.absolute().parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            yield stream
        os.replace(name, output)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise


@contextlib.contextmanager
def _folder_in_place(output: Path) -> Iterator[Path]:
    """A temporary folder beside `output`, renamed to it only if the block succeeds."""
    partial = Path(tempfile.mkdtemp(prefix=f".{output.name}.", dir=output.absolute().parent))
    try:
        yield partial
        if output.exists():
            output.rmdir()  # checked empty before
        os.replace(partial, output)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise


def _opener(folder: Path):
    def open_file(name: str) -> IO[bytes]:
        return (folder / name).open("wb")

    return open_file
