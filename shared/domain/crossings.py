"""When readings reached a task's meter points, and which meter values would move a task next.

A meter condition's warning and due instants are the time of the reading that reached the point
(docs/due-semantics.md). The engine cannot tell that from the latest meters alone, so the writes
that see the readings record it on the occurrence (``Occurrence.reached``): the reading write,
for the readings it stores; a task write, for points its asset's meters have already passed.

``watch_points`` says where the next change lies: a reading below every open task's next point
changes no status, so it need not read the tasks at all (docs/cost.md).
"""

from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime

from shared.domain.due import Condition, MeterCondition, Occurrence, Position, meter_points

# (time, lifetime km, lifetime hours) of a reading
MeterReading = tuple[datetime, float | None, float | None]


def _value(reading: MeterReading, kind: str) -> float | None:
    return reading[1] if kind == "distance" else reading[2]


def record_reached(
    conditions: Iterable[Condition], occurrence: Occurrence, readings: Iterable[MeterReading]
) -> Occurrence:
    """The occurrence with the instants ``readings`` reached its meter points.

    Per point the earliest reading at or beyond it counts: an instant already recorded stays
    unless a reading (a back-dated one) reached the point before it. A warning is never
    reached after its due point.
    """
    reached = dict(occurrence.reached)
    meters = [condition for condition in conditions if isinstance(condition, MeterCondition)]
    for reading in readings:
        for condition in meters:
            value = _value(reading, condition.kind)
            if value is None:
                continue
            for name, point in zip(("warn", "due"), meter_points(condition, occurrence), strict=True):
                key = f"{condition.kind}.{name}"
                if value >= point and (key not in reached or reading[0] < reached[key]):
                    reached[key] = reading[0]
    for condition in meters:
        warn, due = f"{condition.kind}.warn", f"{condition.kind}.due"
        if due in reached and (warn not in reached or reached[due] < reached[warn]):
            reached[warn] = reached[due]
    return occurrence if reached == occurrence.reached else replace(occurrence, reached=reached)


def settle(conditions: Iterable[Condition], occurrence: Occurrence, current: Position) -> Occurrence:
    """A new occurrence with the points its asset's meters have already passed recorded as
    reached by the latest reading (the one known to have reached them)."""
    if current.meters_at is None:
        return occurrence
    return record_reached(conditions, occurrence, [(current.meters_at, current.odometer_km, current.hours)])


def watch_points(
    conditions: Iterable[Condition], occurrence: Occurrence, current: Position
) -> dict[str, float]:
    """Per meter kind, the lowest lifetime value at which one of these conditions changes status
    (its warning point, else its due point, whichever is still ahead); kinds with nothing ahead
    are absent."""
    ahead: dict[str, float] = {}
    for condition in conditions:
        if not isinstance(condition, MeterCondition):
            continue
        value = current.odometer_km if condition.kind == "distance" else current.hours
        warn, due = meter_points(condition, occurrence)
        point = warn if value is None or value < warn else due if value < due else None
        if point is not None and (condition.kind not in ahead or point < ahead[condition.kind]):
            ahead[condition.kind] = point
    return ahead
