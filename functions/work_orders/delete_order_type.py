"""DELETE /work-order-types/{type_key}"""

from shared.http.endpoint import endpoint
from shared.http.request import Request
from shared.http.responses import ApiResponse
from shared.services.order_types import delete_type


@endpoint(status=204, errors=(404, 409, 412))
def handler(req: Request) -> ApiResponse:
    delete_type(req.account_id, req.path_params.get("type_key", ""), req.if_match())
    return ApiResponse(204)
