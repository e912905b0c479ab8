"""The summary written from this assessment's data, and who took part.

Four sentences at most: where the company stands (and whether the weakest-link cap
applied), its strongest and weakest dimension, where the respondents disagree and by
how much, and what the board is asked to decide.
"""

from __future__ import annotations

from dataclasses import dataclass

from cxmaturity.domain.anonymity import names_shown, shown_groups
from cxmaturity.domain.outcome import Outcome
from cxmaturity.domain.scoring import DISAGREEMENT_SPREAD, DimensionResult
from cxmaturity.reports.text_tools import clean, no_widow
from cxmaturity.reports.texts import ReportText

LISTED_DISPUTES = 3
"""Up to this many disputed dimensions are named in the summary; more are counted."""
LISTED_PARTICIPANTS = 8
"""Up to this many participants are listed by name; more are counted by group."""


@dataclass(frozen=True)
class ParticipantsView:
    count: int
    listed: tuple[str, ...]
    """One line per participant ("Anna Schäfer · executive · 40 of 40 questions answered"),
    or nothing where they are counted instead."""
    counted: str
    """"12 respondents: 3 executives, 9 managers" where they are not listed."""
    answered: str
    """"38 of 40 questions answered" (by at least one respondent)."""


def summary_sentences(outcome: Outcome, t: ReportText) -> str:
    """The summary's paragraph, its last two words kept together on the last line."""
    result = outcome.result
    if result.overall_level is None:
        return t.gettext("No dimension could be scored: too few questions were answered.")
    sentences = [_standing(outcome, t), _extremes(outcome, t), _agreement(outcome, t)]
    sentences.append(_decision(outcome, t))
    return no_widow(" ".join(sentence for sentence in sentences if sentence))


def _title(outcome: Outcome, dimension_id: str, t: ReportText) -> str:
    return clean(outcome.questionnaire.dimension(dimension_id).title.get(t.language))


def _standing(outcome: Outcome, t: ReportText) -> str:
    result = outcome.result
    level = outcome.questionnaire.level(result.overall_level)
    values = {
        "organization": clean(outcome.organization) or t.gettext("The company"),
        "period": clean(outcome.period),
        "level": result.overall_level,
        "name": clean(level.name.get(t.language)),
        "score": t.score(result.overall_score),
    }
    if not result.capped or result.weakest is None:
        if not values["period"]:
            return t.gettext(
                "%(organization)s stands at level %(level)s (%(name)s) overall, with an "
                "overall score of %(score)s.",
                **values,
            )
        return t.gettext(
            "%(organization)s stands at level %(level)s (%(name)s) overall in %(period)s, with "
            "an overall score of %(score)s.",
            **values,
        )
    return t.gettext(
        "%(organization)s stands at level %(level)s (%(name)s) overall: its overall score of "
        "%(score)s would mean level %(uncapped)s, but because %(weakest)s reaches only level "
        "%(weakest_level)s, the weakest-link rule caps the overall level at %(level)s.",
        uncapped=result.uncapped_level,
        weakest=_title(outcome, result.weakest.dimension_id, t),
        weakest_level=result.weakest.level,
        **values,
    )


def _extremes(outcome: Outcome, t: ReportText) -> str:
    scored = [r for r in outcome.result.dimensions if r.score is not None]
    weakest = outcome.result.weakest
    # Ties go to the first dimension in questionnaire order: max keeps the first.
    strongest = max(scored, key=lambda r: r.score, default=None)
    if strongest is None or weakest is None or strongest.score == weakest.score:
        return ""
    return t.gettext(
        "%(strongest)s is the most advanced dimension (%(strongest_score)s); %(weakest)s needs "
        "the most work (%(weakest_score)s).",
        strongest=_title(outcome, strongest.dimension_id, t),
        strongest_score=t.score(strongest.score),
        weakest=_title(outcome, weakest.dimension_id, t),
        weakest_score=t.score(weakest.score),
    )


