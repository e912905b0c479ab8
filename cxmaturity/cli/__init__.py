"""The `cxmaturity` command: a thin layer over the domain and the services.

One module per command group beside this one (users, workspaces, clients, …),
each added to `cli` below; `common` holds what they share.

Bad input ends with one line on stderr and exit code 2, never a traceback.
"""

from __future__ import annotations

import datetime
import json
import sys
from pathlib import Path

import click

from cxmaturity.cli.assessments import assessments
from cxmaturity.cli.bundle import import_bundle_command
from cxmaturity.cli.clients import clients
from cxmaturity.cli.common import BAD_INPUT, database_errors, database_url, fail, print_json
from cxmaturity.cli.exports import export
from cxmaturity.cli.history import history
from cxmaturity.cli.jobs import jobs, worker
from cxmaturity.cli.portfolio import portfolio
from cxmaturity.cli.reminders import reminders_group
from cxmaturity.cli.tokens import tokens
from cxmaturity.cli.users import users
from cxmaturity.cli.workspaces import workspaces
from cxmaturity.config import Settings
from cxmaturity.domain.headless import (
    AnswersDocument,
    AnswersError,
    outcome_of_documents,
    parse_answers_document,
)
from cxmaturity.domain.loader import QuestionnaireError, load_questionnaire
from cxmaturity.domain.scoring import score_assessment
from cxmaturity.locale import LANGUAGES
from cxmaturity.services.catalogue import catalogue_for
from cxmaturity.services.contract import questionnaire_json, result_json
from cxmaturity.services.questionnaire_compare import compare_versions

LANGUAGE = click.option(
    "--lang", "language", type=click.Choice(LANGUAGES), default="en", show_default=True
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--questionnaires",
    "questionnaires_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder of questionnaire files (default: CXM_QUESTIONNAIRES_DIR or ./questionnaires).",
)
@click.pass_context
def cli(context: click.Context, questionnaires_dir: Path | None) -> None:
    """CX maturity self-assessment."""
    context.obj = questionnaires_dir or Settings.from_environment().questionnaires_dir


def _catalogue(context: click.Context):
    try:
        return catalogue_for(context.obj)
    except QuestionnaireError as error:
        fail(str(error).splitlines()[0])


@cli.group()
def questionnaire() -> None:
    """Check, show and compare questionnaire files."""


@questionnaire.command("check")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
def check_questionnaires(files: tuple[Path, ...]) -> None:
    """Validate questionnaire files; print every problem found."""
    failed = False
    for path in files:
        try:
            loaded = load_questionnaire(path)
        except QuestionnaireError as error:
            failed = True
            click.echo(str(error), err=True)
            continue
        questions = len(loaded.questions)
        click.echo(
            f"ok: {path} ({loaded.id} {loaded.version}, "
            f"{len(loaded.dimensions)} dimensions, {questions} questions)"
        )
    if failed:
        sys.exit(BAD_INPUT)


@questionnaire.command("show")
@click.argument("questionnaire_id")
@click.option("--version", "version", help="A version other than the newest.")
@LANGUAGE
@click.pass_context
def show_questionnaire(
    context: click.Context, questionnaire_id: str, version: str | None, language: str
) -> None:
    """Print a questionnaire as JSON."""
    try:
        found = _catalogue(context).get(questionnaire_id, version)
    except LookupError as error:
        fail(str(error).strip("'\""))
    print_json(questionnaire_json(found, language))


@questionnaire.command("compare")
@click.argument("questionnaire_id")
@click.argument("version_from", metavar="FROM")
@click.argument("version_to", metavar="TO")
@click.pass_context
def compare_questionnaire_versions(
    context: click.Context, questionnaire_id: str, version_from: str, version_to: str
) -> None:
    """Print, per dimension, the share J of unchanged questions and the class, as JSON."""
    try:
        compared = compare_versions(_catalogue(context), questionnaire_id, version_from, version_to)
    except LookupError as error:
        fail(str(error).strip("'\""))
    print_json(compared)


