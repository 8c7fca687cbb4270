"""Account settings: read them, change them."""

from datetime import datetime

from shared.data import settings_repo
from shared.domain.accounts import AccountSettings
from shared.models.settings import Settings, SettingsUpdate


def _view(settings: AccountSettings) -> Settings:
    return Settings(
        time_zone=settings.time_zone,
        currency=settings.currency,
        version=settings.version,
        updated_at=settings.updated_at,
    )


def get_settings(account_id: str) -> Settings:
    return _view(settings_repo.get_settings(account_id))


def update_settings(
    account_id: str, changes: SettingsUpdate, expected_version: int | None, now: datetime
) -> Settings:
    fields = changes.model_dump(include=changes.model_fields_set)
    return _view(settings_repo.update_settings(account_id, fields, expected_version, now))
