"""GET /work-order-types"""

from shared.http.endpoint import endpoint
from shared.http.request import Request
from shared.models.work_order_catalogue import OrderTypeList
from shared.services.order_types import list_types


@endpoint(response=OrderTypeList)
def handler(req: Request) -> OrderTypeList:
    return list_types(req.account_id)
