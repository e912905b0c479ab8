"""Assessment periods: calendar quarters written as `2026-Q4`."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass

# [0-9], not \d: \d would also accept Arabic-Indic and other Unicode digits.
# Matched whole (fullmatch): "2026-Q4\n" is not a period.
PERIOD_PATTERN = re.compile(r"^[0-9]{4}-Q[1-4]$")
FIRST_YEAR = 1900


class PeriodRefused(ValueError):
    """Text that is not a quarter written as `2026-Q4`."""


@dataclass(frozen=True, order=True)
class Period:
    """A calendar quarter; ordered in time, shown as `2026-Q4`."""

    year: int
    quarter: int

    def __post_init__(self) -> None:
        if not (FIRST_YEAR <= self.year <= 9999 and 1 <= self.quarter <= 4):
            raise PeriodRefused(f"{self.year}-Q{self.quarter} is not a quarter")

    @classmethod
    def parse(cls, text: str) -> Period:
        """The period written in `text` as `YYYY-Qn`; raises PeriodRefused.

        Surrounding spaces and a lower-case "q" are forgiven (" 2026-q4 " is
        2026-Q4); anything else, line breaks included, is refused.
        """
        if not isinstance(text, str):
            raise PeriodRefused(f"{text!r} is not a period written as year and quarter (2026-Q4)")
        written = text.strip(" ").replace("q", "Q")
        if not PERIOD_PATTERN.fullmatch(written):
            raise PeriodRefused(f"{text!r} is not a period written as year and quarter (2026-Q4)")
        return cls(int(written[:4]), int(written[-1]))

    @classmethod
    def of(cls, day: datetime.date) -> Period:
        """The quarter `day` falls in."""
        return cls(day.year, (day.month - 1) // 3 + 1)

    def previous(self) -> Period:
        return (
            Period(self.year - 1, 4) if self.quarter == 1 else Period(self.year, self.quarter - 1)
        )

    def next(self) -> Period:
        return (
            Period(self.year + 1, 1) if self.quarter == 4 else Period(self.year, self.quarter + 1)
        )

    def __str__(self) -> str:
        return f"{self.year}-Q{self.quarter}"


def is_period(text: str) -> bool:
    try:
        Period.parse(text)
    except PeriodRefused:
        return False
    return True


def quarter_of(day: datetime.date) -> str:
    return str(Period.of(day))


def first_free_period(day: datetime.date, taken: Iterable[str]) -> str:
    """The quarter of `day`, or the first after it that is not among `taken`: what a new
    assessment of a client is most likely for."""
    used = set(taken)
    period = Period.of(day)
    while str(period) in used:
        period = period.next()
    return str(period)
