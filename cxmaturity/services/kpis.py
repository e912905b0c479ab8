"""A client's CX key figures per quarter (DESIGN §2 KPI value, §5): read them all, save a period's.

`save_kpis` checks every figure of the period before it writes any: either all are
stored in one transaction, or nothing is and `KpiFiguresRefused` names each refused
field. The table keeps, per client, period and key figure, the raw figures as JSON,
the exact value computed by domain/kpi_inputs.py (NULL: no value), and a float of it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from cxmaturity.domain.access import Actor, Decision, Permission
from cxmaturity.domain.kpi_inputs import (
    FIELDS,
    Evaluated,
    FieldProblem,
    checked_note,
    evaluate,
    is_empty,
)
from cxmaturity.domain.periods import Period, PeriodRefused
from cxmaturity.domain.statuses import AuditAction, KpiName
from cxmaturity.services import audit
from cxmaturity.services.access import client_for
from cxmaturity.services.errors import InvalidInput
from cxmaturity.store.database import run_in_transaction, run_reading
from cxmaturity.store.models import KpiValue


class KpiFiguresRefused(InvalidInput):
    """Some figures were refused; `problems` holds every one as ("nps.promoters", problem)."""

    def __init__(self, problems: list[tuple[str, FieldProblem]]) -> None:
        first_field, first = problems[0]
        super().__init__(first_field, first.message)
        self.problems = problems


@dataclass(frozen=True)
class KpiLine:
    """One key figure of one period, with the latest earlier value for its change."""

    kpi: KpiName
    period: str
    value: Fraction | None
    """None: no value (no responses)."""
    sample_size: int | None
    note: str | None
    inputs: Mapping[str, str]
    """The raw figures as stored: exact decimal text ("12.5")."""
    previous_value: Fraction | None = None
    previous_period: str | None = None

    @property
    def change(self) -> Fraction | None:
        if self.value is None or self.previous_value is None:
            return None
        return self.value - self.previous_value


@dataclass(frozen=True)
class KpiPeriod:
    period: str
    lines: tuple[KpiLine, ...]
    """In the order of KpiName; only the key figures entered for the period."""

    def line(self, kpi: KpiName) -> KpiLine | None:
        return next((line for line in self.lines if line.kpi == kpi), None)


@dataclass(frozen=True)
class ClientKpis:
    workspace_slug: str
    client_id: int
    client_name: str
    periods: tuple[KpiPeriod, ...]
    """Latest period first."""
    may_manage: bool = False
    kpis: tuple[KpiName, ...] = field(default=tuple(KpiName))

    @property
    def latest(self) -> KpiPeriod | None:
        return self.periods[0] if self.periods else None

    def period(self, period: str) -> KpiPeriod | None:
        return next((shown for shown in self.periods if shown.period == period), None)


def client_kpis(
    sessions: sessionmaker[Session], actor: Actor | None, slug: str, client_id: int
) -> ClientKpis:
    """Every period's key figures of the client, latest first; NotVisible outside its reach."""

    def read(session: Session) -> ClientKpis:
        workspace, organization = client_for(
            session, actor, slug, client_id, Permission.VIEW_RESULTS
        )
        assert actor is not None
        rows = session.scalars(
            select(KpiValue)
            .where(KpiValue.organization_id == organization.id)
            .order_by(KpiValue.period)
        )
        return ClientKpis(
            workspace_slug=workspace.slug,
            client_id=organization.id,
            client_name=organization.name,
            periods=_periods(list(rows)),
            may_manage=actor.decide(Permission.MANAGE_PLANS, workspace.id, organization.id)
            is Decision.ALLOWED,
        )

    return run_reading(sessions, read)