def _agreement(outcome: Outcome, t: ReportText) -> str:
    count = len(outcome.respondents)
    if count < 2:
        return t.gettext("The results rest on the answers of one respondent.")
    disputed: list[DimensionResult] = [r for r in outcome.result.dimensions if r.disagreement]
    if not disputed:
        return t.gettext(
            "The %(count)s respondents see every dimension much alike (spreads below "
            "%(threshold)s points).",
            count=count,
            threshold=t.spread(DISAGREEMENT_SPREAD),
        )
    if len(disputed) == 1:
        return t.gettext(
            "The respondents disagree on %(dimension)s: their scores lie %(spread)s points "
            "apart, so the first step there is to agree on where the company stands.",
            dimension=_title(outcome, disputed[0].dimension_id, t),
            spread=t.spread(disputed[0].spread),
        )
    widest = max(disputed, key=lambda r: r.spread or 0)
    if len(disputed) > LISTED_DISPUTES:
        return t.gettext(
            "The respondents disagree on %(count)s of %(total)s dimensions, most of all on "
            "%(dimension)s (%(spread)s points apart); there the first step is to agree on where "
            "the company stands.",
            count=len(disputed),
            total=len(outcome.result.dimensions),
            dimension=_title(outcome, widest.dimension_id, t),
            spread=t.spread(widest.spread),
        )
    return t.gettext(
        "The respondents disagree on %(dimensions)s, with scores up to %(spread)s points apart; "
        "there the first step is to agree on where the company stands.",
        dimensions=t.names([_title(outcome, r.dimension_id, t) for r in disputed]),
        spread=t.spread(widest.spread),
    )


def _decision(outcome: Outcome, t: ReportText) -> str:
    priorities = outcome.result.priorities
    if not priorities:
        return t.gettext(
            "Every scored dimension is at the highest level: the board is asked to decide how "
            "to sustain it."
        )
    return t.ngettext(
        "The board is asked to confirm %(dimensions)s as the priority for the next quarter "
        "and to name an owner for it.",
        "The board is asked to confirm %(dimensions)s as the priorities for the next quarter "
        "and to name an owner for each.",
        len(priorities),
        dimensions=t.names([_title(outcome, dimension_id, t) for dimension_id in priorities]),
    )


def group_name(group: str, t: ReportText) -> str:
    names = {
        "executive": t.gettext("executive"),
        "manager": t.gettext("manager"),
        "frontline": t.gettext("frontline"),
        "other": t.gettext("other group"),
    }
    return names.get(group, clean(group))


def participants(outcome: Outcome, t: ReportText) -> ParticipantsView:
    people = outcome.respondents
    total = len(outcome.questionnaire.questions)
    answered = t.gettext(
        "%(answered)s of %(total)s questions answered",
        answered=outcome.questions_answered,
        total=total,
    )
    named = names_shown(outcome) and all(person.name.strip() for person in people)
    if not named or len(people) > LISTED_PARTICIPANTS:
        return ParticipantsView(len(people), (), _counted(outcome, t), answered)
    listed = []
    for person in people:
        parts = [clean(person.name)]
        if person.group:
            parts.append(group_name(person.group, t))
        parts.append(
            t.gettext(
                "%(answered)s of %(total)s questions answered",
                answered=person.answered,
                total=total,
            )
        )
        listed.append(" · ".join(parts))
    return ParticipantsView(len(people), tuple(listed), "", answered)


def _counted(outcome: Outcome, t: ReportText) -> str:
    count = len(outcome.respondents)
    counted = t.ngettext("%(num)s respondent", "%(num)s respondents", count)
    groups: dict[str, int] = {}
    if names_shown(outcome):
        for person in outcome.respondents:
            if person.group:
                groups[person.group] = groups.get(person.group, 0) + 1
    else:  # a group of one or two would point at the people in it (DESIGN §8)
        groups = dict(shown_groups(outcome.respondents))
    if not groups:
        return counted
    by_group = ", ".join(f"{group_name(group, t)} ({number})" for group, number in groups.items())
    return f"{counted}: {by_group}"
