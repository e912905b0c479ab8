"""The CX key figures a client enters per quarter (DESIGN §5)."""

from __future__ import annotations

import datetime

from sqlalchemy import (
    CheckConstraint,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from cxmaturity.domain.statuses import KpiName
from cxmaturity.store.models.base import Base, UtcDateTime, one_of, utc_now


class KpiValue(Base):
    """One key figure of one client in one period: the raw inputs and the value computed."""

    __tablename__ = "kpi_values"
    __table_args__ = (
        UniqueConstraint("organization_id", "period", "kpi"),
        CheckConstraint(one_of("kpi", KpiName), name="kpi"),
        CheckConstraint("sample_size IS NULL OR sample_size >= 0", name="sample_size"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    period: Mapped[str] = mapped_column(String(7))
    kpi: Mapped[str] = mapped_column(String(15))
    # The raw figures as entered, JSON text with exact numbers as strings.
    inputs: Mapped[str] = mapped_column(Text)
    # Computed by domain/kpi.py: exact ("85/2"), and as a float for charts; NULL = no value.
    value: Mapped[str | None] = mapped_column(String(64))
    value_number: Mapped[float | None] = mapped_column(Float)
    sample_size: Mapped[int | None] = mapped_column(Integer)
    note: Mapped[str | None] = mapped_column(Text)
    updated_by_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    updated_at: Mapped[datetime.datetime] = mapped_column(
        UtcDateTime, default=utc_now, onupdate=utc_now
    )
