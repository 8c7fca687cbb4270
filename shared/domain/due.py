"""The due engine, pure: when a service task is planned, upcoming or overdue, and what comes next.

Each condition of a task has a due point (km, hours or a date) and a warning point before it.
A task is overdue when any condition has reached its due point, else upcoming when any has
reached its warning point, else planned: whichever comes first. docs/due-semantics.md is the
contract in prose, with examples.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from shared.domain.calendar import add_days, add_months, local_date, local_midnight

Kind = Literal["distance", "hours", "date"]
Status = Literal["planned", "upcoming", "overdue"]
Anchor = Literal["completion", "cadence"]
SEVERITY: dict[str, int] = {"planned": 0, "upcoming": 1, "overdue": 2}
_DAY = timedelta(days=1)


@dataclass(frozen=True)
class Position:
    """A snapshot: a task's start, the asset now, or a completion."""

    at: datetime
    odometer_km: float | None = None
    hours: float | None = None
    meters_at: datetime | None = None  # time of the reading the meter values come from


@dataclass(frozen=True)
class MeterCondition:
    kind: Literal["distance", "hours"]
    limit: float
    notify_before: float | None = None
    notify_at_percent: float | None = None
    repeat: float | None = None


@dataclass(frozen=True)
class DateCondition:
    due: date | None = None
    every_days: int | None = None
    every_months: int | None = None
    notify_before_days: int | None = None
    notify_at_percent: float | None = None
    repeat_days: int | None = None
    repeat_months: int | None = None


Condition = MeterCondition | DateCondition


@dataclass(frozen=True)
class Occurrence:
    number: int
    start: Position
    due_km: float | None = None
    due_hours: float | None = None
    due_date: date | None = None


@dataclass(frozen=True)
class ConditionState:
    kind: Kind
    status: Status
    due: float | datetime
    warn: float | datetime
    current: float | datetime | None
    remaining: float | None
    fraction: float | None
    due_at: datetime | None
    warn_at: datetime | None


@dataclass(frozen=True)
class Evaluation:
    status: Status
    conditions: tuple[ConditionState, ...]
    wear: float | None
    warn_at: datetime | None
    due_at: datetime | None


def _status(reached_due: bool, reached_warn: bool) -> Status:
    return "overdue" if reached_due else "upcoming" if reached_warn else "planned"


def _meter_value(position: Position, kind: str) -> float | None:
    return position.odometer_km if kind == "distance" else position.hours


def _meter_due(occurrence: Occurrence, kind: str) -> float | None:
    return occurrence.due_km if kind == "distance" else occurrence.due_hours


def _meter_state(condition: MeterCondition, occurrence: Occurrence, current: Position) -> ConditionState:
    due = _meter_due(occurrence, condition.kind)
    if due is None:
        raise ValueError(f"the occurrence has no due point for its {condition.kind} condition")
    start = _meter_value(occurrence.start, condition.kind)
    if condition.notify_before is not None:
        warn = due - condition.notify_before
    elif condition.notify_at_percent is not None and start is not None:
        warn = start + (due - start) * condition.notify_at_percent / 100
    else:
        warn = due
    warn = min(max(warn, start), due) if start is not None and start < due else min(warn, due)
    value = _meter_value(current, condition.kind)
    if value is None:
        return ConditionState(condition.kind, "planned", due, warn, None, None, None, None, None)
    fraction = (value - start) / (due - start) if start is not None and due > start else None
    reached_due, reached_warn = value >= due, value >= warn
    return ConditionState(
        condition.kind,
        _status(reached_due, reached_warn),
        due,
        warn,
        value,
        due - value,
        fraction,
        current.meters_at if reached_due else None,
        current.meters_at if reached_warn else None,
    )


