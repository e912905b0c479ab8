"""Numbers and dates as a reader sees them, in German or English, outside any request.

Our own rounding comes first, on exact values (DESIGN §4.8): scores are rounded DOWN to
one decimal, so a shown score never reaches a threshold the exact score has not;
changes and spreads are rounded half up; weights are shown exactly. Babel then writes
the already rounded number in the language's way (decimal comma in German). Babel
itself rounds half to even, which is why it never sees more digits than it may show.
"""

from __future__ import annotations

import datetime
import math
from decimal import Decimal
from fractions import Fraction

from babel.dates import format_date as babel_format_date
from babel.numbers import format_decimal

# The languages of the interface, the report and the stored assessments, each in its own name.
LANGUAGE_NAMES = {"de": "Deutsch", "en": "English"}
LANGUAGES = tuple(LANGUAGE_NAMES)
MINUS = "\N{MINUS SIGN}"
PLUS_MINUS = "±"
NOT_SHOWN = "–"
MAX_WEIGHT_PLACES = 6


def round_down(value: Fraction, places: int = 1) -> Decimal:
    """The largest number with `places` decimals not above `value`: 2.59 -> 2.5."""
    return Decimal(math.floor(value * 10**places)).scaleb(-places)


def round_half_up(value: Fraction, places: int = 1) -> Decimal:
    """Ties away from zero: 2.25 -> 2.3, -0.25 -> -0.3."""
    digits = math.floor(abs(value) * 10**places + Fraction(1, 2))
    return Decimal(digits if value >= 0 else -digits).scaleb(-places)


def format_number(value: Decimal, language: str, places: int = 1) -> str:
    """An already rounded number with exactly `places` decimals; a true minus sign."""
    pattern = "#,##0." + "0" * places if places else "#,##0"
    shown = format_decimal(abs(value), format=pattern, locale=language)
    return MINUS + shown if value < 0 else shown


def format_score(value: Fraction | None, language: str) -> str:
    """A score with one decimal, rounded down (§4.8); "–" for no score."""
    if value is None:
        return NOT_SHOWN
    return format_number(round_down(value), language)


def format_spread(value: Fraction | None, language: str) -> str:
    """A spread (or any other non-score figure) with one decimal, rounded half up."""
    if value is None:
        return NOT_SHOWN
    return format_number(round_half_up(value), language)


def format_change(value: Fraction | None, language: str) -> str:
    """A signed change, rounded half up: "+0,4", "−0,2", "±0,0"; empty when unknown."""
    if value is None:
        return ""
    rounded = round_half_up(value)
    shown = format_number(abs(rounded), language)
    if rounded == 0:
        return PLUS_MINUS + shown
    return ("+" if rounded > 0 else MINUS) + shown


def format_weight(value: Fraction, language: str) -> str:
    """A weight exactly as written: 1,25 stays 1,25 and 2 stays 2.

    Weights are decimal text in the questionnaire, so their denominators divide a power
    of ten; the loop finds how many decimals that takes (at most six, rounded half up).
    """
    places = 0
    while (value * 10**places).denominator != 1 and places < MAX_WEIGHT_PLACES:
        places += 1
    return format_number(round_half_up(value, places), language, places)


def format_date(day: datetime.date, language: str) -> str:
    """A date written out: "12. November 2026", "November 12, 2026"."""
    return babel_format_date(day, format="long", locale=language)


def format_count(number: int, language: str) -> str:
    """A whole number with the language's digit grouping: "24.000", "24,000"."""
    return format_decimal(number, format="#,##0", locale=language)
