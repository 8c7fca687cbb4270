"""GET /assets"""

from shared.clock import utc_now
from shared.http.endpoint import endpoint
from shared.http.request import Request
from shared.models.assets import AssetListQuery, AssetPage
from shared.services.assets import list_assets


@endpoint(query=AssetListQuery, response=AssetPage)
def handler(req: Request, query: AssetListQuery) -> AssetPage:
    return list_assets(req.account_id, query, utc_now())
