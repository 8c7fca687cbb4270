"""GET /work-order-reasons"""

from shared.http.endpoint import endpoint
from shared.http.request import Request
from shared.models.work_order_catalogue import OrderReasonList, OrderReasonQuery
from shared.services.order_reasons import list_reasons


@endpoint(query=OrderReasonQuery, response=OrderReasonList)
def handler(req: Request, query: OrderReasonQuery) -> OrderReasonList:
    return list_reasons(req.account_id, query)
