"""PUT /notifications/opt-outs"""

from shared.clock import utc_now
from shared.http.endpoint import endpoint
from shared.http.request import Request
from shared.models.notifications import OptOutPage, OptOutsIn
from shared.services.notifications import add_opt_outs


@endpoint(body=OptOutsIn, response=OptOutPage, idempotent=True)
def handler(req: Request, body: OptOutsIn) -> OptOutPage:
    return add_opt_outs(req.account_id, body, utc_now())
