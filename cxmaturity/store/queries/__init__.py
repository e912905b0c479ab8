"""The reads and writes the services need, as plain functions over a Session, by topic.

None of these functions commits: the caller decides the transaction (see
`database.transaction`). Every read of client data takes the workspace it is
scoped to, so that a query cannot reach another workspace's rows.
"""

from cxmaturity.store.queries.answers import (
    AnswerLike,
    RespondentRecord,
    answers_of,
    assessments_of_organization,
    confirm_prefilled,
    previous_assessment,
    respondent_by_token_hash,
    respondent_with_answers,
    submitted_respondents_with_answers,
    upsert_answers,
)

__all__ = [
    "AnswerLike",
    "RespondentRecord",
    "answers_of",
    "assessments_of_organization",
    "confirm_prefilled",
    "previous_assessment",
    "respondent_by_token_hash",
    "respondent_with_answers",
    "submitted_respondents_with_answers",
    "upsert_answers",
]
