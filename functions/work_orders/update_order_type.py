"""PATCH /work-order-types/{type_key}"""

from shared.clock import utc_now
from shared.http.endpoint import endpoint
from shared.http.request import Request
from shared.models.work_order_catalogue import OrderType, OrderTypeUpdate
from shared.services.order_types import update_type


@endpoint(body=OrderTypeUpdate, response=OrderType, idempotent=True, errors=(404, 409, 412))
def handler(req: Request, body: OrderTypeUpdate) -> OrderType:
    key = req.path_params.get("type_key", "")
    return update_type(req.account_id, key, body, req.if_match(), utc_now())
