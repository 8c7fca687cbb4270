"""GET /providers"""

from shared.http.endpoint import endpoint
from shared.http.request import Request
from shared.models.providers import GrantPage, GrantQuery
from shared.services.providers import list_grants


@endpoint(query=GrantQuery, response=GrantPage)
def handler(req: Request, query: GrantQuery) -> GrantPage:
    return list_grants(req.account_id, query)
