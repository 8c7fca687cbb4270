"""The due engine, pure: when a service task is planned, upcoming or overdue, and what comes next.

Each condition of a task has a due point (km, hours or a date) and a warning point before it.
A task is overdue when any condition has reached its due point, else upcoming when any has
reached its warning point, else planned: whichever comes first. Both points are inclusive.
docs/due-semantics.md is the contract in prose, with examples. Date conditions and their
calendar arithmetic live in shared/domain/calendar.py; DateCondition is re-exported here.

The functions expect valid conditions (condition_rules.check_conditions says what is wrong with
others) and
aware datetimes; on conditions they cannot work with they raise ValueError.
"""

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Literal, NamedTuple
from zoneinfo import ZoneInfo

from shared.domain.calendar import DateCondition as DateCondition  # noqa: PLC0414 - re-exported
from shared.domain.calendar import (
    due_and_warning,
    first_due_date,
    local_date,
    next_due_date,
)

Kind = Literal["distance", "hours", "date"]
Status = Literal["planned", "upcoming", "overdue"]  # "done" is a stored fact, never computed here
Anchor = Literal["completion", "cadence"]
SEVERITY: dict[str, int] = {"planned": 0, "upcoming": 1, "overdue": 2}
_DAY = timedelta(days=1)


@dataclass(frozen=True)
class Position:
    """A snapshot: a task's start, the asset now, or a completion."""

    at: datetime  # aware; for the current position this is "now"
    odometer_km: float | None = None
    hours: float | None = None
    meters_at: datetime | None = None  # when the reading the meter values come from was taken


@dataclass(frozen=True)
class MeterCondition:
    """A distance (km) or operating-hours condition of a task."""

    kind: Literal["distance", "hours"]
    limit: float  # the first occurrence is due at start + limit (km or h)
    notify_before: float | None = None  # warning lead, absolute
    notify_at_percent: float | None = None  # or: warn when this % of the occurrence's span is used
    repeat: float | None = None  # interval of later occurrences; None: limit


Condition = MeterCondition | DateCondition


@dataclass(frozen=True)
class Occurrence:
    number: int  # 1 for the first occurrence, +1 per completion
    start: Position
    due_km: float | None = None
    due_hours: float | None = None
    due_date: date | None = None  # local calendar date in the account time zone
    # Local date the task's first occurrence started: date cadences count from it so a month-end
    # anniversary survives short months. None (not stored): chain from the previous due date.
    first_start_date: date | None = None
    # When readings reached the meter points: "distance.warn", "distance.due", "hours.warn",
    # "hours.due" -> the time of the reading that reached the point (shared/domain/crossings.py).
    # A point reached but not recorded here counts from the latest reading.
    reached: Mapping[str, datetime] = field(default_factory=dict)


class ConditionState(NamedTuple):
    """One condition evaluated (a named tuple: the engine makes millions of these)."""

    kind: Kind
    status: Status
    due: float | datetime  # km / h, or the due instant (aware UTC) for dates
    warn: float | datetime  # the warning point, same unit
    current: float | datetime | None  # current meter value (None: no reading yet), or now
    remaining: float | None  # km / h left (negative when overdue), or days left for dates
    fraction: float | None  # share of the span used: 0 at start, 1 at due; None if unknown
    due_at: datetime | None  # dates: the due instant; meters: meters_at once the due point is reached
    warn_at: datetime | None  # dates: the warning instant; meters: meters_at once the warning is reached


class Evaluation(NamedTuple):
    status: Status  # worst over the conditions
    conditions: tuple[ConditionState, ...]
    wear: float | None  # largest fraction over the conditions
    warn_at: datetime | None  # earliest known warn_at
    due_at: datetime | None  # earliest known due_at


def kind_of(condition: Condition) -> Kind:
    return condition.kind if isinstance(condition, MeterCondition) else "date"


def _meter_value(position: Position, kind: str) -> float | None:
    return position.odometer_km if kind == "distance" else position.hours


def _meter_due(occurrence: Occurrence, kind: str) -> float | None:
    return occurrence.due_km if kind == "distance" else occurrence.due_hours


def _meter_interval(condition: MeterCondition, number: int) -> float:
    return condition.limit if number == 1 or condition.repeat is None else condition.repeat


def _beyond(value: float, interval: float) -> float:
    """``value + interval``, kept strictly above ``value`` even when rounding swallows the interval."""
    total = value + interval
    return total if total > value else math.nextafter(value, math.inf)


def meter_points(condition: MeterCondition, occurrence: Occurrence) -> tuple[float, float]:
    """The occurrence's warning and due points of a meter condition (lifetime km or h)."""
    kind = condition.kind
    due, start = (
        (occurrence.due_km, occurrence.start.odometer_km)
        if kind == "distance"
        else (occurrence.due_hours, occurrence.start.hours)
    )
    if due is None:
        raise ValueError(f"the occurrence has no due point for its {kind} condition")
    # Unknown start value: the span is taken as the interval that ends at the due point.
    span_start = start if start is not None else due - _meter_interval(condition, occurrence.number)
    if condition.notify_before is not None:
        warn = due - condition.notify_before
    elif condition.notify_at_percent is not None:
        warn = span_start + (due - span_start) * condition.notify_at_percent / 100
    else:
        warn = due
    lowest = span_start if span_start < due else due
    return (lowest if warn < lowest else due if warn > due else warn), due  # warning into the span


