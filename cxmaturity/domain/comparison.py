"""Since last period (DESIGN §4.9–4.10): which dimensions compare, their change, and the panel.

Pure and exact. `compare` takes both periods' questionnaires and submitted respondents
and says, per dimension, whether the two scores measure the same thing (same), nearly
the same (bridged: shown with a mark and a like-for-like change on the common
questions), or not (broken: no change, a new series); and how many of the respondents
are the same people.
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from cxmaturity.domain.questionnaire import Dimension, Question, Questionnaire
from cxmaturity.domain.scoring import (
    AssessmentResult,
    DimensionResult,
    Participant,
    RespondentAnswers,
    respondent_dimension_score,
    respondent_score_over,
    score_assessment,
)
from cxmaturity.domain.statuses import Comparability

BRIDGE_MINIMUM = Fraction(4, 5)
"""Below this share of unchanged questions a dimension's series is broken."""
DIFFERENT_RESPONDENTS_BELOW = Fraction(1, 2)
STABLE_PANEL_MINIMUM = 2
QUESTION_MOVED_BY = 1
LOW_QUESTION_LEVEL = 2
"""A question whose mean is at this level or below in both periods is "low in both"."""


def question_fingerprint(dimension_id: str, question: Question) -> str:
    """A hash of what a respondent answers: dimension, weight, N/A, text and options.

    Help texts and short labels are left out: rewording them changes no answer.
    """
    content = {
        "dimension": dimension_id,
        "weight": str(question.weight),
        "allow_na": question.allow_na,
        "text": question.text.root,
        "options": [(option.level, option.text.root) for option in question.options],
    }
    encoded = json.dumps(content, sort_keys=True, ensure_ascii=False).encode()
    return hashlib.sha256(encoded).hexdigest()


def level_crossed(change: Fraction | None, level_then: int | None, level_now: int | None) -> int:
    """+1 where the level rose, −1 where it fell, 0 otherwise or where there is no change
    to show (the ▲/▼ of DESIGN §4.9)."""
    if change is None or level_then is None or level_now is None:
        return 0
    return (level_now > level_then) - (level_now < level_then)


def major_version(version: str) -> str:
    return version.split(".", 1)[0]


def scale_unchanged(then: Questionnaire, now: Questionnaire) -> bool:
    """The level thresholds, the cap and the major version are the same."""
    return (
        [level.threshold for level in then.levels] == [level.threshold for level in now.levels]
        and then.cap_above_weakest == now.cap_above_weakest
        and major_version(then.version) == major_version(now.version)
    )


@dataclass(frozen=True)
class DimensionMatch:
    """How one dimension's questions correspond between two questionnaire versions."""

    dimension_id: str
    common_questions: tuple[str, ...]
    """Question ids with the same fingerprint in both, in the current order."""
    question_ids: int
    """Question ids in either version."""
    comparability: Comparability

    @property
    def overlap(self) -> Fraction:
        """J: unchanged questions ÷ question ids in either version."""
        return Fraction(len(self.common_questions), self.question_ids)

    @property
    def changed_questions(self) -> int:
        return self.question_ids - len(self.common_questions)


def match_dimension(then: Questionnaire, now: Questionnaire, dimension_id: str) -> DimensionMatch:
    """The match of a dimension present in both questionnaires."""
    before = _fingerprints(then.dimension(dimension_id))
    after = _fingerprints(now.dimension(dimension_id))
    common = tuple(qid for qid, print_ in after.items() if before.get(qid) == print_)
    question_ids = len(before.keys() | after.keys())
    overlap = Fraction(len(common), question_ids)
    if not scale_unchanged(then, now) or overlap < BRIDGE_MINIMUM:
        comparability = Comparability.BROKEN
    elif overlap == 1:
        comparability = Comparability.SAME
    else:
        comparability = Comparability.BRIDGED
    return DimensionMatch(dimension_id, common, question_ids, comparability)


