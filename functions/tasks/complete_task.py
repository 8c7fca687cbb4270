"""POST /tasks/{task_id}/complete: mark the occurrence done; a repeating task starts its next one."""

from shared.clock import utc_now
from shared.http.endpoint import endpoint
from shared.http.request import Request
from shared.models.task_changes import CompletionIn
from shared.models.tasks import Task
from shared.services.task_completion import complete_task


@endpoint(body=CompletionIn, response=Task, idempotent=True, errors=(404, 409, 412))
def handler(req: Request, body: CompletionIn) -> Task:
    task_id = req.path_params.get("task_id", "")
    return complete_task(req.account_id, task_id, body, req.if_match(), utc_now(), req.subject)
