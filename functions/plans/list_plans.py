"""GET /plans"""

from shared.http.endpoint import endpoint
from shared.http.request import Request
from shared.models.plans import PlanListQuery, PlanPage
from shared.services.plans import list_plans


@endpoint(query=PlanListQuery, response=PlanPage, errors=(404,))
def handler(req: Request, query: PlanListQuery) -> PlanPage:
    return list_plans(req.account_id, query)
