"""Task items as stored: a new task, a history entry, the attributes that place a task in the
due-work indexes. Only the data layer builds keys and items (docs/data-model.md)."""

from datetime import datetime
from typing import Any

from shared.clock import to_iso
from shared.data import keys

# The attributes that place a task in the due-work indexes (T4, T7, T8 in data-model.md).
INDEX_ATTRIBUTES = ("GSI3PK", "GSI3SK", "GSI4PK", "GSI4SK")


def index_attributes(
    account_id: str,
    task_id: str,
    *,
    due_at: datetime | None = None,
    in_due_work: bool = False,
    watch_at: datetime | None = None,
) -> dict[str, Any]:
    """A task's index attributes (None: absent): in due work (GSI3) by its due instant; or
    watched (GSI4) until its warning instant; or in neither."""
    fields: dict[str, Any] = dict.fromkeys(INDEX_ATTRIBUTES)
    if in_due_work:
        fields["GSI3PK"] = keys.due_work_gsi3pk(account_id)
        fields["GSI3SK"] = keys.due_work_gsi3sk(to_iso(due_at) if due_at else None, task_id)
    elif watch_at is not None:
        fields["GSI4PK"] = keys.watch_gsi4pk(account_id)
        fields["GSI4SK"] = keys.watch_gsi4sk(to_iso(watch_at), task_id)
    return fields


def new_task_item(
    account_id: str,
    task_id: str,
    asset_id: str,
    fields: dict[str, Any],
    occurrence: dict[str, Any],
    now: datetime,
) -> dict[str, Any]:
    """A new task as stored: the client's fields, its first occurrence, open, version 1."""
    stamp = to_iso(now)
    return {
        "PK": keys.account_pk(account_id),
        "SK": keys.task_sk(task_id),
        "entity": "task",
        "id": task_id,
        "asset_id": asset_id,
        **fields,
        "name_f": fields["name"].casefold(),
        "state": "open",
        "occurrence": occurrence,
        "version": 1,
        "created_at": stamp,
        "updated_at": stamp,
    }


def history_item(
    account_id: str, task: dict[str, Any], occurrence: int, completed_at: datetime, fields: dict[str, Any]
) -> dict[str, Any]:
    """The history entry of one completed occurrence (H1)."""
    stamp = to_iso(completed_at)
    return {
        "PK": keys.history_pk(account_id, task["asset_id"]),
        "SK": keys.history_sk(stamp, task["id"], occurrence),
        "entity": "history",
        "task_id": task["id"],
        "asset_id": task["asset_id"],
        "occurrence": occurrence,
        "name": task["name"],
        "unplanned": task["unplanned"],
        "completed_at": stamp,
        **fields,
    }
