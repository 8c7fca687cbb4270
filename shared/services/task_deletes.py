"""Deleting service tasks, one or many by id (T6 in docs/data-model.md)."""

import re
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from typing import TYPE_CHECKING, Any

from shared.data import tasks_repo
from shared.data.dynamo import TRANSACTION_ITEMS
from shared.data.provided_links import MAX_PROVIDERS
from shared.faults import Fault, not_found
from shared.http.errors import from_fault
from shared.ids import ID_PATTERNS, parent_of
from shared.services import file_links
from shared.services.task_transactions import commit, guarded, load_task, replacing

if TYPE_CHECKING:  # a single delete needs no request or batch models (cold start)
    from shared.models.task_changes import TaskBatchResult, TaskIds, TaskResult

# Assets of a batch written side by side, each in transactions of its own.
PARALLEL_ASSETS = 8
PER_TRANSACTION = TRANSACTION_ITEMS - 1 - MAX_PROVIDERS  # and the asset's update, the links


def failed(index: int, fault: Fault, **ids: str) -> "TaskResult":
    """A batch item's result when its write was refused: what it alone would have been answered."""
    from shared.models.task_changes import TaskResult  # noqa: PLC0415 - batches only

    error = from_fault(fault)
    named = {kind: value for kind, value in ids.items() if re.fullmatch(ID_PATTERNS[kind], value)}
    return TaskResult(index=index, status=error.status, error=error.body()["error"], **named)


def delete_task(account_id: str, task_id: str, expected_version: int | None, now: datetime) -> None:
    def step() -> dict[str, Any]:
        context = load_task(account_id, task_id, expected_version, inactive_too=True)
        assert context.task is not None
        actions = [tasks_repo.delete_task(account_id, context.task)]
        commit(
            account_id, context, replacing(context.tasks, None, task_id), actions, now, task_count_delta=-1
        )
        return context.task

    deleted = guarded(step, expected_version)
    file_links.tasks_deleted(account_id, [deleted], file_links.task_prefix(task_id))


def _delete_of_asset(account_id: str, asset_id: str, task_ids: list[str], now: datetime) -> set[str]:
    """Delete those of ``task_ids`` (all of one asset, at most a transaction's worth) that exist,
    in one transaction with the asset's summary; the ids deleted."""

    def step() -> list[dict[str, Any]]:
        context = tasks_repo.load(account_id, asset_id)
        if context.asset is None:
            return []
        context.tasks = tasks_repo.asset_tasks(account_id, asset_id)
        found = [task for task in context.tasks if task["id"] in task_ids]
        if found:
            kept = [task for task in context.tasks if task["id"] not in task_ids]
            actions = [tasks_repo.delete_task(account_id, task) for task in found]
            commit(account_id, context, kept, actions, now, task_count_delta=-len(found))
        return found

    deleted = guarded(step, None)
    if deleted:
        file_links.tasks_deleted(account_id, deleted, file_links.asset_prefix(asset_id))
    return {task["id"] for task in deleted}


def delete_tasks(account_id: str, body: "TaskIds", now: datetime) -> "TaskBatchResult":
    """Delete many tasks by id, a result per id: the tasks of one asset go in one transaction
    (a batch of ten tasks of one truck costs about what two single deletes do), assets side by
    side. An id named twice is deleted once; its second mention answers 404."""
    from shared.models.task_changes import TaskBatchResult, TaskResult  # noqa: PLC0415 - batches only

    by_asset: dict[str, list[str]] = {}
    for task_id in dict.fromkeys(body.task_ids):
        asset_id = parent_of(task_id, "tsk", "ast")
        if asset_id is not None:
            by_asset.setdefault(asset_id, []).append(task_id)
    groups = [
        (asset_id, ids[start : start + PER_TRANSACTION])
        for asset_id, ids in by_asset.items()
        for start in range(0, len(ids), PER_TRANSACTION)
    ]
    outcome: dict[str, Fault | None] = {}

    def delete(group: tuple[str, list[str]]) -> None:
        asset_id, ids = group
        try:
            deleted = _delete_of_asset(account_id, asset_id, ids, now)
        except Fault as fault:
            outcome.update(dict.fromkeys(ids, fault))
            return
        outcome.update({task_id: None if task_id in deleted else not_found("Task") for task_id in ids})

    with ThreadPoolExecutor(max_workers=PARALLEL_ASSETS) as pool:
        list(pool.map(delete, groups))
    results, answered = [], set()
    for index, task_id in enumerate(body.task_ids):
        fault = outcome.get(task_id, not_found("Task")) if task_id not in answered else not_found("Task")
        answered.add(task_id)
        if fault is None:
            results.append(TaskResult(index=index, task_id=task_id, status=204))
        else:
            results.append(failed(index, fault, task_id=task_id))
    succeeded = sum(1 for result in results if result.status == 204)
    return TaskBatchResult(succeeded=succeeded, failed=len(results) - succeeded, results=results)
