"""GET /work-orders/{work_order_id}/events: every change of the order, in order."""

from shared.http.endpoint import endpoint
from shared.http.request import Request
from shared.models.work_orders import EventPage, EventQuery
from shared.services.work_order_queries import list_events


@endpoint(query=EventQuery, response=EventPage, errors=(404,))
def handler(req: Request, query: EventQuery) -> EventPage:
    return list_events(req.account_id, req.path_params.get("work_order_id", ""), query)
