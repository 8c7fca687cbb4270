"""POST /work-order-statuses"""

from shared.clock import utc_now
from shared.http.endpoint import endpoint
from shared.http.request import Request
from shared.models.work_order_catalogue import OrderStatus, OrderStatusCreate
from shared.services.order_statuses import create_status


@endpoint(body=OrderStatusCreate, response=OrderStatus, status=201, idempotent=True, errors=(409,))
def handler(req: Request, body: OrderStatusCreate) -> OrderStatus:
    return create_status(req.account_id, body, utc_now())
