"""Data access for service tasks and their completion history. Patterns: docs/data-model.md.

A task lives in its account's partition under ``TASK#<task id>``; task ids begin with their
asset's id part, so one asset's tasks are one consistent key range. Every task write goes in one
transaction with the asset's service summary (see ``asset_state``), so the summary always
matches the tasks it was computed from.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from shared.clock import to_iso
from shared.data import keys
from shared.data.asset_state import AssetChanged, asset_unchanged
from shared.data.dynamo import (
    TABLE_NAME,
    TRANSACTION_ITEMS,
    cancellation_codes,
    client,
    error_code,
    from_item,
    get_items,
    key,
    set_and_remove,
    to_item,
    to_values,
)
from shared.data.pages import PageResult, query_all, query_page
from shared.data.settings_repo import settings_key, to_settings
from shared.data.task_items import INDEX_ATTRIBUTES
from shared.domain.accounts import AccountSettings
from shared.faults import invalid

if TYPE_CHECKING:  # the stubs are a dev dependency, not in the Lambda layer
    from mypy_boto3_dynamodb.type_defs import TransactWriteItemTypeDef

# Reading more than this many tasks for one list request is refused: narrow the query.
MAX_TASKS_READ = 10_000


class TaskChanged(Exception):
    """A task's version moved while the write was prepared (If-Match or a concurrent change)."""


@dataclass
class Context:
    """What a task write or read needs, fetched together: the asset, the settings, the task."""

    asset: dict[str, Any] | None
    settings: AccountSettings
    task: dict[str, Any] | None = None
    tasks: list[dict[str, Any]] = field(default_factory=list)


def load(account_id: str, asset_id: str, task_id: str | None = None) -> Context:
    """Asset, settings and (optionally) one task in a single consistent BatchGetItem."""
    pk = keys.account_pk(account_id)
    wanted = [key(pk, keys.asset_sk(asset_id)), settings_key(account_id)]
    if task_id is not None:
        wanted.append(key(pk, keys.task_sk(task_id)))
    found = {item["SK"]: item for item in get_items(wanted)}
    return Context(
        asset=found.get(keys.asset_sk(asset_id)),
        settings=to_settings(found.get(keys.SETTINGS_SK)),
        task=found.get(keys.task_sk(task_id)) if task_id else None,
    )


def asset_tasks(account_id: str, asset_id: str) -> list[dict[str, Any]]:
    """All tasks of one asset, consistently (a write just made is included)."""
    return _query_all(
        "PK = :pk AND begins_with(SK, :prefix)",
        {":pk": keys.account_pk(account_id), ":prefix": keys.asset_tasks_prefix(asset_id)},
    )


def account_tasks(account_id: str) -> list[dict[str, Any]]:
    """Every task of the account, for list queries that cannot be narrowed to some assets."""
    return _query_all(
        "PK = :pk AND begins_with(SK, :prefix)", {":pk": keys.account_pk(account_id), ":prefix": "TASK#"}
    )


def _query_all(condition: str, values: dict[str, Any]) -> list[dict[str, Any]]:
    request: dict[str, Any] = {
        "TableName": TABLE_NAME,
        "KeyConditionExpression": condition,
        "ExpressionAttributeValues": to_values(values),
        "ConsistentRead": True,
    }
    return _bounded(query_all(request))


def _bounded(found: Iterator[dict[str, Any]]) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    for item in found:
        items.append(item)
        if len(items) > MAX_TASKS_READ:
            raise invalid(
                "query",
                f"more than {MAX_TASKS_READ} tasks match; filter by asset_id or status",
                "list_too_large",
            )
    return items


def due_work_page(
    account_id: str, after: str | None, descending: bool, limit: int
) -> tuple[list[dict[str, Any]], bool]:
    """Up to ``limit`` tasks of the due-work index (GSI3) beyond sort key ``after``, in order;
    and whether the index may hold more (a last page can come back empty)."""
    condition = "GSI3PK = :pk"
    values: dict[str, Any] = {":pk": keys.due_work_gsi3pk(account_id)}
    if after is not None:
        condition += " AND GSI3SK < :after" if descending else " AND GSI3SK > :after"
        values[":after"] = after
    response = client.query(
        TableName=TABLE_NAME,
        IndexName="GSI3",
        KeyConditionExpression=condition,
        ExpressionAttributeValues=to_values(values),
        ScanIndexForward=not descending,
        Limit=limit,
    )
    return [from_item(raw) for raw in response.get("Items", [])], "LastEvaluatedKey" in response


def due_work(account_id: str) -> list[dict[str, Any]]:
    """Every task of the due-work index (GSI3), for lists that sort by something else."""
    return _bounded(
        query_all(
            {
                "TableName": TABLE_NAME,
                "IndexName": "GSI3",
                "KeyConditionExpression": "GSI3PK = :pk",
                "ExpressionAttributeValues": to_values({":pk": keys.due_work_gsi3pk(account_id)}),
            }
        )
    )


