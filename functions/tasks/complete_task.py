"""POST /tasks/{task_id}/complete: mark the occurrence done; a repeating task starts its next one."""

from shared.clock import utc_now
from shared.http.endpoint import endpoint
from shared.http.request import Request
from shared.models.task_changes import CompletionIn
from shared.models.tasks import Task
from shared.services.task_views import to_task
from shared.services.tasks import complete_task, time_zone


@endpoint(body=CompletionIn, response=Task, idempotent=True, errors=(404, 409, 412))
def handler(req: Request, body: CompletionIn) -> Task:
    now = utc_now()
    task_id = req.path_params.get("task_id", "")
    task, context = complete_task(req.account_id, task_id, body, req.if_match(), now, req.subject)
    assert context.asset is not None
    return to_task(task, context.asset, time_zone(context), now)
