"""POST /registrations"""

from shared.clock import utc_now
from shared.http.endpoint import endpoint
from shared.http.request import Request
from shared.http.responses import ApiResponse
from shared.models.registrations import Registration, RegistrationCreate
from shared.services.registrations import register


@endpoint(body=RegistrationCreate, response=Registration, status=201, idempotent=True, errors=(404, 409))
def handler(req: Request, body: RegistrationCreate) -> ApiResponse:
    return ApiResponse(201, register(req.account_id, body, utc_now(), req.subject))
