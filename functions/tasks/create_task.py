"""POST /tasks"""

from shared.clock import utc_now
from shared.http.endpoint import endpoint
from shared.http.request import Request
from shared.http.responses import ApiResponse
from shared.models.task_changes import TaskCreate
from shared.models.tasks import Task
from shared.services.task_views import to_task
from shared.services.tasks import create_task, time_zone


@endpoint(body=TaskCreate, response=Task, status=201, idempotent=True, errors=(404, 409))
def handler(req: Request, body: TaskCreate) -> ApiResponse:
    now = utc_now()
    task, context = create_task(req.account_id, body.asset_id, body, now)
    assert context.asset is not None
    created = to_task(task, context.asset, time_zone(context), now)
    return ApiResponse(201, created, {"Location": f"/tasks/{created.id}"})
