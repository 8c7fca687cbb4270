"""PATCH /sites/{site_id}"""

from shared.clock import utc_now
from shared.http.endpoint import endpoint
from shared.http.request import Request
from shared.models.sites import Site, SiteUpdate
from shared.services.sites import update_site


@endpoint(body=SiteUpdate, response=Site, idempotent=True, errors=(404, 409, 412))
def handler(req: Request, body: SiteUpdate) -> Site:
    site_id = req.path_id("site_id", "sit", "Site")
    return update_site(req.account_id, site_id, body, req.if_match(), utc_now())
