"""GET /sites/{site_id}"""

from shared.http.endpoint import endpoint
from shared.http.request import Request
from shared.models.sites import Site
from shared.services.sites import get_site


@endpoint(response=Site, errors=(404,))
def handler(req: Request) -> Site:
    return get_site(req.account_id, req.path_id("site_id", "sit", "Site"))
