"""GET /settings"""

from shared.data import settings_repo
from shared.http.endpoint import endpoint
from shared.http.request import Request
from shared.models.settings import Settings


@endpoint(response=Settings)
def handler(req: Request) -> Settings:
    return settings_repo.get_settings(req.account_id)
