"""POST /assets"""

from shared.clock import utc_now
from shared.http.endpoint import endpoint
from shared.http.request import Request
from shared.http.responses import ApiResponse
from shared.models.assets import Asset, AssetCreate
from shared.services.assets import create_asset


@endpoint(body=AssetCreate, response=Asset, status=201, idempotent=True, errors=(409,))
def handler(req: Request, body: AssetCreate) -> ApiResponse:
    asset = create_asset(req.account_id, body, utc_now())
    return ApiResponse(201, asset, {"Location": f"/assets/{asset.id}"})
