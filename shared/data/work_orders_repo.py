"""Data access for work orders (docs/data-model.md W1-W9).

An order lives in a partition of its own (``ACCOUNT#a#WO#<id>``): the order under ``#ORDER``,
its lines, notes and events beside it. The order item carries its keys in three indexes: every
order by number (GSI3), open orders by planned start and closed ones by close time (GSI6), the
orders of one status (GSI7). List copies (``WOBY``) of the whole order stand in the partitions
of its assignees, assets, customer, site and depot, so that each of those lists is one Query too.
Every change of an order is one transaction: the order conditioned on the version read, its
copies, the event that records the change, and whatever else the change touches.
"""

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

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

if TYPE_CHECKING:  # the stubs are a dev dependency, not in the Lambda layer
    from mypy_boto3_dynamodb.type_defs import TransactWriteItemTypeDef

# The lists an order is copied into, and the values it has in each.
DIMENSIONS = ("assignee", "asset", "customer", "site", "depot")
_INDEX_KEYS = ("GSI3PK", "GSI3SK", "GSI6PK", "GSI6SK", "GSI7PK", "GSI7SK")


class OrderChanged(Exception):
    """The order's version moved while the change was prepared."""


class PartChanged(Exception):
    """Another item of the transaction was not as read (a task, a line); ``index`` says which."""

    def __init__(self, index: int) -> None:
        super().__init__(index)
        self.index = index


def next_number(account_id: str) -> int:
    """The account's next order number: an atomic ADD, so that parallel creates never share one."""
    response = client.update_item(
        TableName=TABLE_NAME,
        Key=key(keys.account_pk(account_id), keys.ORDER_COUNTER_SK),
        UpdateExpression="ADD #n :one SET #entity = :entity",
        ExpressionAttributeNames={"#n": "number", "#entity": "entity"},
        ExpressionAttributeValues=to_values({":one": 1, ":entity": "counter"}),
        ReturnValues="UPDATED_NEW",
    )
    return int(from_item(response["Attributes"])["number"])


def get_order(account_id: str, order_id: str) -> dict[str, Any] | None:
    response = client.get_item(
        TableName=TABLE_NAME, Key=key(keys.order_pk(account_id, order_id), keys.ORDER_SK), ConsistentRead=True
    )
    item = response.get("Item")
    return from_item(item) if item else None


def order_item(account_id: str, order_id: str, sk: str) -> dict[str, Any] | None:
    """One item of the order's partition (a line, a note), consistently."""
    response = client.get_item(
        TableName=TABLE_NAME, Key=key(keys.order_pk(account_id, order_id), sk), ConsistentRead=True
    )
    item = response.get("Item")
    return from_item(item) if item else None


def partition_page(
    account_id: str, order_id: str, prefix: str, limit: int, cursor: str | None, forward: bool = True
) -> PageResult:
    """A page of the order partition's items whose sort key begins with ``prefix`` (events,
    lines, notes); a cursor is bound to the order's partition."""
    pk = keys.order_pk(account_id, order_id)
    return query_page(
        key_condition="PK = :pk AND begins_with(SK, :prefix)",
        values=to_values({":pk": pk, ":prefix": prefix}),
        partition={"PK": pk},
        limit=limit,
        cursor=cursor,
        forward=forward,
    )


def partition(account_id: str, order_id: str, prefix: str, forward: bool = True) -> Iterator[dict[str, Any]]:
    """The order partition's items whose sort key begins with ``prefix`` (all: ""), consistently."""
    values = {":pk": keys.order_pk(account_id, order_id)}
    condition = "PK = :pk"
    if prefix:
        condition += " AND begins_with(SK, :prefix)"
        values[":prefix"] = prefix
    return query_all(
        {
            "TableName": TABLE_NAME,
            "KeyConditionExpression": condition,
            "ExpressionAttributeValues": to_values(values),
            "ConsistentRead": True,
            "ScanIndexForward": forward,
        }
    )


def values_of(order: dict[str, Any]) -> set[tuple[str, str]]:
    """The (dimension, value) pairs whose lists hold the order."""
    found = {("assignee", str(a["id"])) for a in order.get("assignees") or []}
    found |= {("asset", asset_id) for asset_id in order.get("asset_ids") or []}
    number = (order.get("customer") or {}).get("number")
    if number:
        found.add(("customer", str(number).casefold()))
    for dimension in ("site", "depot"):
        copied = order.get(dimension)
        if copied:
            found.add((dimension, str(copied["id"])))
    return found


def _copy(account_id: str, order: dict[str, Any], dimension: str, value: str) -> dict[str, Any]:
    body = {name: v for name, v in order.items() if name not in _INDEX_KEYS}
    return {
        **body,
        "PK": keys.orders_by_pk(account_id, dimension, value),
        "SK": keys.order_number_key(int(order["number"])),
    }