def _date_state(
    condition: DateCondition, occurrence: Occurrence, current: Position, tz: ZoneInfo
) -> ConditionState:
    if occurrence.due_date is None:
        raise ValueError("the occurrence has no due date for its date condition")
    due = local_midnight(occurrence.due_date, tz)
    start = occurrence.start.at
    if condition.notify_before_days is not None:
        warn = local_midnight(occurrence.due_date - timedelta(days=condition.notify_before_days), tz)
    elif condition.notify_at_percent is not None and start < due:
        warn = start + (due - start) * (condition.notify_at_percent / 100)
    else:
        warn = due
    warn = min(max(warn, start), due) if start < due else min(warn, due)
    now = current.at
    fraction = (now - start) / (due - start) if due > start else None
    return ConditionState(
        "date", _status(now >= due, now >= warn), due, warn, now, (due - now) / _DAY, fraction, due, warn
    )


def _earliest(moments: Sequence[datetime | None]) -> datetime | None:
    known = [moment for moment in moments if moment is not None]
    return min(known) if known else None


def evaluate(
    conditions: Sequence[Condition], occurrence: Occurrence, current: Position, tz: ZoneInfo
) -> Evaluation:
    """Where an open occurrence stands at ``current`` (now and the asset's latest meters)."""
    states = tuple(
        _date_state(c, occurrence, current, tz)
        if isinstance(c, DateCondition)
        else _meter_state(c, occurrence, current)
        for c in conditions
    )
    worst: Status = max((s.status for s in states), key=SEVERITY.__getitem__, default="planned")
    fractions = [s.fraction for s in states if s.fraction is not None]
    return Evaluation(
        worst,
        states,
        max(fractions) if fractions else None,
        _earliest([s.warn_at for s in states]),
        _earliest([s.due_at for s in states]),
    )


def _first_date(condition: DateCondition, start: date) -> date:
    if condition.due is not None:
        return condition.due
    if condition.every_days is not None:
        return add_days(start, condition.every_days)
    if condition.every_months is not None:
        return add_months(start, condition.every_months)
    raise ValueError("a date condition needs due, every_days or every_months")


def first_occurrence(conditions: Sequence[Condition], start: Position, tz: ZoneInfo) -> Occurrence:
    """The first occurrence: due points counted from the start snapshot."""
    due_km = due_hours = None
    due_date = None
    for condition in conditions:
        if isinstance(condition, DateCondition):
            due_date = _first_date(condition, local_date(start.at, tz))
            continue
        value = _meter_value(start, condition.kind)
        if value is None:
            raise ValueError(f"the start snapshot has no value for the {condition.kind} condition")
        if condition.kind == "distance":
            due_km = value + condition.limit
        else:
            due_hours = value + condition.limit
    return Occurrence(1, start, due_km, due_hours, due_date)


def _next_meter_due(
    condition: MeterCondition, previous_due: float, done: float | None, anchor: Anchor
) -> float:
    interval = condition.repeat or condition.limit
    if done is None:  # no meter value at completion: carry on from the point that was due
        return previous_due + interval
    if anchor == "completion":
        return done + interval
    # Fixed cadence: the first point of the series strictly beyond the completion, never a backlog.
    steps = max(1, math.floor((done - previous_due) / interval) + 1)
    following = previous_due + steps * interval
    while following <= done:
        steps += 1
        following = previous_due + steps * interval
    return following


def _date_step(condition: DateCondition, occurrence: Occurrence, tz: ZoneInfo) -> tuple[int, int]:
    """The repeat interval of a date condition as (months, days), exactly one non-zero."""
    if condition.repeat_months:
        return condition.repeat_months, 0
    if condition.repeat_days:
        return 0, condition.repeat_days
    if condition.every_months:
        return condition.every_months, 0
    if condition.every_days:
        return 0, condition.every_days
    assert occurrence.due_date is not None
    # An explicit due date repeats with the span of the occurrence it ends (at least a day).
    return 0, max(1, (occurrence.due_date - local_date(occurrence.start.at, tz)).days)


def _shift(day: date, months: int, days: int, times: int) -> date:
    return add_months(day, months * times) if months else add_days(day, days * times)


