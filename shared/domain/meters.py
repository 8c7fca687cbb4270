"""Meter rules, pure: which readings an asset accepts and what they do to its current meters.

- Meters only go up. A lower value is refused unless the reading says the meter was replaced
  or reset; then the new meter's raw value gets an offset so the lifetime value carries on
  from where the old meter stopped (tasks keep counting on lifetime values).
- A reading older than the latest accepted one is history: it is kept but moves nothing. It
  must still fit between its neighbours in time: not below the reading before it, not above
  the reading after it (per meter, in lifetime values), so the history never goes down.
- A reading for a meter the asset does not have is refused.
- A reading from the future (beyond a few minutes of clock skew) is refused.
"""

from bisect import bisect_left, bisect_right
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta

CLOCK_SKEW = timedelta(minutes=5)
METER_FIELDS = {"odometer": "odometer_km", "hours": "hours"}
_UNITS = {"odometer": "km", "hours": "h"}


class MeterRuleViolation(Exception):
    def __init__(self, field: str, reason: str, code: str = "meter_rule") -> None:
        super().__init__(reason)
        self.field = field
        self.reason = reason
        self.code = code


@dataclass(frozen=True)
class MeterState:
    """An asset's current (lifetime) meter values and the offsets of replaced meters."""

    at: datetime | None = None
    odometer_km: float | None = None
    hours: float | None = None
    odometer_offset: float = 0.0
    hours_offset: float = 0.0

    def value(self, meter: str) -> float | None:
        return self.odometer_km if meter == "odometer" else self.hours

    def offset(self, meter: str) -> float:
        return self.odometer_offset if meter == "odometer" else self.hours_offset


@dataclass(frozen=True)
class ReadingValues:
    """What a client reported: raw meter values as the meters show them."""

    time: datetime
    odometer_km: float | None = None
    hours: float | None = None
    meter_replaced: frozenset[str] = frozenset()

    def raw(self, meter: str) -> float | None:
        return self.odometer_km if meter == "odometer" else self.hours


@dataclass(frozen=True)
class Mark:
    """One meter of a stored reading: when, its lifetime value, and the offset then in effect."""

    at: datetime
    value: float
    offset: float


@dataclass(frozen=True)
class Neighbours:
    """The nearest readings before and after a history reading's time that have each meter."""

    before: Mapping[str, Mark] = field(default_factory=dict)
    after: Mapping[str, Mark] = field(default_factory=dict)


# Readings in time order, each with the marks of the meters it has.
Timeline = Sequence[tuple[datetime, Mapping[str, Mark]]]


def neighbours_in(timeline: Timeline, at: datetime, meters: Collection[str]) -> Neighbours:
    """Per meter, the nearest reading of ``timeline`` before ``at`` and after it that has the meter
    (a reading at ``at`` itself is the same reading, or a conflicting one refused elsewhere)."""
    before: dict[str, Mark] = {}
    after: dict[str, Mark] = {}
    index = bisect_left(timeline, at, key=lambda entry: entry[0])
    while index > 0 and len(before) < len(meters):
        index -= 1
        before.update({m: mark for m, mark in timeline[index][1].items() if m in meters and m not in before})
    index = bisect_right(timeline, at, key=lambda entry: entry[0])
    while index < len(timeline) and len(after) < len(meters):
        after.update({m: mark for m, mark in timeline[index][1].items() if m in meters and m not in after})
        index += 1
    return Neighbours(before, after)


@dataclass(frozen=True)
class AcceptedReading:
    values: ReadingValues
    odometer_km: float | None
    hours: float | None
    applied: bool


