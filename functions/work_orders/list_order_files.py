"""GET /work-orders/{work_order_id}/files"""

from shared.clock import utc_now
from shared.http.endpoint import endpoint
from shared.http.request import Request
from shared.models.files import OrderFilePage, OrderFileQuery
from shared.services.order_files import list_order_files


@endpoint(query=OrderFileQuery, response=OrderFilePage, errors=(404,))
def handler(req: Request, query: OrderFileQuery) -> OrderFilePage:
    return list_order_files(req.account_id, req.path_params.get("work_order_id", ""), query, utc_now())
