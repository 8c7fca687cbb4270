"""DELETE /work-order-statuses/{status_key}"""

from shared.clock import utc_now
from shared.http.endpoint import endpoint
from shared.http.request import Request
from shared.http.responses import ApiResponse
from shared.services.order_statuses import delete_status


@endpoint(status=204, errors=(404, 409, 412))
def handler(req: Request) -> ApiResponse:
    delete_status(req.account_id, req.path_params.get("status_key", ""), req.if_match(), utc_now())
    return ApiResponse(204)
