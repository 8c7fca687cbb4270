"""GET /tasks/{task_id}"""

from shared.clock import utc_now
from shared.data import tasks_repo
from shared.errors import not_found
from shared.http.endpoint import endpoint
from shared.http.request import Request
from shared.models.tasks import Task
from shared.services.task_views import to_task
from shared.services.tasks import asset_of_task, time_zone


@endpoint(response=Task, errors=(404,))
def handler(req: Request) -> Task:
    task_id = req.path_params.get("task_id", "")
    context = tasks_repo.load(req.account_id, asset_of_task(task_id), task_id)
    if context.task is None or context.asset is None:
        raise not_found("Task")
    return to_task(context.task, context.asset, time_zone(context), utc_now())
