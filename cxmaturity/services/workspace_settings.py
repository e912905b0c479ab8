"""The owners' setting of a workspace: from how many comparable clients a cohort band shows.

DESIGN §4.13: 5 by default, 3 or more where a workspace chooses. Changed by owners
only, in one transaction with its audit entry, like their changes of members.
"""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

from cxmaturity.domain.access import Actor
from cxmaturity.domain.cohorts import LOWEST_MIN_N
from cxmaturity.domain.statuses import AuditAction
from cxmaturity.services import audit
from cxmaturity.services.members import MemberRefused, Refusal, managing
from cxmaturity.store.models import Workspace

HIGHEST_MIN_N = 999
"""Far above any cohort a consultancy has; keeps the number a small integer."""


def set_cohort_min_n(
    sessions: sessionmaker[Session], actor: Actor | None, slug: str, value: object
) -> int:
    """Show cohort bands only where at least `value` comparable clients have one (3 or
    more, DESIGN §4.13); returns the number set. Raises MemberRefused(BAD_MIN_N).

    Written to the audit log, which has no action of its own for a workspace setting
    (its vocabulary is a CHECK of the schema): it is recorded as a change of who sees
    what, beside the owners' other changes of access.
    """

    def change(session: Session, workspace: Workspace, owner: Actor) -> int:
        wanted = checked_min_n(value)
        before = workspace.cohort_min_n
        if wanted != before:
            workspace.cohort_min_n = wanted
            audit.record(
                session,
                owner,
                AuditAction.SETTINGS_CHANGED,
                "workspace",
                workspace.id,
                f"cohort minimum: {before} → {wanted} comparable clients",
                workspace_id=workspace.id,
            )
        return wanted

    return managing(sessions, actor, slug, change)


def checked_min_n(value: object) -> int:
    """A whole number from LOWEST_MIN_N to HIGHEST_MIN_N; else MemberRefused(BAD_MIN_N)."""
    text = str(value).strip() if isinstance(value, str | int) else ""
    if not text.isascii() or not text.isdigit() or len(text) > 3:
        raise MemberRefused("cohort_min_n", Refusal.BAD_MIN_N)
    number = int(text)
    if not LOWEST_MIN_N <= number <= HIGHEST_MIN_N:
        raise MemberRefused("cohort_min_n", Refusal.BAD_MIN_N)
    return number
