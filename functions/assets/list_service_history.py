"""GET /assets/{asset_id}/history: what was done to the asset, newest first."""

from shared.http.endpoint import endpoint
from shared.http.request import Request
from shared.models.history import HistoryPage, HistoryQuery
from shared.services.asset_history import service_history


@endpoint(query=HistoryQuery, response=HistoryPage, errors=(404,))
def handler(req: Request, query: HistoryQuery) -> HistoryPage:
    return service_history(req.account_id, req.path_id("asset_id", "ast", "Asset"), query)
