"""Recording meter readings: the asset's rules applied, stored safely under concurrency.

Readings for one asset are checked in time order against the asset's current meters, then
stored with the new meter position, conditioned on the position not having moved meanwhile
(optimistic locking on ``meter_seq``): the asset's update first and then the readings when no
task moves, else one transaction with the tasks' updates. A refused write is sorted out and
retried: readings that already exist at the same time are duplicates when the values match,
conflicts when not; a moved position is read again.
"""

import random
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from typing import Any

from shared.data import assets_repo, provided_links, reading_history, readings_repo
from shared.data.asset_state import state_update
from shared.data.provided_links import MAX_PROVIDERS
from shared.data.reading_retention import closes_a_day, kept_times
from shared.data.readings_repo import PendingWrite, WriteConflict
from shared.domain.meters import MeterState, ReadingValues
from shared.faults import Conflict, FieldIssue, not_found
from shared.models.readings import (
    BatchReadingIn,
    ReadingBatch,
    ReadingBatchResult,
    ReadingIn,
    ReadingListQuery,
    ReadingPage,
    ReadingResult,
)
from shared.observability import count
from shared.services import reading_targets
from shared.services.reading_effects import Derived
from shared.services.reading_plan import Plan, Submitted, check_in_order, no_asset, rejected, same, values_of
from shared.services.reading_views import to_reading

# Writers racing for one asset's meters retry with full-jitter backoff (capped), so each round
# lets at least one through and the rest spread out; worst case stays well inside the timeout.
MAX_ATTEMPTS = 20
BACKOFF_SECONDS = 0.01
BACKOFF_CAP_SECONDS = 0.2
PARALLEL_ASSETS = 8


def _existing_result(account_id: str, asset_id: str, sub: Submitted) -> ReadingResult:
    item = readings_repo.get_reading(account_id, asset_id, sub.values.time)
    existing = to_reading(item) if item is not None else None
    if existing is not None:
        stored = ReadingValues(
            existing.time, existing.raw.odometer_km, existing.raw.hours, frozenset(existing.meter_replaced)
        )
        if same(stored, sub.values):
            return ReadingResult(index=sub.index, outcome="duplicate", status=200, reading=existing)
    message = "a different reading for this asset already exists at this time"
    return rejected(sub.index, Conflict("reading_exists", message, [FieldIssue(f"{sub.path}.time", message)]))


def _latest(
    chunk: list[tuple[Submitted, PendingWrite, MeterState]], account_id: str, asset_id: str, now: datetime
) -> dict[str, Any] | None:
    """What the asset keeps of the newest reading of ``chunk`` that moves its meters, if any."""
    applied = [write for _, write, _ in chunk if write.accepted.applied]
    if not applied:
        return None
    return readings_repo.latest_fields(readings_repo.reading_record(account_id, asset_id, applied[-1], now))


def _asset_update(
    account_id: str,
    item: dict[str, Any],
    derived: Derived,
    chunk: list[tuple[Submitted, PendingWrite, MeterState]],
    summary: Any,
    now: datetime,
    external_id: str | None,
) -> Any:
    """The asset's part of writing ``chunk``: its meters after the chunk's last reading, the
    usage estimate when worked out again, the summary, and the newest reading it keeps."""
    return state_update(
        account_id,
        item,
        meters=chunk[-1][2],
        usage=derived.usage if derived.usage_changed else None,
        usage_at=derived.usage_at,
        summary=summary,
        latest=_latest(chunk, account_id, item["id"], now),
        external_id=external_id,
    )


def _record(
    final: dict[int, ReadingResult],
    chunk: list[tuple[Submitted, PendingWrite, MeterState]],
    records: list[dict[str, Any]],
) -> None:
    for (sub, _, _), record in zip(chunk, records, strict=True):
        outcome = "applied" if record["applied"] else "history"
        final[sub.index] = ReadingResult(
            index=sub.index, outcome=outcome, status=201, reading=to_reading(record)
        )


def _write(
    account_id: str,
    plan: Plan,
    item: dict[str, Any],
    now: datetime,
    final: dict[int, ReadingResult],
    external_id: str | None = None,
) -> None:
    """Write the plan, recording each reading's result once it is stored.

    Readings newer than the asset's latest that move no task in the due-work indexes take the
    plain path (readings_repo.write_forward: the asset's update, then the readings); others
    are written chunk by chunk in transactions with the task updates they bring.
    """
    if not plan.writes:
        return
    asset_id = item["id"]
    seq = int(item.get("meter_seq", 0))
    derived = Derived(account_id, item, plan, now)
    times = [write.accepted.values.time for _, write, _ in plan.writes]
    kept = kept_times(times, now)
    readings_repo.restore_latest(
        account_id, item, now, day_closed=closes_a_day(readings_repo.state_of(item).at, times)
    )
    final_state = plan.writes[-1][2]
    if derived.forward and not derived.replaced:
        changes = derived.task_changes(account_id, final_state, [w.accepted for _, w, _ in plan.writes])
        summary = derived.summary_after(final_state)
        if not changes.updates and not provided_links.link_parts(account_id, item, summary):
            update = _asset_update(
                account_id, {**item, "meter_seq": seq}, derived, plan.writes, summary, now, external_id
            )
            records, taken = readings_repo.write_forward(
                account_id, asset_id, [write for _, write, _ in plan.writes], update, now, kept
            )
            for position, (entry, record) in enumerate(zip(plan.writes, records, strict=True)):
                if position in taken:  # a concurrent request stored a reading at its time first
                    final[entry[0].index] = _existing_result(account_id, asset_id, entry[0])
                else:
                    _record(final, [entry], [record])
            return
    # Each chunk's transaction: its readings, its task updates, the links it changes, the asset.
    size = readings_repo.CHUNK - derived.open_tasks - MAX_PROVIDERS
    provided = item.get("provided")
    for start in range(0, len(plan.writes), size):
        chunk = plan.writes[start : start + size]
        state = chunk[-1][2]
        changes = derived.task_changes(account_id, state, [w.accepted for _, w, _ in chunk])
        summary = derived.summary_after(state, changes.tasks)
        update = _asset_update(
            account_id, {**item, "meter_seq": seq}, derived, chunk, summary, now, external_id
        )
        links = provided_links.link_parts(account_id, {**item, "provided": provided}, summary)
        try:
            records = readings_repo.write_chunk(
                account_id,
                asset_id,
                [write for _, write, _ in chunk],
                update,
                now,
                [*changes.updates, *links],
                kept,
            )
        except WriteConflict as conflict:
            for position in conflict.existing:
                sub = chunk[position][0]
                final[sub.index] = _existing_result(account_id, asset_id, sub)
            raise
        derived.advance(changes)
        seq += 1
        if summary is not None:
            provided = provided_links.fingerprints(account_id, summary)
        _record(final, chunk, records)


