"""DELETE /tasks/{task_id}"""

from shared.clock import utc_now
from shared.http.endpoint import endpoint
from shared.http.request import Request
from shared.http.responses import ApiResponse
from shared.services.task_deletes import delete_task


@endpoint(status=204, errors=(404, 409, 412))
def handler(req: Request) -> ApiResponse:
    delete_task(req.account_id, req.path_params.get("task_id", ""), req.if_match(), utc_now())
    return ApiResponse(204)
