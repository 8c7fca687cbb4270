"""POST /hourly-rates"""

from shared.clock import utc_now
from shared.http.endpoint import endpoint
from shared.http.request import Request
from shared.http.responses import ApiResponse
from shared.models.work_order_catalogue import HourlyRate, HourlyRateCreate
from shared.services.hourly_rates import create_rate


@endpoint(body=HourlyRateCreate, response=HourlyRate, status=201, idempotent=True)
def handler(req: Request, body: HourlyRateCreate) -> ApiResponse:
    rate = create_rate(req.account_id, body, utc_now())
    return ApiResponse(201, rate, {"Location": f"/hourly-rates/{rate.id}"})
