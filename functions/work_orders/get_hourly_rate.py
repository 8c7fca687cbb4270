"""GET /hourly-rates/{rate_id}"""

from shared.http.endpoint import endpoint
from shared.http.request import Request
from shared.models.work_order_catalogue import HourlyRate
from shared.services.hourly_rates import get_rate


@endpoint(response=HourlyRate, errors=(404,))
def handler(req: Request) -> HourlyRate:
    return get_rate(req.account_id, req.path_id("rate_id", "rate", "Hourly rate"))
