"""Checking readings before they are written: in time order, against the asset's meters and,
for back-dated ones, against the readings around them; and saying why one is refused."""

from bisect import insort
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from shared.clock import to_iso
from shared.data import readings_repo
from shared.data.readings_repo import PendingWrite
from shared.domain.meters import (
    METER_FIELDS,
    Mark,
    MeterRuleViolation,
    MeterState,
    ReadingValues,
    accept_reading,
    marks_of,
    neighbours_in,
)
from shared.faults import Conflict, Fault, FieldIssue, Invalid, NotFound
from shared.http.errors import from_fault
from shared.models.readings import ReadingIn, ReadingResult


@dataclass(frozen=True)
class Submitted:
    index: int
    values: ReadingValues
    source: str | None
    path: str = "body"  # where the reading is in the request, for error field paths


def values_of(reading: ReadingIn, now: datetime) -> ReadingValues:
    return ReadingValues(
        time=reading.time or now,
        odometer_km=reading.odometer_km,
        hours=reading.hours,
        meter_replaced=frozenset(reading.meter_replaced),
    )


def rejected(index: int, fault: Fault) -> ReadingResult:
    """A reading refused: in a batch, its result says what it alone would have been answered."""
    error = from_fault(fault)
    result = ReadingResult(index=index, outcome="rejected", status=error.status, error=error.body()["error"])
    result._fault = fault
    return result


def no_asset(sub: Submitted, named_by: str) -> ReadingResult:
    """No such asset in this account. A batch names the reading's field; one reading, its path."""
    field = f"{sub.path}.{named_by}" if sub.path != "body" else "path.asset_id"
    return rejected(sub.index, NotFound("not_found", "Asset not found", [FieldIssue(field, "no such asset")]))


def _rule_error(sub: Submitted, violation: MeterRuleViolation) -> Invalid:
    field = f"{sub.path}.{violation.field}"
    return Invalid(violation.code, violation.reason, [FieldIssue(field, violation.reason)])


def same(values: ReadingValues, other: ReadingValues) -> bool:
    return (values.odometer_km, values.hours, values.meter_replaced) == (
        other.odometer_km,
        other.hours,
        other.meter_replaced,
    )


@dataclass
class Plan:
    writes: list[tuple[Submitted, PendingWrite, MeterState]]
    refused: dict[int, ReadingResult]
    twins: dict[int, int]  # index of a repeated reading in this request -> index of the first


# Reads the stored timeline around back-dated readings: (start, end, meters) -> readings in order.
TimelineLookup = Callable[[datetime, datetime, set[str]], list[tuple[datetime, dict[str, Mark]]]]


def check_in_order(
    item: dict[str, Any], pending: list[Submitted], now: datetime, lookup: TimelineLookup
) -> Plan:
    """Check pending readings in time order; say what to write, with the meter state after each.

    Readings older than the asset's latest are checked against their neighbours in time: the
    stored readings around them (``lookup``, one read for the whole request, and only when there
    are such readings) and those of this request accepted before them.
    """
    checked = Plan([], {}, {})
    state = readings_repo.state_of(item)
    first_at: dict[str, Submitted] = {}
    ordered = sorted(pending, key=lambda s: (s.values.time, s.index))
    back_dated = [sub for sub in ordered if state.at is not None and sub.values.time <= state.at]
    timeline = []
    if back_dated:
        measured = {m for sub in back_dated for m in METER_FIELDS if sub.values.raw(m) is not None}
        timeline = lookup(back_dated[0].values.time, back_dated[-1].values.time, measured)
    for sub in ordered:
        twin = first_at.get(to_iso(sub.values.time))
        if twin is not None:
            if same(twin.values, sub.values):
                checked.twins[sub.index] = twin.index
            else:
                reason = "two readings in this request have the same time and different values"
                checked.refused[sub.index] = rejected(
                    sub.index,
                    Conflict("reading_exists", reason, [FieldIssue(f"{sub.path}.time", reason)]),
                )
            continue
        history = state.at is not None and sub.values.time <= state.at
        neighbours = neighbours_in(timeline, sub.values.time, METER_FIELDS) if history else None
        try:
            accepted, state = accept_reading(item.get("meters", []), state, sub.values, now, neighbours)
        except MeterRuleViolation as violation:
            checked.refused[sub.index] = rejected(sub.index, _rule_error(sub, violation))
            continue
        first_at[to_iso(sub.values.time)] = sub
        checked.writes.append((sub, PendingWrite(accepted, sub.source), state))
        if history:  # a later back-dated reading of this request must fit after this one
            insort(timeline, (sub.values.time, marks_of(accepted)), key=lambda entry: entry[0])
    return checked
