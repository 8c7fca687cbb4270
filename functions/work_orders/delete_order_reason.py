"""DELETE /work-order-reasons/{reason_code}"""

from shared.clock import utc_now
from shared.http.endpoint import endpoint
from shared.http.request import Request
from shared.http.responses import ApiResponse
from shared.services.order_reasons import delete_reason


@endpoint(status=204, errors=(404, 409, 412))
def handler(req: Request) -> ApiResponse:
    delete_reason(req.account_id, req.path_params.get("reason_code", ""), req.if_match(), utc_now())
    return ApiResponse(204)
