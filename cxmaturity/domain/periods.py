"""Assessment periods: calendar quarters written as `2026-Q4`."""

from __future__ import annotations

import datetime
import re

# [0-9], not \d: \d would also accept Arabic-Indic and other Unicode digits.
PERIOD_PATTERN = re.compile(r"^[0-9]{4}-Q[1-4]$")


def is_period(text: str) -> bool:
    return bool(PERIOD_PATTERN.match(text))


def quarter_of(day: datetime.date) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
