"""POST /tasks/{task_id}/reopen: undo the latest completion, restoring the occurrence it ended."""

from shared.clock import utc_now
from shared.http.endpoint import endpoint
from shared.http.request import Request
from shared.models.tasks import Task
from shared.services.task_views import to_task
from shared.services.tasks import reopen_task, time_zone


@endpoint(response=Task, idempotent=True, errors=(404, 409, 412))
def handler(req: Request) -> Task:
    now = utc_now()
    task, context = reopen_task(req.account_id, req.path_params.get("task_id", ""), req.if_match(), now)
    assert context.asset is not None
    return to_task(task, context.asset, time_zone(context), now)
