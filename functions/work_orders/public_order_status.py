"""GET /public/work-orders/{reference}: an order's status for whoever holds its link (no token)."""

from shared.http.endpoint import endpoint
from shared.http.request import Request
from shared.http.responses import ApiResponse
from shared.models.public_status import PublicStatus
from shared.services.work_order_public import public_status


@endpoint(response=PublicStatus, public=True, errors=(404, 429))
def handler(req: Request) -> ApiResponse:
    status = public_status(req.path_params.get("reference", ""))
    return ApiResponse(200, status, {"Cache-Control": "no-store"})
