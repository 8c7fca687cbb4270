"""PATCH /work-order-statuses/{status_key}"""

from shared.clock import utc_now
from shared.http.endpoint import endpoint
from shared.http.request import Request
from shared.models.work_order_catalogue import OrderStatus, OrderStatusUpdate
from shared.services.order_statuses import update_status


@endpoint(body=OrderStatusUpdate, response=OrderStatus, idempotent=True, errors=(404, 409, 412))
def handler(req: Request, body: OrderStatusUpdate) -> OrderStatus:
    key = req.path_params.get("status_key", "")
    return update_status(req.account_id, key, body, req.if_match(), utc_now())
