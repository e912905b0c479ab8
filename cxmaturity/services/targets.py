"""A client's targets per dimension (DESIGN §2 Target, §4.11): read, set, drop, and achieve.

Targets are measured against the client's latest closed assessment (else its latest
open one): its result snapshot gives each dimension's current score and level. Setting
a target keeps the old one as history (`superseded`); at most one is active per client
and dimension (a unique index). When an assessment closes, an active target its
dimension reached becomes `achieved` (`achieve_reached`, called by the closing).

Target changes are not written to the audit log: the target rows themselves are the
history (who set each one, when, and what replaced it), and DESIGN §2 keeps the audit
log for roles, links, exports and deletions.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from cxmaturity.domain.access import Actor, Permission
from cxmaturity.domain.loader import Catalogue
from cxmaturity.domain.periods import Period, PeriodRefused
from cxmaturity.domain.questionnaire import Questionnaire
from cxmaturity.domain.statuses import TargetStatus
from cxmaturity.domain.targets import TOP_LEVEL, default_target_level, reached
from cxmaturity.reports.targets import percent as percent
from cxmaturity.reports.targets import shown_gap as shown_gap  # for the web layer
from cxmaturity.reports.targets import shown_percent as shown_percent
from cxmaturity.services.errors import InvalidInput
from cxmaturity.services.target_reading import AchievedTarget as AchievedTarget
from cxmaturity.services.target_reading import Basis, basis_of, view_of
from cxmaturity.services.target_reading import ClientTargets as ClientTargets
from cxmaturity.services.target_reading import TargetRow as TargetRow
from cxmaturity.store.database import run_in_transaction, run_reading
from cxmaturity.store.models import Assessment, Target
from cxmaturity.store.queries import targets as target_queries

TargetChoice = tuple[int, str | None]
"""A target level 1–5 and an optional due period ("2027-Q2")."""


def client_targets(
    sessions: sessionmaker[Session],
    catalogue: Catalogue,
    actor: Actor | None,
    slug: str,
    client_id: int,
) -> ClientTargets:
    """Per dimension of the client's questionnaire: the current score and level, the active
    target with gap, progress and whether it is reached, and the suggested default."""

    def read(session: Session) -> ClientTargets:
        basis = basis_of(session, catalogue, actor, slug, client_id, Permission.VIEW_RESULTS)
        assert actor is not None
        return view_of(session, basis, actor)

    return run_reading(sessions, read)


def set_targets(
    sessions: sessionmaker[Session],
    catalogue: Catalogue,
    actor: Actor | None,
    slug: str,
    client_id: int,
    choices: Mapping[str, TargetChoice | None],
) -> int:
    """Set a target per dimension given; returns how many changed.

    An active target with another level or due period is kept as `superseded` and a new
    one takes its place, with the dimension's current score (exact) as its baseline. An
    unchanged choice changes nothing; None drops the dimension's active target (as
    `drop_target`). Raises InvalidInput (field `level-<dimension>`, `due-<dimension>` or
    `dimension`) and stores nothing when any choice is refused.
    """
    checked = {
        dimension_id: None if choice is None else _checked(dimension_id, *choice)
        for dimension_id, choice in choices.items()
    }

    def change(session: Session) -> int:
        basis = basis_of(session, catalogue, actor, slug, client_id, Permission.MANAGE_PLANS)
        questionnaire = _require_questionnaire(basis)
        known = {dimension.id for dimension in questionnaire.dimensions}
        unknown = sorted(set(checked) - known)
        if unknown:
            raise InvalidInput("dimension", f"the questionnaire has no dimension {unknown[0]!r}")
        active = target_queries.active_targets(
            session, basis.organization.id, questionnaire.id, for_update=True
        )
        changed = 0
        for dimension_id, choice in checked.items():
            old = active.get(dimension_id)
            if choice is None:
                if old is not None:
                    old.status = TargetStatus.DROPPED.value
                    changed += 1
                continue
            level, due = choice
            if old is not None and (old.target_level, old.due_period) == (level, due):
                continue
            _replace(session, basis, actor, questionnaire, dimension_id, old, level, due)
            changed += 1
        return changed

    return _in_transaction(sessions, change)


def set_default_targets(
    sessions: sessionmaker[Session],
    catalogue: Catalogue,
    actor: Actor | None,
    slug: str,
    client_id: int,
) -> int:
    """One click: the current level + 1 (at most 5) for every scored dimension without an
    active target; returns how many were set."""

    def change(session: Session) -> int:
        basis = basis_of(session, catalogue, actor, slug, client_id, Permission.MANAGE_PLANS)
        questionnaire = _require_questionnaire(basis)
        active = target_queries.active_targets(
            session, basis.organization.id, questionnaire.id, for_update=True
        )
        count = 0
        for dimension in questionnaire.dimensions:
            current = basis.score_of(dimension.id)
            if current.score is None or dimension.id in active:
                continue
            level = default_target_level(current.level)
            _replace(session, basis, actor, questionnaire, dimension.id, None, level, None)
            count += 1
        return count

    return _in_transaction(sessions, change)


def drop_target(
    sessions: sessionmaker[Session],
    catalogue: Catalogue,
    actor: Actor | None,
    slug: str,
    client_id: int,
    dimension_id: str,
) -> bool:
    """The dimension's active target becomes `dropped`; False where it had none."""

    def change(session: Session) -> bool:
        basis = basis_of(session, catalogue, actor, slug, client_id, Permission.MANAGE_PLANS)
        questionnaire = _require_questionnaire(basis)
        active = target_queries.active_targets(
            session, basis.organization.id, questionnaire.id, for_update=True
        )
        old = active.get(dimension_id)
        if old is None:
            return False
        old.status = TargetStatus.DROPPED.value
        return True

    return run_in_transaction(sessions, change)


