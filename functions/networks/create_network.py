"""POST /networks"""

from shared.clock import utc_now
from shared.http.endpoint import endpoint
from shared.http.request import Request
from shared.http.responses import ApiResponse
from shared.models.networks import Network, NetworkCreate
from shared.services.networks import create_network


@endpoint(body=NetworkCreate, response=Network, status=201, idempotent=True)
def handler(req: Request, body: NetworkCreate) -> ApiResponse:
    network = create_network(req.account_id, body, utc_now())
    return ApiResponse(201, network, {"Location": f"/networks/{network.id}"})