def watch_passed(account_id: str, now: datetime) -> list[dict[str, Any]]:
    """Tasks of the watch index (GSI4) whose warning instant is at or before ``now``."""
    return _bounded(
        query_all(
            {
                "TableName": TABLE_NAME,
                "IndexName": "GSI4",
                "KeyConditionExpression": "GSI4PK = :pk AND GSI4SK < :now",
                "ExpressionAttributeValues": to_values(
                    {":pk": keys.watch_gsi4pk(account_id), ":now": keys.up_to(to_iso(now))}
                ),
            }
        )
    )


def index_update(
    account_id: str,
    task_id: str,
    fields: dict[str, Any],
    version: int | None = None,
    reached: dict[str, Any] | None = None,
) -> "TransactWriteItemTypeDef":
    """Set a task's index attributes (None removes one), and with ``reached`` the instants its
    occurrence's meter points were reached; conditioned on its version if given."""
    expression, names, values = set_and_remove(fields, ["#occurrence.#reached = :reached"] if reached else [])
    if reached:
        names.update({"#occurrence": "occurrence", "#reached": "reached"})
        values[":reached"] = reached
    condition = "attribute_exists(PK)"
    if version is not None:
        condition += " AND version = :seen"
        values[":seen"] = version
    update: dict[str, Any] = {
        "TableName": TABLE_NAME,
        "Key": key(keys.account_pk(account_id), keys.task_sk(task_id)),
        "UpdateExpression": expression,
        "ConditionExpression": condition,
        "ExpressionAttributeNames": names,
    }
    if values:
        update["ExpressionAttributeValues"] = to_values(values)
    return {"Update": update}  # type: ignore[typeddict-item]


def put_task(task: dict[str, Any], expected_version: int | None) -> "TransactWriteItemTypeDef":
    """Create (``expected_version`` None) or replace a task, conditioned on its version."""
    put: dict[str, Any] = {"TableName": TABLE_NAME, "Item": to_item(task)}
    if expected_version is None:
        put["ConditionExpression"] = "attribute_not_exists(PK)"
    else:
        put["ConditionExpression"] = "version = :seen"
        put["ExpressionAttributeValues"] = {":seen": {"N": str(expected_version)}}
    return {"Put": put}  # type: ignore[typeddict-item]


def delete_task(account_id: str, task: dict[str, Any]) -> "TransactWriteItemTypeDef":
    return {
        "Delete": {
            "TableName": TABLE_NAME,
            "Key": key(keys.account_pk(account_id), keys.task_sk(task["id"])),
            "ConditionExpression": "version = :seen",
            "ExpressionAttributeValues": {":seen": {"N": str(task["version"])}},
        }
    }


def put_history(entry: dict[str, Any]) -> "TransactWriteItemTypeDef":
    return {"Put": {"TableName": TABLE_NAME, "Item": to_item(entry)}}


def delete_history(account_id: str, asset_id: str, history_sk: str) -> "TransactWriteItemTypeDef":
    return {
        "Delete": {"TableName": TABLE_NAME, "Key": key(keys.history_pk(account_id, asset_id), history_sk)}
    }


def commit(actions: "list[TransactWriteItemTypeDef]") -> None:
    """Run a task transaction whose LAST action is the asset's state update.

    Raises AssetChanged when the asset moved (retry), TaskChanged when a task's version did.
    """
    try:
        client.transact_write_items(TransactItems=actions)
    except ClientError as error:
        if error_code(error) != "TransactionCanceledException":
            raise
        codes = cancellation_codes(error)
        if codes and codes[-1] == "ConditionalCheckFailed":
            raise AssetChanged from None
        if "ConditionalCheckFailed" in codes:
            raise TaskChanged from None
        raise


def move_index_keys(account_id: str, asset: dict[str, Any], tasks: list[dict[str, Any]]) -> None:
    """Write the index attributes the tasks carry, each conditioned on its version and all on the
    asset's meters and tasks being as read (T8). A refused batch is left: whoever moved the asset
    or a task meanwhile has set the keys."""
    step = TRANSACTION_ITEMS - 1  # and the asset's condition check
    for start in range(0, len(tasks), step):
        updates = [
            index_update(
                account_id,
                task["id"],
                {name: task.get(name) for name in INDEX_ATTRIBUTES},
                int(task["version"]),
            )
            for task in tasks[start : start + step]
        ]
        try:
            client.transact_write_items(TransactItems=[*updates, asset_unchanged(account_id, asset)])
        except ClientError as error:
            if error_code(error) != "TransactionCanceledException":
                raise


def history_page(account_id: str, asset_id: str, limit: int, cursor: str | None) -> PageResult:
    """Completed occurrences of an asset's tasks and its closed work orders, newest first; a
    completion a work order made is in the order's entry, not listed again."""
    pk = keys.history_pk(account_id, asset_id)
    return query_page(
        key_condition="PK = :pk AND begins_with(SK, :prefix)",
        values=to_values({":pk": pk, ":prefix": "DONE#", ":order": "work_order"}),
        partition={"PK": pk},
        limit=limit,
        cursor=cursor,
        forward=False,
        filter_expression="attribute_not_exists(work_order_id) OR #kind = :order",
        names={"#kind": "kind"},
    )
