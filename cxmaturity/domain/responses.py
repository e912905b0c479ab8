"""What a respondent gives for one question: the stored answer and a change to it.

Value types shared by the store, the services and the pages; `AnswerInput`
is checked against the questionnaire before anything is stored.
"""

from __future__ import annotations

from dataclasses import dataclass

from cxmaturity.domain.questionnaire import LEVELS, Question

NOT_APPLICABLE = "na"
# Takes back a chosen answer: the question is open again (its comment stays).
# Distinct from None, which keeps the choice as it is and changes only the comment.
CLEAR = "clear"


class InvalidAnswer(ValueError):
    """An answer that the questionnaire does not offer (a tampered form, a bad API call)."""


@dataclass(frozen=True)
class AnswerRow:
    """A stored answer; `comment` is "" when there is none."""

    level: int | None = None
    not_applicable: bool = False
    comment: str = ""

    @property
    def answered(self) -> bool:
        return self.level is not None or self.not_applicable


@dataclass(frozen=True)
class AnswerInput:
    """`choice` is a level 1–5, NOT_APPLICABLE, CLEAR to take the answer back, or None
    to keep the choice as it is."""

    choice: int | str | None
    comment: str = ""

    @classmethod
    def from_choice(cls, choice: str | None, comment: str = "") -> AnswerInput:
        if choice is None or choice in (NOT_APPLICABLE, CLEAR):
            return cls(choice, comment)
        if choice.isascii() and choice.isdigit():
            return cls(int(choice), comment)
        raise InvalidAnswer(f"{choice!r} is not an answer option")

    def applied_to(self, before: AnswerRow) -> AnswerRow:
        """The stored answer after this change."""
        if self.choice is None:
            return AnswerRow(before.level, before.not_applicable, self.comment)
        if self.choice == CLEAR:
            return AnswerRow(None, False, self.comment)
        if self.choice == NOT_APPLICABLE:
            return AnswerRow(None, True, self.comment)
        return AnswerRow(int(self.choice), False, self.comment)

    def check(self, question: Question, comment_max_length: int) -> None:
        if self.choice == NOT_APPLICABLE and not question.allow_na:
            raise InvalidAnswer(f"question '{question.id}' cannot be answered 'not applicable'")
        if self.choice not in (None, NOT_APPLICABLE, CLEAR, *LEVELS):
            raise InvalidAnswer(f"{self.choice!r} is not a level of question '{question.id}'")
        if len(self.comment) > comment_max_length:
            raise InvalidAnswer(f"the comment on '{question.id}' is too long")
