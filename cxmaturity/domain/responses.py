"""What a respondent gives for one question: the stored answer, a change to it, and their merge.

Value types shared by the store, the services and the pages; `AnswerInput`
is checked against the questionnaire before anything is stored.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from cxmaturity.domain.questionnaire import LEVELS, Question

NOT_APPLICABLE = "na"
# Takes back a chosen answer: the question is open again (its comment stays).
# Distinct from None, which keeps the choice as it is and changes only the comment.
CLEAR = "clear"

Part = TypeVar("Part")


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

    @classmethod
    def shown(cls, choice: str | None, comment: str = "") -> AnswerRow:
        """The answer a page showed: its checked option ("" for none) and its comment."""
        if not choice:
            return cls(comment=comment)
        if choice == NOT_APPLICABLE:
            return cls(None, True, comment)
        if choice.isascii() and choice.isdigit():
            return cls(int(choice), False, comment)
        raise InvalidAnswer(f"{choice!r} is not an answer option")


@dataclass(frozen=True)
class Merge:
    """A change merged into the stored answer.

    `kept_elsewhere` says the stored answer had been changed elsewhere (another
    window) in a part this change left as its page showed it: the stored part
    stays, and the page is out of date. `conflict` says both changed the same
    part: this change, the later one, replaced the other.
    """

    row: AnswerRow
    kept_elsewhere: bool = False
    conflict: bool = False

    @property
    def changed_elsewhere(self) -> bool:
        return self.kept_elsewhere or self.conflict


@dataclass(frozen=True)
class AnswerInput:
    """`choice` is a level 1–5, NOT_APPLICABLE, CLEAR to take the answer back, or None
    to keep the choice as it is.

    `shown` is the answer the page showed when the person began: then only the
    parts the person changed are applied (see `merged_into`). Without it (the
    API, imports) the input is applied as it is.
    """

    choice: int | str | None
    comment: str = ""
    shown: AnswerRow | None = None

    @classmethod
    def from_choice(
        cls, choice: str | None, comment: str = "", shown: AnswerRow | None = None
    ) -> AnswerInput:
        if choice is None or choice in (NOT_APPLICABLE, CLEAR):
            return cls(choice, comment, shown)
        if choice.isascii() and choice.isdigit():
            return cls(int(choice), comment, shown)
        raise InvalidAnswer(f"{choice!r} is not an answer option")

    def applied_to(self, before: AnswerRow) -> AnswerRow:
        """The stored answer after this change, ignoring what the page showed."""
        if self.choice is None:
            return AnswerRow(before.level, before.not_applicable, self.comment)
        if self.choice == CLEAR:
            return AnswerRow(None, False, self.comment)
        if self.choice == NOT_APPLICABLE:
            return AnswerRow(None, True, self.comment)
        return AnswerRow(int(self.choice), False, self.comment)

    def merged_into(self, stored: AnswerRow) -> Merge:
        """The stored answer after this change: a three-way merge of shown, wanted and stored.

        The choice and the comment are merged each on its own. A part the person
        left as the page showed it keeps the stored value, so a second window's
        page (which sends every field) never undoes what the first one saved.
        A part the person changed is applied, also over a change made elsewhere
        meanwhile: the later explicit change wins.
        """
        if self.shown is None:
            return Merge(self.applied_to(stored))
        wanted = self.applied_to(self.shown)
        choice = _merged_part(_choice(self.shown), _choice(wanted), _choice(stored))
        comment = _merged_part(
            self.shown.comment, wanted.comment, stored.comment, key=_comparable_text
        )
        level, not_applicable = choice[0]
        return Merge(
            AnswerRow(level, not_applicable, comment[0]),
            kept_elsewhere=choice[1] or comment[1],
            conflict=choice[2] or comment[2],
        )

    def check(self, question: Question, comment_max_length: int) -> None:
        if self.choice == NOT_APPLICABLE and not question.allow_na:
            raise InvalidAnswer(f"question '{question.id}' cannot be answered 'not applicable'")
        if self.choice not in (None, NOT_APPLICABLE, CLEAR, *LEVELS):
            raise InvalidAnswer(f"{self.choice!r} is not a level of question '{question.id}'")
        if self.shown is not None and self.shown.level not in (None, *LEVELS):
            raise InvalidAnswer(f"{self.shown.level!r} is not a level of question '{question.id}'")
        if len(self.comment) > comment_max_length:
            raise InvalidAnswer(f"the comment on '{question.id}' is too long")


def _choice(row: AnswerRow) -> tuple[int | None, bool]:
    return (row.level, row.not_applicable)


def _comparable_text(text: str) -> str:
    # Browsers send a textarea's line breaks as CR LF, whatever the page held.
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n").strip())


def _merged_part(
    shown: Part, wanted: Part, stored: Part, key: Callable[[Part], object] = lambda part: part
) -> tuple[Part, bool, bool]:
    """(the merged value, kept a change made elsewhere, replaced a change made elsewhere)."""
    changed_here = key(wanted) != key(shown)
    changed_elsewhere = key(stored) != key(shown)
    if not changed_here:
        return stored, changed_elsewhere, False
    return wanted, False, changed_elsewhere and key(stored) != key(wanted)
