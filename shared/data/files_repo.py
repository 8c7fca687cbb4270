"""Data access for files (F1-F5 in docs/data-model.md): one item per file in the account's
partition, ``FILE#<file id>``. The content is in the files bucket (shared/data/storage.py).

A pending file expires by TTL a day after it was made; completing it removes the expiry.
"""

from datetime import datetime
from typing import Any

from botocore.exceptions import ClientError

from shared.clock import to_iso
from shared.data import keys
from shared.data.dynamo import TABLE_NAME, client, error_code, from_item, get_items, key, to_item, to_values
from shared.data.table_definition import TTL_ATTRIBUTE


def _key(account_id: str, file_id: str) -> dict[str, Any]:
    return key(keys.account_pk(account_id), keys.file_sk(file_id))


def new_file_item(
    account_id: str, file_id: str, fields: dict[str, Any], now: datetime, expires_at: datetime
) -> dict[str, Any]:
    """A pending file: the declared ``fields`` (filename, content_type, size, link)."""
    return {
        "PK": keys.account_pk(account_id),
        "SK": keys.file_sk(file_id),
        "entity": "file",
        "id": file_id,
        **fields,
        "state": "pending",
        "created_at": to_iso(now),
        TTL_ATTRIBUTE: int(expires_at.timestamp()),
    }


def put_new(item: dict[str, Any]) -> None:
    """F1: store a new file (ids are new, so the condition only guards against a collision)."""
    client.put_item(TableName=TABLE_NAME, Item=to_item(item), ConditionExpression="attribute_not_exists(PK)")


def get(account_id: str, file_id: str) -> dict[str, Any] | None:
    """F2: one file of the account (consistent: a completion just made is seen)."""
    response = client.get_item(TableName=TABLE_NAME, Key=_key(account_id, file_id), ConsistentRead=True)
    item = response.get("Item")
    return from_item(item) if item else None


def mark_available(account_id: str, file_id: str, size: int, now: datetime) -> dict[str, Any] | None:
    """F3: the pending file is available with its ``size``; it no longer expires. None when it
    was not pending any more (another completion got there first)."""
    try:
        response = client.update_item(
            TableName=TABLE_NAME,
            Key=_key(account_id, file_id),
            UpdateExpression="SET #state = :available, #size = :size, #at = :now REMOVE #ttl",
            ConditionExpression="#state = :pending",
            ExpressionAttributeNames={
                "#state": "state",
                "#size": "size",
                "#at": "available_at",
                "#ttl": TTL_ATTRIBUTE,
            },
            ExpressionAttributeValues=to_values(
                {":available": "available", ":pending": "pending", ":size": size, ":now": to_iso(now)}
            ),
            ReturnValues="ALL_NEW",
        )
    except ClientError as error:
        if error_code(error) == "ConditionalCheckFailedException":
            return None
        raise
    return from_item(response["Attributes"])


def available_ids(account_id: str, file_ids: set[str]) -> set[str]:
    """F4: which of these files the account has, uploaded and completed (one BatchGetItem)."""
    found = get_items([_key(account_id, file_id) for file_id in sorted(file_ids)])
    return {str(item["id"]) for item in found if item.get("state") == "available"}


def _link_key(account_id: str, kind: str, target_id: str) -> dict[str, Any]:
    if kind == "work_order":
        return key(keys.order_pk(account_id, target_id), keys.ORDER_SK)
    return key(keys.account_pk(account_id), keys.task_sk(target_id))  # a task, or its completion


def link_target_exists(account_id: str, kind: str, target_id: str) -> bool:
    """F5: the task or work order a new file is for is the account's (GetItem of its key only)."""
    response = client.get_item(
        TableName=TABLE_NAME,
        Key=_link_key(account_id, kind, target_id),
        ProjectionExpression="PK",
        ConsistentRead=True,
    )
    return "Item" in response
