"""PATCH /tasks/{task_id}: a JSON merge patch (RFC 7396) of the task's fields."""

from shared.clock import utc_now
from shared.http.endpoint import endpoint
from shared.http.request import Request
from shared.models.task_patches import TaskUpdate
from shared.models.tasks import Task
from shared.services.task_views import to_task
from shared.services.tasks import time_zone, update_task


@endpoint(body=TaskUpdate, response=Task, idempotent=True, errors=(404, 409, 412))
def handler(req: Request, body: TaskUpdate) -> Task:
    now = utc_now()
    task, context = update_task(
        req.account_id, req.path_params.get("task_id", ""), body.as_patch(), req.if_match(), now
    )
    assert context.asset is not None
    return to_task(task, context.asset, time_zone(context), now)
