"""PATCH /work-orders/{work_order_id}: change some fields of an open order."""

from shared.clock import utc_now
from shared.http.endpoint import endpoint
from shared.http.request import Request
from shared.models.work_orders import OrderUpdate, WorkOrder
from shared.services.work_orders import update_order


@endpoint(body=OrderUpdate, response=WorkOrder, idempotent=True, errors=(404, 409, 412))
def handler(req: Request, body: OrderUpdate) -> WorkOrder:
    order_id = req.path_params.get("work_order_id", "")
    return update_order(req.account_id, order_id, body, req.if_match(), utc_now(), req.subject)
