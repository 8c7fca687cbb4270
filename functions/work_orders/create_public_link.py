"""POST /work-orders/{work_order_id}/public-link: a new status link for the customer (the old
one stops working). No Idempotency-Key: a stored answer would keep the reference, which the table
never holds; a retry makes another link, and the one before stops working."""

from shared.clock import utc_now
from shared.http.endpoint import endpoint
from shared.http.request import Request
from shared.models.public_status import PublicLink
from shared.services.work_order_public import create_link


@endpoint(response=PublicLink, status=201, errors=(404,))
def handler(req: Request) -> PublicLink:
    order_id = req.path_params.get("work_order_id", "")
    return create_link(req.account_id, order_id, req.base_url, utc_now(), req.subject)
