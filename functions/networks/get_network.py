"""GET /networks/{network_id}"""

from shared.http.endpoint import endpoint
from shared.http.request import Request
from shared.models.networks import NetworkDetail
from shared.services.networks import get_network


@endpoint(response=NetworkDetail, errors=(404,))
def handler(req: Request) -> NetworkDetail:
    return get_network(req.account_id, req.path_id("network_id", "net", "Network"))