@cli.command("score")
@click.argument("answers_file", type=click.Path(path_type=Path))
@LANGUAGE
@click.pass_context
def score(context: click.Context, answers_file: Path, language: str) -> None:
    """Score an answers file and print the result as JSON."""
    document = read_answers_file(answers_file, context)
    result = score_assessment(document.questionnaire, document.respondents)
    print_json(result_json(document.questionnaire, result))


@cli.command("report")
@click.argument("answers_file", type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    required=True,
    help="Where to write the PDF.",
)
@click.option(
    "--previous",
    "previous_file",
    type=click.Path(path_type=Path),
    help="The previous period's answers file: the report shows the change since then.",
)
@LANGUAGE
@click.pass_context
def report(
    context: click.Context,
    answers_file: Path,
    output: Path,
    previous_file: Path | None,
    language: str,
) -> None:
    """Write the PDF report of an answers file."""
    # Imported here: the other commands should not pay for loading the report machinery.
    from cxmaturity.services.results import ReportRenderError, render_report

    document = read_answers_file(answers_file, context)
    previous = read_answers_file(previous_file, context) if previous_file else None
    try:
        outcome = outcome_of_documents(document, previous)
    except AnswersError as error:
        fail(f"{previous_file}: {error}")
    # Checked before the rendering, so a typo costs no waiting.
    if output.is_dir() or not output.parent.is_dir():
        fail(f"{output}: cannot be written: not a file in an existing folder")
    try:
        pdf = render_report(outcome, language, datetime.date.today())
    except ReportRenderError as error:
        fail(str(error))
    try:
        output.write_bytes(pdf)
    except OSError as error:
        fail(f"{output}: cannot be written: {error.strerror or error}")


def read_answers_file(path: Path, context: click.Context) -> AnswersDocument:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        fail(f"{path}: cannot be read: {getattr(error, 'strerror', None) or error}")
    try:
        data = json.loads(text, object_pairs_hook=_refuse_duplicate_keys)
    except json.JSONDecodeError as error:
        fail(f"{path}: not valid JSON: {error.msg} (line {error.lineno}, column {error.colno})")
    except (ValueError, RecursionError) as error:
        fail(f"{path}: {error or 'nested too deeply'}")
    try:
        return parse_answers_document(data, _catalogue(context))
    except AnswersError as error:
        fail(f"{path}: {error}")


def _refuse_duplicate_keys(pairs: list[tuple[str, object]]) -> dict:
    result: dict = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"the key '{key}' appears twice in one object")
        result[key] = value
    return result


@cli.group("db")
def database_commands() -> None:
    """Create and upgrade the database (CXM_DATABASE_URL, else SQLite in the instance folder)."""


@database_commands.command("upgrade")
def upgrade_database_command() -> None:
    """Apply the migrations the database lacks; safe to repeat."""
    # Imported here: SQLAlchemy and Alembic would slow every other command by half a second.
    from cxmaturity.store.database import display_url, upgrade_database

    url = database_url()
    with database_errors(url):
        upgrade_database(url)
    click.echo(f"ok: the database at {display_url(url)} is up to date")


@database_commands.command("current")
def current_database_revision() -> None:
    """Print the migration the database is at, and whether that is the newest."""
    from cxmaturity.store.database import current_revision, head_revision

    url = database_url()
    with database_errors(url):
        current = current_revision(url)
    head = head_revision()
    state = "head" if current == head else f"head is {head}"
    click.echo(f"{current or 'none (empty database)'} ({state})")


cli.add_command(users)
cli.add_command(workspaces)
cli.add_command(clients)
cli.add_command(assessments)
cli.add_command(reminders_group)
cli.add_command(history)
cli.add_command(import_bundle_command)
cli.add_command(export)
cli.add_command(portfolio)
cli.add_command(worker)
cli.add_command(jobs)
cli.add_command(tokens)


def main() -> None:
    cli(prog_name="cxmaturity")
