"""GET /tasks/{task_id}"""

from shared.clock import utc_now
from shared.http.endpoint import endpoint
from shared.http.request import Request
from shared.models.tasks import Task
from shared.services.task_queries import read_task


@endpoint(response=Task, errors=(404,))
def handler(req: Request) -> Task:
    return read_task(req.account_id, req.path_params.get("task_id", ""), utc_now())
