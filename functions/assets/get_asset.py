"""GET /assets/{asset_id}"""

from shared.clock import utc_now
from shared.http.endpoint import endpoint
from shared.http.request import Request
from shared.models.assets import Asset
from shared.services.assets import get_asset


@endpoint(response=Asset, errors=(404,))
def handler(req: Request) -> Asset:
    return get_asset(req.account_id, req.path_id("asset_id", "ast", "Asset"), utc_now())
