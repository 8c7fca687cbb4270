"""PUT /networks/{network_id}/members"""

from shared.clock import utc_now
from shared.http.endpoint import endpoint
from shared.http.request import Request
from shared.models.networks import MemberChanges, MemberChangesResult
from shared.services.networks import change_members


@endpoint(body=MemberChanges, response=MemberChangesResult, errors=(404,), idempotent=True)
def handler(req: Request, body: MemberChanges) -> MemberChangesResult:
    network_id = req.path_id("network_id", "net", "Network")
    return change_members(req.account_id, network_id, body, utc_now())
