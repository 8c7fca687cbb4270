"""Recording meter readings: the asset's rules applied, stored atomically, safe under concurrency.

Readings for one asset are checked in time order against the asset's current meters, then
stored together with the new meter position in one transaction, conditioned on the position
not having moved meanwhile (optimistic locking on ``meter_seq``). A refused transaction is
sorted out and retried: readings that already exist at the same time are duplicates when the
values match, conflicts when not; a moved position is read again.
"""

import random
import time
from bisect import insort
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from shared.clock import to_iso
from shared.data import assets_repo, readings_repo, settings_repo, tasks_repo
from shared.data.asset_state import meter_fields, state_update, usage_fields
from shared.data.readings_repo import PendingWrite, WriteConflict
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
from shared.domain.prediction import usage_from_readings
from shared.domain.service_status import ServiceSummary
from shared.faults import Conflict, Fault, FieldIssue, Invalid, NotFound, not_found
from shared.http.errors import from_fault
from shared.models.readings import (
    BatchReadingIn,
    ReadingBatch,
    ReadingBatchResult,
    ReadingIn,
    ReadingListQuery,
    ReadingPage,
    ReadingResult,
)
from shared.services.reading_views import to_reading
from shared.services.task_engine import USAGE_WINDOW_DAYS, summary_of
from shared.services.task_index import index_fields, stored_fields

if TYPE_CHECKING:  # the stubs are a dev dependency, not in the Lambda layer
    from mypy_boto3_dynamodb.type_defs import TransactWriteItemTypeDef

# Writers racing for one asset's meters retry with full-jitter backoff (capped), so each round
# lets at least one through and the rest spread out; worst case stays well inside the timeout.
MAX_ATTEMPTS = 20
BACKOFF_SECONDS = 0.01
BACKOFF_CAP_SECONDS = 0.2
PARALLEL_ASSETS = 8


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


def _rejected(index: int, fault: Fault) -> ReadingResult:
    """A reading refused: in a batch, its result says what it alone would have been answered."""
    error = from_fault(fault)
    result = ReadingResult(index=index, outcome="rejected", status=error.status, error=error.body()["error"])
    result._fault = fault
    return result


def _no_asset(sub: Submitted, named_by: str) -> ReadingResult:
    """No such asset in this account. A batch names the reading's field; one reading, its path."""
    field = f"{sub.path}.{named_by}" if sub.path != "body" else "path.asset_id"
    return _rejected(
        sub.index, NotFound("not_found", "Asset not found", [FieldIssue(field, "no such asset")])
    )


def _rule_error(sub: Submitted, violation: MeterRuleViolation) -> Invalid:
    field = f"{sub.path}.{violation.field}"
    return Invalid(violation.code, violation.reason, [FieldIssue(field, violation.reason)])


def _same(values: ReadingValues, other: ReadingValues) -> bool:
    return (values.odometer_km, values.hours, values.meter_replaced) == (
        other.odometer_km,
        other.hours,
        other.meter_replaced,
    )


def _existing_result(account_id: str, asset_id: str, sub: Submitted) -> ReadingResult:
    item = readings_repo.get_reading(account_id, asset_id, sub.values.time)
    existing = to_reading(item) if item is not None else None
    if existing is not None:
        stored = ReadingValues(
            existing.time, existing.raw.odometer_km, existing.raw.hours, frozenset(existing.meter_replaced)
        )
        if _same(stored, sub.values):
            return ReadingResult(index=sub.index, outcome="duplicate", status=200, reading=existing)
    message = "a different reading for this asset already exists at this time"
    return _rejected(
        sub.index, Conflict("reading_exists", message, [FieldIssue(f"{sub.path}.time", message)])
    )


@dataclass
class _Plan:
    writes: list[tuple[Submitted, PendingWrite, MeterState]]
    refused: dict[int, ReadingResult]
    twins: dict[int, int]  # index of a repeated reading in this request -> index of the first


# Reads the stored timeline around back-dated readings: (start, end, meters) -> readings in order.
TimelineLookup = Callable[[datetime, datetime, set[str]], list[tuple[datetime, dict[str, Mark]]]]


