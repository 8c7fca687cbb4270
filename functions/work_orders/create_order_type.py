"""POST /work-order-types"""

from shared.clock import utc_now
from shared.http.endpoint import endpoint
from shared.http.request import Request
from shared.models.work_order_catalogue import OrderType, OrderTypeCreate
from shared.services.order_types import create_type


@endpoint(body=OrderTypeCreate, response=OrderType, status=201, idempotent=True, errors=(409,))
def handler(req: Request, body: OrderTypeCreate) -> OrderType:
    return create_type(req.account_id, body, utc_now())
