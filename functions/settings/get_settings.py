"""GET /settings"""

from shared.http.endpoint import endpoint
from shared.http.request import Request
from shared.models.settings import Settings
from shared.services.settings import get_settings


@endpoint(response=Settings)
def handler(req: Request) -> Settings:
    return get_settings(req.account_id)
