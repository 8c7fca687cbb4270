"""GET /assets/{asset_id}"""

from shared.data import assets_repo
from shared.http.endpoint import endpoint
from shared.http.request import Request
from shared.models.assets import Asset


@endpoint(response=Asset, errors=(404,))
def handler(req: Request) -> Asset:
    return assets_repo.get_asset(req.account_id, req.path_id("asset_id", "ast", "Asset"))
