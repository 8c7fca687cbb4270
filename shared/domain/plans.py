"""Planned services turned into service tasks, pure: their conditions, rules and first due points.

A planned service counts on the asset's lifetime meters and the calendar. Without a last service,
its first due point is on the plan's grid: ``offset + k * every`` (k >= 0; no offset: k >= 1,
the multiples of the interval), the first point beyond the asset's meter when the assignment
becomes active (a meter without a reading counts as 0), so that every asset on a plan is serviced
at the same readings (250 h, 750 h, 1250 h). With a last service, the first point counts from
it: the grid's first point beyond it (cadence) or one interval after it (completion); it may be
behind the asset's meters already, and the task is then overdue. A service done once
(``recurrent`` false) is due at its point on the lifetime meter (offset, else the interval).
Dates have no lifetime: the first is due ``offset_days`` (else one interval) after activation, or
one interval after the last service. Later occurrences are the due engine's (shared/domain/due.py).
"""

import math
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from shared.domain.calendar import add_days, add_months, local_date
from shared.domain.due import Occurrence, Position

# A plan condition's fields: interval, lead, offset (API names), and the task condition's.
_METERS = {
    "distance": ("every_km", "notify_before_km", "offset_km", "limit_km", "odometer_km"),
    "hours": ("every_h", "notify_before_h", "offset_h", "limit_h", "hours"),
}
# The shortest span of a calendar interval, for the rule that a lead is shorter than its interval.
_SHORTEST_MONTH_DAYS = 28
_PER_UNIT = 1000  # meters are kept to three decimals (km: a metre; hours: 3.6 s)


def interval_days(when: Mapping[str, Any]) -> int:
    """The fewest days one interval of a date condition can span."""
    return (
        int(when["every_days"])
        if when.get("every_days")
        else int(when["every_months"]) * _SHORTEST_MONTH_DAYS
    )


def check_service(conditions: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The rules a planned service's conditions break, as (path under ``conditions``, reason)."""
    issues = []
    for kind, (every, lead, _, _, _) in _METERS.items():
        condition = conditions.get(kind)
        if condition and condition.get(lead) is not None and condition[lead] >= condition[every]:
            issues.append((f"{kind}.{lead}", f"must be less than {every}"))
    when = conditions.get("date")
    if (
        when
        and when.get("notify_before_days") is not None
        and when["notify_before_days"] >= interval_days(when)
    ):
        issues.append(
            ("date.notify_before_days", f"must be less than the {interval_days(when)} days of the interval")
        )
    return issues


def task_conditions(conditions: Mapping[str, Any]) -> dict[str, Any]:
    """The service task's conditions (the task API's form) that carry out a planned service."""
    out: dict[str, Any] = {}
    for kind, (every, lead, _, limit, _) in _METERS.items():
        if condition := conditions.get(kind):
            out[kind] = {limit: condition[every]} | (
                {lead: condition[lead]} if condition.get(lead) is not None else {}
            )
    if when := conditions.get("date"):
        out["date"] = {
            name: when[name]
            for name in ("every_days", "every_months", "notify_before_days")
            if when.get(name) is not None
        }
    return out


def grid_point_after(every: float, offset: float | None, value: float) -> float:
    """The first point of the grid ``offset + k * every`` strictly beyond ``value``.

    Counted in thousandths, the precision meters are kept to, so that no point is lost or
    doubled to binary rounding (0.1 + 0.2 is not 0.3 in floating point).
    """
    step, base = round(every * _PER_UNIT), round((offset if offset is not None else every) * _PER_UNIT)
    reached = math.floor(value * _PER_UNIT + 1e-6)
    steps = 0 if reached < base else (reached - base) // step + 1
    return (base + steps * step) / _PER_UNIT


def _meter_due(
    condition: Mapping[str, Any], kind: str, recurrent: bool, anchor: str, now: float, last: float | None
) -> float:
    every, _, offset, _, _ = _METERS[kind]
    interval, first = float(condition[every]), condition.get(offset)
    first = None if first is None else float(first)
    if not recurrent:
        return first if first is not None else interval
    if last is None:
        return grid_point_after(interval, first, now)
    if anchor == "completion":
        return last + interval
    return grid_point_after(interval, first, last)


def _shift(day: date, when: Mapping[str, Any], sign: int) -> date:
    if when.get("every_days"):
        return add_days(day, sign * int(when["every_days"]))
    return add_months(day, sign * int(when["every_months"]))


def first_occurrence(
    conditions: Mapping[str, Any],
    recurrent: bool,
    anchor: str,
    current: Position,
    last: Position | None,
    tz: ZoneInfo,
) -> Occurrence:
    """The first occurrence of a planned service on one asset, active from ``current`` (now and
    the asset's meters then; a meter without a reading counts as 0), after ``last`` if known.

    The start snapshot is the last service where given, else the activation; the date cadence
    counts from the first due date (``first_start_date`` one interval before it).
    """
    start = last if last is not None else Position(current.at, current.odometer_km, current.hours)
    due: dict[str, float] = {}
    for kind, (_, _, _, _, meter) in _METERS.items():
        if (condition := conditions.get(kind)) is not None:
            now_value = getattr(current, meter) or 0.0
            last_value = getattr(last, meter) if last is not None else None
            due[kind] = _meter_due(condition, kind, recurrent, anchor, now_value, last_value)
    due_date = first_start = None
    if (when := conditions.get("date")) is not None:
        if last is not None:
            due_date = _shift(local_date(last.at, tz), when, 1)
        elif when.get("offset_days"):
            due_date = add_days(local_date(current.at, tz), int(when["offset_days"]))
        else:
            due_date = _shift(local_date(current.at, tz), when, 1)
        first_start = _shift(due_date, when, -1)
    start = _with_meters(start, due)
    return Occurrence(1, start, due.get("distance"), due.get("hours"), due_date, first_start)


def _with_meters(start: Position, due: Mapping[str, float]) -> Position:
    """A start snapshot with a value for each meter a condition counts on (0 where none is known),
    so that the engine can tell how much of the span is used."""
    return Position(
        start.at,
        start.odometer_km if start.odometer_km is not None or "distance" not in due else 0.0,
        start.hours if start.hours is not None or "hours" not in due else 0.0,
        start.meters_at,
    )


def at_activation(now: datetime, asset: Mapping[str, Any]) -> Position:
    """Where an asset stands when an assignment becomes active: now and its latest meters."""
    odometer, hours = asset.get("odometer_km"), asset.get("hours")
    return Position(
        now, None if odometer is None else float(odometer), None if hours is None else float(hours)
    )
