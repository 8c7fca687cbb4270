"""GET /provided-assets/{asset_id}/readings"""

from shared.http.endpoint import endpoint
from shared.http.request import Request
from shared.models.readings import ReadingListQuery, ReadingPage
from shared.services.provided_work import list_provided_readings


@endpoint(query=ReadingListQuery, response=ReadingPage, errors=(404,))
def handler(req: Request, query: ReadingListQuery) -> ReadingPage:
    return list_provided_readings(req.account_id, req.path_id("asset_id", "ast", "Asset"), query)
