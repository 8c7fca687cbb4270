"""GET /health: no token, no table; says the function runs."""

from shared.clock import utc_now
from shared.http.endpoint import endpoint
from shared.http.request import Request
from shared.models.system import Health
from shared.services.system import health


@endpoint(response=Health, public=True)
def handler(req: Request) -> Health:
    return health(utc_now())
