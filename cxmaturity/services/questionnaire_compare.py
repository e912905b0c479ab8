"""`cxmaturity questionnaire compare ID FROM TO`: two versions side by side (DESIGN §4.9).

Per dimension the share J of unchanged questions and its class (same, bridged, broken),
and the overall class, as JSON. The classes are `domain.comparison`'s own, so this
prints exactly what "since last period" will decide between assessments of the two.
"""

from __future__ import annotations

from cxmaturity.domain.comparison import match_questionnaires, overall_comparability
from cxmaturity.domain.loader import Catalogue
from cxmaturity.domain.questionnaire import Questionnaire
from cxmaturity.domain.statuses import Comparability
from cxmaturity.services.contract import json_number


def compare_versions(
    catalogue: Catalogue, questionnaire_id: str, version_from: str, version_to: str
) -> dict:
    """The comparison of two versions in the catalogue; raises LookupError for a missing one."""
    return versions_json(
        catalogue.get(questionnaire_id, version_from), catalogue.get(questionnaire_id, version_to)
    )


def versions_json(then: Questionnaire, now: Questionnaire) -> dict:
    """{"questionnaire", "from", "to", "overall", "dimensions": [{"id", "j", "j_fraction",
    "comparability", "changed_questions"} (+ "note": "added"/"removed")]}, in the newer
    version's order, removed dimensions last."""
    matches = match_questionnaires(then, now)
    dimensions: list[dict] = [
        {
            "id": match.dimension_id,
            "j": json_number(match.overlap),
            "j_fraction": f"{len(match.common_questions)}/{match.question_ids}",
            "comparability": match.comparability.value,
            "changed_questions": match.changed_questions,
        }
        for match in matches
    ]
    matched = {match.dimension_id for match in matches}
    # A dimension in one version only has no J: its series starts (or ends) there.
    for note, version in (("added", now), ("removed", then)):
        for dimension in version.dimensions:
            if dimension.id not in matched:
                dimensions.append(
                    {
                        "id": dimension.id,
                        "j": None,
                        "j_fraction": None,
                        "comparability": Comparability.BROKEN.value,
                        "changed_questions": len(dimension.questions),
                        "note": note,
                    }
                )
    return {
        "questionnaire": now.id,
        "from": then.version,
        "to": now.version,
        "overall": overall_comparability(then, now, matches).value,
        "dimensions": dimensions,
    }
