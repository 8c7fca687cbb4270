"""DELETE /sites/{site_id}"""

from shared.http.endpoint import endpoint
from shared.http.request import Request
from shared.http.responses import ApiResponse
from shared.services.sites import delete_site


@endpoint(status=204, errors=(404, 409, 412))
def handler(req: Request) -> ApiResponse:
    delete_site(req.account_id, req.path_id("site_id", "sit", "Site"), req.if_match())
    return ApiResponse(204)
