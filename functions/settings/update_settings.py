"""PATCH /settings"""

from shared.clock import utc_now
from shared.data import settings_repo
from shared.http.endpoint import endpoint
from shared.http.request import Request
from shared.models.settings import Settings, SettingsUpdate


@endpoint(body=SettingsUpdate, response=Settings, idempotent=True, errors=(412,))
def handler(req: Request, body: SettingsUpdate) -> Settings:
    changes = body.model_dump(include=body.model_fields_set)
    return settings_repo.update_settings(req.account_id, changes, req.if_match(), utc_now())
