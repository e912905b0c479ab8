"""Result snapshots: an assessment's scores as written when it closes (kept current while open).

Portfolio, history and exports read these rows and never score again on read
(DESIGN §2). Scores are kept exactly, as fractions ("9/5"), because a level is
decided on the exact value; `score_value` is the same number as a float, for
sorting and charts only.
"""

from __future__ import annotations

import datetime

from sqlalchemy import Boolean, CheckConstraint, Float, ForeignKey, SmallInteger, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cxmaturity.store.models.base import Base, UtcDateTime, utc_now


class ResultSnapshot(Base):
    __tablename__ = "result_snapshots"
    __table_args__ = (
        CheckConstraint("overall_level IS NULL OR overall_level BETWEEN 1 AND 5", name="level"),
    )

    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessments.id", ondelete="CASCADE"), primary_key=True
    )
    overall_score: Mapped[str | None] = mapped_column(String(64))
    overall_score_value: Mapped[float | None] = mapped_column(Float)
    overall_level: Mapped[int | None] = mapped_column(SmallInteger)
    capped: Mapped[bool] = mapped_column(Boolean, default=False)
    submitted_respondents: Mapped[int] = mapped_column(SmallInteger, default=0)
    computed_at: Mapped[datetime.datetime] = mapped_column(
        UtcDateTime, default=utc_now, onupdate=utc_now
    )

    dimensions: Mapped[list[DimensionSnapshot]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True
    )


class DimensionSnapshot(Base):
    __tablename__ = "dimension_snapshots"
    __table_args__ = (CheckConstraint("level IS NULL OR level BETWEEN 1 AND 5", name="level"),)

    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("result_snapshots.assessment_id", ondelete="CASCADE"), primary_key=True
    )
    dimension_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    score: Mapped[str | None] = mapped_column(String(64))
    score_value: Mapped[float | None] = mapped_column(Float)
    level: Mapped[int | None] = mapped_column(SmallInteger)
    spread: Mapped[str | None] = mapped_column(String(64))
    respondents: Mapped[int] = mapped_column(SmallInteger, default=0)
    disagreement: Mapped[bool] = mapped_column(Boolean, default=False)