def match_questionnaires(then: Questionnaire, now: Questionnaire) -> tuple[DimensionMatch, ...]:
    """The match of every dimension present in both, in the current questionnaire's order."""
    present_before = {dimension.id for dimension in then.dimensions}
    return tuple(
        match_dimension(then, now, dimension.id)
        for dimension in now.dimensions
        if dimension.id in present_before
    )


def overall_comparability(
    then: Questionnaire, now: Questionnaire, matches: Sequence[DimensionMatch]
) -> Comparability:
    """Broken by a new major version, a broken, added or removed dimension; bridged by a
    bridged dimension or a changed dimension weight; else same."""
    ids_before = [dimension.id for dimension in then.dimensions]
    ids_now = [dimension.id for dimension in now.dimensions]
    if (
        major_version(then.version) != major_version(now.version)
        or set(ids_before) != set(ids_now)
        or any(match.comparability is Comparability.BROKEN for match in matches)
    ):
        return Comparability.BROKEN
    weights_before = {dimension.id: dimension.weight for dimension in then.dimensions}
    if any(match.comparability is Comparability.BRIDGED for match in matches) or any(
        weights_before[dimension.id] != dimension.weight for dimension in now.dimensions
    ):
        return Comparability.BRIDGED
    return Comparability.SAME


def _fingerprints(dimension: Dimension) -> dict[str, str]:
    return {q.id: question_fingerprint(dimension.id, q) for q in dimension.questions}


# --- the panel (§4.10) ------------------------------------------------------------------


def _person_key(text: str | None) -> str:
    return unicodedata.normalize("NFC", text or "").strip().casefold()


def match_panel(
    then: Sequence[Participant], now: Sequence[Participant]
) -> tuple[tuple[int, int], ...]:
    """Pairs (index then, index now) of the same person, each respondent in at most one.

    Two respondents are the same person by email where both have one (two different
    emails are two people), else by name and group. Of all pairings the one with the
    most pairs is taken, whatever the order people submitted in; each person tries an
    email match before a name match.
    """
    candidates = {
        j: [i for i, before in enumerate(then) if _same_email(before, after)]
        + [i for i, before in enumerate(then) if _same_name_and_group(before, after)]
        for j, after in enumerate(now)
    }
    return tuple(sorted(_maximum_matching(candidates)))


def _same_email(before: Participant, after: Participant) -> bool:
    email = _person_key(after.email)
    return bool(email) and email == _person_key(before.email)


def _same_name_and_group(before: Participant, after: Participant) -> bool:
    if _person_key(before.email) and _person_key(after.email):
        return False
    name = _person_key(after.name)
    return bool(name) and name == _person_key(before.name) and before.group == after.group


def _maximum_matching(candidates: dict[int, list[int]]) -> list[tuple[int, int]]:
    """The most pairs (then, now) where each now-index may take one of its candidates
    (augmenting paths; a period has a few hundred respondents at most)."""
    partner_of_then: dict[int, int] = {}

    def place(index_now: int, seen: set[int]) -> bool:
        for index_then in candidates[index_now]:
            if index_then in seen:
                continue
            seen.add(index_then)
            other = partner_of_then.get(index_then)
            if other is None or place(other, seen):
                partner_of_then[index_then] = index_now
                return True
        return False

    for index_now in candidates:
        place(index_now, set())
    return [(index_then, index_now) for index_then, index_now in partner_of_then.items()]


def panel_overlap(matched: int, respondents_then: int, respondents_now: int) -> Fraction | None:
    """Matched ÷ the larger number of respondents; None where neither period has any."""
    larger = max(respondents_then, respondents_now)
    return Fraction(matched, larger) if larger else None


# --- the comparison ---------------------------------------------------------------------


@dataclass(frozen=True)
class DimensionChange:
    dimension_id: str
    comparability: Comparability
    changed_questions: int
    question_ids: int
    then: DimensionResult
    now: DimensionResult
    change: Fraction | None
    """Score now − then; None where broken or not scored in either period."""
    like_for_like_change: Fraction | None
    """Bridged only: both periods scored on the unchanged questions."""
    stable_panel_change: Fraction | None
    """The mean of the matched respondents' own change, with at least two of them."""

    @property
    def crossed(self) -> int:
        """+1 where the level rose, −1 where it fell, 0 otherwise (or not comparable)."""
        return level_crossed(self.change, self.then.level, self.now.level)


