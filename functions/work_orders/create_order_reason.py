"""POST /work-order-reasons"""

from shared.clock import utc_now
from shared.http.endpoint import endpoint
from shared.http.request import Request
from shared.models.work_order_catalogue import OrderReason, OrderReasonCreate
from shared.services.order_reasons import create_reason


@endpoint(body=OrderReasonCreate, response=OrderReason, status=201, idempotent=True, errors=(409,))
def handler(req: Request, body: OrderReasonCreate) -> OrderReason:
    return create_reason(req.account_id, body, utc_now())
