"""GET /plans"""

from shared.http.endpoint import endpoint
from shared.http.request import Request
from shared.models.plans import PlanPage, PlanQuery
from shared.services.plans import list_plans


@endpoint(query=PlanQuery, response=PlanPage)
def handler(req: Request, query: PlanQuery) -> PlanPage:
    return list_plans(req.account_id, query)
