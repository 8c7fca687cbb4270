"""POST /tasks/batch-delete: delete many tasks by id, a result per id."""

from shared.clock import utc_now
from shared.http.endpoint import endpoint
from shared.http.request import Request
from shared.models.task_changes import TaskBatchResult, TaskIds
from shared.services.task_deletes import delete_tasks


@endpoint(body=TaskIds, response=TaskBatchResult, idempotent=True)
def handler(req: Request, body: TaskIds) -> TaskBatchResult:
    return delete_tasks(req.account_id, body, utc_now())
