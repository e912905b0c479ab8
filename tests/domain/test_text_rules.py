"""The input rules for typed text and periods (domain.text, domain.periods)."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cxmaturity.domain.periods import Period, PeriodRefused, is_period, quarter_of
from cxmaturity.domain.text import (
    BIDI_CONTROLS,
    Refusal,
    TextRefused,
    clean_optional_text,
    clean_text,
)


def refusal(text: str, **rules) -> Refusal:
    with pytest.raises(TextRefused) as caught:
        clean_text(text, **rules)
    return caught.value.reason


def test_text_is_trimmed_and_stored_in_nfc():
    assert clean_text("  Mu\u0308ller GmbH \n") == "Müller GmbH"
    assert len(clean_text("Mu\u0308ller")) == 6


@pytest.mark.parametrize("text", ["", "   ", "\u00a0\u3000", " \t "])
def test_a_required_text_of_only_spaces_is_refused(text):
    assert refusal(text, required=True) is Refusal.EMPTY
    assert clean_optional_text(text) is None


@pytest.mark.parametrize("line_break", ["\n", "\r", "\r\n", "\u2028", "\u2029", "\t"])
def test_a_single_line_text_refuses_line_breaks_that_a_multi_line_one_keeps(line_break):
    text = f"ACME{line_break}GmbH"
    assert refusal(text) is Refusal.LINE_BREAK
    if line_break not in ("\u2028", "\u2029"):
        assert clean_text(text, multiline=True) == text


@pytest.mark.parametrize("control", ["\x00", "\x07", "\x1b", "\x7f", "\x85", "\x9f"])
@pytest.mark.parametrize("multiline", [False, True])
def test_control_characters_are_refused_in_every_text(control, multiline):
    assert refusal(f"ACME{control} AG", multiline=multiline) is Refusal.CONTROL


@pytest.mark.parametrize("control", list(BIDI_CONTROLS))
@pytest.mark.parametrize("multiline", [False, True])
def test_bidi_embedding_override_and_isolate_controls_are_refused(control, multiline):
    assert len(BIDI_CONTROLS) == 9  # U+202A–U+202E and U+2066–U+2069
    assert refusal(f"ACME {control}HbmG", multiline=multiline) is Refusal.BIDI


@pytest.mark.parametrize("mark", ["\u200e", "\u200f", "\u061c"])
def test_direction_marks_are_allowed_for_right_to_left_names(mark):
    assert clean_text(f"שלום{mark} GmbH") == f"שלום{mark} GmbH"


def test_the_length_is_counted_after_normalizing():
    assert clean_text("u\u0308" * 200, max_length=200) == "ü" * 200
    assert refusal("x" * 201, max_length=200) is Refusal.TOO_LONG


FORBIDDEN = set(BIDI_CONTROLS) | {chr(c) for c in [*range(0x20), *range(0x7F, 0xA0)]}


def outcome(text: str) -> str | Refusal:
    try:
        return clean_text(text)
    except TextRefused as refused:
        return refused.reason


@given(st.text())
def test_whatever_is_typed_is_refused_or_stored_clean_and_stable(text):
    cleaned = outcome(text)
    if isinstance(cleaned, Refusal):
        assert FORBIDDEN & set(text) or {"\u2028", "\u2029"} & set(text)
    else:
        assert not FORBIDDEN & set(cleaned)
        assert "\u2028" not in cleaned and "\u2029" not in cleaned
        assert clean_text(cleaned) == cleaned


# --- periods -------------------------------------------------------------------


@pytest.mark.parametrize("text", ["2026-Q4", "1900-Q1", "2100-Q2"])
def test_a_period_is_read_and_written_alike(text):
    assert str(Period.parse(text)) == text
    assert is_period(text)


@pytest.mark.parametrize(
    "text",
    ["2026-Q5", "2026-Q0", "2026-x4", "26-Q4", "2026-Q4\n", "\t2026-Q4", "٢٠٢٦-Q4", "0000-Q1"],
)
def test_anything_else_is_not_a_period(text):
    with pytest.raises(PeriodRefused):
        Period.parse(text)
    assert not is_period(text)


@pytest.mark.parametrize("text", [" 2026-q4 ", "2026-q4", "  2026-Q4"])
def test_spaces_around_a_period_and_a_lower_case_q_are_forgiven(text):
    assert str(Period.parse(text)) == "2026-Q4"


def test_periods_are_ordered_in_time_and_know_their_predecessor():
    assert Period.parse("2025-Q4") < Period.parse("2026-Q1") < Period.parse("2026-Q2")
    assert Period.parse("2026-Q1").previous() == Period(2025, 4)
    assert Period.parse("2026-Q3").previous() == Period(2026, 2)


def test_the_period_of_a_day_is_its_quarter():
    assert Period.of(datetime.date(2026, 12, 31)) == Period(2026, 4)
    assert quarter_of(datetime.date(2026, 4, 1)) == "2026-Q2"
