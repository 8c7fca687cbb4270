"""PATCH /work-orders/{work_order_id}/items/{line_id}"""

from shared.clock import utc_now
from shared.http.endpoint import endpoint
from shared.http.request import Request
from shared.models.work_order_lines import Line, LineUpdate
from shared.services.work_order_lines import update_line


@endpoint(body=LineUpdate, response=Line, idempotent=True, errors=(404, 409, 412))
def handler(req: Request, body: LineUpdate) -> Line:
    order_id, line_id = req.path_params.get("work_order_id", ""), req.path_params.get("line_id", "")
    return update_line(req.account_id, order_id, line_id, body, req.if_match(), utc_now(), req.subject)
