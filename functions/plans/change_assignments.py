"""PUT /plan-assignments"""

from shared.clock import utc_now
from shared.http.endpoint import endpoint
from shared.http.request import Request
from shared.models.assignments import AssignmentChangeResult, AssignmentChanges
from shared.services.assignments import change_assignments


@endpoint(body=AssignmentChanges, response=AssignmentChangeResult, idempotent=True)
def handler(req: Request, body: AssignmentChanges) -> AssignmentChangeResult:
    return change_assignments(req.account_id, body, utc_now())
