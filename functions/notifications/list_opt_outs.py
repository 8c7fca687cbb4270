"""GET /notifications/opt-outs"""

from shared.http.endpoint import endpoint
from shared.http.request import Request
from shared.models.notifications import OptOutPage, OptOutQuery
from shared.services.notifications import list_opt_outs


@endpoint(query=OptOutQuery, response=OptOutPage)
def handler(req: Request, query: OptOutQuery) -> OptOutPage:
    return list_opt_outs(req.account_id, query)
