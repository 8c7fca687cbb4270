"""DELETE /assets/{asset_id}"""

from shared.http.endpoint import endpoint
from shared.http.request import Request
from shared.http.responses import ApiResponse
from shared.services.assets import delete_asset


@endpoint(status=204, errors=(404, 409, 412))
def handler(req: Request) -> ApiResponse:
    delete_asset(req.account_id, req.path_id("asset_id", "ast", "Asset"), req.if_match())
    return ApiResponse(204)
