"""GET /overlays"""

from shared.http.endpoint import endpoint
from shared.http.request import Request
from shared.models.overlays import OverlayPage, OverlayQuery
from shared.services.overlays import list_overlays


@endpoint(query=OverlayQuery, response=OverlayPage)
def handler(req: Request, query: OverlayQuery) -> OverlayPage:
    return list_overlays(req.account_id, query)
