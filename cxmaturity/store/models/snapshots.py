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

from cxmaturity.domain.statuses import Comparability
from cxmaturity.store.models.base import Base, UtcDateTime, one_of, utc_now


class ResultSnapshot(Base):
    __tablename__ = "result_snapshots"
    __table_args__ = (
        CheckConstraint("overall_level IS NULL OR overall_level BETWEEN 1 AND 5", name="level"),
        CheckConstraint(
            f"overall_comparability IS NULL OR {one_of('overall_comparability', Comparability)}",
            name="overall_comparability",
        ),
    )

    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessments.id", ondelete="CASCADE"), primary_key=True
    )
    overall_score: Mapped[str | None] = mapped_column(String(64))
    overall_score_value: Mapped[float | None] = mapped_column(Float)
    overall_level: Mapped[int | None] = mapped_column(SmallInteger)
    capped: Mapped[bool] = mapped_column(Boolean, default=False)
    submitted_respondents: Mapped[int] = mapped_column(SmallInteger, default=0)
    # Since last period (DESIGN §4.9–4.10), against the latest closed earlier assessment
    # of the same questionnaire id; all NULL where there is none.
    previous_assessment_id: Mapped[int | None] = mapped_column(
        ForeignKey("assessments.id", ondelete="SET NULL")
    )
    overall_change: Mapped[str | None] = mapped_column(String(64))
    overall_comparability: Mapped[str | None] = mapped_column(String(10))
    previous_respondents: Mapped[int | None] = mapped_column(SmallInteger)
    matched_respondents: Mapped[int | None] = mapped_column(SmallInteger)
    computed_at: Mapped[datetime.datetime] = mapped_column(
        UtcDateTime, default=utc_now, onupdate=utc_now
    )

    dimensions: Mapped[list[DimensionSnapshot]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True
    )


class DimensionSnapshot(Base):
    __tablename__ = "dimension_snapshots"
    __table_args__ = (
        CheckConstraint("level IS NULL OR level BETWEEN 1 AND 5", name="level"),
        CheckConstraint(
            f"comparability IS NULL OR {one_of('comparability', Comparability)}",
            name="comparability",
        ),
    )

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
    # Since last period; comparability NULL where the dimension is new or there is none.
    comparability: Mapped[str | None] = mapped_column(String(10))
    change: Mapped[str | None] = mapped_column(String(64))
    like_for_like_change: Mapped[str | None] = mapped_column(String(64))
    stable_panel_change: Mapped[str | None] = mapped_column(String(64))
    changed_questions: Mapped[int | None] = mapped_column(SmallInteger)
    question_ids: Mapped[int | None] = mapped_column(SmallInteger)
