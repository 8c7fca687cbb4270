"""DELETE /work-orders/{work_order_id}: an open order only; its tasks are free again."""

from shared.http.endpoint import endpoint
from shared.http.request import Request
from shared.http.responses import ApiResponse
from shared.services.work_orders import delete_order


@endpoint(status=204, errors=(404, 409, 412))
def handler(req: Request) -> ApiResponse:
    delete_order(req.account_id, req.path_params.get("work_order_id", ""), req.if_match())
    return ApiResponse(204)
