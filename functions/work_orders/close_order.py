"""POST /work-orders/{work_order_id}/close: close the order; complete, it completes its tasks."""

from shared.clock import utc_now
from shared.http.endpoint import endpoint
from shared.http.request import Request
from shared.models.work_orders import OrderClose, WorkOrder
from shared.services.work_order_flow import close_order


@endpoint(body=OrderClose, response=WorkOrder, idempotent=True, errors=(404, 409, 412))
def handler(req: Request, body: OrderClose) -> WorkOrder:
    order_id = req.path_params.get("work_order_id", "")
    return close_order(req.account_id, order_id, body, req.if_match(), utc_now(), req.subject)
