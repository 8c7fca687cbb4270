"""GET /work-orders/{work_order_id}/items/{line_id}"""

from shared.http.endpoint import endpoint
from shared.http.request import Request
from shared.models.work_order_lines import Line
from shared.services.work_order_lines import get_line


@endpoint(response=Line, errors=(404,))
def handler(req: Request) -> Line:
    order_id, line_id = req.path_params.get("work_order_id", ""), req.path_params.get("line_id", "")
    return get_line(req.account_id, order_id, line_id)
