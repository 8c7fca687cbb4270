"""GET /plans/{plan_id}"""

from shared.http.endpoint import endpoint
from shared.http.request import Request
from shared.models.plans import Plan
from shared.services.plans import get_plan


@endpoint(response=Plan, errors=(404,))
def handler(req: Request) -> Plan:
    return get_plan(req.account_id, req.path_id("plan_id", "pln", "Plan"))
