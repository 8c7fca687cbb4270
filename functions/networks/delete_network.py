"""DELETE /networks/{network_id}"""

from shared.http.endpoint import endpoint
from shared.http.request import Request
from shared.http.responses import ApiResponse
from shared.services.networks import delete_network


@endpoint(status=204, errors=(404, 409, 412))
def handler(req: Request) -> ApiResponse:
    delete_network(req.account_id, req.path_id("network_id", "net", "Network"), req.if_match())
    return ApiResponse(204)
