"""DELETE /notifications/opt-outs"""

from shared.http.endpoint import endpoint
from shared.http.request import Request
from shared.http.responses import ApiResponse
from shared.models.notifications import OptOutRemoval
from shared.services.notifications import remove_opt_out


@endpoint(query=OptOutRemoval, status=204)
def handler(req: Request, query: OptOutRemoval) -> ApiResponse:
    remove_opt_out(req.account_id, query.recipient)
    return ApiResponse(204)
