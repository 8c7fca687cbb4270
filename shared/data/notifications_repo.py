"""Data access for the evaluator and for notifications (N1-N4 in docs/data-model.md).

The evaluator's index (GSI5) holds, across accounts, what is due at an instant: tasks with a
pending or coming transition, notifications not yet handed to the delivery queue, deliveries
held by quiet hours. A notification lives in its account's partition under the transition it
tells (``keys.notification_sk``), its deliveries right after it; the table is the outbox.
"""

from collections.abc import Iterator
from datetime import datetime, timedelta
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
    put_all,
    set_and_remove,
    to_item,
    to_values,
)
from shared.data.pages import query_all
from shared.data.task_items import eval_keys

NOTIFICATION_RETENTION = timedelta(days=400)
# What one evaluator Query reads at most (about 300 KB of index entries, under a Query's 1 MB);
# a page is committed and handed over before the next is read.
EVAL_PAGE = 500


def due_entries(
    shard: int, now: datetime, after: dict[str, Any] | None = None
) -> tuple[list[dict[str, Any]], Any]:
    """One page of shard ``shard`` of the evaluator's index, due at or before ``now``; and the
    key to read on from (None: the shard is done)."""
    request: dict[str, Any] = {
        "TableName": TABLE_NAME,
        "IndexName": "GSI5",
        "KeyConditionExpression": "GSI5PK = :pk AND GSI5SK < :upto",
        "ExpressionAttributeValues": to_values(
            {":pk": keys.eval_shard_pk(shard), ":upto": keys.up_to(to_iso(now))}
        ),
        "Limit": EVAL_PAGE,
    }
    if after is not None:
        request["ExclusiveStartKey"] = after
    response = client.query(**request)
    return [from_item(raw) for raw in response.get("Items", [])], response.get("LastEvaluatedKey")


def notification_item(account_id: str, sk: str, fields: dict[str, Any], at: datetime) -> dict[str, Any]:
    """A notification as stored: in the evaluator's index until it is handed over."""
    return {
        "PK": keys.account_pk(account_id),
        "SK": sk,
        "entity": "notification",
        **fields,
        "at": to_iso(at),
        "expires_at": int((at + NOTIFICATION_RETENTION).timestamp()),
        **eval_keys(sk, at),
    }


def _pending_condition(pending: dict[str, Any] | None, names: dict[str, str], values: dict[str, Any]) -> str:
    if not pending:
        return "attribute_not_exists(pending_notice)"
    values[":pending_at"] = pending["at"]
    names["#at"] = "at"
    return "pending_notice.#at = :pending_at"


def _task_update(entry: dict[str, Any], fields: dict[str, Any], bump: bool) -> dict[str, Any]:
    """Set ``fields`` on the task of index entry ``entry``, conditioned on its version and its
    pending notice being as the entry showed them; ``bump`` moves its version on."""
    expression, names, values = set_and_remove(fields, ["#version = #version + :one"] if bump else [])
    names["#version"] = "version"
    values[":seen"] = int(entry["version"])
    if bump:
        values[":one"] = 1
    condition = f"#version = :seen AND {_pending_condition(entry.get('pending_notice'), names, values)}"
    return {
        "TableName": TABLE_NAME,
        "Key": key(entry["PK"], entry["SK"]),
        "UpdateExpression": expression,
        "ConditionExpression": condition,
        "ExpressionAttributeNames": names,
        "ExpressionAttributeValues": to_values(values),
    }


def _refused(error: ClientError) -> bool:
    return error_code(error) in ("TransactionCanceledException", "ConditionalCheckFailedException")


def commit_transition(
    entry: dict[str, Any], task_fields: dict[str, Any], notification: dict[str, Any]
) -> bool:
    """Record a transition: the task's new notice and the notification, in one transaction.
    False when refused: the task moved or another evaluator recorded it first."""
    put: dict[str, Any] = {
        "TableName": TABLE_NAME,
        "Item": to_item(notification),
        "ConditionExpression": "attribute_not_exists(SK)",
    }
    actions: list[Any] = [{"Update": _task_update(entry, task_fields, bump=True)}, {"Put": put}]
    try:
        client.transact_write_items(TransactItems=actions)
    except ClientError as error:
        if _refused(error):
            return False
        raise
    return True


def settle_entry(entry: dict[str, Any], task_fields: dict[str, Any]) -> bool:
    """Clear a task's pending notice and move its index entry, when there was nothing to tell."""
    try:
        client.update_item(**_task_update(entry, task_fields, bump=False))
    except ClientError as error:
        if _refused(error):
            return False
        raise
    return True


def release_held(pk: str, sk: str) -> None:
    """Take a held delivery out of the evaluator's index, if it is still held (a sender may have
    moved it meanwhile: then it is left as that sender made it)."""
    try:
        client.update_item(
            TableName=TABLE_NAME,
            Key=key(pk, sk),
            UpdateExpression="REMOVE GSI5PK, GSI5SK",
            ConditionExpression="#state = :held",
            ExpressionAttributeNames={"#state": "state"},
            ExpressionAttributeValues=to_values({":held": "held"}),
        )
    except ClientError as error:
        if error_code(error) != "ConditionalCheckFailedException":
            raise


def handed_over(notifications: list[dict[str, Any]]) -> None:
    """Take handed-over notifications out of the evaluator's index: each stored again as it is,
    without its index keys, 25 to a BatchWriteItem (nothing else writes a notification, so
    putting it whole changes nothing else; the same units as an update, far fewer calls)."""
    put_all(
        [
            {name: value for name, value in n.items() if name not in ("GSI5PK", "GSI5SK")}
            for n in notifications
        ]
    )


def get_notifications(account_id: str, sks: list[str]) -> list[dict[str, Any]]:
    pk = keys.account_pk(account_id)
    return get_items([key(pk, sk) for sk in sks])


def notification_items(
    account_id: str, prefix: str, after: str | None, descending: bool
) -> Iterator[dict[str, Any]]:
    """Notifications and their deliveries whose keys start with ``prefix``, in key order (each
    notification followed by its deliveries) or the reverse, beyond notification ``after``."""
    low, high = prefix, prefix + "~"
    if after is not None:
        if descending:
            high = after  # the notification itself is skipped by the caller
        else:
            low = after + "#~"  # past its deliveries
    request: dict[str, Any] = {
        "TableName": TABLE_NAME,
        "KeyConditionExpression": "PK = :pk AND SK BETWEEN :low AND :high",
        "ExpressionAttributeValues": to_values(
            {":pk": keys.account_pk(account_id), ":low": low, ":high": high}
        ),
        "ScanIndexForward": not descending,
        "Limit": 100,
    }
    return query_all(request)
