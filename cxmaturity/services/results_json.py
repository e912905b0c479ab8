"""An assessment's results as JSON (`…/assessments/<id>/results.json`), with since last period.

`results_json` is a pure function of the Outcome: the shape of `cxmaturity score`
(DESIGN §6) plus the period, "since last period" (§4.9–4.10) and the re-confirmed
pre-filled answers (§8). Numbers have two decimals, rounded half up, as JSON numbers;
nothing is computed here that `domain.comparison` has not already decided.
"""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

from cxmaturity.domain.access import Actor
from cxmaturity.domain.comparison import Comparison, DimensionChange
from cxmaturity.domain.loader import Catalogue
from cxmaturity.domain.outcome import Outcome
from cxmaturity.services.contract import json_number, result_json
from cxmaturity.services.workspace_results import (
    _readable_outcome,  # the results page's own check: the JSON never shows more than it
)
from cxmaturity.store.database import run_reading


def assessment_results_json(
    sessions: sessionmaker[Session],
    catalogue: Catalogue,
    actor: Actor | None,
    slug: str,
    assessment_id: int,
) -> dict:
    """The results as the workspace's results page shows them (its anonymity mode applied).

    Raises NotVisible where the actor may not read the results page, exactly as it does.
    """
    outcome = run_reading(
        sessions, lambda session: _readable_outcome(session, catalogue, actor, slug, assessment_id)
    )
    return results_json(outcome)


def results_json(outcome: Outcome) -> dict:
    """{"questionnaire", "period", "overall", "dimensions", "priorities",
    "since_last_period": null or {...}, "reconfirmed": null or {"confirmed", "offered"}}."""
    shape = result_json(outcome.questionnaire, outcome.result)
    reconfirmed = outcome.reconfirmed
    return {
        "questionnaire": shape["questionnaire"],
        "period": outcome.period,
        "overall": shape["overall"],
        "dimensions": shape["dimensions"],
        "priorities": shape["priorities"],
        "since_last_period": (
            None if outcome.comparison is None else since_json(outcome.comparison)
        ),
        "reconfirmed": (
            None
            if reconfirmed is None
            else {"confirmed": reconfirmed[0], "offered": reconfirmed[1]}
        ),
    }


def since_json(comparison: Comparison) -> dict:
    return {
        "period": comparison.previous_period,
        "comparability": comparison.overall_comparability.value,
        "change": json_number(comparison.overall_change),
        "panel_overlap": json_number(comparison.panel_overlap),
        "different_respondents": comparison.different_respondents,
        "respondents_then": comparison.respondents_then,
        "respondents_now": comparison.respondents_now,
        "dimensions": [_dimension_json(change) for change in comparison.dimensions],
    }


def _dimension_json(change: DimensionChange) -> dict:
    return {
        "id": change.dimension_id,
        "comparability": change.comparability.value,
        "change": json_number(change.change),
        "like_for_like_change": json_number(change.like_for_like_change),
        "stable_panel_change": json_number(change.stable_panel_change),
        "score_then": json_number(change.then.score),
        "score_now": json_number(change.now.score),
        "level_then": change.then.level,
        "level_now": change.now.level,
        "spread_then": json_number(change.then.spread),
        "spread_now": json_number(change.now.spread),
        "changed_questions": change.changed_questions,
    }
