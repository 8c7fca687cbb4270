"""POST /plans"""

from shared.clock import utc_now
from shared.http.endpoint import endpoint
from shared.http.request import Request
from shared.http.responses import ApiResponse
from shared.models.plans import Plan, PlanCreate
from shared.services.plans import create_plan


@endpoint(body=PlanCreate, response=Plan, status=201, idempotent=True)
def handler(req: Request, body: PlanCreate) -> ApiResponse:
    plan = create_plan(req.account_id, body, utc_now())
    return ApiResponse(201, plan, {"Location": f"/plans/{plan.id}"})
