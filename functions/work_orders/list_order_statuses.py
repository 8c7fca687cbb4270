"""GET /work-order-statuses"""

from shared.http.endpoint import endpoint
from shared.http.request import Request
from shared.models.work_order_catalogue import OrderStatusList
from shared.services.order_statuses import list_statuses


@endpoint(response=OrderStatusList)
def handler(req: Request) -> OrderStatusList:
    return list_statuses(req.account_id)