def _lifetime(raw: float, offset: float) -> float:
    return round(raw + offset, 3)


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _check_between(meter: str, value: float, neighbours: Neighbours) -> None:
    """A history value must not be below the reading before it nor above the one after it."""
    unit, name = _UNITS[meter], METER_FIELDS[meter]
    earlier, later = neighbours.before.get(meter), neighbours.after.get(meter)
    if earlier is not None and value < earlier.value:
        raise MeterRuleViolation(
            name,
            f"{value:g} {unit} is lower than the {earlier.value:g} {unit} read earlier, at "
            f"{_stamp(earlier.at)}; meters only go up over time",
            "meter_out_of_order",
        )
    if later is not None and value > later.value:
        raise MeterRuleViolation(
            name,
            f"{value:g} {unit} is higher than the {later.value:g} {unit} read later, at "
            f"{_stamp(later.at)}; meters only go up over time",
            "meter_out_of_order",
        )


def accept_reading(
    meters: Collection[str],
    state: MeterState,
    reading: ReadingValues,
    now: datetime,
    neighbours: Neighbours | None = None,
) -> tuple[AcceptedReading, MeterState]:
    """Check one reading against the asset; return it with lifetime values and the new state.

    A reading not newer than the asset's latest one is history and needs ``neighbours``: its
    lifetime values take the offsets in effect at its time, and must fit between them.
    """
    if reading.time > now + CLOCK_SKEW:
        raise MeterRuleViolation("time", "the reading is in the future", "reading_in_future")
    for meter, name in METER_FIELDS.items():
        if reading.raw(meter) is not None and meter not in meters:
            raise MeterRuleViolation(name, f"this asset has no {meter} meter", "meter_not_on_asset")
    if state.at is not None and reading.time <= state.at:
        if neighbours is None:
            raise ValueError("a history reading is checked against its neighbours; pass them")
        return _history(reading, neighbours), state
    return _newest(state, reading)


def _history(reading: ReadingValues, neighbours: Neighbours) -> AcceptedReading:
    if reading.meter_replaced:
        raise MeterRuleViolation(
            "meter_replaced",
            "a meter replacement must be newer than the latest reading",
            "replacement_not_newest",
        )
    lifetime: dict[str, float | None] = {}
    for meter in METER_FIELDS:
        raw = reading.raw(meter)
        if raw is None:
            lifetime[meter] = None
            continue
        earlier = neighbours.before.get(meter)
        value = _lifetime(raw, earlier.offset if earlier is not None else 0.0)
        _check_between(meter, value, neighbours)
        lifetime[meter] = value
    return AcceptedReading(reading, lifetime["odometer"], lifetime["hours"], applied=False)


def _newest(state: MeterState, reading: ReadingValues) -> tuple[AcceptedReading, MeterState]:
    lifetime: dict[str, float | None] = {}
    new_state = replace(state, at=reading.time)
    for meter, name in METER_FIELDS.items():
        raw = reading.raw(meter)
        if raw is None:
            lifetime[meter] = None
            continue
        current = state.value(meter)
        offset = state.offset(meter)
        if meter in reading.meter_replaced:
            # The new meter starts where the old one stopped: the best we know of the lifetime value.
            offset = round((current or 0.0) - raw, 3)
        value = _lifetime(raw, offset)
        if current is not None and value < current:
            raise MeterRuleViolation(
                name,
                f"{value:g} {_UNITS[meter]} is lower than the current {current:g} {_UNITS[meter]}; "
                f'meters only go up (send meter_replaced: ["{meter}"] for a new or reset meter)',
                "meter_decreased",
            )
        lifetime[meter] = value
        if meter == "odometer":
            new_state = replace(new_state, odometer_km=value, odometer_offset=offset)
        else:
            new_state = replace(new_state, hours=value, hours_offset=offset)
    accepted = AcceptedReading(reading, lifetime["odometer"], lifetime["hours"], applied=True)
    return accepted, new_state


def marks_of(accepted: AcceptedReading) -> dict[str, Mark]:
    """The marks an accepted reading leaves on the timeline."""
    marks = {}
    for meter, name in METER_FIELDS.items():
        value, raw = getattr(accepted, name), accepted.values.raw(meter)
        if value is not None and raw is not None:
            marks[meter] = Mark(accepted.values.time, value, round(value - raw, 3))
    return marks
