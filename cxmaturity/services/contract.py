"""The JSON shapes of the headless contract (DESIGN §6)."""

from __future__ import annotations

from cxmaturity.domain.questionnaire import Questionnaire
from cxmaturity.domain.scoring import AssessmentResult
from cxmaturity.exports.serializers import json_number as json_number  # one rule for numbers


def questionnaire_json(questionnaire: Questionnaire, language: str) -> dict:
    return {
        "id": questionnaire.id,
        "version": questionnaire.version,
        "cap_above_weakest": questionnaire.cap_above_weakest,
        "levels": [
            {
                "level": level.level,
                "key": level.key,
                "name": level.name.get(language),
                "threshold": float(level.threshold),
            }
            for level in questionnaire.levels
        ],
        "dimensions": [
            {
                "id": dimension.id,
                "title": dimension.title.get(language),
                "weight": float(dimension.weight),
                "questions": [
                    {
                        "id": question.id,
                        "text": question.text.get(language),
                        "weight": float(question.weight),
                        "allow_na": question.allow_na,
                    }
                    for question in dimension.questions
                ],
                "recommendations": {
                    str(level): [step.get(language) for step in steps]
                    for level, steps in dimension.recommendations.items()
                },
            }
            for dimension in questionnaire.dimensions
        ],
    }


def result_json(questionnaire: Questionnaire, result: AssessmentResult) -> dict:
    overall_level = result.overall_level
    return {
        "questionnaire": {"id": result.questionnaire_id, "version": result.questionnaire_version},
        "overall": {
            "score": json_number(result.overall_score),
            "level": overall_level,
            "level_key": questionnaire.level(overall_level).key if overall_level else None,
            "capped": result.capped,
        },
        "dimensions": [
            {
                "id": dimension.dimension_id,
                "score": json_number(dimension.score),
                "level": dimension.level,
                "respondents": dimension.respondents,
                "spread": json_number(dimension.spread),
                "disagreement": dimension.disagreement,
            }
            for dimension in result.dimensions
        ],
        "priorities": list(result.priorities),
    }
