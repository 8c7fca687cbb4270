"""DELETE /assets/{asset_id}"""

from shared.data import assets_repo
from shared.http.endpoint import endpoint
from shared.http.request import Request
from shared.http.responses import ApiResponse


@endpoint(status=204, errors=(404, 409, 412))
def handler(req: Request) -> ApiResponse:
    asset_id = req.path_id("asset_id", "ast", "Asset")
    assets_repo.delete_asset(req.account_id, asset_id, req.if_match())
    return ApiResponse(204)
