"""POST /work-orders/{work_order_id}/status: move an open order to another open status."""

from shared.clock import utc_now
from shared.http.endpoint import endpoint
from shared.http.request import Request
from shared.models.work_orders import StatusMove, WorkOrder
from shared.services.work_order_status import move_status


@endpoint(body=StatusMove, response=WorkOrder, idempotent=True, errors=(404, 409, 412))
def handler(req: Request, body: StatusMove) -> WorkOrder:
    order_id = req.path_params.get("work_order_id", "")
    return move_status(req.account_id, order_id, body, req.if_match(), utc_now(), req.subject)
