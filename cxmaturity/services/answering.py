"""What a respondent sends for one question; the value types live in domain/responses.py.

This module re-exports them for the pages that import them from here, and
keeps the helpers that turn a stored answer into the choice to show and decide
which pre-filled answers a save confirms.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

from cxmaturity.domain.responses import (
    CLEAR,
    NOT_APPLICABLE,
    AnswerInput,
    AnswerRow,
    InvalidAnswer,
)

__all__ = [
    "CLEAR",
    "NOT_APPLICABLE",
    "AnswerInput",
    "AnswerRow",
    "InvalidAnswer",
    "choice_of",
    "confirmed",
]


def choice_of(answer: AnswerRow) -> str | None:
    """The radio button to show as checked for a stored answer."""
    if answer.not_applicable:
        return NOT_APPLICABLE
    return None if answer.level is None else str(answer.level)


def confirmed(
    before: Mapping[str, AnswerRow], after: Mapping[str, AnswerRow], asked: Collection[str]
) -> set[str]:
    """The questions whose pre-filled answer (DESIGN §8) counts after a save: those the
    respondent confirmed, and those whose choice they changed.

    A changed comment alone confirms nothing, and neither does a page saved with the
    answer as it was shown: nothing of last quarter counts silently. (The store
    leaves answers that are not pre-filled, or taken back, as they are.)
    """
    changed = {
        question_id
        for question_id, row in after.items()
        if choice_of(row) != choice_of(before.get(question_id, AnswerRow()))
    }
    return changed | set(asked)
