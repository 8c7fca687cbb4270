"""Data access for deliveries, opt-outs and what a sender reads (N5-N7 in docs/data-model.md).

A delivery is one message of a notification to one recipient on one channel. Its item is the
claim that makes a send happen once: whoever creates it (or moves it out of ``retry`` or
``held``) owns the send for a lease; every later step is conditioned on the state and the
attempt it claimed.
"""

from datetime import datetime
from typing import Any

from botocore.exceptions import ClientError

from shared.clock import to_iso
from shared.data import keys
from shared.data.dynamo import (
    TABLE_NAME,
    client,
    error_code,
    from_item,
    get_items,
    key,
    set_and_remove,
    to_item,
    to_values,
)
from shared.data.settings_repo import settings_key


def _refused(error: ClientError) -> bool:
    return error_code(error) == "ConditionalCheckFailedException"


def create(item: dict[str, Any]) -> bool:
    """Store a new delivery; False when one exists already."""
    try:
        client.put_item(
            TableName=TABLE_NAME, Item=to_item(item), ConditionExpression="attribute_not_exists(SK)"
        )
    except ClientError as error:
        if _refused(error):
            return False
        raise
    return True


def get(pk: str, sk: str) -> dict[str, Any] | None:
    response = client.get_item(TableName=TABLE_NAME, Key=key(pk, sk), ConsistentRead=True)
    item = response.get("Item")
    return from_item(item) if item else None


def move(pk: str, sk: str, seen: dict[str, Any], fields: dict[str, Any], *, attempt: bool = False) -> bool:
    """Set ``fields`` (None removes) on a delivery still in the state and attempt ``seen`` has;
    ``attempt`` counts a new attempt. False when it moved meanwhile."""
    expression, names, values = set_and_remove(fields, ["#attempts = #attempts + :one"] if attempt else [])
    names.update({"#state": "state", "#attempts": "attempts"})
    values.update({":seen_state": seen["state"], ":seen_attempts": int(seen["attempts"])})
    if attempt:
        values[":one"] = 1
    try:
        client.update_item(
            TableName=TABLE_NAME,
            Key=key(pk, sk),
            UpdateExpression=expression,
            ConditionExpression="#state = :seen_state AND #attempts = :seen_attempts",
            ExpressionAttributeNames=names,
            ExpressionAttributeValues=to_values(values),
        )
    except ClientError as error:
        if _refused(error):
            return False
        raise
    return True


def sender_context(
    account_id: str, notification_sk: str, task_id: str, asset_id: str, recipient: str
) -> dict[str, Any]:
    """What a sender checks before a send, in one BatchGetItem: the notification, its task and
    asset, the account's settings and the recipient's opt-out (absent ones are None)."""
    pk = keys.account_pk(account_id)
    wanted = {
        "notification": key(pk, notification_sk),
        "task": key(pk, keys.task_sk(task_id)),
        "asset": key(pk, keys.asset_sk(asset_id)),
        "settings": settings_key(account_id),
        "opt_out": key(pk, keys.opt_out_sk(recipient)),
    }
    found = {item["SK"]: item for item in get_items(list(wanted.values()))}
    return {name: found.get(wanted_key["SK"]["S"]) for name, wanted_key in wanted.items()}


# Opt-outs (N7): one item per recipient in the account's partition.


def put_opt_out(account_id: str, recipient: str, channel: str, now: datetime) -> dict[str, Any]:
    item = {
        "PK": keys.account_pk(account_id),
        "SK": keys.opt_out_sk(recipient),
        "entity": "opt_out",
        "recipient": recipient,
        "channel": channel,
        "created_at": to_iso(now),
    }
    try:
        client.put_item(
            TableName=TABLE_NAME, Item=to_item(item), ConditionExpression="attribute_not_exists(SK)"
        )
    except ClientError as error:
        if not _refused(error):
            raise
        existing = get(item["PK"], item["SK"])
        return existing or item
    return item


def delete_opt_out(account_id: str, recipient: str) -> None:
    client.delete_item(TableName=TABLE_NAME, Key=key(keys.account_pk(account_id), keys.opt_out_sk(recipient)))
