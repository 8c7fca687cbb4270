"""GET /assets/{asset_id}/history: what was done to the asset, newest first."""

from shared.data import assets_repo, tasks_repo
from shared.errors import not_found
from shared.http.endpoint import endpoint
from shared.http.request import Request
from shared.models.history import HistoryEntry, HistoryPage, HistoryQuery


@endpoint(query=HistoryQuery, response=HistoryPage, errors=(404,))
def handler(req: Request, query: HistoryQuery) -> HistoryPage:
    asset_id = req.path_id("asset_id", "ast", "Asset")
    if assets_repo.get_asset_item(req.account_id, asset_id) is None:
        raise not_found("Asset")
    page = tasks_repo.history_page(req.account_id, asset_id, query.limit, query.next)
    return HistoryPage(items=[HistoryEntry.model_validate(item) for item in page.items], next=page.next)