def achieve_reached(session: Session, assessment: Assessment) -> int:
    """After `assessment` closed (its snapshot written): each active target of its client
    gets its baseline if it had none (set before the dimension had a score), and each one
    its dimension reached becomes `achieved` by this period; returns how many were.

    A target set after this assessment's period (its baseline is from a later one) is
    not achieved by it: a late close of an old quarter says nothing about a new target.
    Runs in the caller's transaction.
    """
    scores = target_queries.dimension_scores(session, assessment.id)
    active = target_queries.active_targets(
        session, assessment.organization_id, assessment.questionnaire_id
    )
    count = 0
    for dimension_id, target in active.items():
        if target.baseline_period is not None and target.baseline_period > assessment.period:
            continue
        current = scores.get(dimension_id)
        if current is None or current.score is None:
            continue
        if target.baseline_score is None:
            target.baseline_score = str(current.score)
            target.baseline_period = assessment.period
        if reached(current.level, target.target_level):
            target.status = TargetStatus.ACHIEVED.value
            target.achieved_period = assessment.period
            count += 1
    return count


def _checked(dimension_id: str, level: object, due: object) -> TargetChoice:
    if isinstance(level, bool) or not isinstance(level, int) or not 1 <= level <= TOP_LEVEL:
        raise InvalidInput(f"level-{dimension_id}", f"must be a level from 1 to {TOP_LEVEL}")
    if due is None or due == "":
        return level, None
    if not isinstance(due, str):
        raise InvalidInput(f"due-{dimension_id}", "must be a period such as 2027-Q2")
    try:
        return level, str(Period.parse(due))
    except PeriodRefused as refused:
        raise InvalidInput(f"due-{dimension_id}", str(refused)) from None


def _replace(
    session: Session,
    basis: Basis,
    actor: Actor | None,
    questionnaire: Questionnaire,
    dimension_id: str,
    old: Target | None,
    level: int,
    due: str | None,
) -> None:
    """Supersede `old` (if any) and add the new active target, baselined on the current
    score. The old row is flushed first: the unique index allows one active row."""
    if old is not None:
        old.status = TargetStatus.SUPERSEDED.value
        session.flush()
    current = basis.score_of(dimension_id)
    assert basis.assessment is not None
    session.add(
        Target(
            organization_id=basis.organization.id,
            questionnaire_id=questionnaire.id,
            dimension_id=dimension_id,
            target_level=level,
            due_period=due,
            baseline_score=None if current.score is None else str(current.score),
            baseline_period=None if current.score is None else basis.assessment.period,
            status=TargetStatus.ACTIVE.value,
            set_by_user_id=actor.user_id if actor is not None else None,
        )
    )
    session.flush()


def _in_transaction(sessions: sessionmaker[Session], change: Callable[[Session], int]) -> int:
    try:
        return run_in_transaction(sessions, change)
    except IntegrityError:  # the same dimension's target set at the same moment elsewhere
        raise InvalidInput("dimension", "was changed at the same time; please try again") from None


def _require_questionnaire(basis: Basis) -> Questionnaire:
    if basis.questionnaire is None:
        raise InvalidInput("dimension", "the client has no assessment to set targets against")
    return basis.questionnaire
