"""POST /work-orders"""

from shared.clock import utc_now
from shared.http.endpoint import endpoint
from shared.http.request import Request
from shared.http.responses import ApiResponse
from shared.models.work_orders import OrderCreate, WorkOrder
from shared.services.work_orders import create_order


@endpoint(body=OrderCreate, response=WorkOrder, status=201, idempotent=True, errors=(404, 409))
def handler(req: Request, body: OrderCreate) -> ApiResponse:
    order = create_order(req.account_id, body, utc_now(), req.subject)
    return ApiResponse(201, order, {"Location": f"/work-orders/{order.id}"})
