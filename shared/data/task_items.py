"""Task items as stored: a new task, a history entry, the attributes that place a task in the
due-work indexes. Only the data layer builds keys and items (docs/data-model.md)."""

from datetime import datetime
from typing import Any

from shared.clock import to_iso
from shared.data import keys

# The attributes that place a task in the due-work indexes (T4, T7, T8 in data-model.md).
DUE_WORK_ATTRIBUTES = ("GSI3PK", "GSI3SK", "GSI4PK", "GSI4SK")
# What a task keeps of its notifications and where it stands in the evaluator's index (N1).
NOTICE_ATTRIBUTES = ("notice", "pending_notice", "date_warn_at", "date_due_at", "GSI5PK", "GSI5SK")
# Everything a write that moves a task between statuses sets.
INDEX_ATTRIBUTES = (*DUE_WORK_ATTRIBUTES, *NOTICE_ATTRIBUTES)


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
    fields: dict[str, Any] = dict.fromkeys(DUE_WORK_ATTRIBUTES)
    if in_due_work:
        fields["GSI3PK"] = keys.due_work_gsi3pk(account_id)
        fields["GSI3SK"] = keys.due_work_gsi3sk(to_iso(due_at) if due_at else None, task_id)
    elif watch_at is not None:
        fields["GSI4PK"] = keys.watch_gsi4pk(account_id)
        fields["GSI4SK"] = keys.watch_gsi4sk(to_iso(watch_at), task_id)
    return fields


def notice_attributes(
    task_id: str,
    *,
    notice: dict[str, Any] | None = None,
    pending: dict[str, Any] | None = None,
    date_warn_at: datetime | None = None,
    date_due_at: datetime | None = None,
    wake_at: datetime | None = None,
) -> dict[str, Any]:
    """A task's notice attributes (None: absent; ``notice`` None: left as stored), in the
    evaluator's index (GSI5) at ``wake_at`` when given."""
    fields: dict[str, Any] = {
        "pending_notice": pending,
        "date_warn_at": to_iso(date_warn_at) if date_warn_at else None,
        "date_due_at": to_iso(date_due_at) if date_due_at else None,
        **eval_keys(task_id, wake_at),
    }
    if notice is not None:
        fields["notice"] = notice
    return fields


def eval_keys(item_id: str, at: datetime | None) -> dict[str, Any]:
    """The keys that put an item in the evaluator's index at ``at`` (None: out of it)."""
    if at is None:
        return {"GSI5PK": None, "GSI5SK": None}
    return {"GSI5PK": keys.eval_gsi5pk(item_id), "GSI5SK": keys.eval_gsi5sk(to_iso(at), item_id)}


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
