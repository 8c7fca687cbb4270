"""GET /plans/public"""

from shared.http.endpoint import endpoint
from shared.http.request import Request
from shared.models.plans import PlanPage, PublicPlanQuery
from shared.services.plans import list_public_plans


@endpoint(query=PublicPlanQuery, response=PlanPage)
def handler(req: Request, query: PublicPlanQuery) -> PlanPage:
    return list_public_plans(req.account_id, query)
