"""Data access for files (F1-F9 in docs/data-model.md): one item per file in the account's
partition, ``FILE#<file id>``. The content is in the files bucket (shared/data/storage.py).

A pending file expires by TTL a day after it was made; completing it removes the expiry. The
item counts the file's links (``links``, shared/services/file_links.py). A file declared for a
target is marked there too: in a work order's partition (``FILE#<file id>``, what the order's
file list shows) or beside the account's tasks (``FILEFOR#<task id>#<file id>``), so that the
target's deletion finds the files declared for it.
"""

from datetime import datetime
from typing import Any

from botocore.exceptions import ClientError

from shared.clock import to_iso
from shared.data import keys
from shared.data.dynamo import (
    TABLE_NAME,
    cancellation_codes,
    client,
    delete_all,
    error_code,
    from_item,
    get_items,
    key,
    to_item,
    to_values,
)
from shared.data.pages import PageResult, query_all, query_page
from shared.data.table_definition import TTL_ATTRIBUTE

LINKS = "links"
# What an order's mark of a file keeps: what its file list shows, without reading the files.
_SHOWN = ("filename", "content_type", "size", "state", "created_at")


def _key(account_id: str, file_id: str) -> dict[str, Any]:
    return key(keys.account_pk(account_id), keys.file_sk(file_id))


def new_file_item(
    account_id: str, file_id: str, fields: dict[str, Any], now: datetime, expires_at: datetime
) -> dict[str, Any]:
    """A pending file: the declared ``fields`` (filename, content_type, size, link). Its declared
    link, when it has one, is its first."""
    return {
        "PK": keys.account_pk(account_id),
        "SK": keys.file_sk(file_id),
        "entity": "file",
        "id": file_id,
        **fields,
        "state": "pending",
        "created_at": to_iso(now),
        LINKS: 1 if fields.get("link") else 0,
        TTL_ATTRIBUTE: int(expires_at.timestamp()),
    }


def put_new(item: dict[str, Any]) -> None:
    """F1: store a new file (ids are new, so the condition only guards against a collision)."""
    client.put_item(TableName=TABLE_NAME, Item=to_item(item), ConditionExpression="attribute_not_exists(PK)")


def _target_key(account_id: str, kind: str, target_id: str) -> dict[str, Any]:
    if kind == "work_order":
        return key(keys.order_pk(account_id, target_id), keys.ORDER_SK)
    return key(keys.account_pk(account_id), keys.task_sk(target_id))  # a task, or its completion


def _mark(account_id: str, item: dict[str, Any]) -> dict[str, Any]:
    """The target's mark of a file declared for it."""
    link, file_id = item["link"], item["id"]
    if link["kind"] == "work_order":
        shown = {name: item[name] for name in (*_SHOWN, TTL_ATTRIBUTE)}
        pk, sk = keys.order_pk(account_id, link["id"]), keys.file_sk(file_id)
        return {"PK": pk, "SK": sk, "entity": "order_file", "file_id": file_id, **shown}
    sk = keys.file_for_sk(link["id"], file_id)
    return {
        "PK": keys.account_pk(account_id),
        "SK": sk,
        "entity": "file_for",
        "task_id": link["id"],
        "file_id": file_id,
    }


def put_linked(account_id: str, item: dict[str, Any]) -> bool:
    """F1 + F5: a new file declared for a target, in one transaction with the target's mark of
    it and a check that the target is there (False when it is not: nothing is written)."""
    link = item["link"]
    new = "attribute_not_exists(PK)"
    try:
        client.transact_write_items(
            TransactItems=[
                {"Put": {"TableName": TABLE_NAME, "Item": to_item(item), "ConditionExpression": new}},
                {
                    "ConditionCheck": {
                        "TableName": TABLE_NAME,
                        "Key": _target_key(account_id, link["kind"], link["id"]),
                        "ConditionExpression": "attribute_exists(PK)",
                    }
                },
                {
                    "Put": {
                        "TableName": TABLE_NAME,
                        "Item": to_item(_mark(account_id, item)),
                        "ConditionExpression": new,
                    }
                },
            ]
        )
    except ClientError as error:
        if error_code(error) == "TransactionCanceledException" and cancellation_codes(error)[1:2] == [
            "ConditionalCheckFailed"
        ]:
            return False
        raise
    return True


def get(account_id: str, file_id: str) -> dict[str, Any] | None:
    """F2: one file of the account (consistent: a completion just made is seen)."""
    response = client.get_item(TableName=TABLE_NAME, Key=_key(account_id, file_id), ConsistentRead=True)
    item = response.get("Item")
    return from_item(item) if item else None


def _available_update(account_id: str, file_id: str, size: int, now: datetime) -> dict[str, Any]:
    return {
        "TableName": TABLE_NAME,
        "Key": _key(account_id, file_id),
        "UpdateExpression": "SET #state = :available, #size = :size, #at = :now REMOVE #ttl",
        "ConditionExpression": "#state = :pending",
        "ExpressionAttributeNames": {
            "#state": "state",
            "#size": "size",
            "#at": "available_at",
            "#ttl": TTL_ATTRIBUTE,
        },
        "ExpressionAttributeValues": to_values(
            {":available": "available", ":pending": "pending", ":size": size, ":now": to_iso(now)}
        ),
    }


