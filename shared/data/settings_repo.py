"""Data access for account settings: one item in the account's partition."""

from datetime import datetime
from typing import Any

from botocore.exceptions import ClientError

from shared.clock import to_iso
from shared.data import keys
from shared.data.dynamo import TABLE_NAME, client, error_code, from_item, key, refused_item, to_values
from shared.errors import precondition_failed
from shared.models.settings import Settings


def settings_key(account_id: str) -> dict[str, Any]:
    return key(keys.account_pk(account_id), keys.SETTINGS_SK)


def to_settings(item: dict[str, Any] | None) -> Settings:
    """The stored settings, or the defaults for an account that never changed them."""
    return Settings.model_validate(item or {})


def get_settings(account_id: str) -> Settings:
    response = client.get_item(TableName=TABLE_NAME, Key=settings_key(account_id), ConsistentRead=True)
    item = response.get("Item")
    return to_settings(from_item(item) if item else None)


def update_settings(
    account_id: str, changes: dict[str, Any], expected_version: int | None, now: datetime
) -> Settings:
    names = {f"#{name}": name for name in changes}
    sets = [f"#{name} = :{name}" for name in changes if changes[name] is not None]
    removes = [f"#{name}" for name in changes if changes[name] is None]
    values: dict[str, Any] = {f":{name}": value for name, value in changes.items() if value is not None}
    values.update({":one": 1, ":zero": 0, ":now": to_iso(now), ":entity": "settings"})
    expression = "SET " + ", ".join(
        [*sets, "version = if_not_exists(version, :zero) + :one", "updated_at = :now", "entity = :entity"]
    )
    if removes:
        expression += " REMOVE " + ", ".join(removes)
    condition = None
    if expected_version is not None:
        condition = "attribute_not_exists(PK)" if expected_version == 0 else "version = :expected"
        values[":expected"] = expected_version
        if expected_version == 0:
            del values[":expected"]
    request: dict[str, Any] = {
        "TableName": TABLE_NAME,
        "Key": settings_key(account_id),
        "UpdateExpression": expression,
        "ExpressionAttributeNames": names or None,
        "ExpressionAttributeValues": to_values(values),
        "ReturnValues": "ALL_NEW",
        "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
    }
    if condition:
        request["ConditionExpression"] = condition
    if not names:
        del request["ExpressionAttributeNames"]
    try:
        response = client.update_item(**request)
    except ClientError as error:
        if error_code(error) != "ConditionalCheckFailedException":
            raise
        old = refused_item(error)
        raise precondition_failed(int(old["version"]) if old else 0) from None
    return to_settings(from_item(response["Attributes"]))
