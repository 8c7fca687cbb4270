"""Reading tasks: one, many with filters and sorting, and an asset's service history.

Status, wear and predictions depend on the current time and the latest meters, so they are
worked out on every read and sorting happens after that, over the candidate tasks. Candidates
come from the narrowest key range the query allows: the named assets' tasks, the tasks of the
assets that need attention (GSI2) for "what is due", else the account's tasks.
"""

import base64
import binascii
import hashlib
import json
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from shared.data import assets_repo, settings_repo, tasks_repo
from shared.errors import unprocessable
from shared.ids import is_valid_id
from shared.models.tasks import Task, TaskListQuery, TaskPage
from shared.services.task_views import to_task

_SEVERITY = {"overdue": 0, "upcoming": 1, "planned": 2, "done": 3}
_LAST = float("inf")


def _known_due(task: Task) -> datetime | None:
    """The earliest due time that is a fact: a date condition's due, or a meter due reached."""
    moments = [
        state.due if state.kind == "date" else state.predicted_due_at
        for state in task.condition_states
        if state.kind == "date" or state.status == "overdue"
    ]
    known = [m for m in moments if isinstance(m, datetime)]
    return min(known) if known else None


def _moment(value: datetime | None) -> float:
    return value.timestamp() if value is not None else _LAST


def _sort_value(task: Task, key: str) -> Any:
    if key == "due":
        return _moment(_known_due(task) or task.predicted_due_at)
    if key == "predicted":
        return _moment(task.predicted_due_at)
    if key == "wear":
        return task.wear_percent if task.wear_percent is not None else -1.0
    if key == "name":
        return task.name.casefold()
    return _SEVERITY[task.status]


def _matches(task: Task, query: TaskListQuery) -> bool:
    due = task.predicted_due_at
    kinds = {kind for kind in ("distance", "hours", "date") if getattr(task.conditions, kind) is not None}
    return (
        (not query.status or task.status in query.status)
        and (not query.condition or bool(kinds & set(query.condition)))
        and (query.due_before is None or (due is not None and due < query.due_before))
        and (query.due_after is None or (due is not None and due >= query.due_after))
        and (query.q is None or query.q.casefold() in task.name.casefold())
        and (query.repeat is None or task.repeat == query.repeat)
        and (query.unplanned is None or task.unplanned == query.unplanned)
    )


def _candidates(account_id: str, query: TaskListQuery, now: datetime) -> list[dict[str, Any]]:
    if query.asset_id:
        asset_ids = [a for a in dict.fromkeys(query.asset_id) if is_valid_id(a, "ast")]
    elif query.status and set(query.status) <= {"upcoming", "overdue"}:
        asset_ids = assets_repo.assets_needing_attention(account_id, now)
    else:
        return tasks_repo.account_tasks(account_id)
    return [task for asset_id in asset_ids for task in tasks_repo.asset_tasks(account_id, asset_id)]


def _fingerprint(query: TaskListQuery) -> str:
    material = query.model_dump_json(exclude={"next", "limit"})
    return hashlib.sha256(material.encode()).hexdigest()[:16]


def _encode_cursor(position: list[Any], query: TaskListQuery) -> str:
    raw = json.dumps({"p": position, "f": _fingerprint(query)}, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode_cursor(cursor: str, query: TaskListQuery) -> list[Any]:
    try:
        data = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        position, fingerprint = data["p"], data["f"]
    except (binascii.Error, ValueError, TypeError, KeyError, UnicodeDecodeError):
        position, fingerprint = None, None
    if fingerprint != _fingerprint(query) or not isinstance(position, list) or len(position) != 2:
        raise unprocessable("query.next", "the cursor is not valid for this list; start again without it")
    return position


def list_tasks(account_id: str, query: TaskListQuery, now: datetime) -> TaskPage:
    items = _candidates(account_id, query, now)
    assets = assets_repo.get_asset_items(account_id, list({item["asset_id"] for item in items}))
    tz = ZoneInfo(settings_repo.get_settings(account_id).time_zone)
    tasks = [to_task(item, assets[item["asset_id"]], tz, now) for item in items if item["asset_id"] in assets]
    key = query.sort.lstrip("-")
    descending = query.sort.startswith("-")
    ranked = sorted(([_sort_value(task, key), task.id], task) for task in tasks if _matches(task, query))
    if descending:
        ranked.reverse()
    if query.next:
        after = _decode_cursor(query.next, query)
        ranked = [entry for entry in ranked if (entry[0] < after if descending else entry[0] > after)]
    page = ranked[: query.limit]
    following = _encode_cursor(page[-1][0], query) if len(ranked) > query.limit else None
    return TaskPage(items=[task for _, task in page], next=following)