@dataclass(frozen=True)
class QuestionMovement:
    question_id: str
    dimension_id: str
    mean_then: Fraction
    mean_now: Fraction

    @property
    def change(self) -> Fraction:
        return self.mean_now - self.mean_then


@dataclass(frozen=True)
class Comparison:
    """Everything "since last period" shows; equal inputs give an equal comparison."""

    previous_period: str
    previous_version: str
    overall_comparability: Comparability
    overall_change: Fraction | None
    overall_then: Fraction | None
    level_then: int | None
    dimensions: tuple[DimensionChange, ...]
    respondents_then: int
    respondents_now: int
    matched_respondents: int
    panel_known: bool
    """False where either period was anonymous: its answers are detached from the people,
    so nobody can be recognised, and the panel is not known (no overlap, no warning)."""
    questions: tuple[QuestionMovement, ...]
    """Every unchanged question with a mean in both periods, in questionnaire order."""
    low_level_below: Fraction
    """The threshold of level 3 now: a mean below it in both periods is "low in both"."""

    @property
    def moved_questions(self) -> tuple[QuestionMovement, ...]:
        """Questions whose mean moved by at least one level, largest move first."""
        moved = [m for m in self.questions if abs(m.change) >= QUESTION_MOVED_BY]
        return tuple(sorted(moved, key=lambda m: -abs(m.change)))

    @property
    def low_questions(self) -> tuple[QuestionMovement, ...]:
        """Questions at level 2 or below in both periods, lowest now first."""
        low = [
            m
            for m in self.questions
            if m.mean_then < self.low_level_below and m.mean_now < self.low_level_below
        ]
        return tuple(sorted(low, key=lambda m: m.mean_now))

    def question(self, question_id: str) -> QuestionMovement | None:
        return next((m for m in self.questions if m.question_id == question_id), None)

    @property
    def panel_overlap(self) -> Fraction | None:
        if not self.panel_known:
            return None
        return panel_overlap(self.matched_respondents, self.respondents_then, self.respondents_now)

    @property
    def different_respondents(self) -> bool:
        overlap = self.panel_overlap
        return overlap is not None and overlap < DIFFERENT_RESPONDENTS_BELOW

    def dimension(self, dimension_id: str) -> DimensionChange | None:
        return next((d for d in self.dimensions if d.dimension_id == dimension_id), None)


def compare(
    then: Questionnaire,
    then_respondents: Sequence[Participant],
    now: Questionnaire,
    now_respondents: Sequence[Participant],
    previous_period: str,
    min_answers_per_question: int = 1,
    panel_known: bool = True,
) -> Comparison:
    """The comparison of the current period with the previous one (both submitted only).

    Question means count only where at least `min_answers_per_question` respondents
    answered the question in each period (anonymity: a mean of one is one person's answer).
    """
    result_then = score_assessment(then, then_respondents)
    result_now = score_assessment(now, now_respondents)
    matches = match_questionnaires(then, now)
    pairs = match_panel(then_respondents, now_respondents) if panel_known else ()
    overall = overall_comparability(then, now, matches)
    dimensions = tuple(
        _dimension_change(
            then, now, match, then_respondents, now_respondents, pairs, result_then, result_now
        )
        for match in matches
    )
    overall_change = None
    if overall is not Comparability.BROKEN and None not in (
        result_now.overall_score,
        result_then.overall_score,
    ):
        overall_change = result_now.overall_score - result_then.overall_score  # type: ignore[operator]
    return Comparison(
        previous_period=previous_period,
        previous_version=then.version,
        overall_comparability=overall,
        overall_change=overall_change,
        overall_then=result_then.overall_score,
        level_then=result_then.overall_level,
        dimensions=dimensions,
        respondents_then=len(then_respondents),
        respondents_now=len(now_respondents),
        matched_respondents=len(pairs),
        panel_known=panel_known,
        questions=_question_movements(
            matches, then_respondents, now_respondents, min_answers_per_question
        ),
        low_level_below=now.level(LOW_QUESTION_LEVEL + 1).threshold,
    )


