"""The targets per dimension as readers see them (DESIGN §4.11): worded, rounded, in one language.

Shared by the PDF's targets page and the web pages (through the services), so that a gap
or a progress reads the same everywhere. Two roundings of our own, both on exact values:
a gap is rounded UP to one decimal, so that it is exactly the threshold minus the score
as shown (rounded down, §4.8) and never shows 0,0 while the target is not reached; a
progress is rounded DOWN to a whole percent, so that 100 % means the threshold is reached.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from babel.numbers import format_percent

from cxmaturity import locale
from cxmaturity.domain.outcome import Outcome
from cxmaturity.domain.questionnaire import Questionnaire
from cxmaturity.domain.targets import TargetProgress
from cxmaturity.reports.text_tools import clean
from cxmaturity.reports.texts import ReportText


def round_up(value: Fraction, places: int = 1) -> Decimal:
    """The smallest number with `places` decimals not below `value`: 0.81 -> 0.9."""
    return Decimal(math.ceil(value * 10**places)).scaleb(-places)


def shown_gap(value: Fraction | None, language: str) -> str:
    """A gap to the target threshold, rounded up to one decimal; "–" for none."""
    if value is None:
        return locale.NOT_SHOWN
    return locale.format_number(round_up(value), language)


def percent(value: Fraction | None) -> int | None:
    """A progress as a whole percent, rounded down (0…100)."""
    return None if value is None else math.floor(value * 100)


def shown_percent(value: Fraction | None, language: str) -> str:
    """A progress such as "42 %" / "42%"; "–" where it is not known."""
    whole = percent(value)
    if whole is None:
        return locale.NOT_SHOWN
    return format_percent(Decimal(whole) / 100, locale=language)


def level_name(questionnaire: Questionnaire, level: int | None, language: str) -> str:
    """ "3 · Defined"; "–" for no level."""
    if level is None:
        return locale.NOT_SHOWN
    return f"{level} · {clean(questionnaire.level(level).name.get(language))}"


@dataclass(frozen=True)
class TargetLine:
    """One dimension's target on the report's targets page."""

    dimension: str
    score: str
    level: str
    target: str
    due: str
    gap: str
    progress: str
    progress_percent: int | None
    reached: bool


@dataclass(frozen=True)
class TargetsView:
    lines: tuple[TargetLine, ...]
    reached: int


def target_lines(
    questionnaire: Questionnaire, targets: Sequence[TargetProgress], language: str
) -> tuple[TargetLine, ...]:
    t = ReportText(language)
    return tuple(
        TargetLine(
            dimension=clean(questionnaire.dimension(target.dimension_id).title.get(language)),
            score=t.score(target.score),
            level=level_name(questionnaire, target.level, language),
            target=level_name(questionnaire, target.target_level, language),
            due=target.due_period or locale.NOT_SHOWN,
            gap=shown_gap(target.gap, language),
            progress=shown_percent(target.progress, language),
            progress_percent=percent(target.progress),
            reached=target.reached,
        )
        for target in targets
    )


def targets_view(outcome: Outcome, language: str) -> TargetsView | None:
    """The report's targets page; None where the client has no active target."""
    if not outcome.targets:
        return None
    lines = target_lines(outcome.questionnaire, outcome.targets, language)
    return TargetsView(lines=lines, reached=sum(1 for line in lines if line.reached))
