"""How every task write reads, decides and commits.

A write reads the asset, the account settings and the asset's tasks, builds the new task item,
and commits it in one transaction with the asset's recomputed service summary. If the asset's
meters or tasks moved meanwhile, the transaction is refused and the whole step runs again on
fresh data, so concurrent writers never lose an update. A task changed by someone else is a 412
for a client that sent If-Match, and another round for one that did not.
"""

import random
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from shared.data import reading_history, tasks_repo
from shared.data.asset_state import AssetChanged, summary_parts
from shared.data.tasks_repo import Context, TaskChanged
from shared.faults import FieldIssue, NotFound, conflict, not_found, version_mismatch
from shared.ids import is_valid_id, parent_of
from shared.models.tasks import Task
from shared.services.task_engine import summary_of
from shared.services.task_index import indexed
from shared.services.task_rules import is_past_reading
from shared.services.task_views import to_task

MAX_ATTEMPTS = 10
T = TypeVar("T")


def time_zone(context: Context) -> ZoneInfo:
    return ZoneInfo(context.settings.time_zone)


def view(context: Context, task: dict[str, Any], now: datetime) -> Task:
    """The task as the API shows it, with the asset and settings the write used."""
    assert context.asset is not None
    return to_task(task, context.asset, time_zone(context), now)


def asset_of_task(task_id: str) -> str:
    """The asset a task id belongs to; a string that is no task id cannot exist (404)."""
    asset_id = parent_of(task_id, "tsk", "ast")
    if asset_id is None:
        raise not_found("Task")
    return asset_id


def retrying(step: Callable[[], T]) -> T:
    """Run a read-decide-commit step again while the asset keeps changing underneath it."""
    for attempt in range(MAX_ATTEMPTS):
        try:
            return step()
        except AssetChanged:
            time.sleep(random.uniform(0, min(0.2, 0.01 * 2**attempt)))  # noqa: S311 - jitter
    raise conflict("the asset kept changing while the task was written; send the request again")


def guarded(step: Callable[[], T], expected_version: int | None) -> T:
    """Retry a task write; a task changed by someone else is 412 for a client that sent If-Match."""

    def attempt() -> T:
        try:
            return step()
        except TaskChanged:
            if expected_version is not None:
                raise version_mismatch(expected_version + 1) from None
            raise AssetChanged from None

    return retrying(attempt)


def meters_then(account_id: str, asset: dict[str, Any], at: datetime | None) -> dict[str, float] | None:
    """The asset's meters at ``at`` when that is before its latest reading; None: use the current."""
    if at is None or not is_past_reading(asset, at):
        return None
    return reading_history.meters_at(account_id, asset["id"], at, set(asset.get("meters", [])))


def commit(
    account_id: str,
    context: Context,
    tasks_after: list[dict[str, Any]],
    actions: list[Any],
    now: datetime,
    task_count_delta: int = 0,
) -> None:
    """Commit ``actions`` with the asset's summary over ``tasks_after``, all or nothing."""
    assert context.asset is not None
    summary = summary_of(tasks_after, context.asset, time_zone(context), now)
    actions += summary_parts(account_id, context.asset, summary, task_count_delta=task_count_delta)
    tasks_repo.commit(actions)


def put(
    account_id: str, context: Context, task: dict[str, Any], expected_version: int | None, now: datetime
) -> tuple[dict[str, Any], Any]:
    """The task with its due-work index keys as of now, and the transaction part that writes it."""
    assert context.asset is not None
    task = indexed(account_id, task, context.asset, time_zone(context), now)
    return task, tasks_repo.put_task(task, expected_version)


def load_asset(account_id: str, asset_id: str, field: str) -> Context:
    """The asset a new task goes on, its settings and tasks; 404 naming ``field`` if none."""
    missing = NotFound("not_found", "Asset not found", [FieldIssue(field, "no such asset")])
    if not is_valid_id(asset_id, "ast"):
        raise missing
    context = tasks_repo.load(account_id, asset_id)
    if context.asset is None:
        raise missing
    if int(context.asset.get("task_count", 0)) > 0:
        context.tasks = tasks_repo.asset_tasks(account_id, asset_id)
    return context


def load_task(
    account_id: str, task_id: str, expected_version: int | None, inactive_too: bool = False
) -> Context:
    """A task with its asset, settings and the asset's tasks; 404, or 412 on a stale If-Match;
    409 for an inactive plan task (only a delete, ``inactive_too``, changes one)."""
    asset_id = asset_of_task(task_id)
    context = tasks_repo.load(account_id, asset_id, task_id)
    if context.task is None or context.asset is None:
        raise not_found("Task")
    if expected_version is not None and int(context.task["version"]) != expected_version:
        raise version_mismatch(int(context.task["version"]))
    if context.task["state"] == "inactive" and not inactive_too:
        raise inactive()
    context.tasks = tasks_repo.asset_tasks(account_id, asset_id)
    return context


def inactive(field: str | None = None) -> Exception:
    reason = "the task's plan has no provider now; it goes on as it was once one provides for the plan again"
    return conflict(reason, field, "task_inactive")


def replacing(tasks: list[dict[str, Any]], task: dict[str, Any] | None, task_id: str) -> list[dict[str, Any]]:
    """The asset's tasks with ``task`` in place of the one with ``task_id`` (None: without it)."""
    kept = [t for t in tasks if t["id"] != task_id]
    return [*kept, task] if task is not None else kept
