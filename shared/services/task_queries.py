"""Reading tasks: one, many with filters and sorting, and an asset's service history.

Status, wear and predictions depend on the current time and the latest meters, so they are
worked out on every read. "What is due" (status upcoming and/or overdue, no asset named) comes
from the due-work index (GSI3, see task_index): sorted by due it is read page by page in index
order; sorted otherwise, the index's tasks are sorted here. Other lists take the named assets'
tasks, else the account's tasks, and sort them here.
"""

import base64
import binascii
import hashlib
import json
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from shared.data import assets_repo, settings_repo, tasks_repo
from shared.data.pages import MAX_EXAMINED
from shared.faults import invalid_cursor, not_found
from shared.ids import is_valid_id
from shared.models.tasks import Task, TaskListQuery, TaskPage
from shared.services import task_promotion
from shared.services.task_transactions import asset_of_task
from shared.services.task_views import to_task

STATUS_ORDER = {
    "overdue": 0,
    "upcoming": 1,
    "planned": 2,
    "done": 3,
    "inactive": 4,
}  # sort=status: worst first
_LAST = float("inf")
_DUE_WORK = frozenset({"upcoming", "overdue"})


def _moment(value: datetime | None) -> float:
    return value.timestamp() if value is not None else _LAST


def _sort_value(task: Task, key: str) -> Any:
    if key == "due":
        return _moment(task.due_at)
    if key == "predicted":
        return _moment(task.predicted_due_at)
    if key == "wear":
        return task.wear_percent if task.wear_percent is not None else -1.0
    if key == "name":
        return task.name.casefold()
    return STATUS_ORDER[task.status]


def _matches(task: Task, query: TaskListQuery) -> bool:
    due = task.due_at
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


def _candidates(account_id: str, query: TaskListQuery) -> list[dict[str, Any]]:
    if query.asset_id:
        asset_ids = [a for a in dict.fromkeys(query.asset_id) if is_valid_id(a, "ast")]
        return [task for asset_id in asset_ids for task in tasks_repo.asset_tasks(account_id, asset_id)]
    return tasks_repo.account_tasks(account_id)


def _is_due_work(query: TaskListQuery) -> bool:
    return not query.asset_id and bool(query.status) and set(query.status or ()) <= _DUE_WORK


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
        raise invalid_cursor()
    return position


def _render(
    items: list[dict[str, Any]], account_id: str, tz: ZoneInfo, now: datetime
) -> list[tuple[dict[str, Any], Task]]:
    """Each item with its task as the API shows it, with its asset's latest meters (one
    BatchGetItem for the distinct assets); items whose asset is gone are left out."""
    wanted = list(dict.fromkeys(item["asset_id"] for item in items))
    assets = assets_repo.get_asset_items(account_id, wanted, consistent=False) if wanted else {}
    return [
        (item, to_task(item, assets[item["asset_id"]], tz, now))
        for item in items
        if item["asset_id"] in assets
    ]


def _sorted_page(tasks: list[Task], query: TaskListQuery) -> TaskPage:
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


def _due_work_page(
    account_id: str, query: TaskListQuery, tz: ZoneInfo, now: datetime, promoted: list[dict[str, Any]]
) -> TaskPage:
    """Due work soonest (or latest) first, straight from the index order: a page reads its items.

    ``promoted`` are tasks that entered their warning range since their last write; they join
    the page where their key puts them (the index may not show them yet).
    """
    descending = query.sort.startswith("-")
    after = _decode_cursor(query.next, query)[0] if query.next else None
    if after is not None and not isinstance(after, str):
        raise invalid_cursor()

    def beyond(sort_key: str) -> bool:
        return after is None or (sort_key < after if descending else sort_key > after)

    found = {
        item["GSI3SK"]: task
        for item, task in _render(promoted, account_id, tz, now)
        if beyond(item["GSI3SK"]) and _matches(task, query)
    }
    from_index, examined, more, position = 0, 0, True, after
    while more and from_index < query.limit and examined < MAX_EXAMINED:
        items, more = tasks_repo.due_work_page(account_id, position, descending, query.limit - from_index)
        if not items:
            break
        examined += len(items)
        position = items[-1]["GSI3SK"]
        for item, task in _render(items, account_id, tz, now):
            if _matches(task, query) and item["GSI3SK"] not in found:
                found[item["GSI3SK"]] = task
                from_index += 1
    page = sorted(found, reverse=descending)[: query.limit]
    if more and from_index < query.limit and position is not None:
        # A sparse filter met the bound on examined items: hand back what lies up to where the
        # index was read, and go on from there.
        page = [
            sort_key for sort_key in page if not (sort_key < position if descending else sort_key > position)
        ]
        last = page[-1] if len(page) == query.limit else position
        return TaskPage(items=[found[k] for k in page], next=_encode_cursor([last, ""], query))
    following = _encode_cursor([page[-1], ""], query) if page and (more or len(found) > query.limit) else None
    return TaskPage(items=[found[sort_key] for sort_key in page], next=following)


def list_tasks(account_id: str, query: TaskListQuery, now: datetime) -> TaskPage:
    tz = ZoneInfo(settings_repo.get_settings(account_id).time_zone)
    if not _is_due_work(query):
        items = _candidates(account_id, query)
    else:
        promoted = task_promotion.promote(account_id, tz, now)
        if query.sort.lstrip("-") == "due":
            return _due_work_page(account_id, query, tz, now, promoted)
        items = list({item["id"]: item for item in [*tasks_repo.due_work(account_id), *promoted]}.values())
    return _sorted_page([task for _, task in _render(items, account_id, tz, now)], query)


def read_task(account_id: str, task_id: str, now: datetime) -> Task:
    """One task, with its asset's latest meters and the account's time zone (T1)."""
    context = tasks_repo.load(account_id, asset_of_task(task_id), task_id)
    if context.task is None or context.asset is None:
        raise not_found("Task")
    return to_task(context.task, context.asset, ZoneInfo(context.settings.time_zone), now)
