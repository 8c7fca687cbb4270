"""POST /provided-assets/{asset_id}/readings"""

from shared.clock import utc_now
from shared.http.endpoint import endpoint
from shared.http.request import Request
from shared.http.responses import ApiResponse
from shared.models.readings import Reading, ReadingIn
from shared.services.provided_work import record_provided_reading


@endpoint(
    body=ReadingIn,
    response=Reading,
    status=201,
    idempotent=True,
    errors=(404, 409),
    also={200: "This reading was already recorded (same time and values): the stored reading"},
)
def handler(req: Request, body: ReadingIn) -> ApiResponse:
    asset_id = req.path_id("asset_id", "ast", "Asset")
    result = record_provided_reading(req.account_id, asset_id, body, utc_now())
    return ApiResponse(result.status, result.reading)
