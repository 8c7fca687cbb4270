"""PATCH /assets/{asset_id}"""

from shared.clock import utc_now
from shared.http.endpoint import endpoint
from shared.http.request import Request
from shared.models.assets import Asset, AssetUpdate
from shared.services.assets import update_asset


@endpoint(body=AssetUpdate, response=Asset, idempotent=True, errors=(404, 409, 412))
def handler(req: Request, body: AssetUpdate) -> Asset:
    asset_id = req.path_id("asset_id", "ast", "Asset")
    return update_asset(req.account_id, asset_id, body, req.if_match(), utc_now())
