"""DELETE /hourly-rates/{rate_id}"""

from shared.http.endpoint import endpoint
from shared.http.request import Request
from shared.http.responses import ApiResponse
from shared.services.hourly_rates import delete_rate


@endpoint(status=204, errors=(404, 409, 412))
def handler(req: Request) -> ApiResponse:
    delete_rate(req.account_id, req.path_id("rate_id", "rate", "Hourly rate"), req.if_match())
    return ApiResponse(204)
