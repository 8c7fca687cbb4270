"""GET /health: no token, no table; says the function runs."""

from typing import Literal

from shared.clock import utc_now
from shared.http.endpoint import endpoint
from shared.http.request import Request
from shared.models.common import OutputModel
from shared.openapi import VERSION


class Health(OutputModel):
    status: Literal["ok"]
    version: str
    time: str


@endpoint(response=Health, public=True)
def handler(req: Request) -> Health:
    return Health(status="ok", version=VERSION, time=utc_now().isoformat())