def save_kpis(
    sessions: sessionmaker[Session],
    actor: Actor | None,
    slug: str,
    client_id: int,
    period: str,
    figures: Mapping[str, Mapping[str, str]],
    notes: Mapping[str, str] | None = None,
) -> None:
    """Store the client's key figures of `period`: `figures` maps a KpiName value to the texts
    of its fields, `notes` a KpiName value to its note.

    A key figure sent with all its fields empty is left out, and deleted where it was
    stored; one not in `figures` at all is left as it is.
    Raises InvalidInput for the period or an unknown key figure or field, KpiFiguresRefused
    naming every refused figure ("nps.responses", …), NotVisible, Forbidden.
    """

    def save(session: Session) -> None:
        # Who may write is decided first: a viewer hears "forbidden", not what is wrong.
        workspace, organization = client_for(
            session, actor, slug, client_id, Permission.MANAGE_PLANS
        )
        quarter = _period(period)
        evaluated, problems = _checked(figures, notes or {})
        if problems:
            raise KpiFiguresRefused(problems)
        stored = {
            row.kpi: row
            for row in session.scalars(
                select(KpiValue).where(
                    KpiValue.organization_id == organization.id, KpiValue.period == quarter
                )
            )
        }
        changed = []
        for kpi in KpiName:
            entry = evaluated.get(kpi)
            if entry is None:
                # Only a key figure sent with every field empty is removed: one not sent at
                # all (an API call about NPS alone) keeps what was stored.
                if kpi.value in figures and kpi.value in stored:
                    session.execute(delete(KpiValue).where(KpiValue.id == stored[kpi.value].id))
                    changed.append(f"{kpi.value} deleted")
                continue
            row = stored.get(kpi.value) or KpiValue(
                organization_id=organization.id, period=quarter, kpi=kpi.value
            )
            result, note = entry
            row.inputs = json.dumps(result.inputs, sort_keys=True)
            row.value = None if result.value is None else str(result.value)
            row.value_number = None if result.value is None else float(result.value)
            row.sample_size = result.sample_size
            row.note = note
            row.updated_by_user_id = actor.user_id if actor else None
            session.add(row)
            changed.append(kpi.value)
        if changed:
            audit.record(
                session,
                actor,
                AuditAction.KPIS_SAVED,
                "client",
                organization.id,
                f"{quarter}: {', '.join(changed)}",
                workspace_id=workspace.id,
            )

    try:
        run_in_transaction(sessions, save)
    except IntegrityError:
        # Two saves of a new period at once: the unique key stopped the second insert.
        # Run again, now updating the row the first one wrote (the last save wins).
        run_in_transaction(sessions, save)


def _period(period: object) -> str:
    try:
        return str(Period.parse(period))  # type: ignore[arg-type]
    except PeriodRefused:
        raise InvalidInput("period", "must be a quarter written as 2026-Q4") from None


def _checked(
    figures: Mapping[str, Mapping[str, str]], notes: Mapping[str, str]
) -> tuple[dict[KpiName, tuple[Evaluated, str | None]], list[tuple[str, FieldProblem]]]:
    """Each key figure entered, evaluated with its note; and every problem found."""
    known = {kpi.value for kpi in KpiName}
    for name in (*figures, *notes):
        if name not in known:
            raise InvalidInput("kpi", f"{name!r} is not a key figure")
    evaluated: dict[KpiName, tuple[Evaluated, str | None]] = {}
    problems: list[tuple[str, FieldProblem]] = []
    for kpi in KpiName:
        raw = dict(figures.get(kpi.value) or {})
        names = {spec.name for spec in FIELDS[kpi]}
        for name, text in raw.items():
            if name not in names:
                raise InvalidInput(f"{kpi.value}.{name}", "is not a field of this key figure")
            if not isinstance(text, str):
                raise InvalidInput(f"{kpi.value}.{name}", "must be text")
        if notes.get(kpi.value) is not None and not isinstance(notes.get(kpi.value), str):
            raise InvalidInput(f"{kpi.value}.note", "must be text")
        note = checked_note(notes.get(kpi.value), has_figures=not is_empty(raw))
        if isinstance(note, FieldProblem):
            problems.append((f"{kpi.value}.note", note))
        if is_empty(raw):
            continue
        result = evaluate(kpi, raw)
        if isinstance(result, list):
            problems.extend((f"{kpi.value}.{problem.field}", problem) for problem in result)
        elif not isinstance(note, FieldProblem):
            evaluated[kpi] = (result, note)
    return evaluated, problems


def _periods(rows: list[KpiValue]) -> tuple[KpiPeriod, ...]:
    """Rows oldest first → periods latest first, each value with the latest earlier one."""
    last_value: dict[str, tuple[Fraction, str]] = {}
    by_period: dict[str, list[KpiLine]] = {}
    for row in rows:
        value = None if row.value is None else Fraction(row.value)
        earlier = last_value.get(row.kpi)
        by_period.setdefault(row.period, []).append(
            KpiLine(
                kpi=KpiName(row.kpi),
                period=row.period,
                value=value,
                sample_size=row.sample_size,
                note=row.note,
                inputs=json.loads(row.inputs),
                previous_value=earlier[0] if earlier else None,
                previous_period=earlier[1] if earlier else None,
            )
        )
        if value is not None:
            last_value[row.kpi] = (value, row.period)
    order = list(KpiName)
    return tuple(
        KpiPeriod(period, tuple(sorted(lines, key=lambda line: order.index(line.kpi))))
        for period, lines in sorted(by_period.items(), reverse=True)
    )