def _next_date(
    condition: DateCondition, occurrence: Occurrence, done: date, anchor: Anchor, tz: ZoneInfo
) -> date:
    months, days = _date_step(condition, occurrence, tz)
    if anchor == "completion":
        return _shift(done, months, days, 1)
    previous = occurrence.due_date
    assert previous is not None
    steps = 1
    if days and done >= previous:
        steps = max(1, (done - previous).days // days + 1)
    elif months and done >= previous:
        steps = max(1, (done.year - previous.year) * 12 + done.month - previous.month)
    # Points are counted from the previous due date: whole intervals, however late the work was.
    while _shift(previous, months, days, steps) <= done:
        steps += 1
    return _shift(previous, months, days, steps)


def next_occurrence(
    conditions: Sequence[Condition],
    occurrence: Occurrence,
    completion: Position,
    anchor: Anchor,
    tz: ZoneInfo,
) -> Occurrence:
    """The occurrence after a completion: from the completion snapshot, or on the fixed cadence."""
    due_km = due_hours = None
    due_date = None
    for condition in conditions:
        if isinstance(condition, DateCondition):
            due_date = _next_date(condition, occurrence, local_date(completion.at, tz), anchor, tz)
            continue
        previous = _meter_due(occurrence, condition.kind)
        assert previous is not None
        following = _next_meter_due(condition, previous, _meter_value(completion, condition.kind), anchor)
        if condition.kind == "distance":
            due_km = following
        else:
            due_hours = following
    return Occurrence(occurrence.number + 1, completion, due_km, due_hours, due_date)


_FIELDS = {
    "distance": ("limit_km", "notify_before_km", "repeat_km"),
    "hours": ("limit_h", "notify_before_h", "repeat_h"),
}


def _check_meter(condition: MeterCondition) -> list[tuple[str, str]]:
    limit, lead, repeat = (f"{condition.kind}.{name}" for name in _FIELDS[condition.kind])
    issues = []
    if not condition.limit > 0:
        issues.append((limit, "must be greater than 0"))
    if condition.notify_before is not None and not 0 <= condition.notify_before < condition.limit:
        issues.append((lead, "must be at least 0 and less than the limit"))
    if condition.repeat is not None and not condition.repeat > 0:
        issues.append((repeat, "must be greater than 0"))
    if (
        condition.repeat is not None
        and condition.notify_before is not None
        and condition.notify_before >= condition.repeat
    ):
        issues.append((lead, "must be less than the repeat interval"))
    return issues


def _check_date(condition: DateCondition) -> list[tuple[str, str]]:
    firsts = [name for name in ("due", "every_days", "every_months") if getattr(condition, name) is not None]
    issues = []
    if len(firsts) != 1:
        issues.append(("date", "give exactly one of due, every_days and every_months"))
    for name in ("every_days", "every_months", "repeat_days", "repeat_months"):
        value = getattr(condition, name)
        if value is not None and value <= 0:
            issues.append((f"date.{name}", "must be greater than 0"))
    if condition.repeat_days is not None and condition.repeat_months is not None:
        issues.append(("date", "give at most one of repeat_days and repeat_months"))
    if condition.notify_before_days is not None and condition.notify_before_days < 0:
        issues.append(("date.notify_before_days", "must be at least 0"))
    return issues


def check_conditions(conditions: Sequence[Condition]) -> list[tuple[str, str]]:
    """Every rule the conditions break, as (field path, reason); empty when they are valid."""
    if not conditions:
        return [("", "give at least one condition: distance, hours or date")]
    issues: list[tuple[str, str]] = []
    kinds = [c.kind if isinstance(c, MeterCondition) else "date" for c in conditions]
    if len(set(kinds)) != len(kinds):
        issues.append(("", "at most one condition of each kind"))
    for condition in conditions:
        kind = condition.kind if isinstance(condition, MeterCondition) else "date"
        lead = (
            condition.notify_before if isinstance(condition, MeterCondition) else condition.notify_before_days
        )
        if lead is not None and condition.notify_at_percent is not None:
            issues.append((kind, "give notify_before or notify_at_percent, not both"))
        if condition.notify_at_percent is not None and not 0 < condition.notify_at_percent <= 100:
            issues.append((f"{kind}.notify_at_percent", "must be more than 0 and at most 100"))
        issues += _check_meter(condition) if isinstance(condition, MeterCondition) else _check_date(condition)
    return issues
