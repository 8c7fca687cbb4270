"""GET /work-orders: filter, search and sort the account's work orders."""

from shared.http.endpoint import endpoint
from shared.http.request import Request
from shared.models.work_orders import OrderListQuery, OrderPage
from shared.services.work_order_queries import list_orders


@endpoint(query=OrderListQuery, response=OrderPage)
def handler(req: Request, query: OrderListQuery) -> OrderPage:
    return list_orders(req.account_id, query)
