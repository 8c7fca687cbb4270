"""DELETE /plans/{plan_id}"""

from shared.http.endpoint import endpoint
from shared.http.request import Request
from shared.http.responses import ApiResponse
from shared.services.plans import delete_plan


@endpoint(status=204, errors=(404, 409, 412))
def handler(req: Request) -> ApiResponse:
    delete_plan(req.account_id, req.path_id("plan_id", "pln", "Plan"), req.if_match())
    return ApiResponse(204)
