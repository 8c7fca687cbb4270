"""Data access for assets (and their external-id uniqueness items). Patterns: docs/data-model.md."""

from datetime import datetime
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from shared.clock import to_iso, utc_now
from shared.data import keys
from shared.data.asset_state import summary_from_item
from shared.data.dynamo import (
    TABLE_NAME,
    cancellation_codes,
    client,
    error_code,
    from_item,
    get_items,
    key,
    refused_item,
    set_and_remove,
    to_item,
    to_values,
)
from shared.data.pages import PageResult, query_page
from shared.domain.assets import fold
from shared.domain.service_status import status_at
from shared.errors import conflict, not_found, precondition_failed
from shared.models.assets import Asset, AssetListQuery

if TYPE_CHECKING:  # the stubs are a dev dependency, not in the Lambda layer
    from mypy_boto3_dynamodb.type_defs import PutTypeDef, TransactWriteItemTypeDef, UpdateTypeDef

# Attributes kept beside the user's fields for case-insensitive matching.
_FOLDED = {
    "name": "name_f",
    "brand": "brand_f",
    "model": "model_f",
    "serial_number": "serial_f",
    "external_id": "external_f",
}


def _duplicate_external_id(external_id: str) -> Exception:
    return conflict(
        f"another asset in this account already has external_id '{external_id}'",
        "body.external_id",
        "duplicate_external_id",
    )


def to_asset(item: dict[str, Any], now: datetime | None = None) -> Asset:
    """The API view of a stored asset; its service status is worked out for ``now`` (default: now)."""
    summary = summary_from_item(item)
    now = now or utc_now()
    status = status_at(summary, now)
    next_due = summary.next_due_at
    if next_due is not None and status != "overdue" and next_due < now:
        next_due = now  # a prediction time has overtaken, while no reading says it is reached
    return Asset(
        id=item["id"],
        name=item["name"],
        type=item["type"],
        brand=item.get("brand"),
        model=item.get("model"),
        serial_number=item.get("serial_number"),
        production_year=item.get("production_year"),
        external_id=item.get("external_id"),
        meters=item.get("meters", []),
        current={
            "at": item.get("current_at"),
            "odometer_km": item.get("odometer_km"),
            "hours": item.get("hours"),
        },
        meter_offsets={
            "odometer_km": item.get("odometer_offset", 0.0),
            "hours": item.get("hours_offset", 0.0),
        },
        usage={"km_per_day": item.get("usage_km_per_day"), "hours_per_day": item.get("usage_hours_per_day")},
        service={
            "status": status,
            "open_tasks": summary.open_tasks,
            "next_task_id": summary.next_task_id,
            "next_task_name": summary.next_task_name,
            "next_due_at": next_due,
        },
        version=item["version"],
        created_at=item["created_at"],
        updated_at=item["updated_at"],
    )


def _folded(fields: dict[str, Any]) -> dict[str, Any]:
    return {_FOLDED[name]: fold(value) for name, value in fields.items() if name in _FOLDED}


def _external_id_put(account_id: str, external_id: str, asset_id: str) -> "TransactWriteItemTypeDef":
    return {
        "Put": {
            "TableName": TABLE_NAME,
            "Item": to_item(
                {
                    "PK": keys.account_pk(account_id),
                    "SK": keys.external_id_sk(external_id),
                    "entity": "external_id",
                    "asset_id": asset_id,
                }
            ),
            "ConditionExpression": "attribute_not_exists(PK)",
        }
    }


def _external_id_delete(account_id: str, external_id: str) -> "TransactWriteItemTypeDef":
    return {
        "Delete": {
            "TableName": TABLE_NAME,
            "Key": key(keys.account_pk(account_id), keys.external_id_sk(external_id)),
        }
    }


def create_asset(account_id: str, asset_id: str, fields: dict[str, Any], now: datetime) -> Asset:
    """Store a new asset; with an external id, claim it in the same transaction (409 if taken)."""
    stamp = to_iso(now)
    record = {
        "PK": keys.account_pk(account_id),
        "SK": keys.asset_sk(asset_id),
        "GSI1PK": keys.asset_type_gsi1pk(account_id, fields["type"]),
        "GSI1SK": keys.asset_sk(asset_id),
        "entity": "asset",
        "id": asset_id,
        "account_id": account_id,
        **fields,
        **_folded(fields),
        "meter_seq": 0,
        "version": 1,
        "created_at": stamp,
        "updated_at": stamp,
    }
    put: PutTypeDef = {
        "TableName": TABLE_NAME,
        "Item": to_item(record),
        "ConditionExpression": "attribute_not_exists(PK)",
    }
    external_id = fields.get("external_id")
    if external_id is None:
        client.put_item(**put)
        return to_asset(record)
    try:
        client.transact_write_items(
            TransactItems=[{"Put": put}, _external_id_put(account_id, external_id, asset_id)]
        )
    except ClientError as error:
        if error_code(error) == "TransactionCanceledException":
            raise _duplicate_external_id(external_id) from None
        raise
    return to_asset(record)


