"""PATCH /hourly-rates/{rate_id}"""

from shared.clock import utc_now
from shared.http.endpoint import endpoint
from shared.http.request import Request
from shared.models.work_order_catalogue import HourlyRate, HourlyRateUpdate
from shared.services.hourly_rates import update_rate


@endpoint(body=HourlyRateUpdate, response=HourlyRate, idempotent=True, errors=(404, 409, 412))
def handler(req: Request, body: HourlyRateUpdate) -> HourlyRate:
    rate_id = req.path_id("rate_id", "rate", "Hourly rate")
    return update_rate(req.account_id, rate_id, body, req.if_match(), utc_now())
