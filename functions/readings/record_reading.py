"""POST /assets/{asset_id}/readings"""

from shared.clock import utc_now
from shared.errors import ApiError, FieldIssue
from shared.http.endpoint import endpoint
from shared.http.request import Request
from shared.http.responses import ApiResponse
from shared.models.readings import Reading, ReadingIn
from shared.services.readings import Submitted, record_for_asset, values_of


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
    now = utc_now()
    [result] = record_for_asset(
        req.account_id, asset_id, [Submitted(0, values_of(body, now), body.source)], now
    )
    if result.error is not None:
        details = [FieldIssue(d["field"], d["reason"]) for d in result.error["details"]]
        raise ApiError(result.status, result.error["code"], result.error["message"], details)
    return ApiResponse(result.status, result.reading)
