"""The answers file of the headless contract (DESIGN §6), checked strictly.

An answer is an integer level 1–5 or null. JSON `true`, `"3"`, `2.5`, `3.0`,
`0` and `6` are refused: each would otherwise be coerced into a plausible but
wrong score. A key the contract does not name is refused too, so that nothing
written into the file is silently dropped.
"""

from __future__ import annotations

from dataclasses import dataclass

from cxmaturity.domain.loader import Catalogue
from cxmaturity.domain.outcome import (
    RESPONDENT_GROUPS,
    Comment,
    Outcome,
    Participant,
    PreviousPeriod,
    outcome_of,
)
from cxmaturity.domain.periods import is_period
from cxmaturity.domain.questionnaire import LEVELS, Questionnaire

DOCUMENT_KEYS = ("questionnaire", "version", "organization", "period", "respondents")
RESPONDENT_KEYS = ("name", "email", "group", "answers", "comments")


class AnswersError(ValueError):
    """The answers document is refused; the message says where and why."""


@dataclass(frozen=True)
class AnswersDocument:
    questionnaire: Questionnaire
    organization: str
    period: str
    respondents: tuple[Participant, ...]
    comments: tuple[Comment, ...] = ()


def parse_answers_document(data: object, catalogue: Catalogue) -> AnswersDocument:
    if not isinstance(data, dict):
        raise AnswersError("the answers file must be a JSON object")
    _refuse_unknown_keys(data, DOCUMENT_KEYS, "the answers file")
    questionnaire = _questionnaire(data, catalogue)
    organization = _text(data, "organization", required=False) or ""
    period = _text(data, "period", required=False) or ""
    if period and not is_period(period):
        raise AnswersError(f"period must look like 2026-Q4, not {period!r}")
    respondents = data.get("respondents")
    if not isinstance(respondents, list):
        raise AnswersError("'respondents' must be a list of respondents")
    parsed = [_respondent(entry, index, questionnaire) for index, entry in enumerate(respondents)]
    return AnswersDocument(
        questionnaire=questionnaire,
        organization=organization,
        period=period,
        respondents=tuple(person for person, _ in parsed),
        comments=tuple(comment for _, comments in parsed for comment in comments),
    )


def outcome_of_documents(
    current: AnswersDocument, previous: AnswersDocument | None = None
) -> Outcome:
    """The outcome of an answers file, with a previous period's file for "since last period".

    Every respondent in a file counts as submitted. The previous file must be of the same
    questionnaire id and an earlier period, as the web's previous assessment is (§4.9).
    """
    previous_period = None
    if previous is not None:
        _check_previous(current, previous)
        previous_period = PreviousPeriod(
            previous.questionnaire, previous.period or "", tuple(previous.respondents)
        )
    return outcome_of(
        current.questionnaire,
        current.organization,
        current.period,
        current.respondents,
        current.comments,
        previous=previous_period,
    )


def check_answer_value(value: object) -> int | None:
    """The level an answer value stands for; raises ValueError for anything else."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value not in LEVELS:
        raise ValueError(f"{_show(value)} is not a level (use an integer 1 to 5, or null)")
    return value


def _check_previous(current: AnswersDocument, previous: AnswersDocument) -> None:
    if previous.questionnaire.id != current.questionnaire.id:
        raise AnswersError(
            f"the previous period is of questionnaire '{previous.questionnaire.id}', "
            f"not '{current.questionnaire.id}'"
        )
    if not (previous.period and current.period):
        raise AnswersError("with a previous period, both files must name their 'period'")
    if previous.period >= current.period:
        raise AnswersError(f"the previous period {previous.period} is not before {current.period}")


def _refuse_unknown_keys(data: dict, known: tuple[str, ...], where: str) -> None:
    unknown = [key for key in data if key not in known]
    if unknown:
        raise AnswersError(f"{where}: unknown key '{unknown[0]}' (known keys: {', '.join(known)})")


def _questionnaire(data: dict, catalogue: Catalogue) -> Questionnaire:
    questionnaire_id = _text(data, "questionnaire", required=True)
    assert questionnaire_id is not None  # a required text is given or refused
    version = _text(data, "version", required=False)
    try:
        return catalogue.get(questionnaire_id, version)
    except LookupError as error:
        raise AnswersError(str(error)) from None


def _text(data: dict, key: str, *, required: bool, where: str = "") -> str | None:
    value = data.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value.strip():
        raise AnswersError(f"{where}'{key}' must be a non-empty text, not {_show(value)}")
    return value.strip()


def _respondent(
    entry: object, index: int, questionnaire: Questionnaire
) -> tuple[Participant, list[Comment]]:
    if not isinstance(entry, dict):
        raise AnswersError(f"respondents[{index}] must be an object with 'name' and 'answers'")
    _refuse_unknown_keys(entry, RESPONDENT_KEYS, f"respondents[{index}]")
    name = entry.get("name")
    if name is None:
        name = f"respondent {index + 1}"
    if not isinstance(name, str):
        raise AnswersError(f"respondents[{index}].name must be text, not {_show(name)}")
    who = f"respondent '{name}'" if name else f"respondents[{index}]"
    email = _text(entry, "email", required=False, where=f"{who}: ")
    group = _text(entry, "group", required=False, where=f"{who}: ")
    if group is not None and group not in RESPONDENT_GROUPS:
        raise AnswersError(
            f"{who}: group must be one of {', '.join(RESPONDENT_GROUPS)}, not {_show(group)}"
        )
    answers = entry.get("answers")
    if not isinstance(answers, dict):
        raise AnswersError(f"{who}: 'answers' must be an object of question id: level")
    checked: dict[str, int | None] = {}
    for question_id, value in answers.items():
        _known_question(questionnaire, question_id, who)
        try:
            checked[question_id] = check_answer_value(value)
        except ValueError as error:
            raise AnswersError(f"{who}, question '{question_id}': {error}") from None
    comments = _comments(entry.get("comments"), questionnaire, name, who)
    return Participant(name=name, answers=checked, group=group, email=email), comments


def _comments(comments: object, questionnaire: Questionnaire, name: str, who: str) -> list[Comment]:
    if comments is None:
        return []
    if not isinstance(comments, dict):
        raise AnswersError(f"{who}: 'comments' must be an object of question id: text")
    found = []
    for question_id, text in comments.items():
        _known_question(questionnaire, question_id, who)
        if not isinstance(text, str):
            raise AnswersError(
                f"{who}, comment on '{question_id}': must be text, not {_show(text)}"
            )
        if text.strip():
            found.append(Comment(respondent=name, question_id=question_id, text=text))
    return found


def _known_question(questionnaire: Questionnaire, question_id: str, who: str) -> None:
    if question_id not in questionnaire.questions:
        raise AnswersError(
            f"{who}, question '{question_id}': unknown question id in "
            f"questionnaire '{questionnaire.id}' version {questionnaire.version}"
        )


def _show(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value}"'
    return repr(value)
