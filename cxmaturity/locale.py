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


# KPI values (DESIGN §5), rounded half up (§4.8): decimals per key figure, and its unit.
# NPS runs from −100 to 100 in points; CES and CSAT are shares in %; the response time is
# in hours; CLV in whole euros.
KPI_PLACES = {"nps": 1, "ces": 1, "csat": 1, "response_time": 1, "clv": 0}
NO_BREAK_SPACE = "\N{NO-BREAK SPACE}"


def format_kpi(kpi: str, value: Fraction | None, language: str) -> str:
    """A key figure with its unit: "42,9", "87,5 %", "3,5 h", "1.234 €" ("€1,234"); "–" for none."""
    if value is None:
        return NOT_SHOWN
    places = KPI_PLACES[kpi]
    rounded = round_half_up(value, places)
    shown = _with_unit(kpi, format_number(abs(rounded), language, places), language)
    return MINUS + shown if rounded < 0 else shown


def format_kpi_change(kpi: str, value: Fraction | None, language: str) -> str:
    """A key figure's signed change, rounded half up: "+4,5", "−0,5 h", "+120 €"; "" if unknown.

    The change of a share is in percentage points, so it carries no "%".
    """
    if value is None:
        return ""
    places = KPI_PLACES[kpi]
    rounded = round_half_up(value, places)
    sign = PLUS_MINUS if rounded == 0 else ("+" if rounded > 0 else MINUS)
    shown = format_number(abs(rounded), language, places)
    return sign + (shown if kpi in ("nps", "ces", "csat") else _with_unit(kpi, shown, language))


def _with_unit(kpi: str, shown: str, language: str) -> str:
    if kpi in ("ces", "csat"):
        return shown + (NO_BREAK_SPACE + "%" if language == "de" else "%")
    if kpi == "response_time":
        return shown + NO_BREAK_SPACE + "h"
    if kpi == "clv":
        return shown + NO_BREAK_SPACE + "€" if language == "de" else "€" + shown
    return shown


def format_input_number(text: str, language: str) -> str:
    """A stored raw figure ("12.5") as a person of `language` types it ("12,5")."""
    return text.replace(".", ",") if language == "de" else text
