"""POST /tasks/batch: the same task for many assets, each asset on its own (atomic per asset)."""

from shared.clock import utc_now
from shared.http.endpoint import endpoint
from shared.http.request import Request
from shared.models.task_changes import TaskBatchCreate, TaskBatchResult
from shared.services.task_writes import create_tasks


@endpoint(body=TaskBatchCreate, response=TaskBatchResult, idempotent=True)
def handler(req: Request, body: TaskBatchCreate) -> TaskBatchResult:
    return create_tasks(req.account_id, body, utc_now())
