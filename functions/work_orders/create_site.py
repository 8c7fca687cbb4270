"""POST /sites"""

from shared.clock import utc_now
from shared.http.endpoint import endpoint
from shared.http.request import Request
from shared.http.responses import ApiResponse
from shared.models.sites import Site, SiteCreate
from shared.services.sites import create_site


@endpoint(body=SiteCreate, response=Site, status=201, idempotent=True)
def handler(req: Request, body: SiteCreate) -> ApiResponse:
    site = create_site(req.account_id, body, utc_now())
    return ApiResponse(201, site, {"Location": f"/sites/{site.id}"})
