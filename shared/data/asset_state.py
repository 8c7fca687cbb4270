"""The asset's derived state, written with optimistic locking: meters, usage and service summary.

Readings move the meters (``meter_seq``), task changes move the service summary (``task_seq``).
Every write of either kind is conditioned on both counters being what the writer read, so a
summary is always computed from the meters and tasks it is stored with; a refused write is
read again and retried by the caller.
"""

from typing import TYPE_CHECKING, Any

from shared.clock import from_iso, to_iso
from shared.data import keys, provided_links
from shared.data.dynamo import TABLE_NAME, key, set_and_remove, to_values
from shared.domain.service_status import ServiceSummary
from shared.ids import child_id, own_part


class AssetChanged(Exception):
    """The asset's meters or tasks moved while a write was prepared: read again, retry."""


if TYPE_CHECKING:
    # Types only: asset reads import this module and need neither meters nor prediction.
    from mypy_boto3_dynamodb.type_defs import TransactWriteItemTypeDef  # a dev dependency

    from shared.domain.meters import MeterState
    from shared.domain.prediction import Usage


def meter_fields(state: "MeterState") -> dict[str, Any]:
    return {
        "current_at": to_iso(state.at) if state.at else None,
        "odometer_km": state.odometer_km,
        "hours": state.hours,
        # No offset (no meter replaced) is no attribute: every byte of the asset is paid per reading.
        "odometer_offset": state.odometer_offset or None,
        "hours_offset": state.hours_offset or None,
    }


def usage_fields(usage: "Usage") -> dict[str, Any]:
    return {
        "usage_km_per_day": usage.km_per_day,
        "usage_hours_per_day": usage.hours_per_day,
        "usage_readings": usage.readings_used,
    }


def summary_fields(account_id: str, asset_id: str, summary: ServiceSummary) -> dict[str, Any]:
    """Attributes of the summary; the GSI2 keys only while the asset has open tasks (sparse index)."""
    listed = summary.open_tasks > 0
    warn = to_iso(summary.warn_at) if summary.warn_at else None
    return {
        "service_open": summary.open_tasks,
        "service_warn_at": warn,
        "service_due_at": to_iso(summary.due_at) if summary.due_at else None,
        # The task's own part of its id: the asset part is the asset's (``shared.ids``).
        "service_next_task": own_part(summary.next_task_id, asset_id) if summary.next_task_id else None,
        "service_next_task_name": summary.next_task_name,
        "service_next_due_at": to_iso(summary.next_due_at) if summary.next_due_at else None,
        "service_watch": dict(summary.watch) if summary.watch is not None else None,
        "provided": provided_links.fingerprints(account_id, summary),
        "GSI2PK": keys.service_gsi2pk(account_id) if listed else None,
        "GSI2SK": keys.service_gsi2sk(warn) if listed else None,
    }


def summary_from_item(item: dict[str, Any]) -> ServiceSummary:
    """The service summary stored on an asset item (empty for an asset without open tasks)."""

    def moment(name: str) -> Any:
        value = item.get(name)
        return from_iso(value) if value else None

    return ServiceSummary(
        open_tasks=int(item.get("service_open", 0)),
        warn_at=moment("service_warn_at"),
        due_at=moment("service_due_at"),
        next_task_id=child_id("tsk", item["id"], item["service_next_task"])
        if "service_next_task" in item
        else None,
        next_task_name=item.get("service_next_task_name"),
        next_due_at=moment("service_next_due_at"),
        watch={kind: float(value) for kind, value in item["service_watch"].items()}
        if "service_watch" in item
        else None,
    )


def state_update(
    account_id: str,
    asset: dict[str, Any],
    *,
    meters: "MeterState | None" = None,
    usage: "Usage | None" = None,
    summary: ServiceSummary | None = None,
    task_count_delta: int = 0,
    latest: dict[str, Any] | None = None,
    usage_at: str | None = None,
    external_id: str | None = None,
) -> "TransactWriteItemTypeDef":
    """The asset's part of a transaction: set what changed, bump the counters it moved.

    None values are removed (an empty summary drops the asset from the service index).
    ``latest`` is what the asset keeps of its newest reading (readings_repo.latest_fields);
    ``usage_at`` the time of the newest reading the usage estimate was worked out at;
    ``external_id``, when readings named the asset by it, an id the asset must still carry.
    """
    fields: dict[str, Any] = {}
    if meters is not None:
        fields.update(
            {
                name: value
                for name, value in meter_fields(meters).items()
                if value is not None or name.endswith("_offset")  # a cleared offset is removed
            }
        )
    if latest is not None:
        fields["last_reading"] = latest
    if usage is not None:
        fields.update(usage_fields(usage))
        fields["usage_at"] = usage_at
    if summary is not None:
        fields.update(summary_fields(account_id, asset["id"], summary))
    counters = []
    if meters is not None:
        counters.append("meter_seq = meter_seq + :one")
    if summary is not None:
        counters.append("task_seq = if_not_exists(task_seq, :zero) + :one")
    if task_count_delta:
        counters.append("task_count = if_not_exists(task_count, :zero) + :delta")
    expression, names, values = set_and_remove(fields, counters)
    if task_count_delta:
        values[":delta"] = task_count_delta
    for name, value in ((":one", 1), (":zero", 0)):
        if name in expression:  # DynamoDB refuses values an expression does not use
            values[name] = value
    condition, seen = _as_read(asset)
    values.update(seen)
    if external_id is not None:
        condition += " AND external_id = :external_id"
        values[":external_id"] = external_id
    update: dict[str, Any] = {
        "TableName": TABLE_NAME,
        "Key": key(keys.account_pk(account_id), keys.asset_sk(asset["id"])),
        "UpdateExpression": expression,
        "ConditionExpression": condition,
        "ExpressionAttributeValues": to_values(values),
    }
    if names:
        update["ExpressionAttributeNames"] = names
    return {"Update": update}  # type: ignore[typeddict-item]


def summary_parts(
    account_id: str, asset: dict[str, Any], summary: ServiceSummary, **more: Any
) -> list["TransactWriteItemTypeDef"]:
    """The updates of the links whose provider's own summary changed with ``summary``
    (provided_links.link_parts), then the asset's update (last: tasks_repo.commit tells a moved
    asset by its part's refusal)."""
    return [
        *provided_links.link_parts(account_id, asset, summary),
        state_update(account_id, asset, summary=summary, **more),
    ]


def _as_read(asset: dict[str, Any]) -> tuple[str, dict[str, int]]:
    """The condition that the asset's meters and tasks are still as read, and its values."""
    values = {":meter_seq": int(asset.get("meter_seq", 0))}
    if "task_seq" not in asset:
        return "meter_seq = :meter_seq AND attribute_not_exists(task_seq)", values
    values[":task_seq"] = int(asset["task_seq"])
    return "meter_seq = :meter_seq AND task_seq = :task_seq", values


def asset_unchanged(account_id: str, asset: dict[str, Any]) -> "TransactWriteItemTypeDef":
    """A transaction part that holds only while the asset's meters and tasks are as read."""
    condition, values = _as_read(asset)
    return {
        "ConditionCheck": {
            "TableName": TABLE_NAME,
            "Key": key(keys.account_pk(account_id), keys.asset_sk(asset["id"])),
            "ConditionExpression": condition,
            "ExpressionAttributeValues": to_values(values),
        }
    }
