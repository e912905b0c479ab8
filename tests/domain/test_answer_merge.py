"""The three-way merge of a page's change into the stored answer (domain/responses.py)."""

import pytest

from cxmaturity.domain.responses import (
    CLEAR,
    NOT_APPLICABLE,
    AnswerInput,
    AnswerRow,
    InvalidAnswer,
)

SHOWN = AnswerRow(2, False, "shown")


@pytest.mark.parametrize(
    ("change", "stored", "merged", "kept_elsewhere", "conflict"),
    [
        # Nothing changed anywhere.
        (AnswerInput(2, "shown", SHOWN), SHOWN, SHOWN, False, False),
        # Changed here only: applied.
        (AnswerInput(4, "mine", SHOWN), SHOWN, AnswerRow(4, False, "mine"), False, False),
        # Changed elsewhere only: the stored answer stays, the page is out of date.
        (
            AnswerInput(2, "shown", SHOWN),
            AnswerRow(5, False, "other"),
            AnswerRow(5, False, "other"),
            True,
            False,
        ),
        # The comment changed here, the choice elsewhere: each part keeps its change.
        (
            AnswerInput(2, "mine", SHOWN),
            AnswerRow(5, False, "shown"),
            AnswerRow(5, False, "mine"),
            True,
            False,
        ),
        # Both changed the choice: the later (this) change wins, and says so.
        (
            AnswerInput(1, "shown", SHOWN),
            AnswerRow(5, False, "shown"),
            AnswerRow(1, False, "shown"),
            False,
            True,
        ),
        # Both made the same change: nothing to report.
        (
            AnswerInput(5, "shown", SHOWN),
            AnswerRow(5, False, "shown"),
            AnswerRow(5, False, "shown"),
            False,
            False,
        ),
        # No option sent (none can be unchecked without clearing): the choice is unchanged.
        (
            AnswerInput(None, "shown", SHOWN),
            AnswerRow(3, False, "shown"),
            AnswerRow(3, False, "shown"),
            True,
            False,
        ),
        # Cleared here.
        (AnswerInput(CLEAR, "shown", SHOWN), SHOWN, AnswerRow(None, False, "shown"), False, False),
        (AnswerInput(NOT_APPLICABLE, "", SHOWN), SHOWN, AnswerRow(None, True, ""), False, False),
        # Without what the page showed (API): applied as given.
        (AnswerInput(1, ""), AnswerRow(5, False, "other"), AnswerRow(1, False, ""), False, False),
    ],
)
def test_a_change_applies_only_the_parts_its_page_changed(
    change, stored, merged, kept_elsewhere, conflict
):
    merge = change.merged_into(stored)
    assert merge.row == merged
    assert (merge.kept_elsewhere, merge.conflict) == (kept_elsewhere, conflict)
    assert merge.changed_elsewhere == (kept_elsewhere or conflict)


def test_comments_differing_only_in_line_endings_and_spaces_are_the_same():
    shown = AnswerRow(None, False, "a\nb")
    merge = AnswerInput(None, "a\r\nb ", shown).merged_into(AnswerRow(None, False, "a\nb"))
    assert not merge.changed_elsewhere and merge.row.comment == "a\nb"


@pytest.mark.parametrize(
    ("choice", "row"),
    [("", AnswerRow()), ("3", AnswerRow(3)), ("na", AnswerRow(None, True))],
)
def test_the_shown_choice_is_read_back_from_the_page(choice, row):
    assert AnswerRow.shown(choice) == row


def test_a_shown_choice_that_no_page_shows_is_refused():
    with pytest.raises(InvalidAnswer):
        AnswerRow.shown("drei")
