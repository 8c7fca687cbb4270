"""Changing an asset (A8 in docs/data-model.md): one conditional update, or a transaction when
its external id moves. A refused write says why: gone (404), another version (412), or its tasks
moved while a change of meters was checked against them (AssetChanged: check again)."""

from datetime import datetime
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from shared.clock import to_iso
from shared.data import keys
from shared.data.asset_state import AssetChanged
from shared.data.assets_repo import (
    asset_as_expected,
    duplicate_external_id,
    external_id_delete,
    external_id_put,
    folded,
    get_asset_item,
)
from shared.data.dynamo import (
    TABLE_NAME,
    cancellation_codes,
    client,
    error_code,
    from_item,
    key,
    refused_item,
    set_and_remove,
    to_values,
)
from shared.faults import not_found, version_mismatch

if TYPE_CHECKING:  # the stubs are a dev dependency, not in the Lambda layer
    from mypy_boto3_dynamodb.type_defs import TransactWriteItemTypeDef, UpdateTypeDef


def _update_expression(
    changes: dict[str, Any], account_id: str
) -> tuple[str, dict[str, Any], dict[str, str]]:
    values: dict[str, Any] = {}
    if "type" in changes:
        values["GSI1PK"] = keys.asset_type_gsi1pk(account_id, changes["type"])
    for name, value in {**changes, **folded(changes)}.items():
        values[name] = value
    counters = ["#version = #version + :one", "#updated_at = :updated_at"]
    if "meters" in changes:  # what the asset measures is part of its meter state (asset_state)
        counters.append("meter_seq = if_not_exists(meter_seq, :zero) + :one")
    expression, names, bound = set_and_remove(values, counters)
    names.update({"#version": "version", "#updated_at": "updated_at"})
    if "meters" in changes:
        bound[":zero"] = 0
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


def _conditions(version: int | None, tasks_seen: int | None) -> tuple[str, dict[str, Any]]:
    """The asset exists, at ``version`` if given; with ``tasks_seen`` (a change of meters), its
    tasks are still those the caller checked (``task_seq``; 0: never had any)."""
    condition, values = "attribute_exists(PK)", {}
    if version is not None:
        condition += " AND #version = :expected"
        values[":expected"] = version
    if tasks_seen is not None:
        condition += " AND (task_seq = :tasks" + (
            " OR attribute_not_exists(task_seq))" if tasks_seen == 0 else ")"
        )
        values[":tasks"] = tasks_seen
    return condition, values


def update_asset(
    account_id: str,
    asset_id: str,
    changes: dict[str, Any],
    expected_version: int | None,
    now: datetime,
    tasks_seen: int | None = None,
) -> dict[str, Any]:
    """Apply a partial update atomically; ``expected_version`` (If-Match) makes it conditional.

    A change of meters passes ``tasks_seen``: the write holds only if no task was written since
    the caller checked the tasks (else AssetChanged, to check again), and it moves ``meter_seq``,
    so a task write prepared against the old meters is refused in turn (A8, data-model.md).
    """
    if "external_id" in changes:
        return _update_with_external_id(account_id, asset_id, changes, expected_version, now, tasks_seen)
    condition, condition_values = _conditions(expected_version, tasks_seen)
    update = _update_request(account_id, asset_id, changes, now, condition, condition_values)
    try:
        response = client.update_item(**update, ReturnValues="ALL_NEW")
    except ClientError as error:
        if error_code(error) != "ConditionalCheckFailedException":
            raise
        _refused(refused_item(error), expected_version)
    return from_item(response["Attributes"])


def _refused(old: dict[str, Any] | None, expected_version: int | None) -> None:
    """Why a conditional asset write was refused: gone, another version, or its tasks moved."""
    if old is None:
        raise not_found("Asset") from None
    if expected_version is not None and int(old["version"]) != expected_version:
        raise version_mismatch(int(old["version"])) from None
    raise AssetChanged from None


def _update_with_external_id(
    account_id: str,
    asset_id: str,
    changes: dict[str, Any],
    expected: int | None,
    now: datetime,
    tasks_seen: int | None,
) -> dict[str, Any]:
    """Moving the external id must release the old claim and take the new one in one transaction."""
    current = asset_as_expected(account_id, asset_id, expected)
    seen = int(current["version"])
    old_id, new_id = current.get("external_id"), changes["external_id"]
    if old_id == new_id:
        rest = {name: value for name, value in changes.items() if name != "external_id"}
        return update_asset(account_id, asset_id, rest, seen, now, tasks_seen)
    condition, values = _conditions(seen, tasks_seen)
    update = _update_request(account_id, asset_id, changes, now, condition, values)
    actions: list[TransactWriteItemTypeDef] = [{"Update": update}]
    if old_id is not None:
        actions.append(external_id_delete(account_id, old_id))
    if new_id is not None:
        actions.append(external_id_put(account_id, new_id, asset_id))
    try:
        client.transact_write_items(TransactItems=actions)
    except ClientError as error:
        codes = cancellation_codes(error)
        if codes and codes[0] == "ConditionalCheckFailed":
            raise AssetChanged from None
        if new_id is not None and codes and codes[-1] == "ConditionalCheckFailed":
            raise duplicate_external_id(new_id) from None
        raise
    updated = get_asset_item(account_id, asset_id)
    if updated is None:
        raise not_found("Asset")
    return updated
