"""GET /plans/{plan_id}/revisions/{revision}"""

from shared.http.endpoint import endpoint
from shared.http.request import Request
from shared.models.plans import PlanRevision
from shared.services.plans import get_revision


@endpoint(response=PlanRevision, errors=(404,))
def handler(req: Request) -> PlanRevision:
    plan_id = req.path_id("plan_id", "pln", "Plan")
    return get_revision(req.account_id, plan_id, req.path_number("revision", "Revision"))
