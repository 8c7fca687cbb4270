"""Data access for meter readings and the asset's current-meter fields they move."""

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from shared.clock import from_iso, to_iso
from shared.data import keys, reading_items
from shared.data.dynamo import (
    TABLE_NAME,
    TRANSACTION_ITEMS,
    cancellation_codes,
    client,
    error_code,
    from_item,
    key,
    to_item,
)
from shared.data.reading_retention import expired, expiry
from shared.data.table_definition import TTL_ATTRIBUTE
from shared.domain.meters import AcceptedReading, MeterState

if TYPE_CHECKING:  # the stubs are a dev dependency, not in the Lambda layer
    from mypy_boto3_dynamodb.type_defs import TransactWriteItemTypeDef

# Parts of a reading transaction besides the asset's own update (readings and task updates).
CHUNK = TRANSACTION_ITEMS - 1


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
        odometer_offset=float(asset_item.get("odometer_offset") or 0.0),
        hours_offset=float(asset_item.get("hours_offset") or 0.0),
    )


def reading_record(
    account_id: str, asset_id: str, write: PendingWrite, recorded_at: datetime, kept: bool = False
) -> dict[str, Any]:
    """The stored reading; with an expiry unless ``kept`` (reading_retention)."""
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
        TTL_ATTRIBUTE: None if kept else expiry(values.time),
    }


# What the asset keeps of its latest reading (``last_reading``): what the asset does not say
# already (its id, the time in ``current_at``, the offsets that turn raw values into lifetime
# ones). The asset is written before the reading on the plain path (``write_forward``), so this
# is what restores a reading whose write did not happen (``restore_latest``) and what a list
# shows until it is stored.
_KEPT = ("raw_odometer_km", "raw_hours", "meter_replaced", "source", "recorded_at")


def latest_fields(record: dict[str, Any]) -> dict[str, Any]:
    return {name: record[name] for name in _KEPT if record.get(name) is not None}


def latest_record(account_id: str, asset_item: dict[str, Any]) -> dict[str, Any] | None:
    """The asset's latest reading as stored, rebuilt from the asset (None: it keeps none)."""
    kept, at = asset_item.get("last_reading"), asset_item.get("current_at")
    if not kept or not at:
        return None
    state = state_of(asset_item)

    def lifetime(meter: str, raw: float | None) -> float | None:
        return None if raw is None else round(float(raw) + state.offset(meter), 3)

    return {
        "PK": keys.readings_pk(account_id, asset_item["id"]),
        "SK": keys.reading_sk(at),
        "entity": "reading",
        "asset_id": asset_item["id"],
        "time": at,
        "odometer_km": lifetime("odometer", kept.get("raw_odometer_km")),
        "hours": lifetime("hours", kept.get("raw_hours")),
        **kept,
        "applied": True,
    }


def restore_latest(account_id: str, asset_item: dict[str, Any], now: datetime, *, day_closed: bool) -> None:
    """Make sure the asset's latest reading is stored: a function may have stopped between the
    asset's update and the reading's put. When the readings being written close its day
    (``day_closed``), it is put again without its expiry (reading_retention), which stores it
    either way; otherwise it is looked for (an eventually consistent read) and put where it is
    still missing."""
    record = latest_record(account_id, asset_item)
    if record is None:
        return
    at = from_iso(record["time"])
    if day_closed or expired(at, now):
        client.put_item(TableName=TABLE_NAME, Item=to_item(reading_items.stored(record)))
        return
    found = client.get_item(
        TableName=TABLE_NAME, Key=key(record["PK"], record["SK"]), ProjectionExpression="SK"
    ).get("Item")
    if not found:
        # Only where it is still missing: a copy stored meanwhile may be one kept for good.
        _put_new(reading_items.stored({**record, TTL_ATTRIBUTE: expiry(at)}))


def _put_new(item: dict[str, Any]) -> bool:
    """Put a reading unless one is stored at its time; whether it was put."""
    try:
        client.put_item(
            TableName=TABLE_NAME, Item=to_item(item), ConditionExpression="attribute_not_exists(SK)"
        )
    except ClientError as error:
        if error_code(error) != "ConditionalCheckFailedException":
            raise
        return False
    return True


def _records(
    account_id: str,
    asset_id: str,
    writes: list[PendingWrite],
    recorded_at: datetime,
    kept: "set[datetime] | frozenset[datetime]",
) -> list[dict[str, Any]]:
    return [
        reading_record(account_id, asset_id, write, recorded_at, write.accepted.values.time in kept)
        for write in writes
    ]


def write_forward(
    account_id: str,
    asset_id: str,
    writes: list[PendingWrite],
    asset_update: "TransactWriteItemTypeDef",
    recorded_at: datetime,
    kept: "set[datetime] | frozenset[datetime]" = frozenset(),
) -> tuple[list[dict[str, Any]], list[int]]:
    """Store readings newer than the asset's latest, which change no task's place in the
    indexes, without a transaction: the asset's update first (conditioned on its meters and
    tasks as read, and keeping the newest reading in ``last_reading``), then the readings.

    Each put is conditioned on no reading being stored at its time. Once the asset has moved,
    another request may store a back-dated reading at the time of one of the older readings
    here, or keep the newest for good (a later day's reading closing its day): what is stored
    then stays. A stop in between loses nothing acknowledged: the newest reading is restored by
    the next write, the others were never answered for and are sent again. Returns the records
    and the positions of those found stored already (not the newest: that one is the same).
    """
    update: dict[str, Any] = dict(asset_update["Update"])
    try:
        client.update_item(**update)
    except ClientError as error:
        if error_code(error) != "ConditionalCheckFailedException":
            raise
        raise WriteConflict([], asset_changed=True) from None
    records = _records(account_id, asset_id, writes, recorded_at, kept)
    taken = [
        position
        for position, record in enumerate(records)
        if not _put_new(reading_items.stored(record)) and position < len(records) - 1
    ]
    return records, taken


def write_chunk(
    account_id: str,
    asset_id: str,
    writes: list[PendingWrite],
    asset_update: "TransactWriteItemTypeDef",
    recorded_at: datetime,
    task_updates: "list[TransactWriteItemTypeDef] | None" = None,
    kept: "set[datetime] | frozenset[datetime]" = frozenset(),
) -> list[dict[str, Any]]:
    """Store readings, what they change on the asset's tasks and the asset's new state
    (``asset_update``), all or nothing: at most CHUNK parts besides the asset."""
    records = _records(account_id, asset_id, writes, recorded_at, kept)
    actions: list[TransactWriteItemTypeDef] = [
        {
            "Put": {
                "TableName": TABLE_NAME,
                "Item": to_item(reading_items.stored(record)),
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
    return reading_items.record(from_item(item)) if item else None
