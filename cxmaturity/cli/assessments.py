"""`cxmaturity assessments import` (DESIGN §6): answers gathered elsewhere, as an assessment."""

from __future__ import annotations

import json
from pathlib import Path

import click

from cxmaturity.cli.common import fail, print_json, process_services
from cxmaturity.services.assessment_import import import_answers
from cxmaturity.services.errors import InvalidInput, StorageUnavailable


@click.group("assessments")
def assessments() -> None:
    """Assessments of a workspace's clients."""


@assessments.command("import")
@click.argument("answers_file", type=click.Path(path_type=Path))
@click.option("--workspace", "slug", required=True, help="The workspace's slug.")
@click.option("--client", "client_id", required=True, type=int, help="The client's id.")
@click.option("--close", is_flag=True, help="Close the assessment after the import.")
def import_command(answers_file: Path, slug: str, client_id: int, close: bool) -> None:
    """Store an answers file as the client's assessment of its period, all submitted.

    Prints {"id", "client", "period", "status", "respondents"}. Nothing is written
    when anything in the file or the arguments is refused.
    """
    data = read_json(answers_file)
    with process_services() as services:
        try:
            imported = import_answers(
                services.sessions, services.catalogue, slug, client_id, data, close=close
            )
        except InvalidInput as error:
            fail(f"{answers_file}: {error}")
        except StorageUnavailable as error:
            fail(f"the database is not available: {error}")
    print_json(
        {
            "id": imported.id,
            "client": imported.client_id,
            "period": imported.period,
            "status": imported.status,
            "respondents": imported.respondents,
        }
    )


def read_json(path: Path) -> object:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        fail(f"{path}: cannot be read: {getattr(error, 'strerror', None) or error}")
    try:
        return json.loads(text, object_pairs_hook=_refuse_duplicate_keys)
    except json.JSONDecodeError as error:
        fail(f"{path}: not valid JSON: {error.msg} (line {error.lineno}, column {error.colno})")
    except (ValueError, RecursionError) as error:
        fail(f"{path}: {error or 'nested too deeply'}")


def _refuse_duplicate_keys(pairs: list[tuple[str, object]]) -> dict:
    result: dict = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"the key '{key}' appears twice in one object")
        result[key] = value
    return result
