"""Data access for account settings: one item in the account's partition (S1)."""

from datetime import datetime, time
from typing import Any

from botocore.exceptions import ClientError

from shared.clock import from_iso, to_iso
from shared.data import keys
from shared.data.dynamo import (
    TABLE_NAME,
    client,
    error_code,
    from_item,
    key,
    refused_item,
    set_and_remove,
    to_values,
)
from shared.domain.accounts import DEFAULT_TIME_ZONE, AccountSettings
from shared.faults import version_mismatch


def settings_key(account_id: str) -> dict[str, Any]:
    return key(keys.account_pk(account_id), keys.SETTINGS_SK)


def to_settings(item: dict[str, Any] | None) -> AccountSettings:
    """The stored settings, or the defaults for an account that never changed them."""
    if not item:
        return AccountSettings()
    updated = item.get("updated_at")
    quiet = (item.get("notifications") or {}).get("quiet_hours")
    return AccountSettings(
        time_zone=item.get("time_zone") or DEFAULT_TIME_ZONE,
        currency=item.get("currency"),
        version=int(item.get("version", 0)),
        updated_at=from_iso(updated) if updated else None,
        quiet_hours=(time.fromisoformat(quiet["start"]), time.fromisoformat(quiet["end"])) if quiet else None,
    )


def get_settings(account_id: str) -> AccountSettings:
    response = client.get_item(TableName=TABLE_NAME, Key=settings_key(account_id), ConsistentRead=True)
    item = response.get("Item")
    return to_settings(from_item(item) if item else None)


def update_settings(
    account_id: str, changes: dict[str, Any], expected_version: int | None, now: datetime
) -> AccountSettings:
    """Set (None: remove) the given fields; with ``expected_version`` only if it is current (0: the
    account never changed its settings)."""
    expression, names, values = set_and_remove(
        changes,
        ["#version = if_not_exists(#version, :zero) + :one", "#updated_at = :now", "#entity = :entity"],
    )
    names.update({"#version": "version", "#updated_at": "updated_at", "#entity": "entity"})
    values.update({":one": 1, ":zero": 0, ":now": to_iso(now), ":entity": "settings"})
    request: dict[str, Any] = {
        "TableName": TABLE_NAME,
        "Key": settings_key(account_id),
        "UpdateExpression": expression,
        "ExpressionAttributeNames": names,
        "ReturnValues": "ALL_NEW",
        "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
    }
    if expected_version == 0:
        request["ConditionExpression"] = "attribute_not_exists(PK)"
    elif expected_version is not None:
        request["ConditionExpression"] = "#version = :expected"
        values[":expected"] = expected_version
    request["ExpressionAttributeValues"] = to_values(values)
    try:
        response = client.update_item(**request)
    except ClientError as error:
        if error_code(error) != "ConditionalCheckFailedException":
            raise
        old = refused_item(error)
        raise version_mismatch(int(old["version"]) if old else 0) from None
    return to_settings(from_item(response["Attributes"]))
