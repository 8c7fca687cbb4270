"""DELETE /work-orders/{work_order_id}/public-link: the status link stops working."""

from shared.clock import utc_now
from shared.http.endpoint import endpoint
from shared.http.request import Request
from shared.http.responses import ApiResponse
from shared.services.work_order_public import revoke_link


@endpoint(status=204, errors=(404,))
def handler(req: Request) -> ApiResponse:
    revoke_link(req.account_id, req.path_params.get("work_order_id", ""), utc_now(), req.subject)
    return ApiResponse(204)
