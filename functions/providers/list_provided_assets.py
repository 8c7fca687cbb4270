"""GET /provided-assets"""

from shared.clock import utc_now
from shared.http.endpoint import endpoint
from shared.http.request import Request
from shared.models.providers import ProvidedAssetPage, ProvidedAssetQuery
from shared.services.providers import list_provided_assets


@endpoint(query=ProvidedAssetQuery, response=ProvidedAssetPage)
def handler(req: Request, query: ProvidedAssetQuery) -> ProvidedAssetPage:
    return list_provided_assets(req.account_id, query, utc_now())
