"""GET /sites"""

from shared.http.endpoint import endpoint
from shared.http.request import Request
from shared.models.sites import SitePage, SiteQuery
from shared.services.sites import list_sites


@endpoint(query=SiteQuery, response=SitePage)
def handler(req: Request, query: SiteQuery) -> SitePage:
    return list_sites(req.account_id, query)