def _meter_state(condition: MeterCondition, occurrence: Occurrence, current: Position) -> ConditionState:
    kind = condition.kind
    warn, due = meter_points(condition, occurrence)
    start = occurrence.start.odometer_km if kind == "distance" else occurrence.start.hours
    value = current.odometer_km if kind == "distance" else current.hours
    if value is None:
        return ConditionState(kind, "planned", due, warn, None, None, None, None, None)
    fraction = (value - start) / (due - start) if start is not None and due > start else None
    if value >= due:
        reached = occurrence.reached
        due_at = reached.get(f"{kind}.due", current.meters_at)
        warn_at = reached.get(f"{kind}.warn", due_at)
        return ConditionState(kind, "overdue", due, warn, value, due - value, fraction, due_at, warn_at)
    if value >= warn:
        warn_at = occurrence.reached.get(f"{kind}.warn", current.meters_at)
        return ConditionState(kind, "upcoming", due, warn, value, due - value, fraction, None, warn_at)
    return ConditionState(kind, "planned", due, warn, value, due - value, fraction, None, None)


def _date_state(
    condition: DateCondition, occurrence: Occurrence, current: Position, tz: ZoneInfo
) -> ConditionState:
    if occurrence.due_date is None:
        raise ValueError("the occurrence has no due date for its date condition")
    start, now = occurrence.start.at, current.at
    due, warn = due_and_warning(condition, occurrence.due_date, start, tz)
    fraction = (now - start) / (due - start) if due > start else None
    status: Status = "overdue" if now >= due else "upcoming" if now >= warn else "planned"
    return ConditionState("date", status, due, warn, now, (due - now) / _DAY, fraction, due, warn)


def evaluate(
    conditions: Sequence[Condition], occurrence: Occurrence, current: Position, tz: ZoneInfo
) -> Evaluation:
    """Where an open occurrence stands at ``current`` (now and the asset's latest meters).

    One pass over the conditions, no intermediate lists: this runs for every task on every read.
    """
    states = []
    worst: Status = "planned"
    wear = warn_at = due_at = None
    for condition in conditions:
        state = (
            _date_state(condition, occurrence, current, tz)
            if condition.__class__ is DateCondition
            else _meter_state(condition, occurrence, current)  # type: ignore[arg-type]
        )
        states.append(state)
        if SEVERITY[state.status] > SEVERITY[worst]:
            worst = state.status
        if state.fraction is not None and (wear is None or state.fraction > wear):
            wear = state.fraction
        if state.warn_at is not None and (warn_at is None or state.warn_at < warn_at):
            warn_at = state.warn_at
        if state.due_at is not None and (due_at is None or state.due_at < due_at):
            due_at = state.due_at
    return Evaluation(worst, tuple(states), wear, warn_at, due_at)


def first_occurrence(conditions: Sequence[Condition], start: Position, tz: ZoneInfo) -> Occurrence:
    """The first occurrence: due points counted from the start snapshot.

    Raises ValueError when the start has no value for a meter condition (the API asks first).
    """
    start_date = local_date(start.at, tz)
    due: dict[str, float] = {}
    due_date = None
    for condition in conditions:
        if isinstance(condition, DateCondition):
            due_date = first_due_date(condition, start_date)
            continue
        value = _meter_value(start, condition.kind)
        if value is None:
            raise ValueError(f"the start snapshot has no value for the {condition.kind} condition")
        due[condition.kind] = _beyond(value, condition.limit)
    return Occurrence(1, start, due.get("distance"), due.get("hours"), due_date, start_date)


def _next_meter_due(
    condition: MeterCondition, previous_due: float, done: float | None, anchor: Anchor
) -> float:
    interval = _meter_interval(condition, 2)
    if not interval > 0:
        raise ValueError(f"the {condition.kind} interval must be positive; check_conditions tells")
    if done is None:  # no meter value at completion: carry on from the point that was due
        return _beyond(previous_due, interval)
    if anchor == "completion":
        return _beyond(done, interval)
    # Fixed cadence: the first point previous_due + k * interval (k >= 1) strictly beyond the
    # completion, so early work keeps the plan and late work leaves no backlog of overdue points.
    steps = max(1, math.floor((done - previous_due) / interval) + 1)
    if steps > 1 and previous_due + (steps - 1) * interval > done:  # floor rounded up
        steps -= 1
    if previous_due + steps * interval <= done:  # or down
        steps += 1
    point = previous_due + steps * interval
    return point if point > max(done, previous_due) else math.nextafter(max(done, previous_due), math.inf)


def next_occurrence(
    conditions: Sequence[Condition],
    occurrence: Occurrence,
    completion: Position,
    anchor: Anchor,
    tz: ZoneInfo,
) -> Occurrence:
    """The occurrence after a completion: counted from the completion, or on the fixed cadence.

    Its due points are always strictly beyond the completion. Raises ValueError when a date
    would fall beyond year 9999, or when the occurrence lacks a due point for a condition.
    """
    due: dict[str, float] = {}
    due_date = None
    for condition in conditions:
        if isinstance(condition, DateCondition):
            if occurrence.due_date is None:
                raise ValueError("the occurrence has no due date for its date condition")
            due_date = next_due_date(
                condition,
                occurrence.due_date,
                local_date(occurrence.start.at, tz),
                occurrence.first_start_date,
                local_date(completion.at, tz),
                on_cadence=anchor == "cadence",
            )
            continue
        previous = _meter_due(occurrence, condition.kind)
        if previous is None:
            raise ValueError(f"the occurrence has no due point for its {condition.kind} condition")
        done = _meter_value(completion, condition.kind)
        due[condition.kind] = _next_meter_due(condition, previous, done, anchor)
    return Occurrence(
        occurrence.number + 1,
        completion,
        due.get("distance"),
        due.get("hours"),
        due_date,
        occurrence.first_start_date,
    )
