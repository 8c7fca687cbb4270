"""GET /hourly-rates"""

from shared.http.endpoint import endpoint
from shared.http.request import Request
from shared.models.work_order_catalogue import HourlyRatePage, HourlyRateQuery
from shared.services.hourly_rates import list_rates


@endpoint(query=HourlyRateQuery, response=HourlyRatePage)
def handler(req: Request, query: HourlyRateQuery) -> HourlyRatePage:
    return list_rates(req.account_id, query)
