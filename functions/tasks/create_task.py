"""POST /tasks"""

from shared.clock import utc_now
from shared.http.endpoint import endpoint
from shared.http.request import Request
from shared.http.responses import ApiResponse
from shared.models.task_changes import TaskCreate
from shared.models.tasks import Task
from shared.services.task_writes import create_task


@endpoint(body=TaskCreate, response=Task, status=201, idempotent=True, errors=(404, 409))
def handler(req: Request, body: TaskCreate) -> ApiResponse:
    created = create_task(req.account_id, body, utc_now())
    return ApiResponse(201, created, {"Location": f"/tasks/{created.id}"})