def _mark_available(account_id: str, order_id: str, file_id: str, size: int) -> dict[str, Any]:
    """The order's mark of the file: available, its size, no expiry (only while the mark is
    there: an update would otherwise make one in a deleted order's partition)."""
    return {
        "TableName": TABLE_NAME,
        "Key": key(keys.order_pk(account_id, order_id), keys.file_sk(file_id)),
        "UpdateExpression": "SET #state = :available, #size = :size REMOVE #ttl",
        "ConditionExpression": "attribute_exists(PK)",
        "ExpressionAttributeNames": {"#state": "state", "#size": "size", "#ttl": TTL_ATTRIBUTE},
        "ExpressionAttributeValues": to_values({":available": "available", ":size": size}),
    }


def mark_available(
    account_id: str, file_id: str, size: int, now: datetime, order_id: str | None = None
) -> dict[str, Any] | None:
    """F3: the pending file is available with its ``size``; it no longer expires, nor does the
    mark of the order it was declared for (``order_id``, in the same transaction). None when it
    was not pending any more (another completion got there first) or the order's mark is gone
    (the order was deleted: the file goes with it)."""
    update = _available_update(account_id, file_id, size, now)
    try:
        if order_id is None:
            response = client.update_item(**update, ReturnValues="ALL_NEW")
            return from_item(response["Attributes"])
        marked = _mark_available(account_id, order_id, file_id, size)
        client.transact_write_items(TransactItems=[{"Update": update}, {"Update": marked}])  # type: ignore[typeddict-item]
    except ClientError as error:
        code = error_code(error)
        if code == "ConditionalCheckFailedException" or (
            code == "TransactionCanceledException" and "ConditionalCheckFailed" in cancellation_codes(error)
        ):
            return None
        raise
    return get(account_id, file_id)


def available_ids(account_id: str, file_ids: set[str]) -> set[str]:
    """F4: which of these files the account has, uploaded and completed (one BatchGetItem)."""
    found = get_items([_key(account_id, file_id) for file_id in sorted(file_ids)])
    return {str(item["id"]) for item in found if item.get("state") == "available"}


def add_links(account_id: str, file_id: str, count: int) -> bool:
    """F6: ``count`` more links, only while the file is there and available (False if not)."""
    try:
        client.update_item(
            TableName=TABLE_NAME,
            Key=_key(account_id, file_id),
            UpdateExpression="ADD #links :n",
            ConditionExpression="attribute_exists(PK) AND #state = :available",
            ExpressionAttributeNames={"#links": LINKS, "#state": "state"},
            ExpressionAttributeValues=to_values({":n": count, ":available": "available"}),
        )
    except ClientError as error:
        if error_code(error) == "ConditionalCheckFailedException":
            return False
        raise
    return True


def drop_links(account_id: str, file_id: str, count: int) -> int | None:
    """F7: ``count`` links fewer; the links left, or None when the file is not there."""
    try:
        response = client.update_item(
            TableName=TABLE_NAME,
            Key=_key(account_id, file_id),
            UpdateExpression="ADD #links :n",
            ConditionExpression="attribute_exists(PK)",
            ExpressionAttributeNames={"#links": LINKS},
            ExpressionAttributeValues=to_values({":n": -count}),
            ReturnValues="UPDATED_NEW",
        )
    except ClientError as error:
        if error_code(error) == "ConditionalCheckFailedException":
            return None
        raise
    return int(from_item(response["Attributes"])[LINKS])


def delete_unlinked(account_id: str, file_id: str) -> bool:
    """F8: delete the file if it still has no link (False when one was taken meanwhile)."""
    try:
        client.delete_item(
            TableName=TABLE_NAME,
            Key=_key(account_id, file_id),
            ConditionExpression="#links <= :zero",
            ExpressionAttributeNames={"#links": LINKS},
            ExpressionAttributeValues=to_values({":zero": 0}),
        )
    except ClientError as error:
        if error_code(error) == "ConditionalCheckFailedException":
            return False
        raise
    return True


def task_marks(account_id: str, prefix: str) -> list[dict[str, Any]]:
    """F9: the marks of the files declared for the tasks whose ids begin with ``prefix``."""
    values = {":pk": keys.account_pk(account_id), ":prefix": keys.files_for_prefix(prefix)}
    request = {
        "TableName": TABLE_NAME,
        "KeyConditionExpression": "PK = :pk AND begins_with(SK, :prefix)",
        "ExpressionAttributeValues": to_values(values),
        "ConsistentRead": True,
    }
    return list(query_all(request))


def delete_marks(marks: list[dict[str, Any]]) -> None:
    delete_all([key(mark["PK"], mark["SK"]) for mark in marks])


def order_files_page(
    account_id: str, order_id: str, limit: int, cursor: str | None, now: datetime
) -> PageResult:
    """W13: a page of the files declared for an order, by id (their time), without the pending
    ones past their expiry (which TTL has not deleted yet)."""
    pk = keys.order_pk(account_id, order_id)
    values = {":pk": pk, ":prefix": keys.FILE, ":now": int(now.timestamp())}
    return query_page(
        key_condition="PK = :pk AND begins_with(SK, :prefix)",
        values=to_values(values),
        partition={"PK": pk},
        limit=limit,
        cursor=cursor,
        filter_expression="attribute_not_exists(#ttl) OR #ttl > :now",
        names={"#ttl": TTL_ATTRIBUTE},
    )
