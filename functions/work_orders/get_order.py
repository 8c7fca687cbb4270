"""GET /work-orders/{work_order_id}"""

from shared.http.endpoint import endpoint
from shared.http.request import Request
from shared.models.work_orders import WorkOrder
from shared.services.work_orders import get_order


@endpoint(response=WorkOrder, errors=(404,))
def handler(req: Request) -> WorkOrder:
    return get_order(req.account_id, req.path_params.get("work_order_id", ""))
