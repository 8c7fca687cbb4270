"""POST /tasks/batch: the same task for many assets, each asset on its own (atomic per asset)."""

from concurrent.futures import ThreadPoolExecutor

from shared.clock import utc_now
from shared.errors import ApiError
from shared.http.endpoint import endpoint
from shared.http.request import Request
from shared.models.task_changes import TaskBatchCreate, TaskBatchResult, TaskResult
from shared.services.task_views import to_task
from shared.services.tasks import create_task, time_zone


@endpoint(body=TaskBatchCreate, response=TaskBatchResult, idempotent=True)
def handler(req: Request, body: TaskBatchCreate) -> TaskBatchResult:
    now = utc_now()

    def create(index: int, asset_id: str) -> TaskResult:
        try:
            task, context = create_task(
                req.account_id, asset_id, body.task, now, "body.task", f"body.asset_ids.{index}"
            )
        except ApiError as error:
            return TaskResult(
                index=index, asset_id=asset_id, status=error.status, error=error.body()["error"]
            )
        assert context.asset is not None
        created = to_task(task, context.asset, time_zone(context), now)
        return TaskResult(index=index, asset_id=asset_id, task_id=created.id, status=201, task=created)

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(create, range(len(body.asset_ids)), body.asset_ids))
    succeeded = sum(1 for result in results if result.status == 201)
    return TaskBatchResult(succeeded=succeeded, failed=len(results) - succeeded, results=results)
