"""The answers file of the headless contract (DESIGN §6), checked strictly.

An answer is an integer level 1–5 or null. JSON `true`, `"3"`, `2.5`, `3.0`,
`0` and `6` are refused: each would otherwise be coerced into a plausible but
wrong score.
"""

from __future__ import annotations

from dataclasses import dataclass

from cxmaturity.domain.loader import Catalogue
from cxmaturity.domain.periods import is_period
from cxmaturity.domain.questionnaire import LEVELS, Questionnaire
from cxmaturity.domain.scoring import RespondentAnswers


class AnswersError(ValueError):
    """The answers document is refused; the message says where and why."""


@dataclass(frozen=True)
class AnswersDocument:
    questionnaire: Questionnaire
    organization: str
    period: str
    respondents: tuple[RespondentAnswers, ...]


def parse_answers_document(data: object, catalogue: Catalogue) -> AnswersDocument:
    if not isinstance(data, dict):
        raise AnswersError("the answers file must be a JSON object")
    questionnaire = _questionnaire(data, catalogue)
    organization = _text(data, "organization", required=False) or ""
    period = _text(data, "period", required=False) or ""
    if period and not is_period(period):
        raise AnswersError(f"period must look like 2026-Q4, not {period!r}")
    respondents = data.get("respondents")
    if not isinstance(respondents, list):
        raise AnswersError("'respondents' must be a list of respondents")
    parsed = tuple(
        _respondent(entry, index, questionnaire) for index, entry in enumerate(respondents)
    )
    return AnswersDocument(questionnaire, organization, period, parsed)


def check_answer_value(value: object) -> int | None:
    """The level an answer value stands for; raises ValueError for anything else."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value not in LEVELS:
        raise ValueError(f"{_show(value)} is not a level (use an integer 1 to 5, or null)")
    return value


def _questionnaire(data: dict, catalogue: Catalogue) -> Questionnaire:
    questionnaire_id = _text(data, "questionnaire", required=True)
    assert questionnaire_id is not None  # a required text is given or refused
    version = _text(data, "version", required=False)
    try:
        return catalogue.get(questionnaire_id, version)
    except LookupError as error:
        raise AnswersError(str(error)) from None


def _text(data: dict, key: str, *, required: bool) -> str | None:
    value = data.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value.strip():
        raise AnswersError(f"'{key}' must be a non-empty text, not {_show(value)}")
    return value.strip()


def _respondent(entry: object, index: int, questionnaire: Questionnaire) -> RespondentAnswers:
    if not isinstance(entry, dict):
        raise AnswersError(f"respondents[{index}] must be an object with 'name' and 'answers'")
    name = entry.get("name")
    if name is None:
        name = f"respondent {index + 1}"
    if not isinstance(name, str):
        raise AnswersError(f"respondents[{index}].name must be text, not {_show(name)}")
    who = f"respondent '{name}'" if name else f"respondents[{index}]"
    answers = entry.get("answers")
    if not isinstance(answers, dict):
        raise AnswersError(f"{who}: 'answers' must be an object of question id: level")
    known = questionnaire.questions
    checked: dict[str, int | None] = {}
    for question_id, value in answers.items():
        if question_id not in known:
            raise AnswersError(
                f"{who}, question '{question_id}': unknown question id in "
                f"questionnaire '{questionnaire.id}' version {questionnaire.version}"
            )
        try:
            checked[question_id] = check_answer_value(value)
        except ValueError as error:
            raise AnswersError(f"{who}, question '{question_id}': {error}") from None
    return RespondentAnswers(name=name, answers=checked)


def _show(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value}"'
    return repr(value)
