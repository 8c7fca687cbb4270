"""DELETE /work-orders/{work_order_id}/items/{line_id}"""

from shared.clock import utc_now
from shared.http.endpoint import endpoint
from shared.http.request import Request
from shared.http.responses import ApiResponse
from shared.services.work_order_lines import delete_line


@endpoint(status=204, errors=(404, 409, 412))
def handler(req: Request) -> ApiResponse:
    order_id, line_id = req.path_params.get("work_order_id", ""), req.path_params.get("line_id", "")
    delete_line(req.account_id, order_id, line_id, req.if_match(), utc_now(), req.subject)
    return ApiResponse(204)
