"""The CX key figures of a period as the PDF and the results pages show them (DESIGN §5, §4.8).

Values and changes are rounded half up by cxmaturity.locale; the rows follow the order
of KpiName whatever order the store read them in. Names are worded by the caller's
gettext: the report's (reports/texts.py) or, on the results pages, the template's.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from cxmaturity import locale
from cxmaturity.domain.kpi import KpiReading
from cxmaturity.domain.statuses import KpiName

# The msgids the web's templates/kpis/macros.html uses too: one catalogue entry each.
NAMES = {
    KpiName.NPS: "Net Promoter Score (NPS)",
    KpiName.CES: "Customer Effort Score (CES)",
    KpiName.CSAT: "Customer satisfaction (CSAT)",
    KpiName.RESPONSE_TIME: "Average response time",
    KpiName.CLV: "Customer lifetime value (CLV)",
}


@dataclass(frozen=True)
class KpiRow:
    kpi: str
    """KpiName value."""
    name: str
    value: str
    """Rounded half up with its unit; "" for no value (no responses)."""
    change: str
    """Signed and rounded half up; "" where there is no earlier value to compare with."""
    sample_size: int | None
    note: str | None


def kpi_rows(
    readings: Sequence[KpiReading], language: str, gettext: Callable[[str], str] = str
) -> tuple[KpiRow, ...]:
    """One row per key figure of the period, in KpiName order."""
    order = list(KpiName)
    known = sorted(
        (reading for reading in readings if reading.kpi in order),
        key=lambda reading: order.index(KpiName(reading.kpi)),
    )
    return tuple(
        KpiRow(
            kpi=reading.kpi,
            name=gettext(NAMES[KpiName(reading.kpi)]),
            value=""
            if reading.value is None
            else locale.format_kpi(reading.kpi, reading.value, language),
            change=locale.format_kpi_change(reading.kpi, reading.change, language),
            sample_size=reading.sample_size,
            note=reading.note,
        )
        for reading in known
    )
