"""POST /tasks/{task_id}/reopen: undo the latest completion, restoring the occurrence it ended."""

from shared.clock import utc_now
from shared.http.endpoint import endpoint
from shared.http.request import Request
from shared.models.tasks import Task
from shared.services.task_completion import reopen_task


@endpoint(response=Task, idempotent=True, errors=(404, 409, 412))
def handler(req: Request) -> Task:
    return reopen_task(req.account_id, req.path_params.get("task_id", ""), req.if_match(), utc_now())
