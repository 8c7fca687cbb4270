"""PUT /overlays"""

from shared.clock import utc_now
from shared.http.endpoint import endpoint
from shared.http.request import Request
from shared.http.responses import ApiResponse
from shared.models.overlays import Overlay, OverlayPut
from shared.services.overlays import put_overlay


@endpoint(
    body=OverlayPut,
    response=Overlay,
    errors=(404,),
    idempotent=True,
    also={201: "A new overlay for what it covers"},
)
def handler(req: Request, body: OverlayPut) -> ApiResponse:
    status, overlay = put_overlay(req.account_id, body, utc_now())
    return ApiResponse(status, overlay)
