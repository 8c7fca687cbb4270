"""GET /tasks"""

from shared.clock import utc_now
from shared.http.endpoint import endpoint
from shared.http.request import Request
from shared.models.tasks import TaskListQuery, TaskPage
from shared.services.task_queries import list_tasks


@endpoint(query=TaskListQuery, response=TaskPage)
def handler(req: Request, query: TaskListQuery) -> TaskPage:
    return list_tasks(req.account_id, query, utc_now())
