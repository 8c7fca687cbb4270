"""POST /work-orders/{work_order_id}/reopen: undo a close and the completions it made."""

from shared.clock import utc_now
from shared.http.endpoint import endpoint
from shared.http.request import Request
from shared.models.work_orders import OrderReopen, WorkOrder
from shared.services.work_order_flow import reopen_order


@endpoint(body=OrderReopen, response=WorkOrder, idempotent=True, errors=(404, 409, 412))
def handler(req: Request, body: OrderReopen) -> WorkOrder:
    order_id = req.path_params.get("work_order_id", "")
    return reopen_order(req.account_id, order_id, body, req.if_match(), utc_now(), req.subject)