def _dimension_change(
    then: Questionnaire,
    now: Questionnaire,
    match: DimensionMatch,
    then_respondents: Sequence[Participant],
    now_respondents: Sequence[Participant],
    pairs: Sequence[tuple[int, int]],
    result_then: AssessmentResult,
    result_now: AssessmentResult,
) -> DimensionChange:
    before = result_then.dimension(match.dimension_id)
    after = result_now.dimension(match.dimension_id)
    comparable = match.comparability is not Comparability.BROKEN
    change = like_for_like = stable = None
    if comparable and before.score is not None and after.score is not None:
        change = after.score - before.score
    if match.comparability is Comparability.BRIDGED:
        like_for_like = _common_question_change(then, now, match, then_respondents, now_respondents)
    if comparable:
        stable = _stable_panel_change(
            then.dimension(match.dimension_id),
            now.dimension(match.dimension_id),
            then_respondents,
            now_respondents,
            pairs,
        )
    return DimensionChange(
        dimension_id=match.dimension_id,
        comparability=match.comparability,
        changed_questions=match.changed_questions,
        question_ids=match.question_ids,
        then=before,
        now=after,
        change=change,
        like_for_like_change=like_for_like,
        stable_panel_change=stable,
    )


def _mean_over(
    questions: Sequence[Question], respondents: Sequence[Participant]
) -> Fraction | None:
    scores = [
        score
        for person in respondents
        if (score := respondent_score_over(questions, person.answers)) is not None
    ]
    return sum(scores, Fraction(0)) / len(scores) if scores else None


def _common_question_change(
    then: Questionnaire,
    now: Questionnaire,
    match: DimensionMatch,
    then_respondents: Sequence[Participant],
    now_respondents: Sequence[Participant],
) -> Fraction | None:
    """Both periods re-scored on the unchanged questions only (the ≥ half-weight rule too)."""
    common = set(match.common_questions)
    before = _mean_over(
        [q for q in then.dimension(match.dimension_id).questions if q.id in common],
        then_respondents,
    )
    after = _mean_over(
        [q for q in now.dimension(match.dimension_id).questions if q.id in common],
        now_respondents,
    )
    return None if before is None or after is None else after - before


def _stable_panel_change(
    dimension_then: Dimension,
    dimension_now: Dimension,
    then_respondents: Sequence[Participant],
    now_respondents: Sequence[Participant],
    pairs: Sequence[tuple[int, int]],
) -> Fraction | None:
    own_changes = []
    for index_then, index_now in pairs:
        before = respondent_dimension_score(dimension_then, then_respondents[index_then].answers)
        after = respondent_dimension_score(dimension_now, now_respondents[index_now].answers)
        if before is not None and after is not None:
            own_changes.append(after - before)
    # "Over them": at least two of the people matched must have a score both times.
    if len(own_changes) < STABLE_PANEL_MINIMUM:
        return None
    return sum(own_changes, Fraction(0)) / len(own_changes)


def question_mean(
    question_id: str, respondents: Sequence[RespondentAnswers], min_answers: int = 1
) -> Fraction | None:
    """The plain mean of the levels given to a question; None below `min_answers`."""
    levels = [level for person in respondents if (level := person.answers.get(question_id))]
    if not levels or len(levels) < min_answers:
        return None
    return Fraction(sum(levels), len(levels))


def _question_movements(
    matches: Sequence[DimensionMatch],
    then_respondents: Sequence[Participant],
    now_respondents: Sequence[Participant],
    min_answers: int,
) -> tuple[QuestionMovement, ...]:
    movements = []
    for match in matches:
        for question_id in match.common_questions:
            before = question_mean(question_id, then_respondents, min_answers)
            after = question_mean(question_id, now_respondents, min_answers)
            if before is not None and after is not None:
                movements.append(QuestionMovement(question_id, match.dimension_id, before, after))
    return tuple(movements)
