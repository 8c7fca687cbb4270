"""GET /work-orders/{work_order_id}/items"""

from shared.http.endpoint import endpoint
from shared.http.request import Request
from shared.models.work_order_lines import LinePage, LineQuery
from shared.services.work_order_lines import list_lines


@endpoint(query=LineQuery, response=LinePage, errors=(404,))
def handler(req: Request, query: LineQuery) -> LinePage:
    return list_lines(req.account_id, req.path_params.get("work_order_id", ""), query)
