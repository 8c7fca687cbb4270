"""POST /tasks/batch-delete: delete many tasks by id, a result per id."""

from concurrent.futures import ThreadPoolExecutor

from shared.clock import utc_now
from shared.errors import ApiError
from shared.http.endpoint import endpoint
from shared.http.request import Request
from shared.models.task_changes import TaskBatchResult, TaskIds, TaskResult
from shared.services.tasks import delete_task


@endpoint(body=TaskIds, response=TaskBatchResult, idempotent=True)
def handler(req: Request, body: TaskIds) -> TaskBatchResult:
    now = utc_now()

    def delete(index: int, task_id: str) -> TaskResult:
        try:
            delete_task(req.account_id, task_id, None, now)
        except ApiError as error:
            return TaskResult(index=index, task_id=task_id, status=error.status, error=error.body()["error"])
        return TaskResult(index=index, task_id=task_id, status=204)

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(delete, range(len(body.task_ids)), body.task_ids))
    succeeded = sum(1 for result in results if result.status == 204)
    return TaskBatchResult(succeeded=succeeded, failed=len(results) - succeeded, results=results)
