"""What a client plans between assessments: targets per dimension and the action plan.

Both belong to the organization, not to an assessment: an unfinished action carries
into the next quarter by itself, and a target stays until it is reached or replaced.
"""

from __future__ import annotations

import datetime

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cxmaturity.domain.statuses import (
    ActionEffect,
    ActionEventKind,
    ActionSource,
    ActionStatus,
    TargetStatus,
)
from cxmaturity.store.models.base import Base, UtcDateTime, one_of, utc_now

ACTIVE_TARGET = text(f"status = '{TargetStatus.ACTIVE.value}'")


class Target(Base):
    """A target level for one dimension of a client (DESIGN §4.11)."""

    __tablename__ = "targets"
    __table_args__ = (
        CheckConstraint("target_level BETWEEN 1 AND 5", name="target_level"),
        CheckConstraint(one_of("status", TargetStatus), name="status"),
        # One active target per client and dimension; old ones stay as history.
        Index(
            "uq_targets_active",
            "organization_id",
            "questionnaire_id",
            "dimension_id",
            unique=True,
            sqlite_where=ACTIVE_TARGET,
            postgresql_where=ACTIVE_TARGET,
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    questionnaire_id: Mapped[str] = mapped_column(String(100))
    dimension_id: Mapped[str] = mapped_column(String(100))
    target_level: Mapped[int] = mapped_column(SmallInteger)
    due_period: Mapped[str | None] = mapped_column(String(7))
    # The score when the target was set, exact ("13/5"); progress counts from it.
    baseline_score: Mapped[str | None] = mapped_column(String(64))
    baseline_period: Mapped[str | None] = mapped_column(String(7))
    status: Mapped[str] = mapped_column(String(12), default=TargetStatus.ACTIVE.value)
    # The period whose close found it reached: that period's results still show it.
    achieved_period: Mapped[str | None] = mapped_column(String(7))
    set_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime.datetime] = mapped_column(UtcDateTime, default=utc_now)
    updated_at: Mapped[datetime.datetime] = mapped_column(
        UtcDateTime, default=utc_now, onupdate=utc_now
    )


class Action(Base):
    """One step of a client's action plan, on a dimension (and optionally one question)."""

    __tablename__ = "actions"
    __table_args__ = (
        CheckConstraint(one_of("status", ActionStatus), name="status"),
        CheckConstraint(one_of("source", ActionSource), name="source"),
        CheckConstraint(f"effect IS NULL OR {one_of('effect', ActionEffect)}", name="effect"),
        CheckConstraint("times_carried >= 0", name="times_carried"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    questionnaire_id: Mapped[str] = mapped_column(String(100))
    dimension_id: Mapped[str] = mapped_column(String(100))
    question_id: Mapped[str | None] = mapped_column(String(100))
    title: Mapped[str] = mapped_column(String(300))
    owner: Mapped[str | None] = mapped_column(String(200))
    due_date: Mapped[datetime.date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(12), default=ActionStatus.PLANNED.value)
    source: Mapped[str] = mapped_column(String(15), default=ActionSource.MANUAL.value)
    # Which recommended step it came from ("strategy:2:0"), so it is not offered twice.
    source_key: Mapped[str | None] = mapped_column(String(200))
    opened_period: Mapped[str] = mapped_column(String(7))
    closed_period: Mapped[str | None] = mapped_column(String(7))
    times_carried: Mapped[int] = mapped_column(SmallInteger, default=0)
    # Carried this many times in a row without a change of status (stalled at 2).
    carried_unchanged: Mapped[int] = mapped_column(SmallInteger, default=0)
    last_carried_period: Mapped[str | None] = mapped_column(String(7))
    effect: Mapped[str | None] = mapped_column(String(15))
    effect_period: Mapped[str | None] = mapped_column(String(7))
    created_at: Mapped[datetime.datetime] = mapped_column(UtcDateTime, default=utc_now)
    updated_at: Mapped[datetime.datetime] = mapped_column(
        UtcDateTime, default=utc_now, onupdate=utc_now
    )

    events: Mapped[list[ActionEvent]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="ActionEvent.id"
    )


class ActionEvent(Base):
    """One change of an action: created, edited, status changed, carried, judged."""

    __tablename__ = "action_events"
    __table_args__ = (CheckConstraint(one_of("kind", ActionEventKind), name="kind"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("actions.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(15))
    # What changed, as JSON text: {"status": ["planned", "done"]}.
    detail: Mapped[str | None] = mapped_column(Text)
    period: Mapped[str | None] = mapped_column(String(7))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    at: Mapped[datetime.datetime] = mapped_column(UtcDateTime, default=utc_now)
