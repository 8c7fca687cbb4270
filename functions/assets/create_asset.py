"""POST /assets"""

from shared.clock import utc_now
from shared.data import assets_repo
from shared.domain.assets import meters_for
from shared.http.endpoint import endpoint
from shared.http.request import Request
from shared.http.responses import ApiResponse
from shared.ids import new_id
from shared.models.assets import Asset, AssetCreate


@endpoint(body=AssetCreate, response=Asset, status=201, idempotent=True, errors=(409,))
def handler(req: Request, body: AssetCreate) -> ApiResponse:
    fields = body.model_dump(exclude_none=True)
    fields["meters"] = meters_for(body.type, body.meters)
    asset = assets_repo.create_asset(req.account_id, new_id("ast"), fields, utc_now())
    return ApiResponse(201, asset, {"Location": f"/assets/{asset.id}"})
