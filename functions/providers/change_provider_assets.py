"""PUT /providers/{account_id}/assets"""

from shared.clock import utc_now
from shared.http.endpoint import endpoint
from shared.http.request import Request
from shared.models.providers import ProviderAssets, ProviderAssetsResult
from shared.services.providers import change_provider_assets


@endpoint(body=ProviderAssets, response=ProviderAssetsResult, idempotent=True, errors=(404,))
def handler(req: Request, body: ProviderAssets) -> ProviderAssetsResult:
    provider = req.path_account("account_id")
    return change_provider_assets(req.account_id, provider, body, utc_now())
