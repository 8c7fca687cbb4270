"""Meter rules, pure: which readings an asset accepts and what they do to its current meters.

- Meters only go up. A lower value is refused unless the reading says the meter was replaced
  or reset; then the new meter's raw value gets an offset so the lifetime value carries on
  from where the old meter stopped (tasks keep counting on lifetime values).
- A reading older than the latest accepted one is history: it is kept but moves nothing.
- A reading for a meter the asset does not have is refused.
- A reading from the future (beyond a few minutes of clock skew) is refused.
"""

from collections.abc import Collection
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

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
class AcceptedReading:
    values: ReadingValues
    odometer_km: float | None
    hours: float | None
    applied: bool


def _lifetime(raw: float, offset: float) -> float:
    return round(raw + offset, 3)


def accept_reading(
    meters: Collection[str], state: MeterState, reading: ReadingValues, now: datetime
) -> tuple[AcceptedReading, MeterState]:
    """Check one reading against the asset; return it with lifetime values and the new state."""
    if reading.time > now + CLOCK_SKEW:
        raise MeterRuleViolation("time", "the reading is in the future", "reading_in_future")
    for meter, field in METER_FIELDS.items():
        if reading.raw(meter) is not None and meter not in meters:
            raise MeterRuleViolation(field, f"this asset has no {meter} meter", "meter_not_on_asset")
    is_newest = state.at is None or reading.time > state.at
    if not is_newest and reading.meter_replaced:
        raise MeterRuleViolation(
            "meter_replaced",
            "a meter replacement must be newer than the latest reading",
            "replacement_not_newest",
        )
    lifetime: dict[str, float | None] = {}
    new_state = state
    for meter, field in METER_FIELDS.items():
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
        if is_newest and current is not None and value < current:
            raise MeterRuleViolation(
                field,
                f"{value:g} {_UNITS[meter]} is lower than the current {current:g} {_UNITS[meter]}; "
                f'meters only go up (send meter_replaced: ["{meter}"] for a new or reset meter)',
                "meter_decreased",
            )
        lifetime[meter] = value
        if is_newest and meter == "odometer":
            new_state = replace(new_state, odometer_km=value, odometer_offset=offset)
        elif is_newest:
            new_state = replace(new_state, hours=value, hours_offset=offset)
    if is_newest:
        new_state = replace(new_state, at=reading.time)
    accepted = AcceptedReading(reading, lifetime["odometer"], lifetime["hours"], applied=is_newest)
    return accepted, new_state
