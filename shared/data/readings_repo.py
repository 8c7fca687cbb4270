"""Data access for meter readings and the asset's current-meter fields they move."""

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from shared.clock import from_iso, to_iso
from shared.data import keys
from shared.data.dynamo import (
    TABLE_NAME,
    TRANSACTION_ITEMS,
    cancellation_codes,
    client,
    error_code,
    from_item,
    key,
    to_item,
    to_values,
)
from shared.data.pages import PageResult, query_all, query_page
from shared.domain.meters import METER_FIELDS, AcceptedReading, Mark, MeterState

if TYPE_CHECKING:  # the stubs are a dev dependency, not in the Lambda layer
    from mypy_boto3_dynamodb.type_defs import TransactWriteItemTypeDef

# Parts of a reading transaction besides the asset's own update (readings and task updates).
CHUNK = TRANSACTION_ITEMS - 1
# The usage estimate reads at most this many of the newest readings in its window.
MAX_USAGE_READINGS = 500


@dataclass(frozen=True)
class PendingWrite:
    accepted: AcceptedReading
    source: str | None


class WriteConflict(Exception):
    """The transaction was refused: some readings exist already, or the asset's meters moved."""

    def __init__(self, existing: list[int], asset_changed: bool) -> None:
        super().__init__("readings write conflict")
        self.existing = existing
        self.asset_changed = asset_changed


def state_of(asset_item: dict[str, Any]) -> MeterState:
    at = asset_item.get("current_at")
    return MeterState(
        at=from_iso(at) if at else None,
        odometer_km=asset_item.get("odometer_km"),
        hours=asset_item.get("hours"),
        odometer_offset=float(asset_item.get("odometer_offset", 0.0)),
        hours_offset=float(asset_item.get("hours_offset", 0.0)),
    )


def reading_record(
    account_id: str, asset_id: str, write: PendingWrite, recorded_at: datetime
) -> dict[str, Any]:
    accepted, values = write.accepted, write.accepted.values
    stamp = to_iso(values.time)
    return {
        "PK": keys.readings_pk(account_id, asset_id),
        "SK": keys.reading_sk(stamp),
        "entity": "reading",
        "asset_id": asset_id,
        "time": stamp,
        "odometer_km": accepted.odometer_km,
        "hours": accepted.hours,
        "raw_odometer_km": values.odometer_km,
        "raw_hours": values.hours,
        "meter_replaced": sorted(values.meter_replaced) or None,
        "source": write.source,
        "applied": accepted.applied,
        "recorded_at": to_iso(recorded_at),
    }


def write_chunk(
    account_id: str,
    asset_id: str,
    writes: list[PendingWrite],
    asset_update: "TransactWriteItemTypeDef",
    recorded_at: datetime,
    task_updates: "list[TransactWriteItemTypeDef] | None" = None,
) -> list[dict[str, Any]]:
    """Store readings, what they change on the asset's tasks and the asset's new state
    (``asset_update``), all or nothing: at most CHUNK parts besides the asset."""
    records = [reading_record(account_id, asset_id, write, recorded_at) for write in writes]
    actions: list[TransactWriteItemTypeDef] = [
        {
            "Put": {
                "TableName": TABLE_NAME,
                "Item": to_item(record),
                "ConditionExpression": "attribute_not_exists(SK)",
            }
        }
        for record in records
    ]
    actions += task_updates or []
    actions.append(asset_update)
    try:
        client.transact_write_items(TransactItems=actions)
    except ClientError as error:
        if error_code(error) != "TransactionCanceledException":
            raise
        codes = cancellation_codes(error)
        existing = [i for i, code in enumerate(codes[: len(writes)]) if code == "ConditionalCheckFailed"]
        asset_changed = bool(codes) and codes[-1] == "ConditionalCheckFailed"
        if not codes:
            asset_changed = True
        raise WriteConflict(existing, asset_changed) from None
    return records


def get_reading(account_id: str, asset_id: str, time: datetime) -> dict[str, Any] | None:
    response = client.get_item(
        TableName=TABLE_NAME,
        Key=key(keys.readings_pk(account_id, asset_id), keys.reading_sk(to_iso(time))),
        ConsistentRead=True,
    )
    item = response.get("Item")
    return from_item(item) if item else None


def list_readings(
    account_id: str,
    asset_id: str,
    start: datetime | None,
    end: datetime | None,
    newest_first: bool,
    limit: int,
    cursor: str | None,
) -> PageResult:
    pk = keys.readings_pk(account_id, asset_id)
    low = keys.reading_sk(to_iso(start)) if start else "READING#"
    high = keys.reading_sk(to_iso(end)) if end else "READING#~"
    return query_page(
        key_condition="PK = :pk AND SK BETWEEN :low AND :high",
        values=to_values({":pk": pk, ":low": low, ":high": high}),
        partition={"PK": pk},
        limit=limit,
        cursor=cursor,
        forward=not newest_first,
    )