def get_asset_item(account_id: str, asset_id: str) -> dict[str, Any] | None:
    response = client.get_item(
        TableName=TABLE_NAME,
        Key=key(keys.account_pk(account_id), keys.asset_sk(asset_id)),
        ConsistentRead=True,
    )
    item = response.get("Item")
    return from_item(item) if item else None


def get_asset(account_id: str, asset_id: str) -> Asset:
    item = get_asset_item(account_id, asset_id)
    if item is None:
        raise not_found("Asset")
    return to_asset(item)


def find_asset_id_by_external_id(account_id: str, external_id: str) -> str | None:
    response = client.get_item(
        TableName=TABLE_NAME,
        Key=key(keys.account_pk(account_id), keys.external_id_sk(external_id)),
        ConsistentRead=True,
    )
    item = response.get("Item")
    return str(from_item(item)["asset_id"]) if item else None


def _update_expression(
    changes: dict[str, Any], account_id: str
) -> tuple[str, dict[str, Any], dict[str, str]]:
    values: dict[str, Any] = {}
    if "type" in changes:
        values["GSI1PK"] = keys.asset_type_gsi1pk(account_id, changes["type"])
    for name, value in {**changes, **_folded(changes)}.items():
        values[name] = value
    expression, names, bound = set_and_remove(
        values, ["#version = #version + :one", "#updated_at = :updated_at"]
    )
    names.update({"#version": "version", "#updated_at": "updated_at"})
    return expression, bound, names


def _update_request(
    account_id: str,
    asset_id: str,
    changes: dict[str, Any],
    now: datetime,
    condition: str,
    condition_values: dict[str, Any],
) -> "UpdateTypeDef":
    expression, bound, names = _update_expression(changes, account_id)
    bound.update({":one": 1, ":updated_at": to_iso(now), **condition_values})
    return {
        "TableName": TABLE_NAME,
        "Key": key(keys.account_pk(account_id), keys.asset_sk(asset_id)),
        "UpdateExpression": expression,
        "ConditionExpression": condition,
        "ExpressionAttributeNames": names,
        "ExpressionAttributeValues": to_values(bound),
        # A refused update returns the item: 404 (absent) and 412 (other version) need no extra read.
        "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
    }


def update_asset(
    account_id: str, asset_id: str, changes: dict[str, Any], expected_version: int | None, now: datetime
) -> Asset:
    """Apply a partial update atomically; ``expected_version`` (If-Match) makes it conditional."""
    if "external_id" in changes:
        return _update_with_external_id(account_id, asset_id, changes, expected_version, now)
    condition, condition_values = "attribute_exists(PK)", {}
    if expected_version is not None:
        condition += " AND #version = :expected"
        condition_values[":expected"] = expected_version
    update = _update_request(account_id, asset_id, changes, now, condition, condition_values)
    try:
        response = client.update_item(**update, ReturnValues="ALL_NEW")
    except ClientError as error:
        if error_code(error) != "ConditionalCheckFailedException":
            raise
        old = refused_item(error)
        if old is None:
            raise not_found("Asset") from None
        raise precondition_failed(int(old["version"])) from None
    return to_asset(from_item(response["Attributes"]))


def _update_with_external_id(
    account_id: str, asset_id: str, changes: dict[str, Any], expected: int | None, now: datetime
) -> Asset:
    """Moving the external id must release the old claim and take the new one in one transaction."""
    current = get_asset_item(account_id, asset_id)
    if current is None:
        raise not_found("Asset")
    seen = int(current["version"])
    if expected is not None and seen != expected:
        raise precondition_failed(seen)
    old_id, new_id = current.get("external_id"), changes["external_id"]
    if old_id == new_id:
        rest = {name: value for name, value in changes.items() if name != "external_id"}
        return update_asset(account_id, asset_id, rest, seen, now)
    update = _update_request(account_id, asset_id, changes, now, "#version = :seen", {":seen": seen})
    actions: list[TransactWriteItemTypeDef] = [{"Update": update}]
    if old_id is not None:
        actions.append(_external_id_delete(account_id, old_id))
    if new_id is not None:
        actions.append(_external_id_put(account_id, new_id, asset_id))
    try:
        client.transact_write_items(TransactItems=actions)
    except ClientError as error:
        codes = cancellation_codes(error)
        if codes and codes[0] == "ConditionalCheckFailed":
            raise conflict("the asset changed while this update was applied; try again") from None
        if new_id is not None and codes and codes[-1] == "ConditionalCheckFailed":
            raise _duplicate_external_id(new_id) from None
        raise
    return get_asset(account_id, asset_id)


def _has_tasks(count: int) -> Exception:
    return conflict(f"the asset has {count} service task(s); delete them first", None, "asset_has_tasks")


