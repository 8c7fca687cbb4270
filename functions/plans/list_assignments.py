"""GET /plan-assignments"""

from shared.http.endpoint import endpoint
from shared.http.request import Request
from shared.models.assignments import AssignmentPage, AssignmentQuery
from shared.services.assignments import list_assignments


@endpoint(query=AssignmentQuery, response=AssignmentPage)
def handler(req: Request, query: AssignmentQuery) -> AssignmentPage:
    return list_assignments(req.account_id, query)
