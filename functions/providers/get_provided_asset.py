"""GET /provided-assets/{asset_id}"""

from shared.clock import utc_now
from shared.http.endpoint import endpoint
from shared.http.request import Request
from shared.models.providers import ProvidedAsset
from shared.services.providers import get_provided_asset


@endpoint(response=ProvidedAsset, errors=(404,))
def handler(req: Request) -> ProvidedAsset:
    return get_provided_asset(req.account_id, req.path_id("asset_id", "ast", "Asset"), utc_now())
