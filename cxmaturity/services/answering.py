"""What a respondent sends for one question; the value types live in domain/responses.py.

This module re-exports them for the pages that import them from here, and
keeps the one helper that turns a stored answer into the choice to show.
"""

from __future__ import annotations

from cxmaturity.domain.responses import (
    CLEAR,
    NOT_APPLICABLE,
    AnswerInput,
    AnswerRow,
    InvalidAnswer,
)

__all__ = ["CLEAR", "NOT_APPLICABLE", "AnswerInput", "AnswerRow", "InvalidAnswer", "choice_of"]


def choice_of(answer: AnswerRow) -> str | None:
    """The radio button to show as checked for a stored answer."""
    if answer.not_applicable:
        return NOT_APPLICABLE
    return None if answer.level is None else str(answer.level)
