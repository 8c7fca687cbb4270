"""GET /assets/{asset_id}/readings"""

from shared.data import assets_repo, readings_repo
from shared.errors import not_found
from shared.http.endpoint import endpoint
from shared.http.request import Request
from shared.models.readings import ReadingListQuery, ReadingPage


@endpoint(query=ReadingListQuery, response=ReadingPage, errors=(404,))
def handler(req: Request, query: ReadingListQuery) -> ReadingPage:
    asset_id = req.path_id("asset_id", "ast", "Asset")
    if assets_repo.get_asset_item(req.account_id, asset_id) is None:
        raise not_found("Asset")
    page = readings_repo.list_readings(
        req.account_id, asset_id, query.from_, query.to, query.order == "desc", query.limit, query.next
    )
    return ReadingPage(items=[readings_repo.to_reading(item) for item in page.items], next=page.next)
