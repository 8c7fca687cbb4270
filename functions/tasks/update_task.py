"""PATCH /tasks/{task_id}: a JSON merge patch (RFC 7396) of the task's fields."""

from shared.clock import utc_now
from shared.http.endpoint import endpoint
from shared.http.request import Request
from shared.models.task_patches import TaskUpdate
from shared.models.tasks import Task
from shared.services.task_writes import update_task


@endpoint(body=TaskUpdate, response=Task, idempotent=True, errors=(404, 409, 412))
def handler(req: Request, body: TaskUpdate) -> Task:
    task_id = req.path_params.get("task_id", "")
    return update_task(req.account_id, task_id, body.as_patch(), req.if_match(), utc_now())