def _plan(item: dict[str, Any], pending: list[Submitted], now: datetime, lookup: TimelineLookup) -> _Plan:
    """Check pending readings in time order; say what to write, with the meter state after each.

    Readings older than the asset's latest are checked against their neighbours in time: the
    stored readings around them (``lookup``, one read for the whole request, and only when there
    are such readings) and those of this request accepted before them.
    """
    plan = _Plan([], {}, {})
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
            if _same(twin.values, sub.values):
                plan.twins[sub.index] = twin.index
            else:
                reason = "two readings in this request have the same time and different values"
                plan.refused[sub.index] = _rejected(
                    sub.index,
                    Conflict("reading_exists", reason, [FieldIssue(f"{sub.path}.time", reason)]),
                )
            continue
        history = state.at is not None and sub.values.time <= state.at
        neighbours = neighbours_in(timeline, sub.values.time, METER_FIELDS) if history else None
        try:
            accepted, state = accept_reading(item.get("meters", []), state, sub.values, now, neighbours)
        except MeterRuleViolation as violation:
            plan.refused[sub.index] = _rejected(sub.index, _rule_error(sub, violation))
            continue
        first_at[to_iso(sub.values.time)] = sub
        plan.writes.append((sub, PendingWrite(accepted, sub.source), state))
        if history:  # a later back-dated reading of this request must fit after this one
            insort(timeline, (sub.values.time, marks_of(accepted)), key=lambda entry: entry[0])
    return plan


class _Derived:
    """What readings change beyond the meters: the usage estimate and the service summary."""

    def __init__(self, account_id: str, item: dict[str, Any], plan: _Plan, now: datetime) -> None:
        self.item = item
        self.now = now
        since = now - timedelta(days=USAGE_WINDOW_DAYS)
        values = readings_repo.recent_values(account_id, item["id"], since)
        values += [
            (w.accepted.values.time, w.accepted.odometer_km, w.accepted.hours) for _, w, _ in plan.writes
        ]
        self.usage = usage_from_readings(values, now, USAGE_WINDOW_DAYS)
        self.tasks: list[dict[str, Any]] = []
        self.tz = ZoneInfo("UTC")
        if int(item.get("task_count", 0)) > 0:
            self.tasks = tasks_repo.asset_tasks(account_id, item["id"])
            self.tz = ZoneInfo(settings_repo.get_settings(account_id).time_zone)

    def _view(self, state: MeterState) -> dict[str, Any]:
        return {**self.item, **meter_fields(state), **usage_fields(self.usage)}

    @property
    def open_tasks(self) -> int:
        return sum(1 for task in self.tasks if task["state"] == "open")

    def summary_after(self, state: MeterState) -> ServiceSummary | None:
        """The service summary with the asset's meters at ``state`` (None: the asset has no tasks)."""
        if not self.tasks:
            return None
        return summary_of(self.tasks, self._view(state), self.tz, self.now)

    def task_updates(self, account_id: str, state: MeterState) -> list["TransactWriteItemTypeDef"]:
        """Index updates of the tasks whose due-work keys or meters change with ``state``.

        The tasks are taken as written once the caller's transaction has gone through.
        """
        view = self._view(state)
        updates = []
        for number, task in enumerate(self.tasks):
            fields = index_fields(account_id, task, view, self.tz, self.now)
            if fields != stored_fields(task):
                updates.append(tasks_repo.index_update(account_id, task["id"], fields))
                self.tasks[number] = {**task, **fields}
        return updates


def _write(
    account_id: str, plan: _Plan, item: dict[str, Any], now: datetime, final: dict[int, ReadingResult]
) -> None:
    """Write the plan chunk by chunk, recording each chunk's results once it is stored."""
    asset_id = item["id"]
    seq = int(item.get("meter_seq", 0))
    derived = _Derived(account_id, item, plan, now) if plan.writes else None
    size = readings_repo.CHUNK - (derived.open_tasks if derived else 0)
    for start in range(0, len(plan.writes), size):
        assert derived is not None
        chunk = plan.writes[start : start + size]
        state = chunk[-1][2]
        update = state_update(
            account_id,
            {**item, "meter_seq": seq},
            meters=state,
            usage=derived.usage,
            summary=derived.summary_after(state),
        )
        try:
            records = readings_repo.write_chunk(
                account_id,
                asset_id,
                [write for _, write, _ in chunk],
                update,
                now,
                derived.task_updates(account_id, state),
            )
        except WriteConflict as conflict:
            for position in conflict.existing:
                sub = chunk[position][0]
                final[sub.index] = _existing_result(account_id, asset_id, sub)
            raise
        seq += 1
        for (sub, _, _), record in zip(chunk, records, strict=True):
            outcome = "applied" if record["applied"] else "history"
            final[sub.index] = ReadingResult(
                index=sub.index, outcome=outcome, status=201, reading=to_reading(record)
            )