def _timeline(account_id: str, item: dict[str, Any]) -> Any:
    """What back-dated readings of this asset are checked against (reading_plan.TimelineLookup)."""
    latest = readings_repo.latest_record(account_id, item)
    return lambda start, end, meters: reading_history.readings_around(
        account_id, item["id"], start, end, meters, latest
    )


def record_for_asset(
    account_id: str,
    asset_id: str,
    submitted: list[Submitted],
    now: datetime,
    item: dict[str, Any] | None = None,
    external_id: str | None = None,
) -> list[ReadingResult]:
    """Readings of one asset; ``external_id``: the id they named it by, which it must still carry."""
    final: dict[int, ReadingResult] = {}
    pending = list(submitted)
    for attempt in range(MAX_ATTEMPTS):
        if item is None:
            # First at half the price: a stale asset fails the write's condition and is read
            # again, consistently, like one another writer moved.
            item = assets_repo.get_asset_item(account_id, asset_id, consistent=attempt > 0)
        if item is not None and external_id is not None and item.get("external_id") != external_id:
            if attempt == 0:  # perhaps a moment old: read it again, consistently
                item = None
                continue
            final.update({sub.index: no_asset(sub, "external_id") for sub in pending})
            break
        if item is None:
            final.update({sub.index: no_asset(sub, "asset_id") for sub in pending})
            break
        plan = check_in_order(item, pending, now, _timeline(account_id, item))
        try:
            _write(account_id, plan, item, now, final, external_id)
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
        final.update({sub.index: rejected(sub.index, busy) for sub in pending})
    return sorted(final.values(), key=lambda r: r.index)


def record_reading(account_id: str, asset_id: str, reading: ReadingIn, now: datetime) -> ReadingResult:
    """One reading of one asset: its result (applied, history or duplicate), or the fault."""
    [result] = record_for_asset(
        account_id, asset_id, [Submitted(0, values_of(reading, now), reading.source)], now
    )
    if result._fault is not None:
        raise result._fault
    count("ReadingsRecorded", int(result.outcome != "duplicate"))
    return result


def record_batch(account_id: str, readings: list[BatchReadingIn], now: datetime) -> list[ReadingResult]:
    """Readings for many assets: grouped per asset, assets fetched in bulk, written in parallel."""
    external = list(dict.fromkeys(r.external_id for r in readings if r.external_id and not r.asset_id))
    by_id = list(dict.fromkeys(r.asset_id for r in readings if r.asset_id))
    by_external, items = reading_targets.resolve(account_id, by_id, external)
    results: list[ReadingResult] = []
    # Per asset and the external id it was named by (None: by its id), so that readings named
    # by an external id are written on condition that the asset still carries it.
    groups: dict[tuple[str, str | None], list[Submitted]] = {}
    for index, reading in enumerate(readings):
        asset_id = reading.asset_id or by_external.get(reading.external_id or "")
        sub = Submitted(index, values_of(reading, now), reading.source, f"body.readings.{index}")
        if asset_id is None:
            results.append(no_asset(sub, "external_id"))
            continue
        groups.setdefault((asset_id, None if reading.asset_id else reading.external_id), []).append(sub)

    def run(group: tuple[str, str | None]) -> list[ReadingResult]:
        asset_id, external_id = group
        if asset_id not in items:
            return [no_asset(sub, "asset_id") for sub in groups[group]]
        return record_for_asset(account_id, asset_id, groups[group], now, items[asset_id], external_id)

    with ThreadPoolExecutor(max_workers=PARALLEL_ASSETS) as pool:
        for group_results in pool.map(run, list(groups)):
            results.extend(group_results)
    return sorted(results, key=lambda r: r.index)


def record_readings(account_id: str, batch: ReadingBatch, now: datetime) -> ReadingBatchResult:
    results = record_batch(account_id, batch.readings, now)
    refused = sum(1 for result in results if result.outcome == "rejected")
    count("ReadingsRecorded", sum(1 for result in results if result.outcome in ("applied", "history")))
    count("ReadingsRejected", refused)
    return ReadingBatchResult(accepted=len(results) - refused, rejected=refused, results=results)


def list_readings(account_id: str, asset_id: str, query: ReadingListQuery) -> ReadingPage:
    item = assets_repo.get_asset_item(account_id, asset_id)
    if item is None:
        raise not_found("Asset")
    page = reading_history.list_readings(
        account_id,
        asset_id,
        query.from_,
        query.to,
        query.order == "desc",
        query.limit,
        query.next,
        readings_repo.latest_record(account_id, item),
    )
    return ReadingPage(items=[to_reading(item) for item in page.items], next=page.next)
