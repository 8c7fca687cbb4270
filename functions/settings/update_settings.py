"""PATCH /settings"""

from shared.clock import utc_now
from shared.http.endpoint import endpoint
from shared.http.request import Request
from shared.models.settings import Settings, SettingsUpdate
from shared.services.settings import update_settings


@endpoint(body=SettingsUpdate, response=Settings, idempotent=True, errors=(412,))
def handler(req: Request, body: SettingsUpdate) -> Settings:
    return update_settings(req.account_id, body, req.if_match(), utc_now())
