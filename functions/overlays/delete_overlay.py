"""DELETE /overlays/{overlay_id}"""

from shared.clock import utc_now
from shared.http.endpoint import endpoint
from shared.http.request import Request
from shared.http.responses import ApiResponse
from shared.services.overlays import delete_overlay


@endpoint(status=204, errors=(404,))
def handler(req: Request) -> ApiResponse:
    delete_overlay(req.account_id, req.path_id("overlay_id", "ovl", "Overlay"), utc_now())
    return ApiResponse(204)