def record_for_asset(
    account_id: str,
    asset_id: str,
    submitted: list[Submitted],
    now: datetime,
    item: dict[str, Any] | None = None,
) -> list[ReadingResult]:
    final: dict[int, ReadingResult] = {}
    pending = list(submitted)
    for attempt in range(MAX_ATTEMPTS):
        if item is None:
            item = assets_repo.get_asset_item(account_id, asset_id)
        if item is None:
            final.update({sub.index: _no_asset(sub, "asset_id") for sub in pending})
            break
        plan = _plan(
            item,
            pending,
            now,
            lambda start, end, meters: readings_repo.readings_around(
                account_id, asset_id, start, end, meters
            ),
        )
        try:
            _write(account_id, plan, item, now, final)
        except WriteConflict:
            pending = [sub for sub in pending if sub.index not in final]
            item = None
            time.sleep(random.uniform(0, min(BACKOFF_CAP_SECONDS, BACKOFF_SECONDS * 2**attempt)))  # noqa: S311 - jitter, not security
            continue
        final.update(plan.refused)
        for index, first in plan.twins.items():
            final[index] = ReadingResult(
                index=index, outcome="duplicate", status=200, reading=final[first].reading
            )
        break
    else:
        busy = Conflict("concurrent_update", "the asset's meters kept changing; send the readings again")
        final.update({sub.index: _rejected(sub.index, busy) for sub in pending})
    return sorted(final.values(), key=lambda r: r.index)


def record_reading(account_id: str, asset_id: str, reading: ReadingIn, now: datetime) -> ReadingResult:
    """One reading of one asset: its result (applied, history or duplicate), or the fault."""
    [result] = record_for_asset(
        account_id, asset_id, [Submitted(0, values_of(reading, now), reading.source)], now
    )
    if result._fault is not None:
        raise result._fault
    return result


def record_batch(account_id: str, readings: list[BatchReadingIn], now: datetime) -> list[ReadingResult]:
    """Readings for many assets: grouped per asset, assets fetched in bulk, written in parallel."""
    external = [r.external_id for r in readings if r.external_id is not None]
    by_external = assets_repo.find_asset_ids_by_external_ids(account_id, external) if external else {}
    results: list[ReadingResult] = []
    groups: dict[str, list[Submitted]] = {}
    for index, reading in enumerate(readings):
        asset_id = reading.asset_id or by_external.get(reading.external_id or "")
        sub = Submitted(index, values_of(reading, now), reading.source, f"body.readings.{index}")
        if asset_id is None:
            results.append(_no_asset(sub, "external_id"))
            continue
        groups.setdefault(asset_id, []).append(sub)
    items = assets_repo.get_asset_items(account_id, list(groups))

    def run(asset_id: str) -> list[ReadingResult]:
        if asset_id not in items:
            return [_no_asset(sub, "asset_id") for sub in groups[asset_id]]
        return record_for_asset(account_id, asset_id, groups[asset_id], now, items[asset_id])

    with ThreadPoolExecutor(max_workers=PARALLEL_ASSETS) as pool:
        for group_results in pool.map(run, list(groups)):
            results.extend(group_results)
    return sorted(results, key=lambda r: r.index)


def record_readings(account_id: str, batch: ReadingBatch, now: datetime) -> ReadingBatchResult:
    results = record_batch(account_id, batch.readings, now)
    rejected = sum(1 for result in results if result.outcome == "rejected")
    return ReadingBatchResult(accepted=len(results) - rejected, rejected=rejected, results=results)


def list_readings(account_id: str, asset_id: str, query: ReadingListQuery) -> ReadingPage:
    if assets_repo.get_asset_item(account_id, asset_id) is None:
        raise not_found("Asset")
    page = readings_repo.list_readings(
        account_id, asset_id, query.from_, query.to, query.order == "desc", query.limit, query.next
    )
    return ReadingPage(items=[to_reading(item) for item in page.items], next=page.next)
