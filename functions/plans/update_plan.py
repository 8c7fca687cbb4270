"""PATCH /plans/{plan_id}"""

from shared.clock import utc_now
from shared.http.endpoint import endpoint
from shared.http.request import Request
from shared.models.plans import Plan, PlanUpdate
from shared.services.plans import update_plan


@endpoint(body=PlanUpdate, response=Plan, idempotent=True, errors=(404, 409, 412))
def handler(req: Request, body: PlanUpdate) -> Plan:
    plan_id = req.path_id("plan_id", "pln", "Plan")
    return update_plan(req.account_id, plan_id, body, req.if_match(), utc_now())
