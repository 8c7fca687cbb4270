"""Deleting service tasks, one or many by id (T6 in docs/data-model.md)."""

from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from typing import TYPE_CHECKING

from shared.data import tasks_repo
from shared.faults import Fault
from shared.http.errors import from_fault
from shared.services.task_transactions import commit, guarded, load_task, replacing

if TYPE_CHECKING:  # a single delete needs no request or batch models (cold start)
    from shared.models.task_changes import TaskBatchResult, TaskIds, TaskResult

# Items of a batch written side by side: each is its own transaction.
PARALLEL_ASSETS = 8


def failed(index: int, fault: Fault, **ids: str) -> "TaskResult":
    """A batch item's result when its write was refused: what it alone would have been answered."""
    from shared.models.task_changes import TaskResult  # noqa: PLC0415 - batches only

    error = from_fault(fault)
    return TaskResult(index=index, status=error.status, error=error.body()["error"], **ids)


def delete_task(account_id: str, task_id: str, expected_version: int | None, now: datetime) -> None:
    def step() -> None:
        context = load_task(account_id, task_id, expected_version)
        assert context.task is not None
        actions = [tasks_repo.delete_task(account_id, context.task)]
        commit(
            account_id, context, replacing(context.tasks, None, task_id), actions, now, task_count_delta=-1
        )

    guarded(step, expected_version)


def delete_tasks(account_id: str, body: "TaskIds", now: datetime) -> "TaskBatchResult":
    """Delete many tasks by id, a result per id."""
    from shared.models.task_changes import TaskBatchResult, TaskResult  # noqa: PLC0415 - batches only

    def delete(index: int, task_id: str) -> TaskResult:
        try:
            delete_task(account_id, task_id, None, now)
        except Fault as fault:
            return failed(index, fault, task_id=task_id)
        return TaskResult(index=index, task_id=task_id, status=204)

    with ThreadPoolExecutor(max_workers=PARALLEL_ASSETS) as pool:
        results = list(pool.map(delete, range(len(body.task_ids)), body.task_ids))
    succeeded = sum(1 for result in results if result.status == 204)
    return TaskBatchResult(succeeded=succeeded, failed=len(results) - succeeded, results=results)
