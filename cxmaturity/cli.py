"""The `cxmaturity` command: a thin layer over the domain and the services.

Bad input ends with one line on stderr and exit code 2, never a traceback.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import NoReturn

import click

from cxmaturity.config import Settings
from cxmaturity.domain.answers import AnswersDocument, AnswersError, parse_answers_document
from cxmaturity.domain.loader import QuestionnaireError, load_questionnaire
from cxmaturity.domain.scoring import score_assessment
from cxmaturity.services.catalogue import catalogue_for
from cxmaturity.services.contract import questionnaire_json, result_json

BAD_INPUT = 2
LANGUAGE = click.option(
    "--lang", "language", type=click.Choice(["de", "en"]), default="en", show_default=True
)


def fail(message: str) -> NoReturn:
    click.echo(f"error: {message}", err=True)
    sys.exit(BAD_INPUT)


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
    """Check and show questionnaire files."""


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
    _print_json(questionnaire_json(found, language))


@cli.command("score")
@click.argument("answers_file", type=click.Path(path_type=Path))
@LANGUAGE
@click.pass_context
def score(context: click.Context, answers_file: Path, language: str) -> None:
    """Score an answers file and print the result as JSON."""
    document = read_answers_file(answers_file, context)
    result = score_assessment(document.questionnaire, document.respondents)
    _print_json(result_json(document.questionnaire, result))


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


def _print_json(data: dict) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


def main() -> None:
    cli(prog_name="cxmaturity")


if __name__ == "__main__":
    main()
