"""POST /work-orders/{work_order_id}/items: add a part, return, labour, travel or other line."""

from shared.clock import utc_now
from shared.http.endpoint import endpoint
from shared.http.request import Request
from shared.http.responses import ApiResponse
from shared.models.work_order_lines import Line, LineCreate
from shared.services.work_order_lines import add_line


@endpoint(body=LineCreate, response=Line, status=201, idempotent=True, errors=(404, 409, 412))
def handler(req: Request, body: LineCreate) -> ApiResponse:
    order_id = req.path_params.get("work_order_id", "")
    line = add_line(req.account_id, order_id, body, req.if_match(), utc_now(), req.subject)
    return ApiResponse(201, line, {"Location": f"/work-orders/{order_id}/items/{line.id}"})
