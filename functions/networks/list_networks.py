"""GET /networks"""

from shared.http.endpoint import endpoint
from shared.http.request import Request
from shared.models.networks import NetworkPage, NetworkQuery
from shared.services.networks import list_networks


@endpoint(query=NetworkQuery, response=NetworkPage)
def handler(req: Request, query: NetworkQuery) -> NetworkPage:
    return list_networks(req.account_id, query)