def recent_values(
    account_id: str, asset_id: str, since: datetime
) -> list[tuple[datetime, float | None, float | None]]:
    """(time, lifetime km, lifetime hours) of the readings since ``since``, for the usage estimate."""
    pk = keys.readings_pk(account_id, asset_id)
    request: dict[str, Any] = {
        "TableName": TABLE_NAME,
        "KeyConditionExpression": "PK = :pk AND SK >= :since",
        "ExpressionAttributeValues": to_values({":pk": pk, ":since": keys.reading_sk(to_iso(since))}),
        "ProjectionExpression": "#time, odometer_km, hours",
        "ExpressionAttributeNames": {"#time": "time"},
        "ScanIndexForward": False,
        "Limit": MAX_USAGE_READINGS,
    }
    response = client.query(**request)
    found = [from_item(raw) for raw in response.get("Items", [])]
    return [(from_iso(r["time"]), r.get("odometer_km"), r.get("hours")) for r in found]


_NEIGHBOUR_PAGE = 10


def _marks_of(item: dict[str, Any]) -> dict[str, Mark]:
    """A stored reading's meters: time, lifetime value, and the offset then (lifetime minus raw)."""
    marks = {}
    for meter, name in METER_FIELDS.items():
        if item.get(name) is not None:
            lifetime = float(item[name])
            raw = item.get(f"raw_{name}")
            offset = round(lifetime - float(raw), 3) if raw is not None else 0.0
            marks[meter] = Mark(from_iso(item["time"]), lifetime, offset)
    return marks


def _readings(account_id: str, asset_id: str, condition: str, bounds: dict[str, str], forward: bool) -> Any:
    """The asset's readings in ``condition`` on the sort key, as (time, marks), in pages of 10."""
    # The readings partition holds nothing but readings, so a plain range on the sort key will do.
    values = {":pk": keys.readings_pk(account_id, asset_id), **bounds}
    request: dict[str, Any] = {
        "TableName": TABLE_NAME,
        "KeyConditionExpression": f"PK = :pk AND {condition}",
        "ExpressionAttributeValues": to_values(values),
        "ScanIndexForward": forward,
        "ConsistentRead": True,
        "Limit": _NEIGHBOUR_PAGE,
    }
    for item in query_all(request):
        marks = _marks_of(item)
        yield next(iter(marks.values())).at if marks else None, marks


def _nearest(
    account_id: str, asset_id: str, at: datetime, meters: set[str], side: str
) -> list[tuple[datetime, dict[str, Mark]]]:
    """The stored readings on ``side`` of ``at`` (``<``, ``<=`` or ``>``), nearest first, up to the
    first that has each of ``meters``."""
    found: list[tuple[datetime, dict[str, Mark]]] = []
    seen: set[str] = set()
    bound = {":at": keys.reading_sk(to_iso(at))}
    for moment, marks in _readings(account_id, asset_id, f"SK {side} :at", bound, side == ">"):
        if moment is not None:
            found.append((moment, marks))
            seen |= marks.keys()
        if seen >= meters:
            break
    return found


def readings_around(
    account_id: str, asset_id: str, start: datetime, end: datetime, meters: set[str]
) -> list[tuple[datetime, dict[str, Mark]]]:
    """What back-dated readings from ``start`` to ``end`` must fit between, in time order: the
    stored readings in that span, and the nearest before and after it with each of ``meters``.
    One to three Queries for a whole batch, however many back-dated readings it holds."""
    timeline = _nearest(account_id, asset_id, start, meters, "<")[::-1]
    if start < end:
        bounds = {":start": keys.reading_sk(to_iso(start)), ":end": keys.reading_sk(to_iso(end))}
        span = _readings(account_id, asset_id, "SK BETWEEN :start AND :end", bounds, True)
        timeline += [(moment, marks) for moment, marks in span if moment is not None]
    return timeline + _nearest(account_id, asset_id, end, meters, ">")


def meters_at(account_id: str, asset_id: str, at: datetime, meters: set[str]) -> dict[str, float]:
    """The lifetime value of each of ``meters`` at ``at``: its latest reading at or before then."""
    values: dict[str, float] = {}
    for _, marks in _nearest(account_id, asset_id, at, meters, "<="):
        values.update({m: mark.value for m, mark in marks.items() if m in meters and m not in values})
    return values
