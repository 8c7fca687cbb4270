"""GET /provided-assets/{asset_id}/tasks"""

from shared.clock import utc_now
from shared.http.endpoint import endpoint
from shared.http.request import Request
from shared.models.tasks import TaskPage
from shared.services.provided_work import list_provided_tasks


@endpoint(response=TaskPage, errors=(404,))
def handler(req: Request) -> TaskPage:
    return list_provided_tasks(req.account_id, req.path_id("asset_id", "ast", "Asset"), utc_now())