def delete_asset(account_id: str, asset_id: str, expected_version: int | None) -> None:
    current = get_asset_item(account_id, asset_id)
    if current is None:
        raise not_found("Asset")
    version = int(current["version"])
    if expected_version is not None and version != expected_version:
        raise precondition_failed(version)
    if int(current.get("task_count", 0)) > 0:
        raise _has_tasks(int(current["task_count"]))
    delete: TransactWriteItemTypeDef = {
        "Delete": {
            "TableName": TABLE_NAME,
            "Key": key(keys.account_pk(account_id), keys.asset_sk(asset_id)),
            # No task may have arrived since the read: its history would lose its asset.
            "ConditionExpression": (
                "#version = :seen AND (attribute_not_exists(task_count) OR task_count = :zero)"
            ),
            "ExpressionAttributeNames": {"#version": "version"},
            "ExpressionAttributeValues": {":seen": {"N": str(version)}, ":zero": {"N": "0"}},
        }
    }
    actions = [delete]
    if current.get("external_id") is not None:
        actions.append(_external_id_delete(account_id, current["external_id"]))
    try:
        client.transact_write_items(TransactItems=actions)
    except ClientError as error:
        if error_code(error) == "TransactionCanceledException":
            raise conflict("the asset changed while it was being deleted; read it and try again") from None
        raise


def list_assets(account_id: str, query: AssetListQuery) -> PageResult:
    """Assets of one account, oldest first; by type through GSI1, other filters on the way."""
    filters, values = [], {}
    if query.brand:
        filters.append("brand_f = :brand")
        values[":brand"] = fold(query.brand)
    if query.model:
        filters.append("model_f = :model")
        values[":model"] = fold(query.model)
    if query.q:
        filters.append("(contains(name_f, :q) OR contains(serial_f, :q) OR contains(external_f, :q))")
        values[":q"] = fold(query.q)
    if query.service_status:
        return _list_by_service(account_id, query, filters, values)
    if query.type:
        pk = keys.asset_type_gsi1pk(account_id, query.type)
        condition, index, partition = "GSI1PK = :pk", "GSI1", {"GSI1PK": pk}
    else:
        pk = keys.account_pk(account_id)
        condition, index, partition = "PK = :pk AND begins_with(SK, :prefix)", None, {"PK": pk}
        values[":prefix"] = "ASSET#"
    values[":pk"] = pk
    return query_page(
        key_condition=condition,
        values=to_values(values),
        partition=partition,
        limit=query.limit,
        cursor=query.next,
        index=index,
        filter_expression=" AND ".join(filters) or None,
    )


# Conditions on the stored summary instants that say an asset's service status at :now.
_STATUS_FILTERS = {
    "overdue": "service_due_at <= :now",
    "upcoming": (
        "(service_warn_at <= :now AND (attribute_not_exists(service_due_at) OR service_due_at > :now))"
    ),
    "planned": "(attribute_not_exists(service_warn_at) OR service_warn_at > :now)",
}


def _list_by_service(
    account_id: str, query: AssetListQuery, filters: list[str], values: dict[str, Any]
) -> PageResult:
    """Assets by service status through GSI2, which orders assets with open tasks by warning time.

    Upcoming and overdue assets are those whose warning time has passed: one key range. Which of
    the two, and planned, is told by the stored due and warning instants.
    """
    wanted = set(query.service_status or [])
    now = to_iso(utc_now())
    pk = keys.service_gsi2pk(account_id)
    condition = "GSI2PK = :pk"
    values[":pk"] = pk
    if "planned" not in wanted:
        condition += " AND GSI2SK <= :now_key"
        values[":now_key"] = f"{now}#~"
    if len(wanted) < len(_STATUS_FILTERS):
        chosen = [_STATUS_FILTERS[status] for status in sorted(wanted)]
        filters.append(chosen[0] if len(chosen) == 1 else "(" + " OR ".join(chosen) + ")")
        values[":now"] = now
    if query.type:
        filters.append("#type = :type")
        values[":type"] = query.type
    return query_page(
        key_condition=condition,
        values=to_values(values),
        partition={"GSI2PK": pk},
        limit=query.limit,
        cursor=query.next,
        index="GSI2",
        filter_expression=" AND ".join(filters) or None,
        names={"#type": "type"} if query.type else None,
    )


def _batch_get(account_id: str, sort_keys: list[str]) -> list[dict[str, Any]]:
    pk = keys.account_pk(account_id)
    return get_items([key(pk, sk) for sk in sort_keys])


def get_asset_items(account_id: str, asset_ids: list[str]) -> dict[str, dict[str, Any]]:
    """The stored assets among ``asset_ids``, by id (missing ones are simply absent)."""
    items = _batch_get(account_id, [keys.asset_sk(asset_id) for asset_id in dict.fromkeys(asset_ids)])
    return {item["id"]: item for item in items}


def find_asset_ids_by_external_ids(account_id: str, external_ids: list[str]) -> dict[str, str]:
    """external id -> asset id for those that exist."""
    items = _batch_get(account_id, [keys.external_id_sk(ext) for ext in dict.fromkeys(external_ids)])
    return {item["SK"].removeprefix("EXTID#"): item["asset_id"] for item in items}