def order_writes(
    account_id: str, before: dict[str, Any] | None, after: dict[str, Any] | None
) -> "list[TransactWriteItemTypeDef]":
    """The order's own write (conditioned on the version read) and its list copies moved along.

    The order is always the first action, so a refused transaction can tell whose condition
    failed."""
    actions: list[Any] = []
    if after is not None:
        put: dict[str, Any] = {"TableName": TABLE_NAME, "Item": to_item(after)}
        if before is None:
            put["ConditionExpression"] = "attribute_not_exists(PK)"
        else:
            put["ConditionExpression"] = "version = :seen"
            put["ExpressionAttributeValues"] = {":seen": {"N": str(before["version"])}}
        actions.append({"Put": put})
    else:
        assert before is not None
        actions.append(
            {
                "Delete": {
                    "TableName": TABLE_NAME,
                    "Key": key(before["PK"], before["SK"]),
                    "ConditionExpression": "version = :seen",
                    "ExpressionAttributeValues": {":seen": {"N": str(before["version"])}},
                }
            }
        )
    now_in = values_of(after) if after else set()
    was_in = values_of(before) if before else set()
    for dimension, value in sorted(now_in):
        assert after is not None
        copy = _copy(account_id, after, dimension, value)
        actions.append({"Put": {"TableName": TABLE_NAME, "Item": to_item(copy)}})
    for dimension, value in sorted(was_in - now_in):
        assert before is not None
        stale = key(
            keys.orders_by_pk(account_id, dimension, value), keys.order_number_key(int(before["number"]))
        )
        actions.append({"Delete": {"TableName": TABLE_NAME, "Key": stale}})
    return actions


def put_new(item: dict[str, Any]) -> "TransactWriteItemTypeDef":
    """A new item of the order's partition (an event, a line, a note): never overwrites one."""
    return {
        "Put": {
            "TableName": TABLE_NAME,
            "Item": to_item(item),
            "ConditionExpression": "attribute_not_exists(PK)",
        }
    }


def put_item(item: dict[str, Any], expected_version: int | None = None) -> "TransactWriteItemTypeDef":
    put: dict[str, Any] = {"TableName": TABLE_NAME, "Item": to_item(item)}
    if expected_version is not None:
        put["ConditionExpression"] = "version = :seen"
        put["ExpressionAttributeValues"] = {":seen": {"N": str(expected_version)}}
    return {"Put": put}  # type: ignore[typeddict-item]


def delete_item(pk: str, sk: str) -> "TransactWriteItemTypeDef":
    return {"Delete": {"TableName": TABLE_NAME, "Key": key(pk, sk)}}


def commit(actions: "list[TransactWriteItemTypeDef]") -> None:
    """Run an order transaction (the order's write first). Raises OrderChanged when the order
    moved, PartChanged with the position of another refused action."""
    try:
        client.transact_write_items(TransactItems=actions)
    except ClientError as error:
        if error_code(error) != "TransactionCanceledException":
            raise
        codes = cancellation_codes(error)
        if codes and codes[0] == "ConditionalCheckFailed":
            raise OrderChanged from None
        for index, code in enumerate(codes):
            if code == "ConditionalCheckFailed":
                raise PartChanged(index) from None
        raise


def delete_partition(account_id: str, order_id: str) -> list[str]:
    """Delete what is left of a deleted order's partition (its lines, notes, events and the marks
    of the files declared for it); the sort keys deleted."""
    pk = keys.order_pk(account_id, order_id)
    found = [item["SK"] for item in partition(account_id, order_id, "")]
    delete_all([key(pk, sk) for sk in found])
    return found


def with_keys(account_id: str, order: dict[str, Any]) -> dict[str, Any]:
    """The order item with its table and index keys as its state, status and dates say."""
    number = int(order["number"])
    closed = order["state"] == "closed"
    instant = (order.get("closed") or {}).get("at") if closed else order.get("planned_start")
    return {
        **order,
        "PK": keys.order_pk(account_id, order["id"]),
        "SK": keys.ORDER_SK,
        "entity": "work_order",
        "GSI3PK": keys.orders_gsi3pk(account_id),
        "GSI3SK": keys.order_number_key(number),
        "GSI6PK": keys.orders_by_state_gsi6pk(account_id, order["state"]),
        "GSI6SK": keys.orders_by_state_gsi6sk(instant, number),
        "GSI7PK": keys.orders_by_status_gsi7pk(account_id, order["status"]),
        "GSI7SK": keys.order_number_key(number),
    }


def event_item(account_id: str, order_id: str, event: dict[str, Any]) -> dict[str, Any]:
    return {
        **event,
        "PK": keys.order_pk(account_id, order_id),
        "SK": keys.order_event_sk(int(event["seq"])),
        "entity": "work_order_event",
    }


def task_link(
    account_id: str, task: dict[str, Any], order_id: str | None, version: int
) -> "TransactWriteItemTypeDef":
    """Put a task in an order (``order_id``) or take it out (None), conditioned on the task's
    version as read (the caller decided on that version that no other order does it). The
    version goes up, so a writer holding the task as read before finds it changed."""
    names = {"#wo": "work_order", "#v": "version"}
    values: dict[str, Any] = {":seen": version, ":one": 1}
    condition = "#v = :seen"
    if order_id is None:
        expression = "REMOVE #wo SET #v = #v + :one"
    else:
        expression = "SET #wo = :order, #v = #v + :one"
        values[":order"] = order_id
    return {
        "Update": {
            "TableName": TABLE_NAME,
            "Key": key(keys.account_pk(account_id), keys.task_sk(task["id"])),
            "UpdateExpression": expression,
            "ConditionExpression": condition,
            "ExpressionAttributeNames": names,
            "ExpressionAttributeValues": to_values(values),
        }
    }


def account_items(account_id: str, sort_keys: list[str]) -> dict[str, dict[str, Any]]:
    """Items of the account's partition by sort key (assets, tasks), in one consistent read."""
    pk = keys.account_pk(account_id)
    return {item["SK"]: item for item in get_items([key(pk, sk) for sk in dict.fromkeys(sort_keys)])}
